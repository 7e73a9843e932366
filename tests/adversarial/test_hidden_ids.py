"""A hidden id answers exactly like an unknown one, and a visible one resolves.

Community A has the demo's whole history; community B (another district) has every party type.
As each party of B, every mutation of its schema is tried on A's records and then on random ids of
the same types that exist nowhere: once the ids are replaced by a placeholder, the two answers are
the same bytes (same code, field and message; nothing that tells that A's record exists). So is
``node(id:)`` for every id of A's. Then, as each party of A, every type implementing ``Node`` in its
schema resolves through ``node(id:)`` for a record of that type the party sees in its own lists.
"""

from __future__ import annotations

import base64
import json
import uuid
from datetime import datetime, timedelta, timezone

from graphql import (
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    get_named_type,
)
from graphql_relay import from_global_id, to_global_id

from gateway.schema.common import NODE_FETCHERS
from gateway.schema.parties import SCHEMAS
from shared.identity import PartyType, Principal
from tests.e2e import test_isolation_matrix as matrix

world = matrix.world  # community A with the demo's history, community B with every party
ask = matrix.ask

NODE_TYPES = frozenset(
    name
    for schema in SCHEMAS.values()
    for name, type_ in schema.graphql_schema.type_map.items()
    if isinstance(type_, GraphQLObjectType) and any(i.name == "Node" for i in type_.interfaces)
)


# Types whose global IDs inputs take: the Node types, and places and parties of the directory.
ID_TYPES = NODE_TYPES | {"Place", "Party"}


def _decoded(value: str) -> tuple[str, str] | None:
    """(type, raw id) if ``value`` is a global ID of one of the schemas' types."""
    try:
        base64.b64decode(value, validate=True)
        type_name, raw = from_global_id(value)
    except Exception:
        return None
    return (type_name, raw) if type_name in ID_TYPES and raw else None


def _with_unknown_ids(value, replaced: dict[str, str]):
    """``value`` with every global ID swapped for a random one of the same type (kept in ``replaced``)."""
    if isinstance(value, dict):
        return {k: _with_unknown_ids(v, replaced) for k, v in value.items()}
    if isinstance(value, list):
        return [_with_unknown_ids(v, replaced) for v in value]
    if isinstance(value, str) and (decoded := _decoded(value)):
        if value not in replaced:
            replaced[value] = to_global_id(decoded[0], str(uuid.uuid4()))
        return replaced[value]
    return value


def _normalised(answer: dict, ids: set[str]) -> str:
    """The answer's bytes with every id asked about (global and raw) replaced by a placeholder."""
    text = json.dumps(answer, ensure_ascii=False, sort_keys=True)
    raw = {decoded[1] for i in ids if (decoded := _decoded(i))}
    for value in sorted(ids | raw, key=len, reverse=True):
        text = text.replace(value, "<id>")
    return text


def _fields_named_none(answer) -> list:
    """Every user error or GraphQL error whose field reads "None" (a stringified null)."""
    found = []
    if isinstance(answer, dict):
        if answer.get("field") == "None":
            found.append(answer)
        for value in answer.values():
            found += _fields_named_none(value)
    elif isinstance(answer, list):
        for value in answer:
            found += _fields_named_none(value)
    return found


