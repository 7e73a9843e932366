"""Registering the platform's parties on the running platform: ``gongzhi parties …``
(``python -m deploy.parties …`` is the same command, for the scripts that call it so).

    gongzhi parties district --name 新华街道 --office-name 新华街道办事处
    gongzhi parties community --district-id <id> --name 和平社区 --committee-name 和平社区居委会
    gongzhi parties compound --community-id <id> --name 临湖花园 \\
        --owners-committee-name 临湖花园业委会 --property-company-name 安居物业
    gongzhi parties joint-building-unit --community-id <id> --name 和平社区医院
    gongzhi parties organisation --credit-code <18 characters> --name … \\
        --legal-form social_group --category elderly_care --community-id <id> [--district-id <id>]
    gongzhi parties volunteer --community-id <id> --name … --skill first_aid --skill cooking:3

Each prints the ids, for `gongzhi accounts create`, with "created": true, or, when the
record is there already (a district of that name, a community or compound of that name in its
parent, a unit of that name in its community, an organisation with that credit code, a volunteer
of that name in its community), the existing one's with "created": false: running a command again
never makes a second record. An organisation files with the sub-district office of the
communities it serves, which lie in one district (--district-id, if given, must be that one).

Exit status: 0 done, 1 refused (nothing was made), 3 the platform did not answer in time
(GONGZHI_OPERATOR_TIMEOUT seconds, default 10; nothing was made, nor will be later).
"""

from __future__ import annotations

import sys

from deploy.rpc_client import fail


def skill(value: str) -> dict:
    """``first_aid`` (level 1) or ``first_aid:3``."""
    name, _, level = value.partition(":")
    if not name or (level and not (level.isdigit() and 1 <= int(level) <= 5)):
        raise ValueError(f"{value!r}: a skill, or skill:level with a level from 1 to 5")
    return {"skill": name, "level": int(level or 1)}


def _first(rows: list[dict], what: str) -> dict | None:
    if len(rows) > 1:
        print(f"note: {len(rows)} {what} match; reporting the first", file=sys.stderr)
    return rows[0] if rows else None


def _directory(rpc, kind: str, **criteria) -> list[dict]:
    return rpc.meetings.find_in_directory(kind, criteria)


def _party_id(rpc, party_type: str, **where) -> str | None:
    party = _first(_directory(rpc, "party", type=party_type, **where), f"{party_type} parties")
    return party and party["id"]


def _place(rpc, kind: str, place_id: str) -> dict:
    place = _first(_directory(rpc, kind, id=place_id), f"{kind} records")
    if place is None:
        fail(f"{kind}_id: no {kind} {place_id}: nothing was made")
    return place


def district(rpc, args: dict) -> dict:
    found = _first(_directory(rpc, "district", name=args["name"]), "districts")
    if found:
        office = _party_id(rpc, "street_office", district_id=found["id"])
        return {"district_id": found["id"], "office_id": office, "created": False}
    return {**rpc.meetings.register_district(args), "created": True}


def community(rpc, args: dict) -> dict:
    _place(rpc, "district", args["district_id"])
    found = _first(
        _directory(rpc, "community", district_id=args["district_id"], name=args["name"]), "communities"
    )
    if found:
        committee = _party_id(rpc, "residents_committee", community_id=found["id"])
        return {"community_id": found["id"], "committee_id": committee, "created": False}
    return {**rpc.meetings.register_community(args), "created": True}


def compound(rpc, args: dict) -> dict:
    _place(rpc, "community", args["community_id"])
    found = _first(
        _directory(rpc, "compound", community_id=args["community_id"], name=args["name"]), "compounds"
    )
    if found:
        return {
            "compound_id": found["id"],
            "owners_committee_id": _party_id(rpc, "owners_committee", compound_id=found["id"]),
            "property_company_id": _party_id(rpc, "property_company", compound_id=found["id"]),
            "created": False,
        }
    return {**rpc.meetings.register_compound(args), "created": True}


def joint_building_unit(rpc, args: dict) -> dict:
    _place(rpc, "community", args["community_id"])
    where = {"type": "joint_building_unit", "community_id": args["community_id"], "name": args["name"]}
    found = _first(_directory(rpc, "party", **where), "units")
    if found:
        return {**{k: v for k, v in found.items() if k != "kind"}, "created": False}
    return {**rpc.meetings.register_joint_building_unit(args), "created": True}


def organisation(rpc, args: dict) -> dict:
    found = _first(rpc.matching.find_organisations({"credit_code": args["credit_code"]}), "organisations")
    if found:
        return {**found, "created": False}
    served = [_place(rpc, "community", c) for c in dict.fromkeys(args["community_ids"])]
    districts = sorted({c["district_id"] for c in served})
    chosen = args.pop("district_id")
    if len(districts) > 1:
        fail(
            "community_ids: a filing serves the communities of one sub-district office, and these lie in "
            f"districts {', '.join(districts)}: file once per district"
        )
    if chosen is not None and chosen != districts[0]:
        fail(f"district_id: the communities served are in district {districts[0]}, not {chosen}")
    created = rpc.matching.register_organisation({**args, "district_id": districts[0]})
    return {**created, "created": True}


def volunteer(rpc, args: dict) -> dict:
    community_id = args.pop("community_id")
    _place(rpc, "community", community_id)
    if not args.pop("new_namesake"):
        found = _first(
            rpc.volunteers.find_volunteers({"community_id": community_id, "name": args["name"]}), "volunteers"
        )
        if found:
            return {**found, "created": False}
    return {**rpc.volunteers.enrol_volunteer(community_id, args), "created": True}


KINDS = {
    "district": district,
    "community": community,
    "compound": compound,
    "joint-building-unit": joint_building_unit,
    "organisation": organisation,
    "volunteer": volunteer,
}


def main(argv: list[str] | None = None) -> None:
    from deploy.cli import main as gongzhi

    gongzhi(["parties", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
