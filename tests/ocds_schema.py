"""Validation of OCDS 1.1.5 packages against the schema files kept in the repository.

The schema files are in ``tests/ocds-1.1.5`` (copied unchanged from the standard's release tag
``1__1__5``, Apache-2.0; see its README); ``GONGZHI_OCDS_SCHEMA_DIR`` points elsewhere. Nothing is
fetched: the package schemas name the release schema by its URL and there is no network in tests,
so the registry answers those URLs from the folder. A missing file fails the test: never a skip.

Besides the JSON Schema (draft 4, with date-time and uri formats checked), two rules the schema
cannot express are checked: codes from open codelists must be listed ones (we define none of our
own), and every organization reference must name a party published for the same ocid (in the
package's releases of it, or in the compiled release itself).
"""

from __future__ import annotations

import csv
import json
import os
import re
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SCHEMA_DIR = REPO_ROOT / "tests" / "ocds-1.1.5"
SCHEMA_FILES = (
    "release-schema.json",
    "release-package-schema.json",
    "record-package-schema.json",
    "versioned-release-validation-schema.json",
)
# Open codelists of external identifier schemes: a publisher may name schemes not listed.
UNCHECKED_OPEN_CODELISTS = frozenset(
    {"itemClassificationScheme.csv", "unitClassificationScheme.csv", "relatedProcessScheme.csv"}
)
# Where a release names an organization, and so where a party's id must be found.
ORGANIZATION_REFERENCES = (
    ("buyer",),
    ("tender", "procuringEntity"),
    ("tender", "tenderers"),
    ("awards", "suppliers"),
    ("contracts", "implementation", "transactions", "payer"),
    ("contracts", "implementation", "transactions", "payee"),
)

_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$")


def schema_dir() -> Path:
    return Path(os.environ.get("GONGZHI_OCDS_SCHEMA_DIR") or DEFAULT_SCHEMA_DIR)


def require_schema() -> Path:
    """The schema folder; the calling test fails when a schema file is missing from it."""
    folder = schema_dir()
    missing = [name for name in SCHEMA_FILES if not (folder / name).is_file()]
    if missing:
        pytest.fail(
            f"OCDS 1.1.5 schema files not found at {folder}: {', '.join(missing)} "
            "(they are kept in tests/ocds-1.1.5; GONGZHI_OCDS_SCHEMA_DIR points elsewhere)",
            pytrace=False,
        )
    return folder


def load_schema(name: str) -> dict:
    return _load(str(require_schema()), name)


def validate_release_package(document: dict) -> None:
    """Raise AssertionError listing every way the release package breaks OCDS 1.1.5."""
    errors = _schema_errors("release-package-schema.json", document)
    releases = _list(document.get("releases"))
    parties: dict[Any, set] = {}  # a delta release may name a party another release published
    for release in releases:
        if isinstance(release, dict):
            parties.setdefault(release.get("ocid"), set()).update(_party_ids(release))
    for index, release in enumerate(releases):
        if isinstance(release, dict):
            errors += _release_errors(f"$.releases[{index}]", release, parties[release.get("ocid")])
    _raise(errors, "release package")


def validate_record_package(document: dict) -> None:
    """Raise AssertionError listing every way the record package breaks OCDS 1.1.5."""
    errors = _schema_errors("record-package-schema.json", document)
    for index, record in enumerate(_list(document.get("records"))):
        if not isinstance(record, dict):
            continue
        releases = [release for release in _list(record.get("releases")) if isinstance(release, dict)]
        parties = {party for release in releases for party in _party_ids(release)}
        for number, release in enumerate(releases):
            errors += _release_errors(f"$.records[{index}].releases[{number}]", release, parties)
            if release.get("ocid") != record.get("ocid"):
                errors.append(f"$.records[{index}].releases[{number}].ocid: not the record's ocid")
        compiled = record.get("compiledRelease")
        if isinstance(compiled, dict):
            where = f"$.records[{index}].compiledRelease"
            errors += _release_errors(where, compiled, _party_ids(compiled))
        dates = [release.get("date") for release in releases]
        if all(isinstance(d, str) and _RFC3339.match(d) for d in dates):
            moments = [datetime.fromisoformat(d) for d in dates]
            if moments != sorted(moments):
                errors.append(f"$.records[{index}].releases: not in date order, oldest first")
    _raise(errors, "record package")


# Internals --------------------------------------------------------------------------------


@cache
def _load(folder: str, name: str) -> dict:
    with open(Path(folder) / name, encoding="utf-8") as file:
        return json.load(file)


@cache
def _validator(folder: str, name: str) -> Draft4Validator:
    # Each schema declares its URL as its draft-4 `id`; the registry answers those URLs locally.
    resources = [
        Resource.from_contents(_load(folder, n)) for n in SCHEMA_FILES if (Path(folder) / n).is_file()
    ]
    registry = Registry().with_resources((resource.id(), resource) for resource in resources)
    return Draft4Validator(_load(folder, name), registry=registry, format_checker=_format_checker())