def test_a_hidden_id_answers_exactly_like_an_unknown_one(platform, world):
    attempts = matrix.mutation_attempts(world)
    a_ids = [i for group in world["ids"].values() for i in group]
    extra = ("milestone", "amendment", "claim", "resolution", "action_item", "agenda_item", "complaint")
    a_ids += [world[key] for key in extra]
    compared = 0
    for party, schema in SCHEMAS.items():
        mutation_type = schema.graphql_schema.mutation_type
        mutations = mutation_type.fields if mutation_type else {}
        outsider = world["b"][party]
        for name, (document, variables) in attempts.items():
            if name not in mutations:
                continue
            replaced: dict[str, str] = {}
            unknown_variables = _with_unknown_ids(variables, replaced)
            assert replaced, f"{name} names no record"
            hidden = ask(platform, outsider, document, {"i": variables})
            unknown = ask(platform, outsider, document, {"i": unknown_variables})
            ids = set(replaced) | set(replaced.values())
            assert _normalised(hidden, ids) == _normalised(unknown, ids), (party, name, hidden, unknown)
            assert not _fields_named_none(hidden), (party, name, hidden)
            codes = {e["code"] for e in hidden["data"][name]["errors"]}
            assert codes and codes <= {"not_found", "permission_denied"}, (party, name, hidden)
            compared += 1

        for node_id in a_ids:
            replaced = {}
            unknown_id = _with_unknown_ids(node_id, replaced)
            query = "query($id: ID!) { node(id: $id) { id __typename } }"
            hidden = ask(platform, outsider, query, {"id": node_id})
            unknown = ask(platform, outsider, query, {"id": unknown_id})
            assert hidden == unknown == {"data": {"node": None}}, (party, node_id, hidden)
    assert compared >= 60, compared

    # A refusal that names no input says so with null, never the string "None".
    volunteer = world["a"][PartyType.VOLUNTEER]  # it leads no team: it may not open a request
    answer = ask(
        platform,
        volunteer,
        """mutation { openServiceRequest(input: {title: "x", skills: [{skill: "x"}], places: 1,
             startsAt: "2099-01-01T10:00:00+08:00", endsAt: "2099-01-01T11:00:00+08:00", location: "x"})
           { serviceRequest { id } errors { field code message } } }""",
    )
    (error,) = answer["data"]["openServiceRequest"]["errors"]
    assert error["code"] == "permission_denied"
    assert error["field"] is None


# Every Node type resolves for a party that sees one ------------------------------------------------

PAGE = 3
OBJECT_DEPTH = 3


def _unwrapped(type_):
    while isinstance(type_, (GraphQLNonNull, GraphQLList)):
        type_ = type_.of_type
    return type_


def _selection(type_, depth: int) -> str:
    """Every id reachable from ``type_`` within ``depth`` objects, connections paged by ``PAGE``."""
    parts = ["__typename"]
    if "id" in type_.fields:
        parts.append("id")
    if depth == 0:
        return " ".join(parts)
    for name, field in type_.fields.items():
        if any(isinstance(arg.type, GraphQLNonNull) for arg in field.args.values()):
            continue  # a field that needs an argument (a report's grouping, say)
        target = get_named_type(field.type)
        if not isinstance(target, (GraphQLObjectType, GraphQLInterfaceType)) or name == "node":
            continue
        if "edges" in target.fields:  # a Relay connection
            node_type = _unwrapped(_unwrapped(target.fields["edges"].type).fields["node"].type)
            inner = _selection(node_type, depth - 1)
            parts.append(f"{name}(first: {PAGE}) {{ edges {{ node {{ {inner} }} }} }}")
        else:
            parts.append(f"{name} {{ {_selection(target, depth - 1)} }}")
    return " ".join(parts)


def _collect(value, found: dict[str, set[str]]) -> None:
    if isinstance(value, dict):
        if isinstance(value.get("id"), str) and value.get("__typename") in NODE_TYPES:
            found.setdefault(value["__typename"], set()).add(value["id"])
        for inner in value.values():
            _collect(inner, found)
    elif isinstance(value, list):
        for inner in value:
            _collect(inner, found)


