"""Use cases of the matching service: each one unit of work, rules from the domain."""

from __future__ import annotations

import os
from datetime import datetime, timedelta

from sqlalchemy import func, select

from services.matching import domain, open_data
from services.matching.models import (
    Assessment,
    Award,
    Bid,
    Claim,
    Complaint,
    Evaluation,
    ListEntry,
    Notice,
    OcdsRelease,
    Organisation,
    Project,
    opened_bids,
)
from shared import config
from shared.db import UnitOfWork, new_id, now
from shared.errors import Conflict, NotFound, PermissionDenied
from shared.events import Event
from shared.identity import PartyType, Principal
from shared.releases import stored_releases

OCID_PREFIX = os.environ.get("GONGZHI_OCID_PREFIX", "ocds-gz0001")


# The registry ----------------------------------------------------------------------------


def register_organisation(uow: UnitOfWork, data: dict, district_of: dict[str, str]) -> Organisation:
    """A filing with the sub-district office of ``district_id``, for communities of its district
    (``district_of``: the directory's district of each community named); the organisation waits for
    the office's review before it may bid."""
    code = domain.check_credit_code(data["credit_code"])
    communities = domain.check_communities_served(data["community_ids"], data["district_id"], district_of)
    with uow:
        if uow.session.scalar(select(Organisation.id).where(Organisation.credit_code == code)):
            raise Conflict(
                "an organisation with this credit code is registered", field="credit_code", code="duplicate"
            )
        organisation = Organisation(
            credit_code=code,
            name=data["name"],
            legal_form=data["legal_form"],
            categories=sorted(set(data["categories"])),
            community_ids=communities,
            district_id=data["district_id"],
            staff_count=data["staff_count"],
            qualifications=data["qualifications"],
            status="pending",
        )
        uow.session.add(organisation)
        uow.session.flush()
        uow.emit(
            "organisation.registered",
            {"organisation_id": organisation.id, "name": organisation.name, "credit_code": code},
            community_id=None,
        )
        uow.commit()
        return organisation


def update_filing(
    uow: UnitOfWork, principal: Principal, data: dict, district_of: dict[str, str]
) -> Organisation:
    """The organisation keeps its filing current; a changed filing goes back to review. The
    communities it serves stay within its office's district (``district_of`` as at registration)."""
    principal.require(PartyType.SOCIAL_ORGANISATION)
    with uow:
        organisation = _organisation_of(uow, principal)
        if data.get("community_ids") is not None:
            domain.check_communities_served(data["community_ids"], organisation.district_id, district_of)
        for field_name in ("name", "categories", "community_ids", "staff_count", "qualifications"):
            if data.get(field_name) is not None:
                value = data[field_name]
                setattr(
                    organisation,
                    field_name,
                    sorted(set(value)) if field_name in ("categories", "community_ids") else value,
                )
        if organisation.status in ("approved", "changes_requested", "rejected"):
            organisation.status = "pending"
        uow.commit()
        return organisation


def _filing_for_office(uow: UnitOfWork, principal: Principal, organisation_id: str) -> Organisation:
    principal.require(PartyType.STREET_OFFICE)
    organisation = uow.session.scalar(
        select(Organisation).where(Organisation.id == organisation_id).with_for_update()
    )
    if organisation is None or organisation.district_id != principal.district_id:
        raise NotFound("no such organisation filed with your office", field="organisation_id")
    return organisation


def review_filing(uow: UnitOfWork, principal: Principal, data: dict) -> Organisation:
    with uow:
        organisation = _filing_for_office(uow, principal, data["organisation_id"])
        organisation.status = domain.review_filing(organisation.status, data["decision"], data["reason"])
        organisation.review_note, organisation.reviewed_at = data["reason"], now()
        uow.commit()
        return organisation


def set_suspension(uow: UnitOfWork, principal: Principal, data: dict) -> Organisation:
    with uow:
        organisation = _filing_for_office(uow, principal, data["organisation_id"])
        organisation.status = domain.check_suspension(organisation.status, data["suspend"])
        organisation.review_note, organisation.reviewed_at = data["reason"], now()
        uow.commit()
        return organisation


def list_filings(uow: UnitOfWork, principal: Principal) -> list[Organisation]:
    """The sub-district office's register; an organisation sees its own filing."""
    with uow:
        query = select(Organisation).order_by(Organisation.registered_at, Organisation.id)
        if principal.is_a(PartyType.STREET_OFFICE):
            return list(uow.session.scalars(query.where(Organisation.district_id == principal.district_id)))
        if principal.is_a(PartyType.SOCIAL_ORGANISATION):
            return list(uow.session.scalars(query.where(Organisation.id == principal.party_id)))
        return []


def find_organisations(uow: UnitOfWork, criteria: dict) -> list[Organisation]:
    """Operators' commands: the organisation with this id, or this credit code (checked first)."""
    with uow:
        if criteria.get("credit_code") is not None:
            code = domain.check_credit_code(criteria["credit_code"])
            return list(uow.session.scalars(select(Organisation).where(Organisation.credit_code == code)))
        if criteria.get("id") is not None:
            return list(uow.session.scalars(select(Organisation).where(Organisation.id == criteria["id"])))
        return []


