"""OCDS 1.1.5 output: the merge routine, package shapes, exact amounts, and schema validity."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from shared import ocds
from tests.ocds_schema import load_schema, require_schema, validate_record_package, validate_release_package

OCID = "ocds-gz0001-P2026-0042"
BEIJING = timezone(timedelta(hours=8))
PUBLISHED = datetime(2026, 7, 1, 9, 0, tzinfo=BEIJING)
PACKAGE_URI = "https://gongzhi.example.org/ocds/releases/ocds-gz0001-P2026-0042.json"


def at(month: int, day: int, hour: int = 9) -> datetime:
    return datetime(2026, month, day, hour, 30, tzinfo=BEIJING)


def release(seq: int, date: str, **sections) -> dict:
    """A bare release for merge tests, its date given as text."""
    return {
        "ocid": OCID,
        "id": f"{OCID}-{seq}",
        "date": date,
        "tag": ["tender"],
        "initiationType": "tender",
    } | (sections)


# The merge routine ------------------------------------------------------------------------


def test_objects_in_arrays_merge_on_their_id():
    first = release(
        1,
        "2026-04-01T01:00:00Z",
        awards=[{"id": "a", "status": "pending", "value": {"amount": 100, "currency": "CNY"}}],
    )
    second = release(
        2, "2026-04-02T01:00:00Z", awards=[{"id": "b", "status": "pending"}, {"id": "a", "status": "active"}]
    )

    compiled = ocds.compile_release([first, second])

    assert compiled["awards"] == [
        {"id": "a", "status": "active", "value": {"amount": 100, "currency": "CNY"}},
        {"id": "b", "status": "pending"},
    ]


def test_an_empty_array_of_identified_objects_changes_nothing():
    first = release(1, "2026-04-01T01:00:00Z", awards=[{"id": "a", "status": "active"}])
    second = release(2, "2026-04-02T01:00:00Z", awards=[])

    assert ocds.compile_release([first, second])["awards"] == [{"id": "a", "status": "active"}]


def test_objects_without_an_id_in_an_identified_array_are_appended():
    first = release(1, "2026-04-01T01:00:00Z", parties=[{"name": "社区居委会"}])
    second = release(2, "2026-04-02T01:00:00Z", parties=[{"name": "物业公司"}])

    assert ocds.compile_release([first, second])["parties"] == [{"name": "社区居委会"}, {"name": "物业公司"}]


def test_arrays_of_strings_and_whole_list_arrays_are_replaced():
    first = release(
        1,
        "2026-04-01T01:00:00Z",
        parties=[
            {
                "id": "org-1",
                "roles": ["tenderer"],
                "additionalIdentifiers": [{"scheme": "CN-USCC", "id": "1"}, {"scheme": "X", "id": "2"}],
            }
        ],
        tender={
            "id": "t",
            "submissionMethod": ["written", "inPerson"],
            "additionalProcurementCategories": ["goods"],
        },
    )
    second = release(
        2,
        "2026-04-02T01:00:00Z",
        parties=[
            {"id": "org-1", "roles": ["supplier"], "additionalIdentifiers": [{"scheme": "Y", "id": "2"}]}
        ],
        tender={
            "id": "t",
            "submissionMethod": ["electronicSubmission"],
            "additionalProcurementCategories": [],
        },
    )

    compiled = ocds.compile_release([first, second])

    # additionalIdentifiers has ids yet is "wholeListMerge": replaced, not merged on id.
    assert compiled["parties"] == [
        {"id": "org-1", "roles": ["supplier"], "additionalIdentifiers": [{"scheme": "Y", "id": "2"}]}
    ]
    assert compiled["tender"]["submissionMethod"] == ["electronicSubmission"]
    assert compiled["tender"]["additionalProcurementCategories"] == []


def test_amendment_changes_and_unknown_arrays_without_ids_are_replaced():
    first = release(
        1,
        "2026-04-01T01:00:00Z",
        contracts=[
            {
                "id": "c",
                "awardID": "a",
                "amendments": [{"id": "m1", "changes": [{"property": "value", "former_value": 1}]}],
                "signatories": [{"name": "甲"}, {"name": "乙"}],
            }
        ],
    )
    second = release(
        2,
        "2026-04-02T01:00:00Z",
        contracts=[
            {
                "id": "c",
                "amendments": [{"id": "m1", "changes": [{"property": "period", "former_value": 2}]}],
                "signatories": [{"name": "丙"}],
            }
        ],
    )

    contract = ocds.compile_release([first, second])["contracts"][0]

    assert contract["amendments"] == [{"id": "m1", "changes": [{"property": "period", "former_value": 2}]}]
    assert contract["signatories"] == [{"name": "丙"}]
    assert contract["awardID"] == "a"


def test_null_removes_a_field_and_nulls_in_new_objects_are_dropped():
    first = release(
        1,
        "2026-04-01T01:00:00Z",
        tender={"id": "t", "title": "楼道照明改造", "description": "旧"},
        awards=[{"id": "a", "status": "pending"}],
    )
    second = release(
        2,
        "2026-04-02T01:00:00Z",
        tender={"id": "t", "description": None, "statusDetails": None},
        awards=None,
        contracts=[{"id": "c", "awardID": "a", "title": None}],
    )

    compiled = ocds.compile_release([first, second])

    assert compiled["tender"] == {"id": "t", "title": "楼道照明改造"}
    assert "awards" not in compiled
    assert compiled["contracts"] == [{"id": "c", "awardID": "a"}]


def test_releases_merge_in_date_order_whatever_order_they_are_given():
    # 09:00+08:00 is 01:00Z, so it precedes 02:00Z; a fraction sorts after the whole second.
    early = release(1, "2026-04-01T09:00:00+08:00", tender={"id": "t", "title": "first"})
    middle = release(2, "2026-04-01T02:00:00Z", tender={"id": "t", "title": "second"})
    late = release(3, "2026-04-01T02:00:00.5Z", tender={"id": "t", "title": "third"})

    compiled = ocds.compile_release([late, early, middle])

    assert compiled["tender"]["title"] == "third"
    assert compiled["date"] == "2026-04-01T02:00:00.5Z"


def test_the_compiled_release_carries_its_own_metadata():
    first = release(1, "2026-04-01T01:00:00Z", awards=[{"id": "a"}])
    second = release(2, "2026-04-02T01:00:00Z", tag=["award"])

    compiled = ocds.compile_release([second, first])

    assert list(compiled)[:5] == ["ocid", "id", "date", "tag", "initiationType"]
    assert compiled["tag"] == ["compiled"]
    assert compiled["date"] == "2026-04-02T01:00:00Z"
    assert compiled["id"] == f"{OCID}-2026-04-02T01:00:00Z"
    assert compiled["awards"] == [{"id": "a"}]  # only the release's own id is omitted


def test_merging_leaves_the_releases_untouched():
    releases = [
        release(1, "2026-04-01T01:00:00Z", awards=[{"id": "a", "value": {"amount": 1, "currency": "CNY"}}]),
        release(2, "2026-04-02T01:00:00Z", awards=[{"id": "a", "value": {"amount": 2}}]),
    ]
    before = copy.deepcopy(releases)

    compiled = ocds.compile_release(releases)
    compiled["awards"][0]["value"]["amount"] = 3

    assert releases == before


def test_merging_needs_one_contracting_process_with_dated_releases():
    with pytest.raises(ValueError, match="at least one"):
        ocds.compile_release([])
    with pytest.raises(ValueError, match="one ocid"):
        ocds.compile_release(
            [release(1, "2026-04-01T01:00:00Z"), {**release(2, "2026-04-01T01:00:00Z"), "ocid": "x"}]
        )
    with pytest.raises(ValueError, match="RFC 3339"):
        ocds.compile_release([release(1, "2026-04-01 01:00")])


def test_the_merge_rules_are_those_of_the_release_schema():
    schema = load_schema("release-schema.json")
    omitted, whole_list, identified = _merge_rules(schema)

    assert ocds.OMIT_WHEN_MERGED == omitted
    assert ocds.WHOLE_LIST_MERGE == whole_list
    assert ocds.IDENTIFIER_MERGE == identified


def _merge_rules(schema: dict) -> tuple[set, set, set]:
    """The schema's merge rules, derived as the merging page of the standard says."""
    definitions = schema["definitions"]
    omitted, whole_list, identified = set(), set(), set()

    def resolve(node):
        while "$ref" in node:
            node = {
                **definitions[node["$ref"].rsplit("/", 1)[-1]],
                **{k: v for k, v in node.items() if k != "$ref"},
            }
        return node

    def types(node):
        kind = node.get("type", [])
        return [kind] if isinstance(kind, str) else kind

    def walk(properties, path):
        for key, field in properties.items():
            field, here = resolve(field), (*path, key)
            if field.get("omitWhenMerged"):
                omitted.add(here)
            elif "array" in types(field):
                items = resolve(field.get("items", {}))
                if field.get("wholeListMerge") or any(t != "object" for t in types(items)):
                    whole_list.add(here)
                elif "id" not in items.get("properties", {}):
                    whole_list.add(here)
                else:
                    identified.add(here)
                    walk(items["properties"], here)
            elif "properties" in field:
                walk(field["properties"], here)

    walk(schema["properties"], ())
    return omitted, whole_list, identified