def _visible_ids(platform, token: str, schema) -> dict[str, set[str]]:
    """Each Node type's ids the party sees through its own root fields."""
    found: dict[str, set[str]] = {}
    query_type = schema.graphql_schema.query_type
    for name, field in query_type.fields.items():
        if name == "node" or any(isinstance(a.type, GraphQLNonNull) for a in field.args.values()):
            continue
        target = get_named_type(field.type)
        if not isinstance(target, GraphQLObjectType):
            continue
        for depth in range(OBJECT_DEPTH, 0, -1):  # shallower when a limit (cost, depth) refuses it
            if "edges" in target.fields:
                node_type = _unwrapped(_unwrapped(target.fields["edges"].type).fields["node"].type)
                inner = _selection(node_type, depth)
                query = f"{{ {name}(first: {PAGE}) {{ edges {{ node {{ {inner} }} }} }} }}"
            else:
                query = f"{{ {name} {{ {_selection(target, depth)} }} }}"
            answer = ask(platform, token, query)
            if answer.get("data") is not None:
                break
        _collect(answer.get("data"), found)
    return found


def _ok(answer: dict, name: str) -> dict:
    assert "errors" not in answer and not answer["data"][name]["errors"], answer
    return answer["data"][name]


def _raw(global_id: str) -> str:
    return from_global_id(global_id)[1]


def _more_history(platform, world, databases) -> tuple[dict[PartyType, list[str]], dict[str, dict[str, set]]]:
    """What the demo leaves out for some parties, made as those parties would: a dispatch round of
    the committee's and of the team leader's, a service request of the owners' committee's compound
    with an offer and a shift, an action item escalated to the office, and the other bidder (whose
    complaint the demo has) signed in. Answers each party type's tokens, and ids the mutations gave."""
    from sqlalchemy import text

    a = world["a"]
    committee, owners, office = (
        a[PartyType.RESIDENTS_COMMITTEE],
        a[PartyType.OWNERS_COMMITTEE],
        a[PartyType.STREET_OFFICE],
    )
    tokens = {party: [token] for party, token in a.items()}
    given: dict[str, dict[str, set]] = {}

    def remember(token: str, type_name: str, node_id: str) -> None:
        given.setdefault(token, {}).setdefault(type_name, set()).add(node_id)

    round_ = _ok(
        ask(
            platform,
            committee,
            "mutation { dispatchVolunteers(input: {}) { dispatchRound { id } errors { code } } }",
        ),
        "dispatchVolunteers",
    )
    remember(committee, "DispatchRound", round_["dispatchRound"]["id"])

    seen = ask(
        platform,
        committee,
        "{ viewer { district { id } community { id } } "
        "teams { edges { node { id leader { id } } } } volunteers { edges { node { id name } } } }",
    )
    data = seen["data"]
    place = {
        "district_id": _raw(data["viewer"]["district"]["id"]),
        "community_id": _raw(data["viewer"]["community"]["id"]),
    }
    team = data["teams"]["edges"][0]["node"]
    leader = platform.token(Principal("leader", PartyType.VOLUNTEER, _raw(team["leader"]["id"]), **place))
    tokens[PartyType.VOLUNTEER].append(leader)
    led = _ok(
        ask(
            platform,
            leader,
            "mutation($t: ID!) { dispatchVolunteers(input: {teamId: $t}) "
            "{ dispatchRound { id } errors { code } } }",
            {"t": team["id"]},
        ),
        "dispatchVolunteers",
    )
    remember(leader, "DispatchRound", led["dispatchRound"]["id"])

    in_three_days = (datetime.now(timezone.utc) + timedelta(days=3)).replace(hour=2, minute=0, second=0)
    opened = _ok(
        ask(
            platform,
            owners,
            """mutation($s: DateTime!, $e: DateTime!) { openServiceRequest(input: {title: "Stairwell sweep",
                 skills: [{skill: "cleaning", level: 1}], places: 1, startsAt: $s, endsAt: $e,
                 location: "Lakeside Garden"}) { serviceRequest { id } errors { code message } } }""",
            {"s": in_three_days.isoformat(), "e": (in_three_days + timedelta(hours=1)).isoformat()},
        ),
        "openServiceRequest",
    )
    request_id = opened["serviceRequest"]["id"]
    wang = next(e["node"]["id"] for e in data["volunteers"]["edges"] if "Wang" in e["node"]["name"])
    offer = _ok(
        ask(
            platform,
            committee,
            "mutation($r: ID!, $v: ID!) { assignVolunteer(input: {requestId: $r, "
            "volunteerId: $v}) { offer { id } errors { code message } } }",
            {"r": request_id, "v": wang},
        ),
        "assignVolunteer",
    )
    _ok(
        ask(
            platform,
            a[PartyType.VOLUNTEER],
            "mutation($o: ID!) { acceptOffer(input: {offerId: $o}) "
            "{ shift { id } errors { code message } } }",
            {"o": offer["offer"]["id"]},
        ),
        "acceptOffer",
    )

    # The demo's open action items, a week and a day past their due date: escalated to the office.
    with databases["meetings"].begin() as connection:
        connection.execute(
            text("UPDATE action_item SET due_at = :due WHERE status IN ('open', 'in_progress')"),
            {"due": datetime.now(timezone.utc) - timedelta(days=8)},
        )

    complaints = ask(platform, office, "{ complaints { edges { node { complainant { id } } } } }")
    complainant = complaints["data"]["complaints"]["edges"][0]["node"]["complainant"]["id"]
    rival = platform.token(Principal("rival", PartyType.SOCIAL_ORGANISATION, _raw(complainant)))
    tokens[PartyType.SOCIAL_ORGANISATION].append(rival)
    return tokens, given