def get_organisations(uow: UnitOfWork, ids: list[str]) -> list[Organisation]:
    with uow:
        return list(uow.session.scalars(select(Organisation).where(Organisation.id.in_(ids))))


# Projects --------------------------------------------------------------------------------


def _new_project(community_id: str, **fields) -> Project:
    project_id = new_id()
    fields.setdefault("weights", dict(domain.DEFAULT_WEIGHTS))
    return Project(
        id=project_id, ocid=f"{OCID_PREFIX}-{project_id}", community_id=community_id, status="draft", **fields
    )


def _emit_drafted(uow: UnitOfWork, project: Project) -> None:
    uow.emit(
        "project.drafted",
        {
            "project_id": project.id,
            "title": project.title,
            "source_resolution_id": project.source_resolution_id,
        },
        community_id=project.community_id,
    )


def create_project(uow: UnitOfWork, principal: Principal, data: dict) -> Project:
    """A project created directly, or from an entry of the demand list."""
    principal.require(PartyType.RESIDENTS_COMMITTEE)
    data = {**data, "weights": data.get("weights") or dict(domain.DEFAULT_WEIGHTS)}
    domain.check_terms(data["weights"], data.get("period_start"), data.get("period_end"))
    with uow:
        demand_id = data.pop("demand_id", None)
        if demand_id:
            demand = uow.session.get(ListEntry, demand_id)
            if demand is None or demand.kind != "demand" or demand.community_id != principal.community_id:
                raise NotFound("no such demand of your community", field="demand_id")
            data["source_demand_id"] = demand.id
            data["description"] = data.get("description") or demand.description
        project = _new_project(principal.community_id, **data)
        uow.session.add(project)
        _emit_drafted(uow, project)
        uow.commit()
        return project


def draft_project_from_resolution(uow: UnitOfWork, event: Event) -> Project | None:
    """A joint meeting resolved to purchase a service: draft the project for the committee."""
    if event.data["decision_type"] != "purchase_service":
        with uow:
            uow.commit()  # recorded as handled: nothing to do for other decisions
        return None
    domain.check_purchase_terms(event.data["budget"], event.data["category"])
    with uow:
        project = _new_project(
            event.community_id,
            title=event.data["title"],
            description=event.data["text"],
            category=event.data["category"],
            budget=event.data["budget"],
            source_resolution_id=event.data["resolution_id"],
        )
        uow.session.add(project)
        _emit_drafted(uow, project)
        uow.commit()
        return project


def _organisation_of(uow: UnitOfWork, principal: Principal) -> Organisation:
    organisation = uow.session.get(Organisation, principal.party_id)
    if organisation is None:
        raise NotFound("your organisation is not in the registry", field="organisation_id")
    return organisation


def _eligible(organisation: Organisation, project: Project, district_id: str | None) -> bool:
    """Whether the organisation may bid on the project of that district (a draft's district is its
    committee's; a published project keeps it)."""
    return domain.is_eligible(
        organisation.status,
        organisation.categories,
        organisation.community_ids,
        project.category,
        project.community_id,
        organisation.qualifications,
        project.required_qualifications,
        org_district_id=organisation.district_id,
        district_id=district_id,
    )


def _may_see_project(uow: UnitOfWork, principal: Principal, project: Project) -> bool:
    if principal.is_a(PartyType.RESIDENTS_COMMITTEE):
        return project.community_id == principal.community_id
    if principal.is_a(PartyType.STREET_OFFICE):
        return project.status != "draft" and project.district_id == principal.district_id
    if principal.is_a(PartyType.SOCIAL_ORGANISATION):
        if project.status == "draft":
            return False
        organisation = _organisation_of(uow, principal)
        has_bid = uow.session.scalar(
            select(Bid.id).where(Bid.project_id == project.id, Bid.organisation_id == organisation.id)
        )
        return has_bid is not None or _eligible(organisation, project, project.district_id)
    return False


def _visible_project(uow: UnitOfWork, principal: Principal, project_id: str, lock: bool = False) -> Project:
    query = select(Project).where(Project.id == project_id)
    project = uow.session.scalar(query.with_for_update() if lock else query)
    if project is None or not _may_see_project(uow, principal, project):
        raise NotFound("no such project", field="project_id")
    return project


def list_projects(uow: UnitOfWork, principal: Principal) -> list[Project]:
    with uow:
        query = select(Project).order_by(Project.created_at.desc(), Project.id)
        if principal.is_a(PartyType.RESIDENTS_COMMITTEE):
            return list(uow.session.scalars(query.where(Project.community_id == principal.community_id)))
        if principal.is_a(PartyType.SOCIAL_ORGANISATION):
            candidates = uow.session.scalars(query.where(Project.status != "draft"))
            return [p for p in candidates if _may_see_project(uow, principal, p)]
        if principal.is_a(PartyType.STREET_OFFICE):
            return list(
                uow.session.scalars(
                    query.where(Project.district_id == principal.district_id, Project.status != "draft")
                )
            )
        return []


