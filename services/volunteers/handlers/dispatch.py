"""Dispatch: every open request of the community (or of one team) solved at once, re-dispatch of
places lost, and an offer to a volunteer chosen by hand under the same rules."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from eventlet import tpool
from sqlalchemy import and_, func, select
from sqlalchemy.sql.elements import ColumnElement

from services.volunteers import commands, domain
from services.volunteers import dispatch as solver
from services.volunteers.handlers import access
from services.volunteers.handlers.access import RC, VOL
from services.volunteers.handlers.registry import no_shows, recent_minutes
from services.volunteers.handlers.requests import kept_counts
from services.volunteers.models import Building, DispatchRound, Offer, ServiceRequest, Shift, Team, Volunteer
from shared.clock import Clock
from shared.db import UnitOfWork
from shared.errors import Conflict, NotFound, PermissionDenied
from shared.identity import Principal
from shared.vocabulary.volunteers import ErrorCode, OfferStatus, RequestStatus

# Requests and volunteers without a building are measured from the community's origin. The solver
# knows buildings by name (unique in a community), so that its explanations read well.
CENTRE = solver.Building("the community's origin", 0.0, 0.0)
# A round re-solves while it still places someone: the solver gives each volunteer at most one place
# per solve, and a volunteer free for two shifts should get both.
MAX_SOLVES = 8


def _buildings(uow: UnitOfWork, community_id: str) -> tuple[list[solver.Building], dict[str, str]]:
    """The community's buildings as the solver knows them, and each building's name by its id."""
    rows = list(uow.session.scalars(select(Building).where(Building.community_id == community_id)))
    return [CENTRE] + [solver.Building(b.name, b.x, b.y) for b in rows], {b.id: b.name for b in rows}


def _solver_request(
    request: ServiceRequest, places: int, excluded: set[str], at: datetime, names: dict[str, str]
) -> solver.ServiceRequest | None:
    """The request as the solver reads it, or None once it can no longer be served."""
    assert request.starts_at is not None and request.ends_at is not None  # an open request has its times
    starts_at = domain.dispatch_start(request.starts_at, at)
    window: solver.Shift | solver.FlexibleWindow
    if request.duration_minutes is None:
        if starts_at >= request.ends_at:
            return None
        window = solver.Shift(starts_at, request.ends_at)
    else:
        duration = timedelta(minutes=request.duration_minutes)
        if request.ends_at - starts_at < duration:
            return None
        window = solver.FlexibleWindow(starts_at, request.ends_at, duration)
    return solver.ServiceRequest(
        id=request.id,
        building=names.get(request.building_id or "", CENTRE.id),
        window=window,
        places=places,
        skills=dict(request.skills),
        certificates=frozenset(request.certificates),
        priority=domain.PRIORITY_RANK[request.priority],  # type: ignore[index]
        home_visit=request.home_visit,
        excluded=frozenset(excluded),
    )


def _hours(starts_at: datetime, ends_at: datetime) -> float:
    return (ends_at - starts_at).total_seconds() / 3600


class _Roster:
    """The community's volunteers and what they already hold, kept current as a round makes offers."""

    def __init__(self, uow: UnitOfWork, volunteers: list[Volunteer], at: datetime, names: dict[str, str]):
        ids = [v.id for v in volunteers]
        self.volunteers, self.names = volunteers, names
        self.bookings: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
        self.week_hours: dict[tuple[str, date], float] = defaultdict(float)
        # Live offers and booked shifts hold the volunteer's time; every kept shift counts to its week.
        for volunteer_id, starts_at, ends_at in uow.session.execute(
            select(Offer.volunteer_id, Offer.starts_at, Offer.ends_at).where(
                Offer.volunteer_id.in_(ids), Offer.status.in_(domain.LIVE_OFFER)
            )
        ):
            self.book(volunteer_id, starts_at, ends_at)
        for volunteer_id, starts_at, ends_at, status in uow.session.execute(
            select(Shift.volunteer_id, Shift.starts_at, Shift.ends_at, Shift.status).where(
                Shift.volunteer_id.in_(ids), Shift.status.in_(domain.KEPT_SHIFT)
            )
        ):
            if status in domain.BOOKED_SHIFT:
                self.bookings[volunteer_id].append((starts_at, ends_at))
            self.week_hours[volunteer_id, domain.week_of(starts_at)] += _hours(starts_at, ends_at)
        self.recent = recent_minutes(uow, ids, at)
        self.no_shows = no_shows(uow, ids)

    def book(self, volunteer_id: str, starts_at: datetime, ends_at: datetime) -> None:
        self.bookings[volunteer_id].append((starts_at, ends_at))
        self.week_hours[volunteer_id, domain.week_of(starts_at)] += _hours(starts_at, ends_at)

    def for_week(self, week: date) -> list[solver.Volunteer]:
        return [
            solver.Volunteer(
                id=v.id,
                building=self.names.get(v.building_id or "", CENTRE.id),
                skills=dict(v.skills),
                certificates={c["name"]: date.fromisoformat(c["expires_on"]) for c in v.certificates},
                availability=domain.parse_availability(v.availability),
                unavailable_dates=frozenset(date.fromisoformat(d) for d in v.unavailable_dates),
                weekly_cap_hours=float(v.weekly_cap_hours),
                hours_this_week=self.week_hours[v.id, week],
                hours_last_30_days=self.recent.get(v.id, 0) / 60,
                no_shows=self.no_shows.get(v.id, 0),
                home_visit_consent=v.home_visit_consent,
                identity_verified=v.identity_verified,
                bookings=tuple(self.bookings[v.id]),
            )
            for v in self.volunteers
        ]


