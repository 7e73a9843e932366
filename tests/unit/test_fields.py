"""The shared input fields refuse the worst values of each kind, naming the field, and take the
good ones exactly; every input field of every service is one of them."""

from __future__ import annotations

import importlib
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

import pytest
from marshmallow import Schema, fields, validate

from shared import fields as checked
from shared.errors import InvalidInput
from shared.validation import load


class Everything(Schema):
    amount = checked.Money(load_default=None)
    share = checked.Percent(load_default=None)
    at = checked.AwareDateTime(load_default=None)
    on = checked.Date(load_default=None)
    clock = checked.Time(load_default=None)
    count = checked.Int(load_default=None, validate=validate.Range(min=0, max=10))
    metres = checked.Float(load_default=None)
    flag = checked.Bool(load_default=None)
    title = checked.Title(load_default=None, validate=validate.Length(min=1, max=20))
    text = checked.Text(load_default="", validate=validate.Length(max=50))
    record_id = checked.Id(load_default=None)
    names = fields.List(checked.Title(validate=validate.Length(min=1, max=20)), load_default=list)


class Strict(Schema):
    """A field of each kind, required: null is refused as such."""

    amount = checked.Money(required=True)
    share = checked.Percent(required=True)
    at = checked.AwareDateTime(required=True)
    on = checked.Date(required=True)
    clock = checked.Time(required=True)
    count = checked.Int(required=True)
    metres = checked.Float(required=True)
    flag = checked.Bool(required=True)
    title = checked.Title(required=True)
    text = checked.Text(required=True)
    record_id = checked.Id(required=True)


class Required(Schema):
    title = checked.Title(required=True)
    reason = checked.Text(required=True, validate=validate.Length(max=2000))
    note = checked.Text(load_default="", validate=validate.Length(max=2000))


def refused(field: str, value, schema=Everything) -> str:
    """The message of the one error that ``value`` in ``field`` earns; the error names the field."""
    with pytest.raises(InvalidInput) as raised:
        load(schema, {field: value})
    errors = raised.value.errors
    assert [e["field"] for e in errors] == [field], errors
    assert errors[0]["code"] == "invalid"
    return errors[0]["message"]


def taken(field: str, value, schema=Everything):
    return load(schema, {field: value})[field]


# What every scalar field refuses: values of the wrong JSON type.
WRONG_TYPES = [True, False, [], ["1"], {}, {"a": 1}]


def test_null_and_missing_are_refused_for_each_required_field_by_name():
    names = sorted(Strict().fields)
    with pytest.raises(InvalidInput) as raised:
        load(Strict, dict.fromkeys(names))
    assert sorted((e["field"], e["message"]) for e in raised.value.errors) == [
        (name, "Field may not be null.") for name in names
    ]
    with pytest.raises(InvalidInput) as raised:
        load(Strict, {})
    assert sorted(e["field"] for e in raised.value.errors) == names


def test_a_value_that_is_not_an_object_is_refused_whole():
    for value in (None, [], "x", 1):
        with pytest.raises(InvalidInput) as raised:
            load(Strict, value)
        assert raised.value.errors == [
            {"field": None, "code": "invalid", "message": "input must be an object"}
        ]


# Money ------------------------------------------------------------------------------------------

BAD_MONEY = [
    "100.005",  # silently rounded before
    "1e14",
    "1E2",
    "99999999999999.99",  # more than Numeric(14, 2) holds
    "1000000000000.00",
    "1_000",
    "١٠٠",  # Arabic-Indic digits
    "１００",  # fullwidth digits
    "NaN",
    "nan",
    "sNaN",
    "Infinity",
    "-Infinity",
    "-0.01",
    "-0",
    "+1",
    " 1.00",
    "1.00 ",
    "1.0000",
    "1.",
    ".5",
    "0x10",
    "1,000.00",
    "¥100",
    "100 元",
    "",
    " ",
    "0100",
    "9" * 5000,
    "1" + "0" * 40,
    "\ud800",
    "1\x00",
    100,  # a JSON number: not exact when it is a float, so never taken
    100.5,
    1e14,
    float("nan"),
    float("inf"),
    10**30,
]


@pytest.mark.parametrize("value", BAD_MONEY + WRONG_TYPES, ids=repr)
def test_money_refuses_anything_but_digits_with_at_most_two_decimals_within_the_column(value):
    message = refused("amount", value)
    assert "amount" in message
    if isinstance(value, str):
        assert value.strip() == "" or value not in message or value.isascii() and value.isdigit()