def get_projects(uow: UnitOfWork, principal: Principal, ids: list[str]) -> list[Project]:
    with uow:
        found = uow.session.scalars(select(Project).where(Project.id.in_(ids)))
        return [p for p in found if _may_see_project(uow, principal, p)]


def publish_project(uow: UnitOfWork, principal: Principal, data: dict) -> Project:
    principal.require(PartyType.RESIDENTS_COMMITTEE)
    with uow:
        project = _visible_project(uow, principal, data["project_id"], lock=True)
        at = now()
        domain.check_publish(project.status, data["bid_deadline"], at)
        project.status = "published"
        project.bid_deadline = data["bid_deadline"]
        project.published_at = at
        project.district_id = principal.district_id
        eligible = [o.id for o, _ in _ranked_eligible(uow, project, project.district_id)]
        _notify(
            uow,
            project,
            eligible,
            "published",
            f"{project.title}: a project you are eligible for; "
            f"bids close {config.local_minute(project.bid_deadline)}.",
        )
        uow.emit(
            "project.published",
            {
                "project_id": project.id,
                "title": project.title,
                "category": project.category,
                "budget": project.budget,
                "bid_deadline": project.bid_deadline,
                # Who is told (the notices above, and any other channel that listens).
                "eligible_organisation_ids": eligible,
            },
            community_id=project.community_id,
        )
        open_data.record(uow, project, ["planning", "tender"], at)
        uow.commit()
        return project


# Sealed bids -----------------------------------------------------------------------------


def _ranked_eligible(
    uow: UnitOfWork, project: Project, district_id: str | None
) -> list[tuple[Organisation, float]]:
    past = dict(
        uow.session.execute(
            select(Award.organisation_id, func.count())
            .join(Project, Project.id == Award.project_id)
            .where(Project.category == project.category)
            .group_by(Award.organisation_id)
        ).all()
    )
    eligible = [
        o
        for o in uow.session.scalars(  # narrowed in SQL; the rule is ``_eligible``
            select(Organisation).where(
                Organisation.status == "approved", Organisation.district_id == district_id
            )
        )
        if _eligible(o, project, district_id)
    ]
    ranked = [
        (o, domain.fit(o.categories, o.staff_count, past.get(o.id, 0), project.category)) for o in eligible
    ]
    return sorted(ranked, key=lambda pair: (-pair[1], pair[0].name))


def eligible_organisations(uow: UnitOfWork, principal: Principal, project_ids: list[str]) -> list[dict]:
    """For the committee: the organisations eligible for its projects, best fit first."""
    principal.require(PartyType.RESIDENTS_COMMITTEE)
    with uow:
        ranked = []
        for project_id in project_ids:
            project = _visible_project(uow, principal, project_id)
            ranked.extend(
                {"organisation_id": o.id, "project_id": project.id, "fit": score}
                for o, score in _ranked_eligible(uow, project, principal.district_id)
            )
        return ranked


def submit_bid(uow: UnitOfWork, principal: Principal, data: dict) -> Bid:
    """Submit or amend this organisation's bid; the receipt is the content's digest.

    The project's row is locked first, as the opening locks it: a bid commits before the opening
    (counted, its digest published) or waits for it and is refused as past the deadline, judged
    once the lock is held; the terms cannot change under it either."""
    principal.require(PartyType.SOCIAL_ORGANISATION)
    with uow:
        project = _visible_project(uow, principal, data["project_id"], lock=True)
        domain.check_bid(project.status, project.bid_deadline, now(), data["price"], project.budget)
        if not _eligible(_organisation_of(uow, principal), project, project.district_id):
            # It sees the project through a bid it made while eligible (suspended since, say).
            raise Conflict(
                "your organisation is not eligible for this project now (its filing, categories, "
                "communities or qualifications)",
                field="project_id",
                code="not_eligible",
            )
        bid = uow.session.scalar(
            select(Bid).where(Bid.project_id == project.id, Bid.organisation_id == principal.party_id)
        )
        if bid is None:
            bid = Bid(project_id=project.id, organisation_id=principal.party_id)
            uow.session.add(bid)
        bid.price = data["price"]
        bid.plan, bid.team, bid.timeline = data["plan"], data["team"], data["timeline"]
        bid.submitted_at = now()
        # Also reconfirms a bid after the terms changed, or renews a withdrawn one.
        bid.status = domain.VALID_BID
        bid.digest = domain.bid_digest(
            project.id, principal.party_id, data["price"], data["plan"], data["team"], data["timeline"]
        )
        # No event: that a bid exists is itself sealed until the deadline.
        uow.commit()
        return bid


def withdraw_bid(uow: UnitOfWork, principal: Principal, data: dict) -> Bid:
    """An organisation withdraws its bid before the deadline (it may submit again until then). The
    project's row is locked as for a submission: a withdrawal commits before the opening or not at
    all. A withdrawn bid stays sealed for ever."""
    principal.require(PartyType.SOCIAL_ORGANISATION)
    with uow:
        project = _visible_project(uow, principal, data["project_id"], lock=True)
        bid = uow.session.scalar(
            select(Bid).where(Bid.project_id == project.id, Bid.organisation_id == principal.party_id)
        )
        if bid is None or bid.status == "withdrawn":
            raise NotFound("you have no bid on this project", field="project_id")
        domain.check_still_sealed(project.bid_deadline, now())
        bid.status = "withdrawn"
        uow.commit()
        return bid