def _dispatched(uow: UnitOfWork, offer: Offer, community_id: str) -> None:
    uow.emit(
        "volunteer.dispatched",
        {
            "offer_id": offer.id,
            "request_id": offer.request_id,
            "volunteer_id": offer.volunteer_id,
            "starts_at": offer.starts_at,
            "ends_at": offer.ends_at,
            "respond_by": offer.respond_by,
            "explanation": offer.explanation,
        },
        community_id=community_id,
    )


def run_round(
    uow: UnitOfWork, community_id: str, at: datetime, scope: ColumnElement[bool], run_by: str, reason: str
) -> tuple[DispatchRound, list[Offer]]:
    """One dispatch over every open request in ``scope`` with places nobody holds: the offers it
    makes (each with why) and why the other places stay unfilled."""
    session = uow.session
    # The community's volunteers are locked first, so rounds of one community run one at a time and
    # cannot offer one volunteer two overlapping places.
    volunteers = list(
        session.scalars(
            select(Volunteer)
            .where(Volunteer.community_id == community_id)
            .order_by(Volunteer.id)
            .with_for_update()
        )
    )
    requests = list(
        session.scalars(
            select(ServiceRequest)
            .where(
                ServiceRequest.community_id == community_id,
                ServiceRequest.status == RequestStatus.OPEN,
                ServiceRequest.ends_at > at,
                scope,
            )
            .order_by(ServiceRequest.id)
            .with_for_update()
        )
    )
    ids = [r.id for r in requests]
    asked: dict[str, set[str]] = defaultdict(set)  # everyone offered a request, whatever they answered
    held: dict[str, int] = defaultdict(int)
    for request_id, volunteer_id, status in session.execute(
        select(Offer.request_id, Offer.volunteer_id, Offer.status).where(Offer.request_id.in_(ids))
    ):
        asked[request_id].add(volunteer_id)
        held[request_id] += status in domain.LIVE_OFFER
    for request_id, volunteer_id, status in session.execute(
        select(Shift.request_id, Shift.volunteer_id, Shift.status).where(Shift.request_id.in_(ids))
    ):
        asked[request_id].add(volunteer_id)
        held[request_id] += status in domain.KEPT_SHIFT
    vacant = {r.id: domain.vacancies(r.places, held[r.id]) for r in requests}
    by_id = {r.id: r for r in requests}

    buildings, names = _buildings(uow, community_id)
    roster = _Roster(uow, volunteers, at, names)
    volunteer_by_id = {v.id: v for v in volunteers}
    dispatch_round = DispatchRound(community_id=community_id, run_by=run_by, reason=reason, run_at=at)
    uow.add(dispatch_round)
    uow.flush()
    offers: list[Offer] = []
    reasons: dict[str, str] = {}
    weeks: dict[date, list[str]] = defaultdict(list)
    for request in requests:
        probe = _solver_request(request, 1, set(), at, names)
        if probe is None:
            reasons[request.id] = "the window has passed"
        elif vacant[request.id]:
            weeks[domain.week_of(probe.window.bounds[0])].append(request.id)
    for week, request_ids in sorted(weeks.items()):
        for _ in range(MAX_SOLVES):
            wanted = [
                _solver_request(by_id[i], vacant[i], asked[i], at, names) for i in request_ids if vacant[i]
            ]
            if not wanted:
                break
            result = tpool.execute(solver.dispatch, wanted, roster.for_week(week), buildings)
            for unfilled in result.unfilled:
                reasons[unfilled.request_id] = unfilled.reason
            for chosen in result.assignments:
                offer = Offer(
                    request_id=chosen.request_id,
                    volunteer=volunteer_by_id[chosen.volunteer_id],
                    round_id=dispatch_round.id,
                    place=chosen.place,
                    starts_at=chosen.starts_at,
                    ends_at=chosen.ends_at,
                    cost=chosen.cost,
                    explanation=chosen.explanation,
                    status=OfferStatus.OFFERED,
                    offered_at=at,
                    respond_by=domain.response_deadline(at, chosen.starts_at),
                )
                uow.add(offer)
                offers.append(offer)
                asked[chosen.request_id].add(chosen.volunteer_id)
                vacant[chosen.request_id] -= 1
                roster.book(chosen.volunteer_id, chosen.starts_at, chosen.ends_at)
            if not result.assignments or not result.unfilled:
                break
    unfilled_places: list[dict[str, Any]] = []
    for request in requests:
        request.dispatched_at = request.dispatched_at or at
        request.unfilled_reason = reasons.get(request.id) if vacant[request.id] else None
        if request.unfilled_reason:
            unfilled_places.extend(
                {"request_id": request.id, "place": place, "reason": request.unfilled_reason}
                for place in range(request.places - vacant[request.id], request.places)
            )
    dispatch_round.unfilled = unfilled_places
    uow.flush()
    for offer in offers:
        _dispatched(uow, offer, community_id)
    return dispatch_round, offers


