"""Operators' command for accounts: ``python -m deploy.accounts create|disable …``.

    python -m deploy.accounts create --username wang.committee --party-type residents_committee \\
        --party-id <id> --district-id <id> --community-id <id>      # asks for the password

The password is asked for (or read from standard input with --password-stdin); there are no
default passwords.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from sqlalchemy import update

from gateway import accounts
from gateway.models import Account, Base
from shared.db import standalone_unit_of_work
from shared.errors import DomainError
from shared.identity import PartyType, Principal
from shared.migrations import upgrade


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m deploy.accounts", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help="an account acting for a party")
    create.add_argument("--username", required=True)
    create.add_argument("--party-type", required=True, choices=[p.value for p in PartyType])
    create.add_argument("--party-id", required=True)
    create.add_argument("--district-id")
    create.add_argument("--community-id")
    create.add_argument("--compound-id")
    create.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    disable = commands.add_parser("disable", help="stop an account from signing in")
    disable.add_argument("--username", required=True)
    args = parser.parse_args(argv)

    upgrade("gateway")
    uow = standalone_unit_of_work("gateway", Base.metadata)
    try:
        if args.command == "create":
            password = (
                sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass("Password: ")
            )
            principal = Principal(
                "-",
                PartyType(args.party_type),
                args.party_id,
                args.district_id,
                args.community_id,
                args.compound_id,
            )
            account = accounts.create_account(uow, args.username, password, principal)
            print(f"created account {account.username} ({account.id}) for {args.party_type} {args.party_id}")
        else:
            with uow:
                done = uow.session.execute(
                    update(Account).where(Account.username == args.username).values(active=False)
                ).rowcount
                uow.commit()
            print(f"disabled {args.username}" if done else f"no account {args.username}")
    except DomainError as exc:
        sys.exit(f"{exc.field or 'error'}: {exc.message}")


if __name__ == "__main__":
    main()