@pytest.mark.parametrize(
    ("value", "exact"),
    [
        ("0", "0.00"),
        ("0.01", "0.01"),
        ("800.5", "800.50"),
        ("12800.00", "12800.00"),
        ("50000", "50000.00"),
        ("999999999999.99", "999999999999.99"),
    ],
)
def test_money_takes_amounts_exactly(value, exact):
    amount = taken("amount", value)
    assert isinstance(amount, Decimal) and str(amount) == exact


def test_money_says_why_for_the_common_mistakes():
    assert "two decimals" in refused("amount", "100.005")
    assert "without a sign" in refused("amount", "-0.01")
    assert "at most 999999999999.99" in refused("amount", "99999999999999.99")
    assert 'as in "12800.00"' in refused("amount", 100)


def test_a_percentage_is_money_shaped_and_at_most_100():
    assert taken("share", "33.33") == Decimal("33.33")
    assert taken("share", "100") == Decimal("100.00")
    for value in ("100.01", "1e2", "-5", "33.333", 30, "３０"):
        assert "percentage" in refused("share", value)


# Instants ---------------------------------------------------------------------------------------

BAD_INSTANTS = [
    "0001-01-01T00:00:00+08:00",  # OverflowError when converted to UTC, before
    "0001-01-01T00:00:00-08:00",
    "9999-12-31T23:59:59-08:00",
    "9999-12-31T23:59:59+08:00",
    "1970-01-01T00:00:00+00:00",  # a meeting in 1970 was scheduled
    "1999-12-31T23:59:59Z",
    "2000-01-01T07:59:59+08:00",  # 1999 in UTC
    "2100-01-01T00:00:00Z",
    "2099-12-31T23:00:00-12:00",  # 2100 in UTC
    "2026-12-01T14:00:00",  # naive
    "2026-12-01 14:00",
    "2026-12-01",
    "2026-12-01T14:00:00+24:00",
    "2026-12-01T14:00:00+15:00",
    "2026-02-30T14:00:00+08:00",
    "2026-13-01T14:00:00+08:00",
    "2026-12-01T25:00:00+08:00",
    "٢٠٢٦-١٢-٠١T14:00:00+08:00",
    "２０２６-12-01T14:00:00+08:00",
    "20261201T140000+0800",
    "2026-W49-2T14:00:00+08:00",
    "2026-12-01T14:00:00.1234567+08:00",
    " 2026-12-01T14:00:00+08:00",
    "2026-12-01T14:00:00+08:00\x00",
    "\ud800",
    "now",
    "",
    "1" * 5000,
    1764568800,  # a POSIX timestamp
    1764568800.0,
    datetime(2026, 12, 1, 14, 0),  # a naive datetime from an in-process caller
    datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=8))),
    date(2026, 12, 1),
]


@pytest.mark.parametrize("value", BAD_INSTANTS + WRONG_TYPES, ids=repr)
def test_an_instant_needs_its_offset_ascii_iso_8601_and_a_year_from_2000_to_2099(value):
    refused("at", value)


def test_an_instant_in_range_is_taken_as_given_and_converts_to_utc():
    at = taken("at", "2026-12-01T14:00:00+08:00")
    assert at == datetime(2026, 12, 1, 6, tzinfo=timezone.utc) and at.utcoffset() == timedelta(hours=8)
    assert taken("at", "2026-12-01T06:00:00Z") == at
    assert taken("at", "2026-12-01T14:00+08:00") == at
    assert taken("at", "2000-01-01T08:00:00+08:00").astimezone(timezone.utc).year == 2000
    assert taken("at", "2099-12-31T23:59:59.999999+00:00").year == 2099
    assert taken("at", "2099-12-31T11:59:59-12:00").astimezone(timezone.utc).year == 2099
    assert "between" in refused("at", "2099-12-31T12:00:00-12:00")  # 2100-01-01T00:00Z: the end is out
    assert "needs a UTC offset" in refused("at", "2026-12-01T14:00:00")
    assert "between 2000-01-01 and 2100-01-01" in refused("at", "0001-01-01T00:00:00+08:00")


def test_future_instants_are_refused_when_past():
    class Deadline(Schema):
        due = checked.AwareDateTime(required=True, future=True)

    soon = datetime.now(timezone.utc) + timedelta(minutes=5)
    assert load(Deadline, {"due": soon.isoformat()})["due"] == soon
    assert refused("due", (soon - timedelta(hours=1)).isoformat(), Deadline) == "must be in the future"