# Values and releases ----------------------------------------------------------------------


def test_amounts_print_exactly():
    assert json.dumps(ocds.money(Decimal("1234567.89"))) == '{"amount": 1234567.89, "currency": "CNY"}'
    assert ocds.money(Decimal("5000.00")) == {"amount": 5000, "currency": "CNY"}
    assert isinstance(ocds.money(Decimal("5000.00"))["amount"], int)
    largest = Decimal("999999999999.99")  # NUMERIC(14, 2)
    text = json.dumps(ocds.money(largest))
    assert json.loads(text, parse_float=Decimal)["amount"] == largest
    assert ocds.money(Decimal("0.10"), "USD") == {"amount": 0.1, "currency": "USD"}


def test_amounts_that_a_json_number_could_not_keep_are_refused():
    with pytest.raises(ValueError, match="significant digits"):
        ocds.money(Decimal("12345678901234.567"))
    with pytest.raises(TypeError):
        ocds.money(0.1)
    with pytest.raises(ValueError):
        ocds.money(Decimal("NaN"))


def test_dumps_renders_decimals_as_exact_numbers():
    document = {
        "amount": Decimal("1234567.89"),
        "long": Decimal("12345678901234567890.123456789"),
        "name": "居委会",
    }

    text = ocds.dumps(document)

    assert text == '{"amount":1234567.89,"long":12345678901234567890.123456789,"name":"居委会"}'
    assert json.loads(text, parse_float=Decimal) == document
    with pytest.raises(ValueError):
        ocds.dumps({"amount": Decimal("Infinity")})
    with pytest.raises(TypeError):
        ocds.dumps({"date": datetime.now(timezone.utc)})