def change_terms(uow: UnitOfWork, principal: Principal, data: dict) -> Project:
    """The committee sets a draft's terms, or changes a published project's terms before the
    deadline, never against the bidders (``domain.check_terms_change``); a change of what the bids
    answer calls every bid made before to be submitted again, a later deadline alone does not."""
    principal.require(PartyType.RESIDENTS_COMMITTEE)
    with uow:
        project = _visible_project(uow, principal, data["project_id"], lock=True)
        at = now()
        changes = domain.changed_terms(
            {name: getattr(project, name) for name in TERMS},
            {name: data.get(name) for name in TERMS},
        )
        reconfirm = domain.check_terms_change(
            project.status, project.bid_deadline, project.standstill_days, changes, at
        )
        domain.check_terms(
            changes.get("weights", project.weights),
            changes.get("period_start", project.period_start),
            changes.get("period_end", project.period_end),
        )
        for name, value in changes.items():
            setattr(project, name, value)
        if project.status == "draft" or not changes:
            uow.commit()
            return project
        if reconfirm:
            for bid in uow.session.scalars(
                select(Bid).where(Bid.project_id == project.id, Bid.status == domain.VALID_BID)
            ):
                bid.status = "to_reconfirm"
            message = (
                f"{project.title}: the terms changed; a bid made before must be submitted again to "
                f"count, by {config.local_minute(project.bid_deadline)}."
            )
        else:
            message = f"{project.title}: bids now close {config.local_minute(project.bid_deadline)}."
        # Everyone who may bid is told the same thing, so the notice says nothing about who has bid.
        told = [o.id for o, _ in _ranked_eligible(uow, project, project.district_id)]
        _notify(uow, project, told + _bidder_ids(uow, project), "terms_changed", message)
        open_data.record(uow, project, ["tenderUpdate"], at)
        uow.commit()
        return project


TERMS = (
    "bid_deadline",
    "purchaser",
    "description",
    "budget",
    "required_qualifications",
    "period_start",
    "period_end",
    "weights",
    "standstill_days",
    "min_valid_bids",
)


def bid_digests(uow: UnitOfWork, principal: Principal, project_ids: list[str]) -> list[dict]:
    """Once bids are opened, the digests of the valid ones, for anyone who sees the project to check
    against the bidders' receipts. Sorted, so that their order says nothing."""
    with uow:
        visible = [
            p.id
            for p in uow.session.scalars(select(Project).where(Project.id.in_(project_ids)))
            if _may_see_project(uow, principal, p)
        ]
        rows = uow.session.execute(opened_bids(visible).with_only_columns(Bid.project_id, Bid.digest))
        return [{"project_id": p, "digest": d} for p, d in sorted(rows.tuples())]


def list_bids(uow: UnitOfWork, principal: Principal, project_ids: list[str] | None = None) -> list[Bid]:
    """An organisation reads its own bids, withdrawn ones included; the committee reads its
    projects' valid bids once they are opened, and never a withdrawn or unconfirmed one."""
    with uow:
        if principal.is_a(PartyType.SOCIAL_ORGANISATION):
            query = select(Bid).where(Bid.organisation_id == principal.party_id)
            if project_ids is not None:
                query = query.where(Bid.project_id.in_(project_ids))
        elif principal.is_a(PartyType.RESIDENTS_COMMITTEE):
            own = select(Project.id).where(Project.community_id == principal.community_id)
            if project_ids is not None:
                own = own.where(Project.id.in_(project_ids))
            query = opened_bids(own)
        else:
            return []
        return list(uow.session.scalars(query.order_by(Bid.submitted_at, Bid.id)))


# Opening, evaluation, award and standstill -----------------------------------------------


def _notify(uow: UnitOfWork, project: Project, organisation_ids, kind: str, message: str) -> None:
    for organisation_id in sorted(set(organisation_ids)):
        uow.session.add(
            Notice(organisation_id=organisation_id, project_id=project.id, kind=kind, message=message)
        )


def _bidder_ids(uow: UnitOfWork, project: Project) -> list[str]:
    return list(uow.session.scalars(select(Bid.organisation_id).where(Bid.project_id == project.id)))


def open_due_tenders(uow: UnitOfWork, at: datetime | None = None) -> int:
    """The timer at the deadline: open the bids, publish their digests, and either start the
    evaluation or end the tender unsuccessful for want of valid bids. Idempotent."""
    at = at or now()
    with uow:
        due = uow.session.scalars(
            select(Project)
            .where(Project.status == "published", Project.bid_deadline <= at)
            .with_for_update(skip_locked=True)
        ).all()
        for project in due:
            valid = uow.session.scalars(
                select(Bid).where(Bid.project_id == project.id, Bid.status == domain.VALID_BID)
            ).all()
            project.status = domain.opening_outcome(len(valid), project.min_valid_bids)
            project.opened_at = at
            if project.status == "unsuccessful":
                project.ended_reason = (
                    f"{len(valid)} valid bid(s), fewer than the {project.min_valid_bids} required"
                )
                _notify(uow, project, _bidder_ids(uow, project), "unsuccessful", project.ended_reason)
            uow.emit(
                "project.opened",
                {
                    "project_id": project.id,
                    "ocid": project.ocid,
                    "title": project.title,
                    "status": project.status,
                    "valid_bids": len(valid),
                    "bid_digests": sorted(b.digest for b in valid),
                },
                community_id=project.community_id,
            )
            open_data.record(uow, project, ["tenderUpdate"], at)
        uow.commit()
        return len(due)


