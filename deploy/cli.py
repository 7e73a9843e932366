"""The operators' command: ``gongzhi`` (installed into the venv; ``python -m deploy.cli`` alike).

    gongzhi parties district --name 新华街道 --office-name 新华街道办事处
    gongzhi accounts create --username wang.committee --party-type residents_committee --party-id <id>
    gongzhi accounts list --party-type volunteer --json
    gongzhi dead-letters list
    gongzhi dead-letters replay <id> …        (or --all)
    gongzhi outbox status
    gongzhi health
    gongzhi backup /var/backups/gongzhi-2026-12-02
    gongzhi restore /var/backups/gongzhi-2026-12-02 --yes

It reaches the platform as the services do: ``AMQP_URI``, ``DATABASE_URL`` (or
``DATABASE_URL_<SERVICE>``) and ``GONGZHI_HTTP`` for the gateway. Every command gives up within a
few seconds when the broker, a database or the platform does not answer
(``GONGZHI_OPERATOR_TIMEOUT``, default 10 s, bounds an answer from the platform).

Exit status: 0 done (and, for health, everything ready), 1 refused or not ready (nothing was
changed), 3 the platform or a backing service did not answer (nothing was changed).
Tables and progress bars are drawn for a terminal; piped, the output has no colour (nor with
``NO_COLOR``), and ``--json`` prints what scripts read.
"""

from __future__ import annotations

import enum
import json
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from shared import config
from shared.identity import PartyType
from shared.vocabulary.matching import LegalForm

REFUSED, UNAVAILABLE = 1, 3
Database = enum.StrEnum("Database", {name: name for name in config.DATABASES})  # type: ignore[misc]

app = typer.Typer(
    name="gongzhi",
    help="Operate the gongzhi platform: parties, accounts, dead letters, outbox, health, backups.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
parties_app = typer.Typer(
    help="Register the platform's parties (each reported, not made twice).", no_args_is_help=True
)
accounts_app = typer.Typer(help="People's sign-in accounts, each acting for one party.", no_args_is_help=True)
letters_app = typer.Typer(
    help="Events a consumer could not handle: list, show, replay, purge.", no_args_is_help=True
)
outbox_app = typer.Typer(help="Events committed by each service and not yet published.", no_args_is_help=True)
app.add_typer(parties_app, name="parties")
app.add_typer(accounts_app, name="accounts")
app.add_typer(letters_app, name="dead-letters")
app.add_typer(outbox_app, name="outbox")

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts instead of a table.")]
Username = Annotated[str, typer.Option(help="The account's username.")]


def fail(message: str, status: int = REFUSED) -> None:
    print(message, file=sys.stderr)
    raise typer.Exit(status)


def emit(value: Any) -> None:
    print(json.dumps(value, indent=2, ensure_ascii=False, default=str))


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )


# Parties -----------------------------------------------------------------------------------


def _register(kind: str, args: dict) -> None:
    from deploy.parties import KINDS
    from deploy.rpc_client import platform_rpc, refused
    from shared.errors import DomainError

    with platform_rpc() as rpc:
        try:
            result = KINDS[kind](rpc, args)
        except DomainError as exc:
            refused(exc)
    emit(result)


@parties_app.command()
def district(
    name: Annotated[str, typer.Option(help="The sub-district's name.")],
    office_name: Annotated[str, typer.Option(help="Its sub-district office (street office).")],
) -> None:
    """A sub-district (街道) and its office."""
    _register("district", {"name": name, "office_name": office_name})


@parties_app.command()
def community(
    district_id: Annotated[str, typer.Option(help="The district it lies in.")],
    name: Annotated[str, typer.Option(help="The community's name.")],
    committee_name: Annotated[str, typer.Option(help="Its residents' committee.")],
) -> None:
    """A community (社区) and its residents' committee."""
    _register("community", {"district_id": district_id, "name": name, "committee_name": committee_name})


@parties_app.command()
def compound(
    community_id: Annotated[str, typer.Option(help="The community it lies in.")],
    name: Annotated[str, typer.Option(help="The compound's name.")],
    owners_committee_name: Annotated[str, typer.Option(help="Its owners' committee.")],
    property_company_name: Annotated[str, typer.Option(help="Its property company.")],
) -> None:
    """A residential compound (小区), its owners' committee and property company."""
    _register(
        "compound",
        {
            "community_id": community_id,
            "name": name,
            "owners_committee_name": owners_committee_name,
            "property_company_name": property_company_name,
        },
    )


