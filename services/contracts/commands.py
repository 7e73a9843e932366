"""What each party asks of the contracts service, as typed commands (``schemas.py`` loads them).

Milestones and evidence stay in the domain's own shapes (dicts, see ``domain.terms``): they are
stored as they come and the rules read them as terms.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class ContractCommand:
    """A command about one contract: approve, sign, activate or complete it."""

    contract_id: str


@dataclass(frozen=True)
class SetTerms(ContractCommand):
    period_start: date
    period_end: date
    deliverables: list[str]
    milestones: list[
        dict
    ]  # key (optional), title, due_on, criteria, share, volunteer_skill, volunteer_places
    compound_ids: list[str] = field(default_factory=list)  # none: the whole community is served


@dataclass(frozen=True)
class DeliverMilestone(ContractCommand):
    milestone_id: str
    evidence: list[dict]  # kind, reference, count, note


@dataclass(frozen=True)
class DecideMilestone(ContractCommand):
    milestone_id: str
    accept: bool
    reason: str | None = None  # required to reject


@dataclass(frozen=True)
class ProposeAmendment(ContractCommand):
    """New terms; a term left None stays as it is."""

    rationale: str
    value: Decimal | None = None
    period_start: date | None = None
    period_end: date | None = None
    deliverables: list[str] | None = None
    milestones: list[dict] | None = None

    def changes(self) -> dict:
        """The terms this amendment changes, by name."""
        proposed = {
            "value": self.value,
            "period_start": self.period_start,
            "period_end": self.period_end,
            "deliverables": self.deliverables,
            "milestones": self.milestones,
        }
        return {name: value for name, value in proposed.items() if value is not None}


@dataclass(frozen=True)
class AmendmentCommand(ContractCommand):
    """A command about one amendment: approve or sign it."""

    amendment_id: str


@dataclass(frozen=True)
class RejectAmendment(AmendmentCommand):
    reason: str


@dataclass(frozen=True)
class TerminateContract(ContractCommand):
    reason: str


@dataclass(frozen=True)
class EvaluateContract(ContractCommand):
    scores: dict  # dimension → 1..5, checked by the domain
    comment: str | None = None