# Dates and times of day -------------------------------------------------------------------------

BAD_DATES = [
    "0001-01-01",
    "1970-01-01",
    "1999-12-31",
    "2100-01-01",
    "9999-12-31",
    "2027-02-29",
    "2027-13-01",
    "20270331",
    "2027-W13-3",
    "2027-090",
    "2027-3-31",
    "٢٠٢٧-٠٣-٣١",
    "２０２７-03-31",
    "2027-03-31T00:00:00+08:00",
    " 2027-03-31",
    "2027-03-31\x00",
    "\ud800",
    "",
    20270331,
    datetime(2027, 3, 31, tzinfo=timezone.utc),
]


@pytest.mark.parametrize("value", BAD_DATES + WRONG_TYPES, ids=repr)
def test_a_date_is_yyyy_mm_dd_in_ascii_from_2000_to_2099(value):
    refused("on", value)


def test_a_date_in_range_is_taken():
    assert taken("on", "2027-03-31") == date(2027, 3, 31)
    assert taken("on", "2000-01-01") == date(2000, 1, 1)
    assert taken("on", "2099-12-31") == date(2099, 12, 31)


@pytest.mark.parametrize(
    "value", ["24:00", "14:60", "14", "1400", "14:00+08:00", "１４:００", "14:00:00.5", " 14:00", 14, 14.0]
)
def test_a_time_of_day_is_hh_mm(value):
    refused("clock", value)


def test_a_time_of_day_is_taken():
    assert taken("clock", "00:00") == time(0, 0)
    assert taken("clock", "23:59:59") == time(23, 59, 59)


# Numbers and truth values -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [True, False, 1.0, 1.5, "1", "١", "1_0", " 1", "0x1", float("nan"), 2**31, -(2**31) - 1, *WRONG_TYPES],
)
def test_an_integer_is_a_json_integer_that_fits_an_integer_column(value):
    refused("count", value)


def test_an_integer_keeps_its_range():
    assert taken("count", 3) == 3
    assert "less than or equal to 10" in refused("count", 11)


@pytest.mark.parametrize(
    "value", [True, "1.5", "1e3", float("nan"), float("inf"), float("-inf"), 10**400, *WRONG_TYPES]
)
def test_a_float_is_a_finite_json_number(value):
    refused("metres", value)


def test_a_float_is_taken():
    assert taken("metres", 250) == 250.0 and taken("metres", -12.5) == -12.5


@pytest.mark.parametrize("value", ["true", "false", "yes", "on", "1", 1, 0, 1.0, None, [], {}])
def test_a_boolean_is_true_or_false_only(value):
    if value is None:
        assert taken("flag", value) is None  # load_default=None lets null through, as declared
        return
    refused("flag", value)


# Strings ----------------------------------------------------------------------------------------

BAD_LINES = [
    "a\x00b",  # a NUL byte was stored
    "\x00",
    "a\x01",
    "a\x1b[31mred",
    "a\x7f",
    "a\x85",  # C1: next line
    "a\x9b",
    "a\ud800",  # a lone surrogate answered internal_error
    "\udfff",
    "\ud83d",
    "one\ntwo",
    "one\rtwo",
    "one\ttwo",
    "",
    " ",
    "   ",
    "\t",
    "\n",
    "\u3000",  # ideographic space
    "\u200b",  # zero-width space
    "\ufeff",
    "\u00a0\u2003",
    "x" * 21,  # longer than the field's own limit
    "x" * 100_000,
    1,
    1.5,
]


@pytest.mark.parametrize("value", BAD_LINES + WRONG_TYPES, ids=repr)
def test_a_title_refuses_controls_surrogates_breaks_blanks_and_excess(value):
    message = refused("title", value)
    if isinstance(value, str):
        assert all(ch not in message for ch in value if not ch.isprintable() or ch.isspace() and ch != " ")


def test_a_title_is_stripped_and_keeps_what_is_between():
    assert taken("title", "  共治  ") == "共治"
    assert taken("title", "\u3000Lakeside 花园\u3000") == "Lakeside 花园"
    assert taken("title", "😀 emoji") == "😀 emoji"  # a surrogate pair in JSON is one character
    assert taken("title", "x" * 20) == "x" * 20
    assert "blank" in refused("title", "   ")
    assert "U+0000 at position 1" in refused("title", "a\x00b")
    assert "unpaired surrogate" in refused("title", "a\ud800")
    assert "single line" in refused("title", "one\ntwo")


