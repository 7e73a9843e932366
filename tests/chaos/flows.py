"""The flows the harness drives through the gateway, each step as the party that does it, and the
effects each flow should leave in the services' databases.

Every flow has a marker of its own (``chaos-<run>-<n>``) in the titles it makes, so the checker
finds each effect by it. An effect is recorded as expected when the mutation that causes it was
answered with success; when the answer was lost (given up, or refused only after a retry), the
effect may or may not be there, but never twice.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from tests.chaos.client import Answer, Client, Unanswered

ERRORS = "errors { field code message }"
# The agenda items meetings makes from other services' events (services/meetings/handlers/agenda.py).
AWARD_ITEM = "通报中标 Award to report: "
UNFILLED_ITEM = "志愿者不足 Unfilled volunteer request: "
MILESTONE = "Visits"
ZONE = ZoneInfo("Asia/Shanghai")  # the platform's default community zone (GONGZHI_TIMEZONE)
# Milestones fall due on consecutive days from here, one day for each SHIFT_VOLUNTEERS awards, all
# inside the contracts' period (2027): a milestone's shift starts at 09:00 on its due date.
FIRST_DUE = date(2027, 1, 4)


@dataclass(frozen=True)
class Expected:
    effect: str
    key: str
    certain: bool  # exactly one is expected; otherwise zero or one


class Broken(Exception):
    """A flow that cannot go on: a step refused, or never answered."""


class Ledger:
    """What the run expects, what it sent, and how each flow ended; shared by the driver's threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.expected: list[Expected] = []
        self.flows: Counter[str] = Counter()
        self.broken: Counter[str] = Counter()

    def expect(self, effect: str, key: str, answer: Answer | None) -> None:
        with self.lock:
            self.expected.append(Expected(effect, key, answer is not None and answer.ok))

    def ended(self, kind: str, broken_at: str | None) -> None:
        with self.lock:
            self.flows[kind] += 1
            if broken_at:
                self.broken[f"{kind}: {broken_at}"] += 1


@dataclass
class Booked:
    marker: str
    volunteer: str  # the client's party name of the shift volunteer
    shift_id: str


@dataclass
class Day:
    """The milestones falling due on one day: a place for each shift volunteer."""

    due: date
    taken: int = 0
    ended: int = 0
    booked: list[Booked] = field(default_factory=list)


class ShiftDays:
    """Which day each award's milestone falls due and which shift volunteer serves it; a day is
    ready for its shifts once every award given a place on it has ended its flow."""

    def __init__(self, volunteers: list[str]):
        self.volunteers = volunteers
        self.days: dict[int, Day] = defaultdict(lambda: Day(FIRST_DUE))
        self.awards = 0
        self.closed = False
        self.changed = threading.Condition()

    def take(self) -> tuple[int, str]:
        with self.changed:
            index, self.awards = self.awards, self.awards + 1
            number, place = divmod(index, len(self.volunteers))
            day = self.days[number]
            day.due, day.taken = FIRST_DUE + timedelta(days=number), day.taken + 1
            return number, self.volunteers[place]

    def book(self, number: int, booked: Booked) -> None:
        with self.changed:
            self.days[number].booked.append(booked)

    def end(self, number: int) -> None:
        with self.changed:
            self.days[number].ended += 1
            self.changed.notify_all()

    def close(self) -> None:
        """No award will take a place any more: the last, partly taken day is ready too."""
        with self.changed:
            self.closed = True
            self.changed.notify_all()

    def next_ready(self, number: int, halt: threading.Event) -> Day | None:
        """Day ``number`` once it is ready; None when there will be no such day, or on a halt."""
        with self.changed:
            while not halt.is_set():
                day = self.days.get(number)
                full = day is not None and day.taken == len(self.volunteers)
                if day is not None and day.ended == day.taken and (full or self.closed):
                    return day
                if self.closed and (day is None or day.taken == day.ended == 0):
                    return None
                self.changed.wait(1)
            return None