def _format_checker() -> FormatChecker:
    # Our own checks, so that no optional format package is needed (jsonschema skips unknown ones).
    checker = FormatChecker(formats=())

    @checker.checks("date-time", raises=ValueError)
    def is_date_time(instance: Any) -> bool:
        if not isinstance(instance, str):
            return True
        return bool(_RFC3339.match(instance)) and datetime.fromisoformat(instance) is not None

    @checker.checks("uri")
    def is_uri(instance: Any) -> bool:
        return not isinstance(instance, str) or bool(_URI.match(instance))

    return checker


def _schema_errors(name: str, document: Any) -> list[str]:
    validator = _validator(str(require_schema()), name)
    errors = sorted(validator.iter_errors(document), key=lambda error: tuple(map(str, error.absolute_path)))
    return [line for error in errors for line in _describe(error)]


def _describe(error: ValidationError) -> list[str]:
    if error.context:
        # oneOf/anyOf: the alternative that got deepest into the document is the one meant
        # (for a record's releases: embedded releases rather than linked ones).
        branches: dict[Any, list[ValidationError]] = {}
        for sub in error.context:
            branches.setdefault(sub.relative_schema_path[0], []).append(sub)
        meant = max(branches.values(), key=lambda subs: max(len(sub.absolute_path) for sub in subs))
        return [line for sub in meant for line in _describe(sub)]
    message = error.message if len(error.message) <= 300 else error.message[:300] + "…"
    return [f"{error.json_path}: {message}"]


def _raise(errors: list[str], what: str) -> None:
    if errors:
        raise AssertionError(f"invalid OCDS 1.1.5 {what}, {len(errors)} error(s):\n" + "\n".join(errors))


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _release_errors(where: str, release: dict, party_ids: set) -> list[str]:
    return _codelist_errors(where, release) + _party_reference_errors(where, release, party_ids)


def _party_ids(release: dict) -> set:
    return {party.get("id") for party in _list(release.get("parties")) if isinstance(party, dict)}


def _codelist_errors(where: str, release: dict) -> list[str]:
    folder = str(require_schema())
    errors = []
    for path, codelist in _open_codelist_fields(folder).items():
        allowed = _codes(folder, codelist)
        for location, value in _values_at(release, path, where):
            for code in value if isinstance(value, list) else [value]:
                if isinstance(code, str) and code not in allowed:
                    errors.append(f"{location}: {code!r} is not in the codelist {codelist}")
    return errors


def _party_reference_errors(where: str, release: dict, party_ids: set) -> list[str]:
    errors = []
    for path in ORGANIZATION_REFERENCES:
        for location, reference in _values_at(release, path, where):
            for number, organization in enumerate(reference if isinstance(reference, list) else [reference]):
                if not isinstance(organization, dict):
                    continue
                spot = f"{location}[{number}]" if isinstance(reference, list) else location
                if organization.get("id") not in party_ids:
                    errors.append(f"{spot}.id: {organization.get('id')!r} names no party of the process")
    return errors


def _values_at(node: Any, path: tuple[str, ...], where: str):
    """Yield (location, value) for each value at ``path``, stepping into arrays of objects."""
    if not path:
        yield where, node
        return
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from _values_at(item, path, f"{where}[{index}]")
    elif isinstance(node, dict) and node.get(path[0]) is not None:
        yield from _values_at(node[path[0]], path[1:], f"{where}.{path[0]}")


@cache
def _open_codelist_fields(folder: str) -> dict[tuple[str, ...], str]:
    """Paths (without array indexes) of the release fields drawing on an open codelist."""
    schema = _load(folder, "release-schema.json")
    definitions = schema["definitions"]
    found: dict[tuple[str, ...], str] = {}

    def resolve(node: dict) -> dict:
        while "$ref" in node:
            node = {
                **definitions[node["$ref"].rsplit("/", 1)[-1]],
                **{k: v for k, v in node.items() if k != "$ref"},
            }
        return node

    def walk(properties: dict, path: tuple[str, ...]) -> None:
        for key, field in properties.items():
            field = resolve(field)
            codelist = field.get("codelist")
            if codelist and field.get("openCodelist") and codelist not in UNCHECKED_OPEN_CODELISTS:
                found[(*path, key)] = codelist
            if "properties" in field:
                walk(field["properties"], (*path, key))
            items = resolve(field.get("items", {}))
            if "properties" in items:
                walk(items["properties"], (*path, key))

    walk(schema["properties"], ())
    return found


@cache
def _codes(folder: str, codelist: str) -> frozenset[str]:
    with open(Path(folder) / "codelists" / codelist, encoding="utf-8", newline="") as file:
        return frozenset(row["Code"] for row in csv.DictReader(file))