def _bid_under_evaluation(uow: UnitOfWork, principal: Principal, data: dict) -> tuple[Project, Bid]:
    principal.require(PartyType.RESIDENTS_COMMITTEE)
    project = _visible_project(uow, principal, data["project_id"])
    domain.check_evaluating(project.status)  # first: before opening, no answer may tell a bid exists
    bid = uow.session.scalar(opened_bids([project.id]).where(Bid.id == data["bid_id"]))
    if bid is None:
        raise NotFound("no such valid bid for this project", field="bid_id")
    return project, bid


def _evaluation(uow: UnitOfWork, principal: Principal, project: Project, bid: Bid) -> Evaluation:
    evaluation = uow.session.scalar(
        select(Evaluation).where(Evaluation.bid_id == bid.id, Evaluation.evaluator_id == principal.account_id)
    )
    if evaluation is None:
        evaluation = Evaluation(project_id=project.id, bid_id=bid.id, evaluator_id=principal.account_id)
        uow.session.add(evaluation)
    project.ranked_at = None  # any change to the panel's scores calls for ranking again
    evaluation.recorded_at = now()
    return evaluation


def declare_conflict(uow: UnitOfWork, principal: Principal, data: dict) -> Evaluation:
    """An evaluator declares a conflict of interest with a bid: any score they gave it is struck."""
    with uow:
        project, bid = _bid_under_evaluation(uow, principal, data)
        evaluation = _evaluation(uow, principal, project, bid)
        evaluation.conflict = data["note"]
        evaluation.plan_quality = evaluation.experience = None
        uow.commit()
        return evaluation


def score_bid(uow: UnitOfWork, principal: Principal, data: dict) -> Evaluation:
    with uow:
        project, bid = _bid_under_evaluation(uow, principal, data)
        evaluation = _evaluation(uow, principal, project, bid)
        domain.check_scoring(evaluation.conflict is not None)
        evaluation.plan_quality, evaluation.experience = data["plan_quality"], data["experience"]
        uow.commit()
        return evaluation


def rank_bids(uow: UnitOfWork, principal: Principal, data: dict) -> Project:
    """Score every valid bid by the published rules and keep each criterion's score and the rank."""
    principal.require(PartyType.RESIDENTS_COMMITTEE)
    with uow:
        project = _visible_project(uow, principal, data["project_id"], lock=True)
        domain.check_evaluating(project.status)
        bids = uow.session.scalars(opened_bids([project.id])).all()
        panel: dict[str, list[tuple[int, int]]] = {}
        for e in uow.session.scalars(
            select(Evaluation).where(Evaluation.project_id == project.id, Evaluation.conflict.is_(None))
        ):
            if e.plan_quality is not None:
                panel.setdefault(e.bid_id, []).append((e.plan_quality, e.experience))
        reputations: dict[str, list] = {}
        for a in uow.session.scalars(
            select(Assessment).where(Assessment.organisation_id.in_([b.organisation_id for b in bids]))
        ):
            reputations.setdefault(a.organisation_id, []).append(a.score)
        ranked = domain.rank_bids(
            project.weights,
            [
                {
                    "id": b.id,
                    "organisation_id": b.organisation_id,
                    "price": b.price,
                    "submitted_at": b.submitted_at,
                }
                for b in bids
            ],
            panel,
            reputations,
        )
        by_id = {b.id: b for b in bids}
        for row in ranked:
            bid = by_id[row["id"]]
            bid.scores = {c: str(v) for c, v in row["scores"].items()}
            bid.total, bid.rank = row["total"], row["rank"]
        project.ranked_at = now()
        uow.commit()
        return project


