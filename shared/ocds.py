"""Open Contracting Data Standard 1.1.5: releases, the merge routine, release and record packages.

Pure data in, pure data out: every function returns plain JSON-ready dicts (str, int, float,
bool, None, list, dict), so a release can go into a JSON column or over RPC as it is.

The merge routine follows https://standard.open-contracting.org/1.1/en/schema/merging/ for a
compiled release. Its rules come from the release schema's ``omitWhenMerged`` and
``wholeListMerge`` keywords and its array item types; the schema is not shipped with the
code, so the few paths they name in 1.1.5 are written out below (a unit test re-derives them
from the schema, when the team's copy is present, so that they cannot drift).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterable
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

OCDS_VERSION = "1.1"
CURRENCY = "CNY"

# Closed codelists that a release's own metadata must use (releaseTag.csv, initiationType.csv).
# "compiled" is left out: only compile_release() may set it.
RELEASE_TAGS = frozenset(
    {
        "planning",
        "planningUpdate",
        "tender",
        "tenderAmendment",
        "tenderUpdate",
        "tenderCancellation",
        "award",
        "awardUpdate",
        "awardCancellation",
        "contract",
        "contractUpdate",
        "contractAmendment",
        "implementation",
        "implementationUpdate",
        "contractTermination",
    }
)
INITIATION_TYPES = frozenset({"tender"})
# The top-level fields of a 1.1.5 release other than its metadata (ocid, id, date, tag, initiationType).
RELEASE_SECTIONS = frozenset(
    {"parties", "buyer", "planning", "tender", "awards", "contracts", "language", "relatedProcesses"}
)

# Merge rules of release-schema.json 1.1.5, as paths without array indexes.
# "omitWhenMerged": metadata of one release, replaced by the compiled release's own.
OMIT_WHEN_MERGED = frozenset({("id",), ("date",), ("tag",)})


def _paths(owners: Iterable[tuple[str, ...]], field: str) -> set[tuple[str, ...]]:
    return {(*owner, field) for owner in owners}


_ORGANIZATION_REFERENCES = (
    ("parties",),
    ("buyer",),
    ("tender", "procuringEntity"),
    ("tender", "tenderers"),
    ("awards", "suppliers"),
    ("contracts", "implementation", "transactions", "payer"),
    ("contracts", "implementation", "transactions", "payee"),
)
_ITEMS = (("tender", "items"), ("awards", "items"), ("contracts", "items"))
_AMENDMENTS = tuple(
    (section, field) for section in ("tender", "awards", "contracts") for field in ("amendments", "amendment")
)
# Arrays replaced as a whole: "wholeListMerge": true, arrays of strings, and arrays of objects
# whose items have no `id` (Amendment.changes). Listed so that an empty array also replaces.
WHOLE_LIST_MERGE = frozenset(
    _paths(_ORGANIZATION_REFERENCES, "additionalIdentifiers")
    | _paths(_ITEMS, "additionalClassifications")
    | _paths(_AMENDMENTS, "changes")
    | {
        ("parties", "roles"),
        ("tender", "additionalProcurementCategories"),
        ("tender", "submissionMethod"),
        ("contracts", "relatedProcesses", "relationship"),
        ("relatedProcesses", "relationship"),
    }
)
_DOCUMENTS_AND_MILESTONES = (
    ("planning",),
    ("tender",),
    ("awards",),
    ("contracts",),
    ("contracts", "implementation"),
)
# Arrays of objects merged by their `id` (identifier merge).
IDENTIFIER_MERGE = frozenset(
    {("parties",), ("awards",), ("contracts",), ("relatedProcesses",)}
    | {(*section, "documents") for section in _DOCUMENTS_AND_MILESTONES}
    | {
        (*owner, "milestones")
        for owner in (("planning",), ("tender",), ("contracts",), ("contracts", "implementation"))
    }
    | {
        (*owner, "milestones", "documents")
        for owner in (("planning",), ("tender",), ("contracts",), ("contracts", "implementation"))
    }
    | set(_ITEMS)
    | {
        ("tender", "tenderers"),
        ("tender", "amendments"),
        ("awards", "suppliers"),
        ("awards", "amendments"),
        ("contracts", "amendments"),
        ("contracts", "implementation", "transactions"),
        ("contracts", "relatedProcesses"),
    }
)

_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
# A float prints back the same digits for up to 15 significant ones (IEEE 754 double).
_EXACT_FLOAT_DIGITS = 15


# Values -----------------------------------------------------------------------------------


def timestamp(moment: datetime) -> str:
    """An RFC 3339 date-time in UTC to the second, e.g. "2026-11-27T06:47:04Z".

    One fixed shape keeps OCDS dates comparable as strings, as many consumers compare them.
    Releases within the same second keep the order they are given in (every sort is stable).
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"an OCDS date needs a timezone: {moment!r}")
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def money(amount: Decimal | int, currency: str = CURRENCY) -> dict:
    """An OCDS Value. The amount is a JSON number whose printed digits are exactly the Decimal's.

    Releases live in JSON columns and travel over RPC, whose encoders know no Decimal, so the
    amount is an int when whole and otherwise a float: a float prints back the very digits it
    was made from when there are at most 15 of them (any NUMERIC(14, 2) fits), and more are refused.
    """
    if isinstance(amount, bool) or not isinstance(amount, Decimal | int):
        raise TypeError(f"an amount must be a Decimal or an int, not {type(amount).__name__}")
    amount = Decimal(amount)
    if not amount.is_finite():
        raise ValueError(f"an amount must be finite: {amount}")
    if amount == amount.to_integral_value():
        return {"amount": int(amount), "currency": currency}
    if len(amount.normalize().as_tuple().digits) > _EXACT_FLOAT_DIGITS:
        raise ValueError(f"{amount} has more significant digits than a JSON number keeps exactly")
    return {"amount": float(amount), "currency": currency}


