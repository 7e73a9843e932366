"""Signing in and out, and the audit log, in the GraphQL schema."""

from __future__ import annotations

import graphene
from sqlalchemy import select

from gateway import accounts, audit
from gateway.models import AuditEntry as AuditEntryRecord
from gateway.schema.common import DateTime, Node, Payload, expose, fetched_locally, one_of
from gateway.schema.connections import connection, list_field
from gateway.schema.context import RequestContext
from shared import paging
from shared.identity import PartyType
from shared.vocabulary.gateway import AuditOutcome


class Session(graphene.ObjectType):
    access_token = graphene.String(required=True, description="Send as 'Authorization: Bearer …'.")
    refresh_token = graphene.String(required=True, description="Trade for new tokens with refreshSession.")
    access_expires_at = DateTime(required=True)


class SignInInput(graphene.InputObjectType):
    username = graphene.String(required=True)
    password = graphene.String(required=True)


class SignIn(Payload, graphene.Mutation):
    class Arguments:
        input = SignInInput(required=True)

    session = graphene.Field(Session)

    @classmethod
    def mutate(cls, root, info, input):
        def action(ctx):
            tokens = accounts.sign_in(ctx.accounts, input["username"], input["password"], ctx.client_address)
            return {"session": Session(**vars(tokens))}

        return cls.run(info, action)


class RefreshSessionInput(graphene.InputObjectType):
    refresh_token = graphene.String(required=True)


class RefreshSession(Payload, graphene.Mutation):
    """New tokens for a refresh token; the refresh token given stops working."""

    class Arguments:
        input = RefreshSessionInput(required=True)

    session = graphene.Field(Session)

    @classmethod
    def mutate(cls, root, info, input):
        def action(ctx):
            return {"session": Session(**vars(accounts.refresh(ctx.accounts, input["refresh_token"])))}

        return cls.run(info, action)


class SignOut(Payload, graphene.Mutation):
    """End this sign-in: its access and refresh tokens and the calendar address stop working at once."""

    signed_out = graphene.Boolean(required=True)

    @classmethod
    def mutate(cls, root, info):
        def action(ctx):
            accounts.sign_out(ctx.accounts, ctx.principal)
            return {"signed_out": True}

        return cls.run(info, action)


class RotateCalendarKey(Payload, graphene.Mutation):
    """A new address for this account's iCalendar (RFC 5545) feed, for a calendar app to subscribe to:
    the party's joint meetings, or a volunteer's accepted shifts. The previous address stops working at
    once. Only the key's hash is kept: the address is shown here, once."""

    calendar_url = graphene.String()

    @classmethod
    def mutate(cls, root, info):
        def action(ctx):
            key = accounts.rotate_calendar_key(ctx.accounts, ctx.principal)
            return {"calendar_url": f"{ctx.base_url}calendar/{key}.ics"}

        return cls.run(info, action)


class RevokeCalendarKey(Payload, graphene.Mutation):
    """This account's calendar feed address stops working at once."""

    revoked = graphene.Boolean(required=True, description="False when there was no address to revoke.")

    @classmethod
    def mutate(cls, root, info):
        def action(ctx):
            return {"revoked": accounts.revoke_calendar_key(ctx.accounts, ctx.principal)}

        return cls.run(info, action)


class About(graphene.ObjectType):
    name = graphene.String(required=True)
    sign_in = graphene.String(required=True)


def resolve_about(root, info):
    return About(
        name="Gongzhi 共治 community co-governance platform",
        sign_in='mutation { signIn(input: {username: "…", password: "…"}) '
        "{ session { accessToken refreshToken } errors { field code message } } }",
    )


def _entries_by_id(ctx, ids: list[str]) -> list[dict]:
    """The audit entries among ``ids`` of the party's community or district (node(id:))."""
    columns = AuditEntryRecord.__table__.columns.keys()
    return [
        {c: getattr(entry, c) for c in columns}
        for entry in audit.entries_by_id(ctx.accounts, ctx.principal, ids)
    ]


@fetched_locally(_entries_by_id)
class AuditEntry(graphene.ObjectType):
    """One mutation as it was asked for and answered."""

    class Meta:
        interfaces = (Node,)

    at = DateTime(required=True)
    action = graphene.String(required=True)
    outcome = graphene.String(required=True, description=one_of(AuditOutcome))
    error_codes = graphene.List(graphene.NonNull(graphene.String), required=True)
    account_id = graphene.ID()
    username = graphene.String()
    party_type = graphene.String()
    party_id = graphene.ID()
    arguments = graphene.JSONString(required=True, description="With passwords and tokens redacted.")
    correlation_id = graphene.String(required=True)


AuditEntryConnection = connection(AuditEntry)


class AuditFilter(graphene.InputObjectType):
    action = graphene.String(description="A mutation's name, e.g. awardProject.")
    outcome = graphene.String(description=one_of(AuditOutcome))
    account_id = graphene.ID()


# The audit log's one order, newest first (the id breaks ties), and its filters: each an equality.
AUDIT_LISTING = paging.Listing(
    id=AuditEntryRecord.id,
    orders={"-at": [paging.desc(AuditEntryRecord.at)]},
    default_order="-at",
    filters={
        "action": paging.equals(AuditEntryRecord.action),
        "outcome": paging.equals(AuditEntryRecord.outcome),
        "account_id": paging.equals(AuditEntryRecord.account_id),
    },
)
_COLUMNS = AuditEntryRecord.__table__.columns.keys()


def _audit_page(ctx: RequestContext, page: dict) -> dict:
    """One page of the audit entries of the party's community or district, cut in SQL."""
    request = paging.PageRequest.from_wire(page)
    scope = audit._scope(ctx.principal) if ctx.principal is not None else None
    if scope is None:
        return paging.Page([], [], False, False, 0 if request.with_total else None).to_wire([])
    with ctx.accounts as uow:
        found = paging.page_of(uow.session, select(AuditEntryRecord).where(scope), request, AUDIT_LISTING)
        rows = [{c: getattr(entry, c) for c in _COLUMNS} for entry in found.rows]
    return found.to_wire(rows)


def audit_log_field():
    return list_field(AuditEntryConnection, _audit_page, AuditFilter)


ANONYMOUS_QUERIES = [expose("about", lambda: graphene.Field(About, required=True, resolver=resolve_about))]
ANONYMOUS_MUTATIONS = [expose("sign_in", SignIn.Field), expose("refresh_session", RefreshSession.Field)]
QUERIES = [
    expose(
        "audit_log",
        audit_log_field,
        PartyType.RESIDENTS_COMMITTEE,
        PartyType.STREET_OFFICE,
    ),
]
MUTATIONS = [
    expose("sign_out", SignOut.Field, *PartyType),
    expose("rotate_calendar_key", RotateCalendarKey.Field, *PartyType),
    expose("revoke_calendar_key", RevokeCalendarKey.Field, *PartyType),
]