def test_dumps_indents_as_the_json_module_does():
    document = {"a": [1, 2.5, None, True, {"b": []}], "c": {}, "d": "社区"}

    assert ocds.dumps(document, indent=2) == json.dumps(document, indent=2, ensure_ascii=False)


def test_timestamps_are_utc_to_the_second():
    assert ocds.timestamp(datetime(2026, 11, 27, 14, 47, 4, 999999, tzinfo=BEIJING)) == "2026-11-27T06:47:04Z"
    with pytest.raises(ValueError, match="timezone"):
        ocds.timestamp(datetime(2026, 11, 27, 14, 47, 4))


def test_new_release_makes_an_identified_dated_release():
    made = ocds.new_release(OCID, seq=3, date=at(4, 2), tag=["award", "tenderUpdate"], buyer={"id": "c-1"})

    assert made == {
        "ocid": OCID,
        "id": f"{OCID}-3",
        "date": "2026-04-02T01:30:00Z",
        "tag": ["award", "tenderUpdate"],
        "initiationType": "tender",
        "buyer": {"id": "c-1"},
    }


def test_new_release_refuses_what_ocds_does_not_define():
    with pytest.raises(ValueError, match="tags"):
        ocds.new_release(OCID, seq=1, date=at(4, 2), tag=["compiled"])
    with pytest.raises(ValueError, match="tags"):
        ocds.new_release(OCID, seq=1, date=at(4, 2), tag=[])
    with pytest.raises(ValueError, match="initiationType"):
        ocds.new_release(OCID, seq=1, date=at(4, 2), tag=["tender"], initiation_type="direct")
    with pytest.raises(TypeError, match="bids"):
        ocds.new_release(OCID, seq=1, date=at(4, 2), tag=["tender"], bids={})
    with pytest.raises(ValueError, match="#"):
        ocds.new_release(OCID, seq="1#2", date=at(4, 2), tag=["tender"])


