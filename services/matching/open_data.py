"""A project's history as Open Contracting Data Standard 1.1.5 releases.

Every change that the public may know of writes one immutable release holding the project's
state after the change (planning, tender, awards, parties). Nothing about bids appears before
the bids are opened: not their number, not their bidders, not their prices.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import select

from services.matching import domain, scoring
from services.matching.models import Award, Bid, OcdsRelease, Organisation, Project, opened_bids
from shared import config, ocds
from shared.db import UnitOfWork
from shared.releases import record_release
from shared.vocabulary.matching import AwardStatus, ProjectStatus, Purchaser

TENDER_STATUS: dict[str, str] = {
    ProjectStatus.PUBLISHED: "active",
    ProjectStatus.EVALUATING: "active",
    ProjectStatus.STANDSTILL: "active",
    ProjectStatus.AWARDED: "complete",
    ProjectStatus.UNSUCCESSFUL: "unsuccessful",
    ProjectStatus.CANCELLED: "cancelled",
}
AWARD_STATUS: dict[str, str] = {
    AwardStatus.PENDING: "pending",
    AwardStatus.FINAL: "active",
    AwardStatus.ANNULLED: "cancelled",
}
# The unified social credit code (统一社会信用代码) as an organisation identifier scheme.
CREDIT_CODE_SCHEME = "CN-USCC"


def _local(day: date, at: time) -> str:
    """A time of a day of the contract period, in the community's zone with its offset."""
    return datetime.combine(day, at, tzinfo=config.community_zone()).isoformat()


def award_id(award: Award) -> str:
    return f"{award.id}-{award.round}"


def procuring_party_id(project: Project) -> str:
    """The residents' committee that runs the tender, as a party of the releases."""
    return f"community-{project.community_id}"


def buyer_party_id(project: Project) -> str:
    """Who pays: the community, or the sub-district office when it buys (街道购买)."""
    if project.purchaser == Purchaser.STREET_OFFICE:
        return f"district-{project.district_id}"
    return procuring_party_id(project)


def organisation_party(organisation: Organisation, roles: list[str]) -> dict:
    return {
        "id": organisation.credit_code,
        "name": organisation.name,
        "identifier": {
            "scheme": CREDIT_CODE_SCHEME,
            "id": organisation.credit_code,
            "legalName": organisation.name,
        },
        "roles": roles,
    }


def _tender(project: Project, tenderers: list[Organisation]) -> dict:
    weights = ", ".join(f"{c.replace('_', ' ')} {project.weights[c]}%" for c in domain.CRITERIA)
    tender: dict[str, Any] = {
        "id": project.id,
        "title": project.title,
        "description": project.description,
        "status": TENDER_STATUS[project.status],
        "procuringEntity": {"id": procuring_party_id(project)},
        "value": ocds.money(project.budget),
        "procurementMethod": "open",
        "procurementMethodDetails": "sealed bids opened at the deadline, weighted evaluation",
        "mainProcurementCategory": "services",
        "additionalProcurementCategories": [],
        "awardCriteria": "ratedCriteria",
        "awardCriteriaDetails": f"Weights: {weights}. {scoring.SCORING_RULES}",
        "submissionMethod": ["electronicSubmission"],
        "eligibilityCriteria": "; ".join(
            [
                f"approved social organisations serving the category {project.category} in the community",
                *(f"valid qualification: {q}" for q in project.required_qualifications),
            ]
        ),
        "tenderPeriod": {"startDate": ocds.timestamp(project.published_at)} if project.published_at else {},
    }
    if project.bid_deadline:
        tender["tenderPeriod"]["endDate"] = ocds.timestamp(project.bid_deadline)
    if project.period_start and project.period_end:
        tender["contractPeriod"] = {
            "startDate": _local(project.period_start, time(0, 0, 0)),
            "endDate": _local(project.period_end, time(23, 59, 59)),
        }
    if project.opened_at is not None:  # sealed until then: not even how many bid
        tender["numberOfTenderers"] = len(tenderers)
        tender["tenderers"] = [{"id": o.credit_code, "name": o.name} for o in tenderers]
    if project.status in (ProjectStatus.CANCELLED, ProjectStatus.UNSUCCESSFUL):
        tender["statusDetails"] = project.ended_reason
    return tender


def snapshot(uow: UnitOfWork, project: Project) -> dict:
    """The project's public state now, as release sections."""
    valid = opened_bids([project.id]).with_only_columns(Bid.organisation_id)
    tenderers = list(
        uow.session.scalars(
            select(Organisation).where(Organisation.id.in_(valid)).order_by(Organisation.name)
        )
    )
    award = uow.session.scalar(select(Award).where(Award.project_id == project.id))
    supplier = uow.session.get(Organisation, award.organisation_id) if award else None
    if buyer_party_id(project) == procuring_party_id(project):
        parties = [{"id": procuring_party_id(project), "roles": ["buyer", "procuringEntity"]}]
    else:
        parties = [
            {"id": buyer_party_id(project), "roles": ["buyer"]},
            {"id": procuring_party_id(project), "roles": ["procuringEntity"]},
        ]
    for organisation in tenderers:
        roles = ["tenderer"]
        standing = award is not None and award.status != AwardStatus.ANNULLED
        if supplier is not None and organisation.id == supplier.id and standing:
            roles.append("supplier")
        parties.append(organisation_party(organisation, roles))
    sections: dict[str, Any] = {
        "parties": parties,
        "buyer": {"id": buyer_party_id(project)},
        "planning": {
            "budget": {"amount": ocds.money(project.budget), "description": project.category},
            "rationale": (
                "decided by a resolution of the joint meeting"
                if project.source_resolution_id
                else "from the community's demand list"
                if project.source_demand_id
                else "listed by the residents' committee"
            ),
        },
        "tender": _tender(project, tenderers),
    }
    if award is not None and supplier is not None:
        sections["awards"] = [
            {
                "id": award_id(award),
                "title": project.title,
                "status": AWARD_STATUS[award.status],
                "date": ocds.timestamp(award.awarded_at),
                "value": ocds.money(award.value),
                "suppliers": [{"id": supplier.credit_code, "name": supplier.name}],
                **(
                    {"description": f"Chosen over the first-ranked bid: {award.reason}"}
                    if award.reason
                    else {}
                ),
            }
        ]
    return sections


def record(uow: UnitOfWork, project: Project, tags: list[str], at: datetime) -> None:
    """Write the release for a change to the project, in the change's own transaction."""
    uow.session.flush()
    record_release(uow, OcdsRelease, project.ocid, "tender", tags, at, snapshot(uow, project))