def dispatch(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.Dispatch
) -> DispatchRound:
    """Dispatch over every open request at once: the committee's whole community, or one team's requests
    (its leader's, or the committee's choice)."""
    principal.require(RC, VOL)
    at = clock.now()
    with uow:
        team_id = command.team_id
        if team_id is not None:
            team = uow.get(Team, team_id)
            if team is None or team.community_id != principal.community_id:
                raise NotFound("no such team", field="team_id", code=ErrorCode.NOT_FOUND)
        if principal.is_a(VOL) and (team_id is None or team_id not in access.led_teams(uow, principal)):
            if team_id is None:
                raise PermissionDenied(
                    "a team leader dispatches its own team's requests", code=ErrorCode.PERMISSION_DENIED
                )
            raise NotFound("no such team", field="team_id", code=ErrorCode.NOT_FOUND)
        scope = ServiceRequest.team_id == team_id if team_id else ServiceRequest.id.is_not(None)
        assert principal.community_id is not None  # who dispatches belongs to a community
        dispatch_round, offers = run_round(
            uow, principal.community_id, at, scope, principal.party_id, domain.RoundReason.DISPATCH
        )
        uow.commit()
        dispatch_round.offers = offers
        return dispatch_round


def redispatch(uow: UnitOfWork, community_id: str, at: datetime, run_by: str, reason: str) -> None:
    """The next best for places lost to a decline, an unanswered offer or a no-show: the requests
    already in dispatch are solved again."""
    run_round(uow, community_id, at, ServiceRequest.dispatched_at.is_not(None), run_by, reason)


