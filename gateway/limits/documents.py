"""Parsed and validated documents kept by the hash of their text: persisted queries."""

from __future__ import annotations

import threading
from collections import OrderedDict


class DocumentCache:
    """Parsed and validated documents by (schema, SHA-256 of the text): persisted queries."""

    def __init__(self, size: int = 2000):
        self.size = size
        self._documents: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            document = self._documents.get(key)
            if document is not None:
                self._documents.move_to_end(key)
            return document

    def put(self, key, document) -> None:
        with self._lock:
            self._documents[key] = document
            self._documents.move_to_end(key)
            while len(self._documents) > self.size:
                self._documents.popitem(last=False)