class Gate:
    """Requests that must be reported unfilled before the clock jumps: a jump past a request's start
    would leave it never reported (the volunteers' rule: only before it starts). The clock's mover
    closes the gate, waits for the requests being opened, and opens it after the jump."""

    def __init__(self) -> None:
        self.closed = False
        self.inside = 0
        self.changed = threading.Condition()

    def __enter__(self) -> None:
        with self.changed:
            self.changed.wait_for(lambda: not self.closed)
            self.inside += 1

    def __exit__(self, *exc) -> None:
        with self.changed:
            self.inside -= 1
            self.changed.notify_all()

    def close(self) -> None:
        with self.changed:
            self.closed = True
            self.changed.wait_for(lambda: self.inside == 0)

    def open(self) -> None:
        with self.changed:
            self.closed = False
            self.changed.notify_all()


class Flows:
    def __init__(
        self,
        client: Client,
        ledger: Ledger,
        run_id: str,
        volunteer_id: str,
        shift_volunteers: dict[str, str],
        moved_now: Callable[[], datetime],
    ):
        """``shift_volunteers``: the client's party name of each shift volunteer -> its node id;
        ``moved_now``: the time of the volunteers and contracts services (the harness moves it)."""
        self.client = client
        self.ledger = ledger
        self.run_id = run_id
        self.volunteer_id = volunteer_id
        self.shift_volunteers = shift_volunteers
        self.moved_now = moved_now
        self.days = ShiftDays(sorted(shift_volunteers))
        self.unfilled_gate = Gate()

    @property
    def prefix(self) -> str:
        return f"chaos-{self.run_id}-"

    KINDS = ("resolution", "credit", "unfilled", "award")

    def run(self, n: int) -> None:
        kind = self.KINDS[n % len(self.KINDS)]
        try:
            getattr(self, kind)(f"{self.prefix}{n}")
        except Broken as broken:
            self.ledger.ended(kind, str(broken))
        except Unanswered as lost:
            self.ledger.ended(kind, f"unanswered {lost}")
        else:
            self.ledger.ended(kind, None)

    # One step ---------------------------------------------------------------------------------

    def step(self, party: str, field: str, input_type: str, result: str, **given) -> Answer:
        document = f"mutation($i: {input_type}!) {{ {field}(input: $i) {{ {result} {ERRORS} }} }}"
        try:
            answer = self.client.mutate(party, document, {"i": given}, field)
        except Unanswered:
            return Answer(None, 0)
        return answer

    def must(self, answer: Answer, what: str) -> dict:
        if answer.ok:
            assert answer.payload is not None
            return answer.payload
        if answer.payload is None:
            raise Broken(f"{what} never answered")
        codes = ",".join(e["code"] for e in answer.errors)
        raise Broken(f"{what} refused ({codes}){' after a retry' if answer.attempts > 1 else ''}")

    # The flows --------------------------------------------------------------------------------

    def resolution(self, marker: str) -> None:
        """A joint meeting's purchase resolution, adopted by the three core parties, becomes a project
        in matching; another resolution is recorded at the same meeting (counted on its own)."""
        starts = datetime.now(timezone.utc) + timedelta(days=30)
        meeting = self.must(
            self.step(
                "residents_committee",
                "scheduleMeeting",
                "ScheduleMeetingInput",
                "meeting { id }",
                title=marker,
                location="Community hall",
                startsAt=starts.isoformat(),
                endsAt=(starts + timedelta(hours=2)).isoformat(),
            ),
            "scheduleMeeting",
        )["meeting"]["id"]
        core = ("residents_committee", "owners_committee", "property_company")
        for party in core:
            self.must(
                self.step(
                    party,
                    "signInToMeeting",
                    "SignInToMeetingInput",
                    "",
                    meetingId=meeting,
                    delegate="Delegate",
                ),
                "signInToMeeting",
            )
        recorded = self.step(
            "residents_committee",
            "recordResolution",
            "RecordResolutionInput",
            "resolution { id }",
            meetingId=meeting,
            title=marker,
            text="Weekly visits to residents over 80",
            decisionType="PURCHASE_SERVICE",
            budget="50000.00",
            category="elderly_care",
        )
        self.ledger.expect("recordResolution", marker, recorded)
        other = self.step(
            "residents_committee",
            "recordResolution",
            "RecordResolutionInput",
            "resolution { id }",
            meetingId=meeting,
            title=f"{marker}-r",
            text="Thanks to the volunteers",
            decisionType="OTHER",
        )
        self.ledger.expect("recordResolution", f"{marker}-r", other)
        resolution = self.must(recorded, "recordResolution")["resolution"]["id"]
        taken = None
        for party in core:
            taken = self.step(
                party,
                "takePosition",
                "TakePositionInput",
                "resolution { status }",
                resolutionId=resolution,
                stance="AGREE",
            )
            self.must(taken, "takePosition")
        self.ledger.expect("project from resolution", marker, taken)

    def credit(self, marker: str) -> None:
        """The committee credits a volunteer's activity points, three times, each counted."""
        for k in range(3):
            key = f"{marker}-c{k}"
            answer = self.step(
                "residents_committee",
                "creditActivityPoints",
                "CreditActivityPointsInput",
                "",
                volunteerId=self.volunteer_id,
                activity=key,
                quantity=1,
                pointsPerUnit=2,
            )
            self.ledger.expect("creditActivityPoints", key, answer)
            self.must(answer, "creditActivityPoints")

    def unfilled(self, marker: str) -> None:
        """A request nobody can fill, two hours ahead: the volunteers' timer reports it unfilled and
        meetings puts it on the next agenda."""
        with self.unfilled_gate:
            self._unfilled(marker)

    def _unfilled(self, marker: str) -> None:
        starts = self.moved_now() + timedelta(hours=2)
        answer = self.step(
            "residents_committee",
            "openServiceRequest",
            "OpenServiceRequestInput",
            "serviceRequest { id }",
            title=marker,
            skills=[{"skill": "legal_advice", "level": 5}],
            places=1,
            startsAt=starts.isoformat(),
            endsAt=(starts + timedelta(hours=1)).isoformat(),
            location="Community office",
        )
        self.ledger.expect("openServiceRequest", marker, answer)
        self.ledger.expect("agenda item from unfilled request", marker, answer)
        self.must(answer, "openServiceRequest")

    def award(self, marker: str) -> None:
        """A project tendered, bid on, opened by the timer, scored, ranked and awarded with no
        standstill: the award becomes the winner's contract and an item on the next agenda. The
        contract then runs: its milestone asks the volunteers service for volunteers at activation,
        and its completion's final assessment becomes the organisation's reputation; a shift
        volunteer takes the milestone's place, and ``serve_shifts`` later works the shift on the
        due date, which adds it to the milestone's evidence."""
        number, volunteer = self.days.take()
        try:
            self._award(marker, number, volunteer)
        finally:
            self.days.end(number)

    def _award(self, marker: str, number: int, volunteer: str) -> None:
        project = self.must(
            self.step(
                "residents_committee",
                "createProject",
                "CreateProjectInput",
                "project { id }",
                title=marker,
                category="elderly_care",
                budget="60000.00",
                standstillDays=0,
                periodStart="2027-01-01",
                periodEnd="2027-12-31",
            ),
            "createProject",
        )["project"]["id"]
        deadline = datetime.now(timezone.utc) + timedelta(seconds=8)
        self.must(
            self.step(
                "residents_committee",
                "publishProject",
                "PublishProjectInput",
                "project { id }",
                projectId=project,
                bidDeadline=deadline.isoformat(),
            ),
            "publishProject",
        )
        bid = self.must(
            self.step(
                "social_organisation",
                "submitBid",
                "SubmitBidInput",
                "bid { id }",
                projectId=project,
                price="50000.00",
                plan="visits",
                team="two social workers",
                timeline="weekly",
            ),
            "submitBid",
        )["bid"]["id"]
        self.wait_for_status(project, "evaluating", "the timer to open the bids")
        self.must(
            self.step(
                "residents_committee",
                "scoreBid",
                "ScoreBidInput",
                "evaluation { byYou }",
                projectId=project,
                bidId=bid,
                planQuality=80,
                experience=80,
            ),
            "scoreBid",
        )
        self.must(
            self.step("residents_committee", "rankBids", "ProjectInput", "project { id }", projectId=project),
            "rankBids",
        )
        awarded = self.step(
            "residents_committee",
            "awardProject",
            "AwardProjectInput",
            "award { status }",
            projectId=project,
            bidId=bid,
        )
        self.ledger.expect("contract from award", marker, awarded)
        self.ledger.expect("agenda item from award", marker, awarded)
        self.must(awarded, "awardProject")
        self.contract(marker, number, volunteer)

    def contract(self, marker: str, number: int, volunteer: str) -> None:
        contract = self.find_contract(marker)
        terms = self.must(
            self.step(
                "residents_committee",
                "setContractTerms",
                "SetContractTermsInput",
                "contract { milestones { id } }",
                contractId=contract,
                periodStart="2027-01-01",
                periodEnd="2027-12-31",
                deliverables=["weekly visits"],
                milestones=[
                    {
                        "title": MILESTONE,
                        "dueOn": (FIRST_DUE + timedelta(days=number)).isoformat(),
                        "criteria": "40 residents",
                        "share": "100",
                        "volunteerSkill": "companionship",
                        "volunteerPlaces": 1,
                    }
                ],
            ),
            "setContractTerms",
        )
        (milestone,) = terms["contract"]["milestones"]
        for party in ("social_organisation", "residents_committee"):
            self.must(
                self.step(party, "signContract", "ContractInput", "contract { id }", contractId=contract),
                f"signContract as {party}",
            )
        activated = self.step(
            "residents_committee", "activateContract", "ContractInput", "contract { id }", contractId=contract
        )
        self.ledger.expect("volunteer request from milestone", f"{marker}: {MILESTONE}", activated)
        self.must(activated, "activateContract")
        try:
            self.book_shift(marker, number, volunteer)
        except Broken as broken:  # the contract goes on without its volunteer: counted apart
            self.ledger.ended("shift", str(broken))
        self.must(
            self.step(
                "social_organisation",
                "deliverMilestone",
                "DeliverMilestoneInput",
                "milestone { status }",
                contractId=contract,
                milestoneId=milestone["id"],
                evidence=[{"kind": "attendance", "count": 40, "note": "visit log"}],
            ),
            "deliverMilestone",
        )
        self.must(
            self.step(
                "residents_committee",
                "acceptMilestone",
                "MilestoneDecisionInput",
                "milestone { status }",
                contractId=contract,
                milestoneId=milestone["id"],
            ),
            "acceptMilestone",
        )
        completed = self.step(
            "residents_committee", "completeContract", "ContractInput", "contract { id }", contractId=contract
        )
        self.ledger.expect("reputation from assessment", marker, completed)
        self.must(completed, "completeContract")

    def book_shift(self, marker: str, number: int, volunteer: str) -> None:
        """The committee gives the milestone's volunteer request to the day's shift volunteer, who
        accepts: a shift booked for 09:00-12:00 on the due date."""
        request = self.find_milestone_request(marker, FIRST_DUE + timedelta(days=number))
        offer = self.must(
            self.step(
                "residents_committee",
                "assignVolunteer",
                "AssignVolunteerInput",
                "offer { id }",
                requestId=request,
                volunteerId=self.shift_volunteers[volunteer],
            ),
            "assignVolunteer",
        )["offer"]["id"]
        shift = self.must(
            self.step(volunteer, "acceptOffer", "OfferInput", "shift { id }", offerId=offer), "acceptOffer"
        )["shift"]["id"]
        self.days.book(number, Booked(marker, volunteer, shift))

    def serve_shifts(
        self, move_clock: Callable[[datetime], None], all_reported: Callable[[], None], halt: threading.Event
    ) -> int:
        """Each day's shifts, day by day as they are ready: the services' clock moved to 08:40 on
        the due date, each volunteer checks in; moved to 12:05, each checks out and the committee
        approves the hours, which contracts adds to the milestone's evidence. Before each move,
        ``all_reported`` waits until the open requests are reported unfilled. Returns the days."""

        def jump(to: datetime) -> None:
            self.unfilled_gate.close()
            try:
                all_reported()
                move_clock(to)
            finally:
                self.unfilled_gate.open()

        number = 0
        while (day := self.days.next_ready(number, halt)) is not None:
            opens = datetime.combine(day.due, datetime.min.time(), ZONE)
            jump(opens + timedelta(hours=8, minutes=40))
            checked_in = []
            for booked in day.booked:
                answer = self.step(
                    booked.volunteer, "checkIn", "ShiftInput", "shift { id }", shiftId=booked.shift_id
                )
                if self.settled(answer, "checkIn"):
                    checked_in.append(booked)
            jump(opens + timedelta(hours=12, minutes=5))
            for booked in checked_in:
                answer = self.step(
                    booked.volunteer, "checkOut", "ShiftInput", "shift { id }", shiftId=booked.shift_id
                )
                if not self.settled(answer, "checkOut"):
                    continue
                approved = self.step(
                    "residents_committee",
                    "approveHours",
                    "ApproveHoursInput",
                    "shift { id }",
                    shiftId=booked.shift_id,
                    approvedMinutes=180,
                )
                self.ledger.expect("evidence from shift", f"{booked.marker}: {MILESTONE}", approved)
                if self.settled(approved, "approveHours"):
                    self.ledger.ended("shift", None)
            number += 1
        return number

    def settled(self, answer: Answer, what: str) -> bool:
        try:
            self.must(answer, what)
        except Broken as broken:
            self.ledger.ended("shift", str(broken))
            return False
        return True

    # Reading as a party would -----------------------------------------------------------------

    def find_milestone_request(self, marker: str, due: date, timeout: float = 120) -> str:
        """The volunteer request volunteers opened for the milestone (from contracts' event)."""
        title = f"{marker}: {MILESTONE}"
        after = datetime.combine(due, datetime.min.time(), ZONE).isoformat()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            page = self.client.query(
                "residents_committee",
                "query($after: DateTime) { serviceRequests(first: 100, orderBy: STARTS_AT_ASC, "
                "filter: {startsAfter: $after}) { edges { node { id title } } } }",
                {"after": after},
            )["serviceRequests"]
            for edge in page["edges"]:
                if edge["node"]["title"] == title:
                    return edge["node"]["id"]
            time.sleep(1)
        raise Broken(f"waited {timeout:.0f} s for the milestone's volunteer request")

    def wait_for_status(self, project: str, status: str, what: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            node = self.client.query(
                "residents_committee",
                "query($id: ID!) { node(id: $id) { ... on Project { status } } }",
                {"id": project},
            )["node"]
            if node and node["status"] == status:
                return
            time.sleep(1)
        raise Broken(f"waited {timeout:.0f} s for {what}")

    def find_contract(self, title: str, timeout: float = 120) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            after = None
            for _ in range(20):
                page = self.client.query(
                    "residents_committee",
                    'query($after: String) { contracts(first: 100, after: $after, filter: {status: "draft"}) '
                    "{ edges { node { id title } } pageInfo { hasNextPage endCursor } } }",
                    {"after": after},
                )["contracts"]
                for edge in page["edges"]:
                    if edge["node"]["title"] == title:
                        return edge["node"]["id"]
                if not page["pageInfo"]["hasNextPage"]:
                    break
                after = page["pageInfo"]["endCursor"]
            time.sleep(1)
        raise Broken(f"waited {timeout:.0f} s for the contract drafted from the award")