def award_project(uow: UnitOfWork, principal: Principal, data: dict) -> Award:
    """The committee's award: the top-ranked bid, or another with the reason recorded. It waits
    through the standstill period for complaints before it becomes final."""
    principal.require(PartyType.RESIDENTS_COMMITTEE)
    with uow:
        project = _visible_project(uow, principal, data["project_id"], lock=True)
        domain.check_evaluating(project.status)
        if project.ranked_at is None:
            raise Conflict("rank the bids before the award", field="project_id", code="not_ranked")
        # Only an opened (valid) bid is there to award: a withdrawn or unconfirmed one is not found,
        # exactly like an id that does not exist.
        bid = uow.session.scalar(opened_bids([project.id]).where(Bid.id == data["bid_id"]))
        if bid is None:
            raise NotFound("no such bid for this project", field="bid_id")
        domain.check_award_choice(bid.rank, data.get("reason"))
        at = now()
        award = uow.session.scalar(select(Award).where(Award.project_id == project.id))
        if award is None:
            award = Award(project_id=project.id, round=1)
            uow.session.add(award)
        else:
            award.round += 1  # decided again after an upheld complaint
        award.bid_id, award.organisation_id, award.value = bid.id, bid.organisation_id, bid.price
        award.awarded_at, award.awarded_by, award.reason = at, principal.party_id, data.get("reason")
        award.status, award.finalised_at = "pending", None
        award.standstill_ends_at = at + timedelta(days=project.standstill_days)
        project.status = "standstill"
        uow.session.flush()
        _notify(
            uow,
            project,
            _bidder_ids(uow, project),
            "award_proposed",
            "The award is proposed; complaints are heard until "
            f"{config.local_minute(award.standstill_ends_at)}. "
            "The ranking and every criterion's scores are open to the bidders.",
        )
        open_data.record(uow, project, ["award"], at)
        _finalise_if_due(uow, project, award, at)  # a project without a standstill period
        uow.commit()
        return award


def _finalise_if_due(uow: UnitOfWork, project: Project, award: Award, at: datetime) -> bool:
    open_complaints = uow.session.scalar(
        select(func.count()).where(Complaint.project_id == project.id, Complaint.status == "open")
    )
    if not domain.may_finalise(award.status, award.standstill_ends_at, at, open_complaints):
        return False
    award.status, award.finalised_at = "final", at
    project.status = "awarded"
    organisation = uow.session.get(Organisation, award.organisation_id)
    uow.emit(
        "project.awarded",
        {
            "project_id": project.id,
            "ocid": project.ocid,
            "title": project.title,
            "organisation_id": organisation.id,
            "organisation_name": organisation.name,
            "value": award.value,
            "awarded_at": at,
            "award_id": open_data.award_id(award),
            "district_id": project.district_id,
            "purchaser_id": award.awarded_by,
            "purchaser_type": project.purchaser,
            "organisation_credit_code": organisation.credit_code,
            "period_start": project.period_start,
            "period_end": project.period_end,
        },
        community_id=project.community_id,
    )
    _notify(
        uow, project, _bidder_ids(uow, project), "award_final", f"The award to {organisation.name} is final."
    )
    open_data.record(uow, project, ["awardUpdate"], at)
    return True


def finalise_awards(uow: UnitOfWork, at: datetime | None = None) -> int:
    """The timer after the standstill: awards without open complaints become final. Idempotent."""
    at = at or now()
    with uow:
        rows = uow.session.execute(
            select(Project, Award)
            .join(Award, Award.project_id == Project.id)
            .where(Award.status == "pending", Award.standstill_ends_at <= at)
            .with_for_update(of=Project, skip_locked=True)
        ).all()
        finalised = sum(_finalise_if_due(uow, row.Project, row.Award, at) for row in rows)
        uow.commit()
        return finalised


def file_complaint(uow: UnitOfWork, principal: Principal, data: dict) -> Complaint:
    """Another bidder complains against the pending award during the standstill period."""
    principal.require(PartyType.SOCIAL_ORGANISATION)
    with uow:
        project = _visible_project(uow, principal, data["project_id"])
        award = uow.session.scalar(select(Award).where(Award.project_id == project.id))
        if award is None:
            raise Conflict("the project has no award to complain about", field="project_id", code="no_award")
        has_valid_bid = uow.session.scalar(
            opened_bids([project.id]).where(Bid.organisation_id == principal.party_id)
        )
        domain.check_complaint(
            award.status,
            award.standstill_ends_at,
            now(),
            has_valid_bid is not None,
            award.organisation_id == principal.party_id,
        )
        complaint = Complaint(
            project_id=project.id,
            award_round=award.round,
            awarded_bid_id=award.bid_id,
            organisation_id=principal.party_id,
            grounds=data["grounds"],
            status="open",
        )
        uow.session.add(complaint)
        uow.commit()
        return complaint


def resolve_complaint(uow: UnitOfWork, principal: Principal, data: dict) -> Complaint:
    """The sub-district office decides: upheld sends the project back to evaluation (the award is
    annulled); dismissed lets the award stand, final once the standstill has passed."""
    principal.require(PartyType.STREET_OFFICE)
    with uow:
        complaint = uow.session.scalar(
            select(Complaint).where(Complaint.id == data["complaint_id"]).with_for_update()
        )
        project = uow.session.get(Project, complaint.project_id) if complaint else None
        if project is None or project.district_id != principal.district_id:
            raise NotFound("no such complaint before your office", field="complaint_id")
        if complaint.status != "open":
            raise Conflict(f"the complaint is {complaint.status}", field="complaint_id", code="resolved")
        at = now()
        complaint.status = "upheld" if data["uphold"] else "dismissed"
        complaint.resolution, complaint.resolved_at = data["resolution"], at
        award = uow.session.scalar(select(Award).where(Award.project_id == project.id).with_for_update())
        if data["uphold"]:
            award.status = "annulled"
            project.status, project.ranked_at = "evaluating", None
            for other in uow.session.scalars(
                select(Complaint).where(Complaint.project_id == project.id, Complaint.status == "open")
            ):
                other.status, other.resolution, other.resolved_at = "moot", "the award was annulled", at
            _notify(
                uow,
                project,
                _bidder_ids(uow, project),
                "award_annulled",
                "A complaint was upheld: the award is annulled and the bids are evaluated again. "
                + data["resolution"],
            )
            open_data.record(uow, project, ["awardCancellation"], at)
        else:
            _notify(uow, project, [complaint.organisation_id], "complaint_dismissed", data["resolution"])
            _finalise_if_due(uow, project, award, at)
        uow.commit()
        return complaint


