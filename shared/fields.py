"""The one validation layer for scalar inputs: the marshmallow fields every service's RPC schemas use.

Each service checks its own inputs (a caller may be the gateway, another service or an operator's
script), so the rules live here, once, and every input field of every ``schemas.py`` is one of these:

* ``Title`` — one line of text: names, titles, places, categories, codes and enumerated choices;
  ``Text`` — prose, where a line break (``\\n``) and a tab may appear (``\\r\\n`` is read as ``\\n``);
  ``Id`` — a record's identifier. All of them are stripped, bounded in length, and refuse NUL and
  every other control character, unpaired surrogates (which no UTF-8 text can hold), and — where a
  value is required — a value that is only white space.
* ``Money`` — CNY as a string of ASCII digits with at most two decimals ("12800.00", "800.5",
  "50000"), no sign, no exponent, within the money columns' ``Numeric(14, 2)``; ``Percent`` alike,
  up to 100. A JSON number is refused: a float is not exact.
* ``AwareDateTime`` — an ISO 8601 instant written in ASCII with its UTC offset, between
  2000-01-01 and 2100-01-01 UTC (so that converting it to UTC can never overflow); ``Date`` — an
  ISO 8601 calendar date in the same years; ``Time`` — a time of day, ``HH:MM`` or ``HH:MM:SS``.
* ``Int``, ``Float``, ``Bool`` — JSON's own numbers and booleans only: no numeric strings, no
  booleans as numbers, no truncated fractions, no NaN or infinity; an integer fits PostgreSQL's
  ``integer``.

Errors are marshmallow's ``ValidationError``; ``shared.validation.load`` turns them into the one
``InvalidInput`` naming each field. No message quotes the value it refuses: a refused value may be
one that cannot be encoded at all.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
import re
import unicodedata
from typing import Any

from marshmallow import ValidationError, fields, validate

# Money columns are Numeric(14, 2): twelve digits before the point, two after.
MONEY_MAX = decimal.Decimal("999999999999.99")
PERCENT_MAX = decimal.Decimal("100")

# Instants and dates a community's business can plausibly name.
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
LATEST = dt.datetime(2100, 1, 1, tzinfo=dt.timezone.utc)
EARLIEST_DATE, LATEST_DATE = EARLIEST.date(), LATEST.date()
LONGEST_OFFSET = dt.timedelta(hours=14)  # UTC-12:00 to UTC+14:00 are the offsets in use

# PostgreSQL's integer.
INT_MIN, INT_MAX = -(2**31), 2**31 - 1

# Ceilings for text without a tighter limit of its own.
ID_MAX = 100
TITLE_MAX = 2000
TEXT_MAX = 100_000


# Text ------------------------------------------------------------------------------------------

# C0 controls, DEL, C1 controls and the surrogate block. Tab and line feed are allowed in prose.
_FORBIDDEN_IN_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_FORBIDDEN_IN_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def _describe(char: str, position: int) -> str:
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        return f"must not contain an unpaired surrogate (U+{code:04X} at position {position})"
    if char in "\n\r\t":
        return f"must be a single line: no line breaks or tabs (U+{code:04X} at position {position})"
    return f"must not contain control characters (U+{code:04X} at position {position})"


def _is_blank(value: str) -> bool:
    """Nothing a reader would see: white space and invisible format characters (U+200B and the like)."""
    return all(ch.isspace() or unicodedata.category(ch) == "Cf" for ch in value)


class Title(fields.String):
    """One line of text, stripped; no control characters; not blank where a value is required.

    ``allow_blank`` defaults to "not required, and no length validator asks for at least one
    character"; ``max_length`` is a ceiling kept even where ``validate`` sets none.
    """

    multiline = False
    default_max_length = TITLE_MAX

    default_error_messages = {
        "invalid": "Not a valid string.",
        "blank": "must not be blank",
        "too_long": "longer than the maximum of {max} characters",
    }

    def __init__(self, *, allow_blank: bool | None = None, max_length: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.allow_blank = allow_blank
        self.max_length = max_length if max_length is not None else self.default_max_length

    def _blank_allowed(self) -> bool:
        if self.allow_blank is not None:
            return self.allow_blank
        wants_some = any(
            isinstance(v, validate.Length) and (v.min or 0) >= 1 or isinstance(v, validate.OneOf)
            for v in self.validators
        )
        return not self.required and not wants_some

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        if not isinstance(value, str):
            raise self.make_error("invalid")
        if len(value) > 4 * self.max_length:  # no scanning of a megabyte to refuse it
            raise self.make_error("too_long", max=self.max_length)
        if self.multiline:
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        forbidden = (_FORBIDDEN_IN_TEXT if self.multiline else _FORBIDDEN_IN_LINE).search(value)
        if forbidden:
            raise ValidationError(_describe(forbidden.group(), forbidden.start()))
        value = value.strip()
        if len(value) > self.max_length:
            raise self.make_error("too_long", max=self.max_length)
        if not self._blank_allowed() and _is_blank(value):
            raise self.make_error("blank")
        return value


class Text(Title):
    """Prose: like ``Title``, but a line break or a tab may appear inside it."""

    multiline = True
    default_max_length = TEXT_MAX


class Id(Title):
    """A record's identifier: one short line, never blank."""

    default_max_length = ID_MAX

    def _blank_allowed(self) -> bool:
        return False if self.allow_blank is None else self.allow_blank