def assign_volunteer(
    uow: UnitOfWork, clock: Clock, principal: Principal, command: commands.AssignVolunteer
) -> Offer:
    """An offer to a volunteer chosen by hand, if the dispatch rules let that volunteer take a place."""
    principal.require(RC, VOL)
    at = clock.now()
    with uow:
        request = access.request_of(uow, principal, command.request_id, lock=True)
        if not access.may_manage(uow, principal, request):
            raise NotFound("no such service request", field="request_id", code=ErrorCode.NOT_FOUND)
        volunteer = access.volunteer_in_community(
            uow, request.community_id, command.volunteer_id, "volunteer_id"
        )
        if not uow.session.scalar(
            select(Volunteer.id).where(
                Volunteer.id == volunteer.id, access.visible_volunteers(uow, principal)
            )
        ):  # a team leader picks among the volunteers it sees: itself and its members
            raise NotFound("no such volunteer", field="volunteer_id", code=ErrorCode.NOT_FOUND)
        # The same locks as a round: no concurrent round can book this volunteer meanwhile.
        uow.session.scalar(select(Volunteer.id).where(Volunteer.id == volunteer.id).with_for_update())
        if request.status != RequestStatus.OPEN:
            raise Conflict(
                f"this request is {request.status}",
                field="request_id",
                code=domain.REQUEST_STATE_CODE[RequestStatus(request.status)],
            )
        if uow.session.scalar(
            select(Offer.id).where(Offer.request_id == request.id, Offer.volunteer_id == volunteer.id)
        ):
            raise Conflict(
                "this volunteer was offered this request before",
                field="volunteer_id",
                code=ErrorCode.ALREADY_OFFERED,
            )
        live = uow.session.scalar(
            select(func.count()).where(Offer.request_id == request.id, Offer.status.in_(domain.LIVE_OFFER))
        )
        kept = kept_counts(uow, [request.id]).get(request.id, 0)
        if not domain.vacancies(request.places, (live or 0) + kept):
            raise Conflict("every place of this request is taken", field="request_id", code=ErrorCode.FILLED)
        buildings, names = _buildings(uow, request.community_id)
        wanted = _solver_request(request, 1, set(), at, names)
        if wanted is None:
            raise Conflict("the window of this request has passed", field="request_id", code=ErrorCode.PASSED)
        roster = _Roster(uow, [volunteer], at, names)
        result = solver.dispatch(
            [wanted], roster.for_week(domain.week_of(wanted.window.bounds[0])), buildings
        )
        if not result.assignments:
            raise Conflict(result.unfilled[0].reason, field="volunteer_id", code=ErrorCode.NOT_ELIGIBLE)
        (chosen,) = result.assignments
        offer = Offer(
            request_id=request.id,
            volunteer=volunteer,
            place=(live or 0) + kept,
            starts_at=chosen.starts_at,
            ends_at=chosen.ends_at,
            cost=chosen.cost,
            explanation=f"chosen by hand; {chosen.explanation}",
            status=OfferStatus.OFFERED,
            offered_at=at,
            respond_by=domain.response_deadline(at, chosen.starts_at),
        )
        uow.add(offer)
        request.dispatched_at = request.dispatched_at or at
        uow.flush()
        _dispatched(uow, offer, request.community_id)
        uow.commit()
        return offer


def get_rounds(uow: UnitOfWork, clock: Clock, principal: Principal, ids: list[str]) -> list[DispatchRound]:
    """The committee's community's rounds; a team leader the dispatches it ran for its team (not the
    community-wide re-dispatch that a volunteer's decline starts). Their offers in one query."""
    with uow:
        query = select(DispatchRound).where(
            DispatchRound.id.in_(ids), DispatchRound.community_id == principal.community_id
        )
        if principal.is_a(VOL):
            query = query.where(
                and_(
                    DispatchRound.run_by == principal.party_id,
                    DispatchRound.reason == domain.RoundReason.DISPATCH,
                )
            )
        elif not principal.is_a(RC):
            return []
        rounds = list(uow.session.scalars(query))
        offers: dict[str, list[Offer]] = defaultdict(list)
        for offer in uow.session.scalars(select(Offer).where(Offer.round_id.in_([r.id for r in rounds]))):
            offers[offer.round_id or ""].append(offer)
        for each in rounds:
            each.offers = offers[each.id]
        return rounds