def cancel_project(uow: UnitOfWork, principal: Principal, data: dict) -> Project:
    principal.require(PartyType.RESIDENTS_COMMITTEE)
    with uow:
        project = _visible_project(uow, principal, data["project_id"], lock=True)
        domain.check_cancellation(project.status, data["reason"])
        was_public = project.status != "draft"
        project.status, project.ended_reason = "cancelled", data["reason"]
        uow.emit(
            "project.cancelled",
            {"project_id": project.id, "title": project.title, "reason": data["reason"]},
            community_id=project.community_id,
        )
        if was_public:
            told = [o.id for o, _ in _ranked_eligible(uow, project, project.district_id)]
            told += _bidder_ids(uow, project)
            _notify(uow, project, told, "cancelled", f"The project is cancelled: {data['reason']}")
            open_data.record(uow, project, ["tenderCancellation"], now())
        uow.commit()
        return project


def record_assessment(uow: UnitOfWork, event: Event) -> None:
    """A contract's final assessment enters its organisation's reputation."""
    with uow:
        uow.session.add(
            Assessment(
                organisation_id=event.data["organisation_id"],
                contract_id=event.data["contract_id"],
                score=event.data["score"],
                assessed_at=event.data["assessed_at"],
            )
        )
        uow.commit()


def list_awards(uow: UnitOfWork, principal: Principal, project_ids: list[str]) -> list[Award]:
    with uow:
        visible = [
            p.id
            for p in uow.session.scalars(select(Project).where(Project.id.in_(project_ids)))
            if _may_see_project(uow, principal, p)
        ]
        return list(uow.session.scalars(select(Award).where(Award.project_id.in_(visible))))


def results(uow: UnitOfWork, principal: Principal, project_ids: list[str]) -> list[Bid]:
    """The ranking with every criterion's scores: the committee's once ranked; the bidders' and the
    sub-district office's once an award is proposed."""
    with uow:
        found = []
        for project in uow.session.scalars(select(Project).where(Project.id.in_(project_ids))):
            if not _may_see_project(uow, principal, project):
                continue
            awarded = uow.session.scalar(
                select(Award.id).where(Award.project_id == project.id, Award.status != "annulled")
            )
            if principal.is_a(PartyType.RESIDENTS_COMMITTEE):
                if project.ranked_at is None:
                    continue
            elif awarded is None:
                continue
            found.extend(
                uow.session.scalars(opened_bids([project.id]).where(Bid.rank.is_not(None)).order_by(Bid.rank))
            )
        return found


def list_evaluations(uow: UnitOfWork, principal: Principal, bid_ids: list[str]) -> list[Evaluation]:
    """The panel's scores and declared conflicts, for the committee that evaluates."""
    if not principal.is_a(PartyType.RESIDENTS_COMMITTEE):
        return []
    with uow:
        rows = uow.session.execute(
            select(Evaluation, Project)
            .join(Project, Project.id == Evaluation.project_id)
            .where(Evaluation.bid_id.in_(bid_ids), Project.community_id == principal.community_id)
            .order_by(Evaluation.recorded_at)
        ).all()
        return [r.Evaluation for r in rows]


def list_complaints(uow: UnitOfWork, principal: Principal) -> list[Complaint]:
    """The sub-district office hears its district's complaints; a complainant follows its own."""
    with uow:
        query = select(Complaint).order_by(Complaint.filed_at.desc(), Complaint.id)
        if principal.is_a(PartyType.STREET_OFFICE):
            district_projects = select(Project.id).where(Project.district_id == principal.district_id)
            return list(uow.session.scalars(query.where(Complaint.project_id.in_(district_projects))))
        if principal.is_a(PartyType.SOCIAL_ORGANISATION):
            return list(uow.session.scalars(query.where(Complaint.organisation_id == principal.party_id)))
        if principal.is_a(PartyType.RESIDENTS_COMMITTEE):
            own = select(Project.id).where(Project.community_id == principal.community_id)
            return list(uow.session.scalars(query.where(Complaint.project_id.in_(own))))
        return []


def list_notices(uow: UnitOfWork, principal: Principal) -> list[Notice]:
    principal.require(PartyType.SOCIAL_ORGANISATION)
    with uow:
        return list(
            uow.session.scalars(
                select(Notice)
                .where(Notice.organisation_id == principal.party_id)
                .order_by(Notice.created_at.desc(), Notice.id)
            )
        )


def ocds_releases(uow: UnitOfWork, ocid: str | None = None) -> list[dict]:
    return stored_releases(uow, OcdsRelease, ocid)