def dumps(document: Any, *, indent: int | None = None) -> str:
    """JSON text for an OCDS document, rendering any Decimal as the exact number it holds.

    Non-ASCII text (Chinese names) is written as is; NaN and infinities are refused.
    """
    return _encode(document, indent, 0)


def _encode(value: Any, indent: int | None, level: int) -> str:
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"JSON has no number for {value}")
        return format(value, "f")  # positional notation, every digit kept
    if value is None or isinstance(value, str | int | float):  # bool is an int
        return json.dumps(value, ensure_ascii=False, allow_nan=False)
    if isinstance(value, dict):
        for key in value:
            if not isinstance(key, str):
                raise TypeError(f"JSON object keys are strings, not {type(key).__name__}: {key!r}")
        colon = ":" if indent is None else ": "
        parts = [
            _encode(key, indent, 0) + colon + _encode(item, indent, level + 1) for key, item in value.items()
        ]
        return _wrap("{", parts, "}", indent, level)
    if isinstance(value, list | tuple):
        return _wrap("[", [_encode(item, indent, level + 1) for item in value], "]", indent, level)
    raise TypeError(f"{type(value).__name__} is not JSON: {value!r}")


def _wrap(opening: str, parts: list[str], closing: str, indent: int | None, level: int) -> str:
    if not parts:
        return opening + closing
    if indent is None:
        return opening + ",".join(parts) + closing
    inner = "\n" + " " * (indent * (level + 1))
    return opening + inner + ("," + inner).join(parts) + "\n" + " " * (indent * level) + closing


# Releases ---------------------------------------------------------------------------------


def new_release(
    ocid: str,
    *,
    seq: int | str,
    date: datetime,
    tag: list[str],
    initiation_type: str = "tender",
    **sections: Any,
) -> dict:
    """One release of a contracting process: its id is "{ocid}-{seq}", unique within the ocid.

    ``sections`` are the release's top-level fields (parties, buyer, planning, tender, awards,
    contracts, language, relatedProcesses). A section set to None is kept as null, which
    removes that field from the compiled release.
    """
    release_id = f"{ocid}-{seq}"
    if "#" in release_id:
        raise ValueError(f"a release id must not contain '#': {release_id!r}")
    if not tag or not set(tag) <= RELEASE_TAGS:
        raise ValueError(f"release tags must be some of {sorted(RELEASE_TAGS)}: {tag!r}")
    if initiation_type not in INITIATION_TYPES:
        raise ValueError(f"initiationType must be one of {sorted(INITIATION_TYPES)}: {initiation_type!r}")
    unknown = set(sections) - RELEASE_SECTIONS
    if unknown:
        raise TypeError(f"not a section of an OCDS 1.1.5 release: {sorted(unknown)}")
    return {
        "ocid": ocid,
        "id": release_id,
        "date": timestamp(date),
        "tag": list(tag),
        "initiationType": initiation_type,
        **sections,
    }


def _release_moment(release: dict) -> datetime:
    date = release.get("date")
    if not isinstance(date, str) or not _RFC3339.match(date):
        raise ValueError(f"release {release.get('id')!r} has no RFC 3339 date: {date!r}")
    # Compared as instants, not strings: "…04.5Z" sorts before "…04Z" as text.
    return datetime.fromisoformat(date)