@parties_app.command("joint-building-unit")
def joint_building_unit(
    community_id: Annotated[str, typer.Option(help="The community it serves.")],
    name: Annotated[str, typer.Option(help="The unit's name.")],
) -> None:
    """A joint-building unit (共建单位) of a community."""
    _register("joint-building-unit", {"community_id": community_id, "name": name})


@parties_app.command()
def organisation(
    credit_code: Annotated[str, typer.Option(help="Its unified social credit code (18 characters).")],
    name: Annotated[str, typer.Option(help="The organisation's name.")],
    legal_form: Annotated[LegalForm, typer.Option(help="Its legal form.")],
    category: Annotated[list[str], typer.Option(help="A field it works in (repeat for several).")],
    community_id: Annotated[list[str], typer.Option(help="A community it serves (repeat for several).")],
    district_id: Annotated[
        str | None, typer.Option(help="Optional: checked against the district of the communities served.")
    ] = None,
) -> None:
    """A social organisation's filing with the sub-district office of the communities it serves."""
    _register(
        "organisation",
        {
            "credit_code": credit_code,
            "name": name,
            "legal_form": legal_form.value,
            "categories": category,
            "community_ids": community_id,
            "district_id": district_id,
        },
    )


def _skill(value: str) -> dict:
    from deploy.parties import skill

    try:
        return skill(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


@parties_app.command()
def volunteer(
    community_id: Annotated[str, typer.Option(help="The community the volunteer belongs to.")],
    name: Annotated[str, typer.Option(help="The volunteer's name.")],
    skill: Annotated[
        list[str] | None,
        typer.Option(help="skill or skill:level (level 1-5, default 1); repeat for several."),
    ] = None,
    new_namesake: Annotated[
        bool,
        typer.Option("--new-namesake", help="Enrol another volunteer though one of this name is there."),
    ] = False,
) -> None:
    """A volunteer of a community."""
    skills = [_skill(value) for value in skill or []]
    _register(
        "volunteer",
        {"community_id": community_id, "name": name, "skills": skills, "new_namesake": new_namesake},
    )


# Accounts ----------------------------------------------------------------------------------


def _gateway_uow():
    from deploy.accounts import gateway_uow

    return gateway_uow()


def _changed(what: str, username: str, run) -> Any:
    from shared.errors import DomainError

    try:
        result = run(_gateway_uow())
    except DomainError as exc:
        fail(f"{exc.field or 'error'}: {exc.message}: nothing was changed")
    if result is None:
        fail(f"username: no account {username}: nothing was changed")
    return result


def _wait_for_gateways(username: str) -> None:
    """This process ended the account's sign-ins: return once every gateway refuses them (at once
    when the gateways share Redis and it holds the ending, else after their 2-second trust)."""
    from sqlalchemy import select

    from gateway import accounts
    from gateway.models import Account

    with _gateway_uow() as uow:
        account_id = uow.session.scalar(select(Account.id).where(Account.username == username))
    if account_id is not None:
        accounts.wait_until_refused_everywhere(account_id)


@accounts_app.command("create")
def create_account(
    username: Username,
    party_type: Annotated[PartyType, typer.Option(help="The kind of party the account acts for.")],
    party_id: Annotated[str, typer.Option(help="The party's id, as `gongzhi parties` printed it.")],
    district_id: Annotated[
        str | None, typer.Option(help="Optional: checked against the party's record.")
    ] = None,
    community_id: Annotated[
        str | None, typer.Option(help="Optional: checked against the party's record.")
    ] = None,
    compound_id: Annotated[
        str | None, typer.Option(help="Optional: checked against the party's record.")
    ] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read it from standard input, not asking twice.")
    ] = False,
) -> None:
    """An account acting for a party that exists, in the places its record gives (asks for the password)."""
    from deploy import accounts
    from deploy.rpc_client import refused
    from shared.errors import DomainError

    args = SimpleNamespace(
        username=username,
        party_type=party_type.value,
        party_id=party_id,
        district_id=district_id,
        community_id=community_id,
        compound_id=compound_id,
        password_stdin=password_stdin,
    )
    try:
        accounts.create(_gateway_uow(), args)
    except DomainError as exc:
        refused(exc)