# Exact decimals --------------------------------------------------------------------------------

_DECIMAL = re.compile(r"(?:0|[1-9][0-9]*)(?:\.[0-9]{1,2})?")
_SIGNED = re.compile(r"[+-][0-9]+(?:\.[0-9]*)?")
_TOO_FINE = re.compile(r"[0-9]+\.[0-9]{3,}")


def parse_amount(
    value: Any,
    maximum: decimal.Decimal | None = MONEY_MAX,
    noun: str = "an amount",
    example: str = '"12800.00"',
) -> decimal.Decimal:
    """A non-negative decimal exact to two places, written as a string of ASCII digits; raises
    ValueError saying what is wrong."""
    spelled = f"write {noun} as a string of digits with at most two decimals, as in {example}"
    if not isinstance(value, str):
        raise ValueError(spelled)
    too_large = f"{noun} of at most {maximum} is expected"
    if len(value) > 40:
        raise ValueError(too_large if value.isascii() and value.isdigit() else spelled)
    if _DECIMAL.fullmatch(value) is None:
        if _SIGNED.fullmatch(value):
            raise ValueError(f"write {noun} without a sign: it cannot be negative")
        if _TOO_FINE.fullmatch(value):
            raise ValueError(f"{noun} is exact to two decimals: no more are allowed")
        raise ValueError(spelled)
    number = decimal.Decimal(value).quantize(decimal.Decimal("0.01"))
    if maximum is not None and number > maximum:
        raise ValueError(too_large)
    return number


class Amount(fields.Field):
    """A non-negative decimal exact to two places, written as a string of ASCII digits."""

    maximum: decimal.Decimal | None = None
    example = '"12.50"'
    noun = "a number"

    def __init__(self, *, maximum: decimal.Decimal | str | None = None, **kwargs):
        super().__init__(**kwargs)
        if maximum is not None:
            self.maximum = decimal.Decimal(maximum)

    def _deserialize(self, value, attr, data, **kwargs) -> decimal.Decimal:
        try:
            return parse_amount(value, self.maximum, self.noun, self.example)
        except ValueError as error:
            raise ValidationError(str(error)) from None

    def _serialize(self, value, attr, obj, **kwargs) -> str | None:
        return None if value is None else f"{decimal.Decimal(value):.2f}"


class Money(Amount):
    """An amount in CNY, exact to the fen: "12800.00"; up to what a Numeric(14, 2) column holds."""

    maximum = MONEY_MAX
    example = '"12800.00"'
    noun = "an amount"


class Percent(Amount):
    """A percentage exact to two decimals, from 0 to 100: "33.33"."""

    maximum = PERCENT_MAX
    example = '"33.33"'
    noun = "a percentage"


# Times -----------------------------------------------------------------------------------------

_DATETIME = re.compile(
    r"(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})[Tt ]"
    r"(?P<time>[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?)"
    r"(?P<offset>[Zz]|[+-][0-9]{2}:?[0-9]{2})?"
)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TIME = re.compile(r"[0-9]{2}:[0-9]{2}(?::[0-9]{2})?")


def check_instant(
    value: dt.datetime, earliest: dt.datetime = EARLIEST, latest: dt.datetime = LATEST
) -> dt.datetime:
    """An aware datetime within [earliest, latest); raises ValueError saying what is wrong.

    The year is checked before anything converts the instant, so that no conversion overflows.
    """
    offset = value.utcoffset()
    if offset is None:
        raise ValueError(
            "needs a UTC offset, as in 2026-12-01T14:00:00+08:00: a time without one is ambiguous"
        )
    if abs(offset) > LONGEST_OFFSET:
        raise ValueError("has a UTC offset beyond ±14:00")
    if not (earliest.year - 1 <= value.year <= latest.year):
        raise ValueError(f"must lie between {earliest:%Y-%m-%d} and {latest:%Y-%m-%d} (UTC)")
    if not (earliest <= value < latest):
        raise ValueError(f"must lie between {earliest:%Y-%m-%d} and {latest:%Y-%m-%d} (UTC)")
    return value