@pytest.mark.parametrize("value", ["a\x00", "a\x0b", "a\x0c", "a\x1f", "a\x7f", "a\ud800", "x" * 51, 5, True])
def test_prose_refuses_controls_but_line_breaks_and_tabs(value):
    refused("text", value)


def test_prose_keeps_line_breaks_and_tabs_and_reads_crlf_as_lf():
    assert taken("text", "  one\r\ntwo\rthree\tfour  \n") == "one\ntwo\nthree\tfour"
    assert taken("text", "   ") == ""  # not required: blank is empty


@pytest.mark.parametrize("field", ["title", "reason"])
@pytest.mark.parametrize("value", ["", " ", "\u3000 \u00a0", "\u200b", "\ufeff"])
def test_a_required_string_is_never_blank(field, value):
    data = {"title": "x", "reason": "y", field: value}
    with pytest.raises(InvalidInput) as raised:
        load(Required, data)
    assert [(e["field"], e["message"]) for e in raised.value.errors] == [(field, "must not be blank")]


def test_an_optional_string_may_be_empty():
    assert load(Required, {"title": "x", "reason": "y", "note": "  "})["note"] == ""
    with pytest.raises(InvalidInput) as raised:
        load(Required, {"title": "x", "reason": "\n\t \r\n"})
    assert raised.value.errors[0]["message"] == "must not be blank"


@pytest.mark.parametrize("value", ["", " ", "a\x00", "\ud800", "x" * 101, 7])
def test_an_id_is_a_short_non_blank_line(value):
    refused("record_id", value)


def test_errors_inside_lists_name_the_item():
    with pytest.raises(InvalidInput) as raised:
        load(Everything, {"names": ["ok", "bad\x00", "  "]})
    assert sorted(e["field"] for e in raised.value.errors) == ["names.1", "names.2"]


def test_every_error_is_reported_at_once_each_naming_its_field():
    with pytest.raises(InvalidInput) as raised:
        load(Everything, {"amount": "1e14", "at": "1970-01-01T00:00:00Z", "title": "\x00", "flag": "yes"})
    assert sorted(e["field"] for e in raised.value.errors) == ["amount", "at", "flag", "title"]


# Every service uses them -----------------------------------------------------------------------

SERVICES = ("meetings", "matching", "volunteers", "contracts")
# Containers hold shared fields; a score's value is left Raw for the domain (check_evaluation).
CONTAINERS = (fields.List, fields.Dict, fields.Nested, fields.Raw)


def _scalars(field, path):
    if isinstance(field, fields.List):
        yield from _scalars(field.inner, f"{path}[]")
    elif isinstance(field, fields.Dict):
        if field.key_field is not None:
            yield from _scalars(field.key_field, f"{path}{{key}}")
        if field.value_field is not None:
            yield from _scalars(field.value_field, f"{path}{{value}}")
    elif isinstance(field, fields.Nested):
        for name, inner in field.schema.fields.items():
            yield from _scalars(inner, f"{path}.{name}")
    else:
        yield path, field


@pytest.mark.parametrize("service", SERVICES)
def test_every_input_field_of_every_service_is_a_shared_field(service):
    """Input schemas are the ones that are not outputs ("...Out"); outputs only dump."""
    schemas = importlib.import_module(f"services.{service}.schemas")
    inputs = [
        cls
        for name, cls in vars(schemas).items()
        if isinstance(cls, type) and issubclass(cls, Schema) and cls.__module__ == schemas.__name__
        if not name.endswith("Out")
    ]
    assert inputs
    plain = [
        f"{cls.__name__}.{path}: {type(field).__name__}"
        for cls in inputs
        for name, declared in cls().fields.items()
        for path, field in _scalars(declared, name)
        if type(field).__module__ != checked.__name__ and type(field) not in CONTAINERS
    ]
    assert plain == []


def test_a_key_the_caller_made_up_is_named_escaped_so_that_any_answer_can_carry_it():
    class Notes(Schema):
        notes = fields.Dict(keys=checked.Id(), values=checked.Text())

    with pytest.raises(InvalidInput) as raised:
        load(Notes, {"notes": {"a\ud800": "x", "ok": "\x00"}, "\x00extra": 1})
    named = {e["field"] for e in raised.value.errors}
    assert named == {"notes.a\\ud800.key", "notes.ok.value", "\\x00extra"}
    assert all(field.isprintable() and field.isascii() for field in named)