def _by_date(releases: list[dict]) -> list[dict]:
    return sorted(releases, key=_release_moment)


def compile_release(releases: list[dict]) -> dict:
    """The current state of one contracting process: its releases merged oldest first.

    Objects merge field by field; a null removes the field; arrays of objects with an `id`
    merge object by object on that `id` (objects without one are appended, as in the reference
    implementation); every other array replaces the one before. The compiled release's own
    metadata is tag ["compiled"], the latest release's date, and id "{ocid}-{date}".
    """
    if not releases:
        raise ValueError("a compiled release needs at least one release")
    ocids = {release.get("ocid") for release in releases}
    if len(ocids) != 1:
        raise ValueError(f"releases of one contracting process share one ocid, not {sorted(map(str, ocids))}")
    (ocid,) = ocids
    ordered = _by_date(releases)
    merged: dict = {}
    for release in ordered:
        _merge_object((), merged, release)
    date = ordered[-1]["date"]
    compiled = {"ocid": ocid, "id": f"{ocid}-{date}", "date": date, "tag": ["compiled"]}
    compiled.update((key, value) for key, value in merged.items() if key != "ocid")
    return compiled


def _merge_object(path: tuple[str, ...], output: dict, incoming: dict) -> dict:
    """Merge ``incoming`` into ``output`` (which the merge owns) and return it."""
    for key, value in incoming.items():
        if (*path, key) in OMIT_WHEN_MERGED:
            continue
        if value is None:
            output.pop(key, None)
        else:
            output[key] = _merge_value((*path, key), output.get(key), value)
    return output


def _merge_value(path: tuple[str, ...], current: Any, incoming: Any) -> Any:
    if isinstance(incoming, dict):
        return _merge_object(path, current if isinstance(current, dict) else {}, incoming)
    if isinstance(incoming, list):
        return _merge_array(path, current, incoming)
    return incoming


def _merge_array(path: tuple[str, ...], current: Any, incoming: list) -> list:
    literal = (
        path in WHOLE_LIST_MERGE
        or any(not isinstance(item, dict) for item in incoming)
        # An array the schema doesn't know, none of whose objects has an id: nothing to merge on.
        or (path not in IDENTIFIER_MERGE and not any(item.get("id") is not None for item in incoming))
    )
    if literal:
        return copy.deepcopy(incoming)
    output = current if isinstance(current, list) else []
    for item in incoming:
        identifier = item.get("id")
        match = None
        if identifier is not None:
            match = next(
                (o for o in output if isinstance(o, dict) and o.get("id") == identifier),
                None,
            )
        if match is None:
            output.append(_merge_object(path, {}, item))
        else:
            _merge_object(path, match, item)
    return output


# Packages ---------------------------------------------------------------------------------


def _package_metadata(
    uri: str,
    published_date: datetime,
    publisher_name: str,
    license: str | None,
    publication_policy: str | None,
) -> dict:
    package = {
        "uri": uri,
        "version": OCDS_VERSION,
        "publishedDate": timestamp(published_date),
        "publisher": {"name": publisher_name},
    }
    if license is not None:
        package["license"] = license
    if publication_policy is not None:
        package["publicationPolicy"] = publication_policy
    return package


def release_package(
    releases: list[dict],
    *,
    uri: str,
    published_date: datetime,
    publisher_name: str,
    license: str | None = None,
    publication_policy: str | None = None,
) -> dict:
    """A release package: the releases as given, with publishing metadata.

    OCDS requires at least one release in a package, so an empty list is refused.
    """
    if not releases:
        raise ValueError("an OCDS release package holds at least one release")
    package = _package_metadata(uri, published_date, publisher_name, license, publication_policy)
    package["releases"] = list(releases)
    return package


def record_package(
    releases: list[dict],
    *,
    uri: str,
    published_date: datetime,
    publisher_name: str,
    license: str | None = None,
    publication_policy: str | None = None,
    packages: list[str] | None = None,
) -> dict:
    """A record package: one record per ocid (in order of first appearance), each embedding its
    releases oldest first and their compiled release. ``packages`` lists the URIs of the release
    packages the records were built from, when there are such.
    """
    if not releases:
        raise ValueError("an OCDS record package holds at least one record")
    by_ocid: dict[str, list[dict]] = {}
    for release in releases:
        by_ocid.setdefault(release["ocid"], []).append(release)
    package = _package_metadata(uri, published_date, publisher_name, license, publication_policy)
    if packages:
        package["packages"] = list(packages)
    package["records"] = [
        {"ocid": ocid, "releases": _by_date(group), "compiledRelease": compile_release(group)}
        for ocid, group in by_ocid.items()
    ]
    return package