def parse_instant(value: Any, earliest: dt.datetime = EARLIEST, latest: dt.datetime = LATEST) -> dt.datetime:
    """An ISO 8601 instant in ASCII with its offset, in range; raises ValueError saying what is wrong."""
    if isinstance(value, dt.datetime):
        return check_instant(value, earliest, latest)
    if not isinstance(value, str):
        raise ValueError("must be a date and time written as a string, as in 2026-12-01T14:00:00+08:00")
    match = _DATETIME.fullmatch(value) if len(value) <= 40 else None
    if match is None:
        raise ValueError("must be an ISO 8601 date and time with its offset, as in 2026-12-01T14:00:00+08:00")
    if match.group("offset") is None:
        raise ValueError(
            "needs a UTC offset, as in 2026-12-01T14:00:00+08:00: a time without one is ambiguous"
        )
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError("is not a real date and time") from None
    return check_instant(parsed, earliest, latest)


def parse_date(value: Any, earliest: dt.date = EARLIEST_DATE, latest: dt.date = LATEST_DATE) -> dt.date:
    """An ISO 8601 calendar date (YYYY-MM-DD) in ASCII, in range; raises ValueError saying what is wrong."""
    if isinstance(value, dt.datetime):
        raise ValueError("must be a date without a time, as in 2027-03-31")
    if not isinstance(value, dt.date):
        if not isinstance(value, str) or len(value) != 10 or _DATE.fullmatch(value) is None:
            raise ValueError("must be a date written YYYY-MM-DD, as in 2027-03-31")
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError("is not a real date") from None
    if not (earliest <= value < latest):
        raise ValueError(f"must lie between {earliest:%Y-%m-%d} and {latest - dt.timedelta(days=1):%Y-%m-%d}")
    return value


class AwareDateTime(fields.Field):
    """An instant with its UTC offset ("2026-12-01T14:00:00+08:00"), from 2000 to 2100.

    ``future=True`` also refuses an instant that is not after the moment the input is read.
    """

    def __init__(
        self,
        *,
        earliest: dt.datetime = EARLIEST,
        latest: dt.datetime = LATEST,
        future: bool = False,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.earliest, self.latest, self.future = earliest, latest, future

    def _deserialize(self, value, attr, data, **kwargs) -> dt.datetime:
        try:
            parsed = parse_instant(value, self.earliest, self.latest)
        except ValueError as error:
            raise ValidationError(str(error)) from None
        if self.future and parsed <= dt.datetime.now(dt.timezone.utc):
            raise ValidationError("must be in the future")
        return parsed

    def _serialize(self, value, attr, obj, **kwargs) -> str | None:
        return None if value is None else value.isoformat()


class Date(fields.Field):
    """A calendar date, "2027-03-31", from 2000-01-01 to 2099-12-31."""

    def _deserialize(self, value, attr, data, **kwargs) -> dt.date:
        try:
            return parse_date(value)
        except ValueError as error:
            raise ValidationError(str(error)) from None

    def _serialize(self, value, attr, obj, **kwargs) -> str | None:
        return None if value is None else value.isoformat()


class Time(fields.Field):
    """A time of day without a date or offset: "14:00" or "14:00:00"."""

    def _deserialize(self, value, attr, data, **kwargs) -> dt.time:
        if isinstance(value, dt.time):
            if value.tzinfo is not None:
                raise ValidationError("must be a time of day without an offset, as in 14:00")
            return value
        if not isinstance(value, str) or _TIME.fullmatch(value) is None:
            raise ValidationError("must be a time of day written HH:MM, as in 14:00")
        try:
            return dt.time.fromisoformat(value)
        except ValueError:
            raise ValidationError("is not a real time of day") from None

    def _serialize(self, value, attr, obj, **kwargs) -> str | None:
        return None if value is None else value.isoformat(timespec="minutes")


# Numbers and truth values ----------------------------------------------------------------------


class Int(fields.Field):
    """A JSON integer: not a numeric string, not a float (even 2.0), not a boolean; fits an ``integer``."""

    def __init__(self, *, minimum: int = INT_MIN, maximum: int = INT_MAX, **kwargs):
        super().__init__(**kwargs)
        self.minimum, self.maximum = minimum, maximum

    def _deserialize(self, value, attr, data, **kwargs) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError("must be a whole number")
        if not self.minimum <= value <= self.maximum:
            raise ValidationError(f"must lie between {self.minimum} and {self.maximum}")
        return value

    def _serialize(self, value, attr, obj, **kwargs):
        return value


class Float(fields.Field):
    """A finite JSON number (an integer is taken as well): not a string, not a boolean."""

    def _deserialize(self, value, attr, data, **kwargs) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValidationError("must be a number")
        try:
            number = float(value)
        except OverflowError:
            raise ValidationError("must be a finite number") from None
        if not math.isfinite(number):
            raise ValidationError("must be a finite number")
        return number

    def _serialize(self, value, attr, obj, **kwargs):
        return value


class Bool(fields.Field):
    """``true`` or ``false``, nothing that merely looks like one ("yes", 1, "true")."""

    def _deserialize(self, value, attr, data, **kwargs) -> bool:
        if not isinstance(value, bool):
            raise ValidationError("must be true or false")
        return value

    def _serialize(self, value, attr, obj, **kwargs):
        return value