# Packages ---------------------------------------------------------------------------------


def test_a_release_package_wraps_the_releases_with_publishing_metadata():
    releases = contracting_process()

    package = ocds.release_package(
        releases,
        uri=PACKAGE_URI,
        published_date=PUBLISHED,
        publisher_name="共治平台",
        license="https://creativecommons.org/licenses/by/4.0/",
    )

    assert package == {
        "uri": PACKAGE_URI,
        "version": "1.1",
        "publishedDate": "2026-07-01T01:00:00Z",
        "publisher": {"name": "共治平台"},
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "releases": releases,
    }
    with pytest.raises(ValueError, match="at least one"):
        ocds.release_package([], uri=PACKAGE_URI, published_date=PUBLISHED, publisher_name="共治平台")


def test_a_record_package_holds_one_record_per_contracting_process():
    other = ocds.new_release("ocds-gz0001-P2026-0043", seq=1, date=at(3, 5), tag=["planning"])
    releases = [*reversed(contracting_process()), other]

    package = ocds.record_package(
        releases,
        uri=PACKAGE_URI,
        published_date=PUBLISHED,
        publisher_name="共治平台",
        packages=[PACKAGE_URI],
    )

    assert package["packages"] == [PACKAGE_URI]
    assert [record["ocid"] for record in package["records"]] == [OCID, "ocds-gz0001-P2026-0043"]
    first = package["records"][0]
    assert [r["id"] for r in first["releases"]] == [f"{OCID}-{seq}" for seq in range(1, 7)]
    assert first["compiledRelease"] == ocds.compile_release(contracting_process())
    assert "packages" not in ocds.record_package(
        releases, uri=PACKAGE_URI, published_date=PUBLISHED, publisher_name="共治平台"
    )


# Validation against the schema ------------------------------------------------------------


def test_a_contracting_process_publishes_as_a_valid_release_package():
    package = ocds.release_package(
        contracting_process(), uri=PACKAGE_URI, published_date=PUBLISHED, publisher_name="共治平台"
    )

    validate_release_package(json.loads(ocds.dumps(package)))


def test_a_contracting_process_publishes_as_a_valid_record_package():
    package = ocds.record_package(
        contracting_process(), uri=PACKAGE_URI, published_date=PUBLISHED, publisher_name="共治平台"
    )

    validate_record_package(json.loads(ocds.dumps(package)))
    compiled = package["records"][0]["compiledRelease"]
    assert compiled["tender"]["status"] == "complete"
    assert compiled["awards"][0]["status"] == "active"
    contract = compiled["contracts"][0]
    assert contract["value"] == {"amount": 188000, "currency": "CNY"}  # as amended
    assert [m["status"] for m in contract["milestones"]] == ["met", "scheduled"]
    assert contract["implementation"]["transactions"][0]["value"]["amount"] == 56280.5