def test_every_node_type_resolves_for_a_party_that_sees_one(platform, world, databases):
    tokens, given = _more_history(platform, world, databases)
    # An audit entry for the committee's and the office's log: one refused mutation, through the gateway.
    committee = world["a"][PartyType.RESIDENTS_COMMITTEE]
    ask(
        platform,
        committee,
        'mutation { acceptAgendaItem(input: {agendaItemId: "QWdlbmRhSXRlbTp4"}) { errors { code } } }',
    )
    missing = {}
    for party, schema in SCHEMAS.items():
        node_interface = schema.graphql_schema.get_type("Node")
        types = {t.name for t in schema.graphql_schema.get_possible_types(node_interface)}
        assert types <= set(NODE_FETCHERS), (party, sorted(types - set(NODE_FETCHERS)))
        seen_by = {token: _visible_ids(platform, token, schema) for token in tokens[party]}
        for token, more in given.items():
            for type_name, ids in more.items():
                if token in seen_by:
                    seen_by[token].setdefault(type_name, set()).update(ids)
        for type_name in sorted(types):
            found = [
                (token, node_id)
                for token, seen in seen_by.items()
                for node_id in sorted(seen.get(type_name, ()))
            ]
            if not found:
                missing.setdefault(party.value, []).append(type_name)
            for token, node_id in found[:2]:
                answer = ask(
                    platform, token, "query($id: ID!) { node(id: $id) { id __typename } }", {"id": node_id}
                )
                assert answer == {"data": {"node": {"id": node_id, "__typename": type_name}}}, (
                    party,
                    type_name,
                    answer,
                )
    assert not missing, f"no record of these types is seen by these parties: {missing}"


def test_a_malformed_id_is_null_like_any_unknown_one(platform):
    token = platform.token(Principal("a", PartyType.RESIDENTS_COMMITTEE, "p", "d", "c"))
    for value in (
        "bm90IGJhc2U2NA",  # decodes to no type
        "%%%",  # not base64 at all
        "TWVldGluZzo=",  # "Meeting:" with no id
        to_global_id("Meeting", str(uuid.uuid4())),  # no such meeting
        to_global_id("Bid", str(uuid.uuid4())),  # a type outside the committee's view... or not
    ):
        answer = ask(platform, token, "query($id: ID!) { node(id: $id) { id } }", {"id": value})
        assert answer == {"data": {"node": None}}, value
