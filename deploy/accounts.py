"""Creating an account for a party that exists: ``gongzhi accounts create`` (``python -m
deploy.accounts …`` is the same command, for the scripts that call it so).

`create` looks the party up in the service that keeps it (the directory, the registry of
organisations or of volunteers) on the running platform: an id that does not exist, or that is a
party of another type, is refused. The party's own record decides the account's district,
community and compound; --district-id, --community-id and --compound-id, when given, must agree
with it. A username that is there already for the same party is reported, not made again.

The password is asked for twice (or read from standard input with --password-stdin); there are
no default passwords. The other account commands (list, disable, enable, reset-password,
end-sessions) are ``deploy.cli``'s over the rules of ``gateway.accounts``.

Exit status: 0 done, 1 refused (nothing was changed), 3 the platform did not answer in time.
"""

from __future__ import annotations

import getpass
import sys

from sqlalchemy import select

from deploy.rpc_client import fail, platform_rpc, refused
from gateway import accounts
from gateway.models import Account, Base
from shared import config
from shared.errors import DomainError
from shared.identity import PartyType, Principal
from shared.migrations import upgrade

# Where each party type's record lives; the others are parties of the directory (meetings).
REGISTRIES = {PartyType.SOCIAL_ORGANISATION: "matching", PartyType.VOLUNTEER: "volunteers"}
PLACES = ("district_id", "community_id", "compound_id")


def party_of_record(rpc, party_type: PartyType, party_id: str) -> dict:
    """The party's district, community and compound as its own record gives them."""
    if party_type is PartyType.SOCIAL_ORGANISATION:
        found = rpc.matching.find_organisations({"id": party_id})
        record = found and {"type": party_type.value, "district_id": found[0]["district_id"]}
    elif party_type is PartyType.VOLUNTEER:
        found = rpc.volunteers.find_volunteers({"id": party_id})
        record = None
        if found:
            community = rpc.meetings.find_in_directory("community", {"id": found[0]["community_id"]})
            if not community:
                fail(f"party_id: volunteer {party_id} belongs to no community of the directory")
            record = {"type": party_type.value, **{k: community[0][k] for k in PLACES[:2]}}
    else:
        found = rpc.meetings.find_in_directory("party", {"id": party_id})
        record = found and found[0]
    if not record:
        where = REGISTRIES.get(party_type, "meetings")
        fail(f"party_id: no party {party_id} in the {where} service: nothing was made")
    if record["type"] != party_type.value:
        fail(
            f"party_type: party {party_id} is a {record['type']}, not a {party_type.value}: nothing was made"
        )
    return {place: record.get(place) for place in PLACES}


def gateway_uow():
    """The gateway's database; in development it is brought to the latest migration first (in
    production the migrations job does that)."""
    if not config.production():
        upgrade("gateway")
    from deploy.status import unit_of_work

    return unit_of_work("gateway", Base.metadata)


def read_password(from_stdin: bool) -> str:
    """From standard input's first line, or asked twice at the terminal."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    password = getpass.getpass("Password: ")
    if getpass.getpass("Password again: ") != password:
        fail("password: the two passwords differ: nothing was changed")
    return password


def create(uow, args) -> None:
    party_type = PartyType(args.party_type)
    with uow:
        existing = uow.session.scalar(select(Account).where(Account.username == args.username))
    if existing is not None:
        if (existing.party_type, existing.party_id) != (party_type.value, args.party_id):
            fail(f"username: {args.username} is taken by an account of another party: nothing was made")
        state = "" if existing.active else " (disabled)"
        print(
            f"account {existing.username} ({existing.id}){state} exists for {args.party_type} {args.party_id}"
        )
        return

    with platform_rpc() as rpc:
        try:
            places = party_of_record(rpc, party_type, args.party_id)
        except DomainError as exc:
            refused(exc)
    for place in PLACES:
        given = getattr(args, place)
        if given is not None and given != places[place]:
            option = "--" + place.replace("_", "-")
            fail(
                f"{place}: the party's record says {places[place] or 'none'}, not {given} "
                f"(leave {option} out: the record decides): nothing was made"
            )

    password = read_password(args.password_stdin)
    principal = Principal("-", party_type, args.party_id, *(places[p] for p in PLACES))
    account = accounts.create_account(uow, args.username, password, principal)
    where = ", ".join(f"{p} {places[p]}" for p in PLACES if places[p])
    print(
        f"created account {account.username} ({account.id}) for {args.party_type} {args.party_id} ({where})"
    )


def main(argv: list[str] | None = None) -> None:
    from deploy.cli import main as gongzhi

    gongzhi(["accounts", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