def test_validation_lists_every_error():
    package = ocds.release_package(
        contracting_process(), uri=PACKAGE_URI, published_date=PUBLISHED, publisher_name="共治平台"
    )
    broken = json.loads(ocds.dumps(package))
    del broken["publisher"]
    broken["releases"][0]["tag"] = ["proposal"]
    broken["releases"][0]["date"] = "2026-03-01 09:00"
    broken["releases"][0]["parties"][0]["roles"] = ["buyer", "organiser"]
    broken["releases"][0]["buyer"]["id"] = "nobody"

    with pytest.raises(AssertionError) as raised:
        validate_release_package(broken)

    report = str(raised.value)
    assert "5 error(s)" in report
    for expected in (
        "$: 'publisher' is a required property",
        "$.releases[0].tag[0]: 'proposal' is not one of",
        "$.releases[0].date: '2026-03-01 09:00' is not a 'date-time'",
        "$.releases[0].parties[0].roles: 'organiser' is not in the codelist partyRole.csv",
        "$.releases[0].buyer.id: 'nobody' names no party of the process",
    ):
        assert expected in report


def test_the_schema_files_are_in_the_repository_and_a_missing_one_fails_not_skips(monkeypatch):
    folder = require_schema()
    assert folder == Path(__file__).resolve().parents[1] / "ocds-1.1.5"
    assert (folder / "LICENSE").is_file() and "Apache License" in (folder / "LICENSE").read_text()
    assert load_schema("release-schema.json")["id"].endswith("/1__1__5/release-schema.json")

    monkeypatch.setenv("GONGZHI_OCDS_SCHEMA_DIR", "/nonexistent/ocds-1.1.5")
    with pytest.raises(pytest.fail.Exception, match="schema files not found at /nonexistent/ocds-1.1.5"):
        require_schema()


# A community project from planning to amended contract ------------------------------------

COMMITTEE = {
    "id": "community-7",
    "name": "幸福里社区居民委员会",
    "identifier": {"scheme": "CN-USCC", "id": "553101027000000007", "legalName": "幸福里社区居民委员会"},
    "address": {"locality": "上海市", "region": "长宁区", "countryName": "中国"},
    "contactPoint": {"name": "王主任", "telephone": "021-62000000"},
}
TENDERERS = [
    {"id": "52310105MJ0000001A", "name": "邻里守望社会工作服务社"},
    {"id": "52310105MJ0000002B", "name": "安居社区服务中心"},
    {"id": "52310105MJ0000003C", "name": "乐龄为老服务社"},
]
SUPPLIER = TENDERERS[0]


def party(organisation: dict, roles: list[str]) -> dict:
    return {
        **organisation,
        "identifier": {"scheme": "CN-USCC", "id": organisation["id"], "legalName": organisation["name"]},
        "roles": roles,
    }