# Demand and resource lists ---------------------------------------------------------------


def _may_see_entry(principal: Principal, entry: ListEntry) -> bool:
    """The committee sees both lists of its community; a unit sees the demands and its own resources."""
    if principal.community_id != entry.community_id:
        return False
    if principal.is_a(PartyType.RESIDENTS_COMMITTEE):
        return True
    if principal.is_a(PartyType.JOINT_BUILDING_UNIT):
        return entry.kind == "demand" or entry.owner_id == principal.party_id
    return False


def list_entry(uow: UnitOfWork, principal: Principal, data: dict) -> ListEntry:
    domain.check_listing(data["kind"], principal.party_type.value)
    with uow:
        entry = ListEntry(
            community_id=principal.community_id,
            kind=data["kind"],
            title=data["title"],
            description=data["description"],
            category=data["category"],
            owner_id=principal.party_id,
            owner_type=principal.party_type.value,
            origin=data["origin"],
            status="open",
        )
        uow.session.add(entry)
        uow.commit()
        return entry


def list_entries(uow: UnitOfWork, principal: Principal) -> list[ListEntry]:
    with uow:
        found = uow.session.scalars(
            select(ListEntry)
            .where(ListEntry.community_id == principal.community_id)
            .order_by(ListEntry.created_at.desc(), ListEntry.id)
        )
        return [e for e in found if _may_see_entry(principal, e)]


def claim_entry(uow: UnitOfWork, principal: Principal, data: dict) -> Claim:
    with uow:
        entry = uow.session.get(ListEntry, data["entry_id"])
        if entry is None or not _may_see_entry(principal, entry):
            raise NotFound("no such entry", field="entry_id")
        domain.check_claim(
            entry.kind, entry.status, principal.party_type.value, entry.owner_id, principal.party_id
        )
        if uow.session.scalar(
            select(Claim.id).where(Claim.entry_id == entry.id, Claim.claimant_id == principal.party_id)
        ):
            raise Conflict("you have claimed this entry already", field="entry_id", code="duplicate")
        claim = Claim(
            entry_id=entry.id,
            claimant_id=principal.party_id,
            claimant_type=principal.party_type.value,
            note=data["note"],
            status="pending",
            deliveries=[],
        )
        uow.session.add(claim)
        uow.commit()
        return claim


def _claim_and_entry(uow: UnitOfWork, principal: Principal, claim_id: str) -> tuple[Claim, ListEntry]:
    claim = uow.session.scalar(select(Claim).where(Claim.id == claim_id).with_for_update())
    entry = uow.session.get(ListEntry, claim.entry_id) if claim else None
    if entry is None or principal.party_id not in (entry.owner_id, claim.claimant_id):
        raise NotFound("no such claim", field="claim_id")
    return claim, entry


def decide_claim(uow: UnitOfWork, principal: Principal, data: dict) -> Claim:
    """The entry's owner confirms a claim (a match; the other claims are declined) or declines it."""
    with uow:
        claim, entry = _claim_and_entry(uow, principal, data["claim_id"])
        if entry.owner_id != principal.party_id:
            raise PermissionDenied("only the entry's owner confirms a claim", field="claim_id")
        domain.check_claim_decision(claim.status, entry.status)
        at = now()
        claim.status, claim.decided_at = ("confirmed" if data["confirm"] else "declined"), at
        if data["confirm"]:
            entry.status = "matched"
            for other in uow.session.scalars(
                select(Claim).where(
                    Claim.entry_id == entry.id, Claim.id != claim.id, Claim.status == "pending"
                )
            ):
                other.status, other.decided_at = "declined", at
        uow.commit()
        return claim


def record_delivery(uow: UnitOfWork, principal: Principal, data: dict) -> Claim:
    """Either side of a match records what was delivered; the owner may close the entry as delivered."""
    with uow:
        claim, entry = _claim_and_entry(uow, principal, data["claim_id"])
        if claim.status != "confirmed":
            raise Conflict("only a confirmed match is delivered", field="claim_id", code="not_matched")
        claim.deliveries = [
            *claim.deliveries,
            {"at": now().isoformat(), "by": principal.party_id, "note": data["note"]},
        ]
        if data["completed"]:
            if entry.owner_id != principal.party_id:
                raise PermissionDenied("only the entry's owner closes it as delivered", field="claim_id")
            entry.status = "delivered"
        uow.commit()
        return claim


def list_claims(uow: UnitOfWork, principal: Principal, entry_ids: list[str]) -> list[Claim]:
    """An entry's owner sees every claim on it; a claimant sees its own."""
    with uow:
        rows = uow.session.execute(
            select(Claim, ListEntry)
            .join(ListEntry, ListEntry.id == Claim.entry_id)
            .where(Claim.entry_id.in_(entry_ids))
        ).all()
        return [
            r.Claim
            for r in rows
            if principal.party_id in (r.ListEntry.owner_id, r.Claim.claimant_id)
            or (
                principal.is_a(PartyType.RESIDENTS_COMMITTEE)
                and r.ListEntry.community_id == principal.community_id
            )
        ]
