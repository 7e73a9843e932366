"""Operators' command for the parties, against a running platform:

    python -m deploy.parties district --name 新华街道 --office-name 新华街道办事处
    python -m deploy.parties community --district-id <id> --name 和平社区 --committee-name 和平社区居委会
    python -m deploy.parties compound --community-id <id> --name 临湖花园 \\
        --owners-committee-name 临湖花园业委会 --property-company-name 安居物业
    python -m deploy.parties joint-building-unit --community-id <id> --name 和平社区医院
    python -m deploy.parties organisation --credit-code <18 characters> --name … \\
        --legal-form social_group --category elderly_care --community-id <id>
    python -m deploy.parties volunteer --community-id <id> --name … --skill first_aid

Each prints the ids it created, for `python -m deploy.accounts create`.
"""

from __future__ import annotations

import argparse
import json
import sys

from nameko import config as nameko_config
from nameko.standalone.rpc import ClusterRpcClient

from shared import config
from shared.errors import DomainError


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m deploy.parties", description=__doc__.splitlines()[0])
    kinds = parser.add_subparsers(dest="kind", required=True)
    district = kinds.add_parser("district")
    district.add_argument("--name", required=True)
    district.add_argument("--office-name", required=True)
    community = kinds.add_parser("community")
    community.add_argument("--district-id", required=True)
    community.add_argument("--name", required=True)
    community.add_argument("--committee-name", required=True)
    compound = kinds.add_parser("compound")
    compound.add_argument("--community-id", required=True)
    compound.add_argument("--name", required=True)
    compound.add_argument("--owners-committee-name", required=True)
    compound.add_argument("--property-company-name", required=True)
    unit = kinds.add_parser("joint-building-unit")
    unit.add_argument("--community-id", required=True)
    unit.add_argument("--name", required=True)
    organisation = kinds.add_parser("organisation")
    organisation.add_argument("--credit-code", required=True)
    organisation.add_argument("--name", required=True)
    organisation.add_argument("--legal-form", required=True)
    organisation.add_argument("--category", action="append", required=True, dest="categories")
    organisation.add_argument("--community-id", action="append", required=True, dest="community_ids")
    volunteer = kinds.add_parser("volunteer")
    volunteer.add_argument("--community-id", required=True)
    volunteer.add_argument("--name", required=True)
    volunteer.add_argument("--skill", action="append", default=[], dest="skills")
    args = vars(parser.parse_args(argv))
    kind = args.pop("kind")

    nameko_config.setup(config.nameko_config())
    try:
        with ClusterRpcClient() as rpc:
            if kind == "district":
                created = rpc.meetings.register_district(args)
            elif kind == "community":
                created = rpc.meetings.register_community(args)
            elif kind == "compound":
                created = rpc.meetings.register_compound(args)
            elif kind == "joint-building-unit":
                created = rpc.meetings.register_joint_building_unit(args)
            elif kind == "organisation":
                created = rpc.matching.register_organisation(args)
            else:
                created = rpc.volunteers.enrol_volunteer(args.pop("community_id"), args)
    except DomainError as exc:
        sys.exit(f"{exc.field or 'error'}: {exc.message}")
    print(json.dumps(created, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