def contracting_process() -> list[dict]:
    """Six releases of one project: planning, tender, award, contract, payment, amendment."""
    buyer = {"id": COMMITTEE["id"], "name": COMMITTEE["name"]}
    committee = {**COMMITTEE, "roles": ["buyer", "procuringEntity"]}
    planning = ocds.new_release(
        OCID,
        seq=1,
        date=at(3, 1),
        tag=["planning"],
        parties=[committee],
        buyer=buyer,
        planning={
            "rationale": "decided by a resolution of the joint meeting",
            "budget": {"description": "elderly care", "amount": ocds.money(Decimal("200000.00"))},
        },
        tender={
            "id": "P2026-0042",
            "title": "居家养老助餐服务",
            "status": "planned",
            "procuringEntity": buyer,
        },
    )
    tender = ocds.new_release(
        OCID,
        seq=2,
        date=at(3, 10),
        tag=["tender"],
        tender={
            "id": "P2026-0042",
            "status": "active",
            "description": "为社区内80岁以上独居老人提供每日午餐配送",
            "items": [{"id": "1", "description": "午餐配送", "quantity": 12000, "unit": {"name": "份"}}],
            "value": ocds.money(Decimal("200000.00")),
            "procurementMethod": "open",
            "procurementMethodDetails": "sealed bids opened at the deadline, weighted evaluation",
            "mainProcurementCategory": "services",
            "awardCriteria": "ratedCriteria",
            "submissionMethod": ["electronicSubmission"],
            "tenderPeriod": {
                "startDate": ocds.timestamp(at(3, 10)),
                "endDate": ocds.timestamp(at(3, 31, 17)),
            },
            "contractPeriod": {
                "startDate": "2026-05-01T00:00:00+08:00",
                "endDate": "2027-04-30T23:59:59+08:00",
            },
            "documents": [
                {
                    "id": "notice",
                    "documentType": "tenderNotice",
                    "title": "招标公告",
                    "url": "https://gongzhi.example.org/projects/P2026-0042/notice.pdf",
                    "format": "application/pdf",
                    "language": "zh",
                }
            ],
        },
    )
    award = ocds.new_release(
        OCID,
        seq=3,
        date=at(4, 2),
        tag=["award", "tenderUpdate"],
        parties=[
            party(SUPPLIER, ["tenderer", "supplier"]),
            *(party(organisation, ["tenderer"]) for organisation in TENDERERS[1:]),
        ],
        tender={
            "id": "P2026-0042",
            "status": "complete",
            "numberOfTenderers": len(TENDERERS),
            "tenderers": TENDERERS,
            "awardPeriod": {"startDate": ocds.timestamp(at(4, 1)), "endDate": ocds.timestamp(at(4, 2))},
        },
        awards=[
            {
                "id": "award-1",
                "title": "居家养老助餐服务",
                "status": "active",
                "date": ocds.timestamp(at(4, 2)),
                "value": ocds.money(Decimal("180000.00")),
                "suppliers": [SUPPLIER],
                "contractPeriod": {
                    "startDate": "2026-05-01T00:00:00+08:00",
                    "endDate": "2027-04-30T23:59:59+08:00",
                },
            }
        ],
    )
    milestones = [
        {"id": "m1", "title": "首季度服务验收", "type": "delivery", "dueDate": "2026-07-31T23:59:59+08:00"},
        {"id": "m2", "title": "年度服务验收", "type": "delivery", "dueDate": "2027-04-30T23:59:59+08:00"},
    ]
    contract = ocds.new_release(
        OCID,
        seq=4,
        date=at(4, 10),
        tag=["contract"],
        contracts=[
            {
                "id": "contract-1",
                "awardID": "award-1",
                "title": "居家养老助餐服务合同",
                "status": "active",
                "period": {"startDate": "2026-05-01T00:00:00+08:00", "endDate": "2027-04-30T23:59:59+08:00"},
                "value": ocds.money(Decimal("180000.00")),
                "dateSigned": ocds.timestamp(at(4, 10)),
                "milestones": [{**m, "status": "scheduled"} for m in milestones],
                "documents": [{"id": "signed", "documentType": "contractSigned", "title": "合同文本"}],
            }
        ],
    )
    payment = ocds.new_release(
        OCID,
        seq=5,
        date=at(8, 3),
        tag=["implementation"],
        contracts=[
            {
                "id": "contract-1",
                "awardID": "award-1",  # required in every release that mentions the contract
                "milestones": [{"id": "m1", "status": "met", "dateMet": ocds.timestamp(at(7, 30))}],
                "implementation": {
                    "transactions": [
                        {
                            "id": "payment-1",
                            "source": "https://gongzhi.example.org/payments/1",
                            "date": ocds.timestamp(at(8, 3)),
                            "value": ocds.money(Decimal("56280.50")),
                            "payer": buyer,
                            "payee": SUPPLIER,
                        }
                    ],
                    "milestones": [
                        {"id": "report-q1", "title": "首季度服务报告", "type": "reporting", "status": "met"}
                    ],
                },
            }
        ],
    )
    amendment = ocds.new_release(
        OCID,
        seq=6,
        date=at(9, 1),
        tag=["contractAmendment"],
        contracts=[
            {
                "id": "contract-1",
                "awardID": "award-1",
                "value": ocds.money(Decimal("188000.00")),
                "amendments": [
                    {
                        "id": "amendment-1",
                        "date": ocds.timestamp(at(9, 1)),
                        "rationale": "服务对象增加",
                        "description": "配送份数增至12500份",
                        "amendsReleaseID": f"{OCID}-4",
                        "releaseID": f"{OCID}-6",
                    }
                ],
            }
        ],
    )
    return [planning, tender, award, contract, payment, amendment]