@accounts_app.command("list")
def list_accounts(
    party_type: Annotated[
        PartyType | None, typer.Option(help="Only accounts acting for this kind of party.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Every account: username, party, whether it may sign in, and its last sign-in."""
    from gateway import accounts

    rows = accounts.list_accounts(_gateway_uow(), party_type)
    if as_json:
        emit(
            [
                {
                    "username": r.username,
                    "party_type": r.party_type,
                    "party_id": r.party_id,
                    "active": r.active,
                    "last_sign_in": r.last_sign_in.isoformat() if r.last_sign_in else None,
                    "created_at": r.created_at.isoformat(),
                }
                for r in rows
            ]
        )
        return
    table = Table(title=f"{len(rows)} accounts")
    for column in ("username", "party type", "party id", "active", "last sign-in"):
        table.add_column(column)
    for r in rows:
        last = f"{r.last_sign_in:%Y-%m-%d %H:%M} UTC" if r.last_sign_in else "never"
        table.add_row(r.username, r.party_type, r.party_id, "yes" if r.active else "[red]no[/]", last)
    out.print(table)


@accounts_app.command()
def disable(username: Username) -> None:
    """Stop the account from signing in; every sign-in of it and its calendar address end."""
    from gateway import accounts

    _changed("disable", username, lambda uow: accounts.disable_account(uow, username))
    _wait_for_gateways(username)
    print(f"disabled {username}: its sign-ins and calendar address ended")


@accounts_app.command()
def enable(username: Username) -> None:
    """Let a disabled account sign in again (its ended sign-ins stay ended)."""
    from gateway import accounts

    _changed("enable", username, lambda uow: accounts.enable_account(uow, username))
    print(f"enabled {username}: it may sign in again")


@accounts_app.command("end-sessions")
def end_sessions(username: Username) -> None:
    """End every sign-in of the account and its calendar address; it may sign in again."""
    from gateway import accounts

    ended = _changed("end-sessions", username, lambda uow: accounts.end_sessions(uow, username))
    _wait_for_gateways(username)
    print(f"ended {ended} sign-ins of {username} and its calendar address")


@accounts_app.command("reset-password")
def reset_password(
    username: Username,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read it from standard input, not asking twice.")
    ] = False,
) -> None:
    """Give the account a new password; every sign-in made with the old one ends."""
    from deploy.accounts import read_password
    from gateway import accounts

    password = read_password(password_stdin)
    ended = _changed("reset-password", username, lambda uow: accounts.reset_password(uow, username, password))
    _wait_for_gateways(username)
    print(f"new password for {username}; {ended} sign-ins ended")


# Dead letters ------------------------------------------------------------------------------


class _Held:
    """``with _Held() as held:`` the dead letters, or exit 3 naming the broker that did not answer."""

    def __enter__(self):
        from deploy.dead_letters import Unreachable, dead_letters

        self._context = dead_letters(config.amqp_uri())
        try:
            return self._context.__enter__()
        except Unreachable as exc:
            fail(f"{exc}. Is the platform running? Nothing was done.", UNAVAILABLE)

    def __exit__(self, *exc_info):
        return self._context.__exit__(*exc_info)


EventType = Annotated[
    str | None, typer.Option(help="Only letters of this event type (e.g. project.awarded).")
]


@letters_app.command("list")
def list_letters(event_type: EventType = None, as_json: JsonOption = False) -> None:
    """Every dead letter: its id, event, the queue it came from and why it was dead-lettered."""
    with _Held() as held:
        letters, _ = held.matching([], event_type)
        if as_json:
            emit([letter.summary() for letter in letters])
            return
        table = Table(title=f"{len(letters)} dead letters")
        for column in ("id", "event type", "event id", "queue", "dead-lettered", "reason"):
            table.add_column(column, overflow="fold")
        for letter in letters:
            table.add_row(
                letter.id,
                letter.event_type or "?",
                letter.event_id or "?",
                letter.queue or "?",
                (letter.dead_lettered_at or "?")[:19],
                letter.reason,
            )
        out.print(table)


@letters_app.command()
def show(
    letter_id: Annotated[str, typer.Argument(metavar="ID", help="The letter's id (or its event's id).")],
) -> None:
    """One dead letter in full: its headers, where it was first published and its body, as JSON."""
    with _Held() as held:
        letters, unknown = held.matching([letter_id])
        if unknown:
            fail(f"no dead letter {letter_id}")
        emit([letter.detail() for letter in letters] if len(letters) > 1 else letters[0].detail())


def _chosen(held, ids: list[str] | None, every: bool, event_type: str | None) -> list:
    if bool(ids) == every:
        fail("name the letters' ids, or --all (not both)")
    letters, unknown = held.matching(ids or [], event_type)
    if unknown:
        fail(f"no dead letter {', '.join(unknown)}: nothing was done")
    return letters


Ids = Annotated[
    list[str] | None, typer.Argument(metavar="ID...", help="Letters' ids (or their events' ids).")
]
All = Annotated[bool, typer.Option("--all", help="Every letter (of --event-type, if given).")]


@letters_app.command()
def replay(
    ids: Ids = None,
    every: All = False,
    event_type: EventType = None,
    to_exchange: Annotated[
        bool,
        typer.Option(
            "--to-exchange",
            help="Publish to the original exchange and routing key (every consumer of the type) instead of "
            "only the consumer's queue it was dead-lettered from.",
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Publish letters again, same event ids (each consumer's inbox handles an event once); remove them."""
    from deploy.dead_letters import ReplayFailed

    done, failed = [], []
    with _Held() as held:
        letters = _chosen(held, ids, every, event_type)
        with _progress() as progress:
            task = progress.add_task("replaying", total=len(letters))
            for letter in letters:
                try:
                    where = held.replay(letter, to_exchange=to_exchange)
                    done.append({"id": letter.id, "event_id": letter.event_id, "to": where})
                except ReplayFailed as exc:
                    failed.append({"id": letter.id, "error": str(exc)})
                progress.advance(task)
    if as_json:
        emit({"replayed": done, "failed": failed})
    else:
        for item in done:
            print(f"replayed {item['id']} (event {item['event_id']}) to {item['to']}")
        for item in failed:
            print(item["error"], file=sys.stderr)
    if failed:
        raise typer.Exit(REFUSED)


@letters_app.command()
def purge(
    ids: Ids = None,
    every: All = False,
    event_type: EventType = None,
    yes: Annotated[bool, typer.Option("--yes", help="Do it: the letters are gone for good.")] = False,
) -> None:
    """Remove letters for good (their events are not handled)."""
    with _Held() as held:
        letters = _chosen(held, ids, every, event_type)
        if not yes:
            fail(f"{len(letters)} letters would be removed for good: add --yes to remove them")
        for letter in letters:
            held.purge(letter)
    print(f"purged {len(letters)} dead letters")


# Outbox and health -------------------------------------------------------------------------


def _age(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 120:
        return f"{seconds:.0f} s"
    return f"{seconds / 60:.0f} min" if seconds < 7200 else f"{seconds / 3600:.1f} h"


@outbox_app.command()
def status(as_json: JsonOption = False) -> None:
    """Per service: events not yet published, how long the oldest has waited, the latest published."""
    from deploy.status import outbox_status

    found = [outbox_status(service) for service in config.SERVICES]
    if as_json:
        emit([s.to_dict() for s in found])
    else:
        table = Table(title="outbox")
        for column in ("service", "unsent", "oldest unsent", "last sent"):
            table.add_column(column)
        for s in found:
            if s.error:
                table.add_row(s.service, f"[red]{s.error}[/]", "", "")
                continue
            last = f"{s.last_sent_at:%Y-%m-%d %H:%M:%S} UTC" if s.last_sent_at else "never"
            table.add_row(s.service, str(s.unsent), _age(s.oldest_unsent_seconds), last)
        out.print(table)
    if any(s.error for s in found):
        raise typer.Exit(UNAVAILABLE)


@app.command()
def health(
    gateway: Annotated[
        str | None, typer.Option(help="The gateway's base URL [default: http://GONGZHI_HTTP]")
    ] = None,
    timeout: Annotated[float, typer.Option(help="Seconds each component has to answer.", min=0.1)] = 3.0,
    as_json: JsonOption = False,
) -> None:
    """Readiness at a glance: the broker, the gateway and each service; exit 1 if one is not ready."""
    from deploy.broker import reachable
    from deploy.status import Check, gateway_readiness, gateway_url, services_readiness

    checks = [gateway_readiness(gateway or gateway_url(), timeout)]
    uri = config.amqp_uri()
    if reachable(uri, timeout=min(timeout, 3.0)):
        checks.insert(0, Check("broker", True, "answers", 0))
        checks += services_readiness(timeout)
    else:
        from kombu import Connection

        shown = Connection(uri).as_uri()
        checks.insert(0, Check("broker", False, f"{shown} does not answer", 0))
        checks += [Check(s, False, "not asked: the broker does not answer", 0) for s in config.SERVICES]
    if as_json:
        emit({"ready": all(c.ready for c in checks), "checks": [c.to_dict() for c in checks]})
    else:
        table = Table(title="readiness")
        for column in ("component", "ready", "ms", "detail"):
            table.add_column(column, overflow="fold")
        for c in checks:
            table.add_row(c.component, "[green]yes[/]" if c.ready else "[red]no[/]", str(c.took_ms), c.detail)
        out.print(table)
    if not all(c.ready for c in checks):
        raise typer.Exit(REFUSED)


# Backups -----------------------------------------------------------------------------------

Only = Annotated[
    list[Database] | None,  # type: ignore[valid-type]
    typer.Option(help="Only this database (repeat for several) [default: every one]."),
]


def _targets(only) -> list:
    from deploy.backup import BackupError, target

    names = [d.value for d in only] if only else list(config.DATABASES)
    try:
        return [target(name) for name in names]
    except BackupError as exc:
        fail(str(exc))
        raise  # never reached


@app.command()
def backup(
    folder: Annotated[Path, typer.Argument(metavar="DIR", help="A new or empty folder for the backup.")],
    only: Only = None,
    as_json: JsonOption = False,
) -> None:
    """Back up every database (pg_dump custom format, or SQLite's backup API) into DIR, with a manifest."""
    from deploy.backup import BackupError, back_up, write_manifest

    targets = _targets(only)
    if folder.exists() and any(folder.iterdir()):
        fail(f"{folder} is not empty: back up into a new folder")
    folder.mkdir(parents=True, exist_ok=True)
    entries = []
    with _progress() as progress:
        task = progress.add_task("backing up", total=len(targets))
        for t in targets:
            progress.update(task, description=f"backing up {t.name}")
            try:
                entries.append(back_up(t, folder))
            except BackupError as exc:
                fail(f"{exc}. The backup in {folder} is incomplete.", UNAVAILABLE)
            progress.advance(task)
    write_manifest(folder, entries)
    if as_json:
        emit({"folder": str(folder), "databases": entries})
    else:
        for entry in entries:
            print(f"{entry['name']}: {entry['file']} ({entry['bytes']} bytes)")
        print(f"backed up {len(entries)} databases into {folder}")


@app.command()
def restore(
    folder: Annotated[Path, typer.Argument(metavar="DIR", help="A folder `gongzhi backup` made.")],
    only: Only = None,
    yes: Annotated[
        bool,
        typer.Option(
            "--yes", help="Do it: each database is replaced by its backup. Stop the platform first."
        ),
    ] = False,
) -> None:
    """Put every database (or --only some) back as it was in DIR, replacing what it holds now."""
    from deploy.backup import BackupError, read_manifest
    from deploy.backup import restore as restore_one

    try:
        entries = {entry["name"]: entry for entry in read_manifest(folder)}
    except BackupError as exc:
        fail(str(exc))
    targets = _targets(only)
    missing = [t.name for t in targets if t.name not in entries]
    if missing:
        fail(f"{folder} holds no backup of {', '.join(missing)}: nothing was restored")
    if not yes:
        names = ", ".join(t.name for t in targets)
        fail(f"this replaces the databases {names} with the backup: stop the platform, then add --yes")
    with _progress() as progress:
        task = progress.add_task("restoring", total=len(targets))
        for t in targets:
            progress.update(task, description=f"restoring {t.name}")
            try:
                restore_one(t, folder, entries[t.name])
            except BackupError as exc:
                fail(f"{exc}. Databases before it in the list were restored; it and those after were not.")
            progress.advance(task)
    print(f"restored {len(targets)} databases from {folder}")


def main(argv: list[str] | None = None) -> None:
    """The console script. A usage error is one plain line on standard error (exit 2)."""
    from shared import logs

    logs.configure()  # its log on stderr (JSON in production); the command's output on stdout
    from typer._click.exceptions import ClickException

    try:
        status = app(args=argv, prog_name="gongzhi", standalone_mode=False)
    except ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        print("Aborted.", file=sys.stderr)
        sys.exit(REFUSED)
    sys.exit(status if isinstance(status, int) else 0)


if __name__ == "__main__":
    main()
