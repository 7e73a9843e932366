"""The round solved: the most places filled, then the most urgent, then the least cost, by an exact
sparse assignment (SciPy), with a greedy baseline given the same inputs."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_bipartite_matching, min_weight_full_bipartite_matching

from services.volunteers.dispatch import explain
from services.volunteers.dispatch.cost import cheapest
from services.volunteers.dispatch.eligibility import Roster, fits
from services.volunteers.dispatch.problem import Building, Dispatch, ServiceRequest, Volunteer
from shared import config
from shared.errors import InvalidInput
from shared.vocabulary.volunteers import ErrorCode

# The exact solve first sees only each request's cheapest candidates: its places plus this many.
SPARE = 30


def dispatch(
    requests: Iterable[ServiceRequest], volunteers: Iterable[Volunteer], buildings: Iterable[Building]
) -> Dispatch:
    """The best round: the most places filled, then the most urgent ones, then the least cost.

    Each volunteer takes at most one place per round. That keeps the round an assignment problem,
    solved exactly, and makes double booking within the round impossible; a volunteer free for
    two shifts gets the second in the next round, where the first is one of their bookings.
    """
    plan = Plan(requests, volunteers, buildings)
    return plan.result(plan.optimal())


def greedy(
    requests: Iterable[ServiceRequest], volunteers: Iterable[Volunteer], buildings: Iterable[Building]
) -> Dispatch:
    """The baseline: place by place in priority order, the cheapest volunteer still free."""
    plan = Plan(requests, volunteers, buildings)
    return plan.result(plan.greedy())


class Plan:
    """One round's requests and volunteers in a fixed order, and who fits where, ready to solve."""

    def __init__(
        self,
        requests: Iterable[ServiceRequest],
        volunteers: Iterable[Volunteer],
        buildings: Iterable[Building],
    ):
        self.coords = {b.id: (b.x, b.y) for b in buildings}
        self.zone = config.community_zone()
        # Sorting makes the round depend on the inputs, not on their order.
        self.requests = sorted(requests, key=lambda r: (-r.priority, r.id))
        self.volunteers = sorted(volunteers, key=lambda v: v.id)
        self._check()
        bounds = [r.window.bounds for r in self.requests]
        horizon = (
            min((b[0].timestamp() for b in bounds), default=0.0),
            max((b[1].timestamp() for b in bounds), default=0.0),
        )
        self.roster = Roster(self.volunteers, self.coords, horizon, self.zone)
        self.fits = fits(self.roster, self.requests, self.coords)

    def _check(self) -> None:
        errors = []
        for kind, items in (("request", self.requests), ("volunteer", self.volunteers)):
            ids = [item.id for item in items]
            if len(set(ids)) != len(ids):
                errors.append(
                    {"field": f"{kind}s", "code": ErrorCode.DUPLICATE, "message": f"{kind} ids repeat"}
                )
            for item in items:
                if item.building not in self.coords:
                    errors.append(
                        {
                            "field": "building",
                            "code": ErrorCode.NOT_FOUND,
                            "message": f"{kind} {item.id}: no building {item.building!r}",
                        }
                    )
        for request in self.requests:
            if request.places < 1 or any(level < 1 for level in request.skills.values()):
                errors.append(
                    {
                        "field": "places",
                        "code": ErrorCode.INVALID,
                        "message": f"request {request.id}: places and skill levels start at 1",
                    }
                )
        if errors:
            raise InvalidInput(errors)

    def optimal(self) -> list[list[int]]:
        """For each request, the positions in its fit of the volunteers chosen, by an exact solve.

        The solve first sees only each request's `places + SPARE` cheapest volunteers, which is
        what makes a city-wide round fast. Pruning can never fill more, but it could fill fewer
        or less urgent places, so the result is checked against the most places that can be
        filled, tier by tier, over every volunteer who fits; if it falls short, the round is
        solved again without pruning.
        """
        kept = [
            cheapest(fit.cost, request.places + SPARE)
            for request, fit in zip(self.requests, self.fits, strict=True)
        ]
        chosen = self._solve(kept)
        if not self._fills_most(chosen):
            chosen = self._solve([np.arange(fit.rows.size) for fit in self.fits])
        return chosen

    def _solve(self, kept: list[np.ndarray]) -> list[list[int]]:
        """Rows are places, columns the volunteers kept plus one stand-in per place for "unfilled".

        Leaving a place unfilled costs (tier + 1) * step, tier being the rank of its priority,
        and step is more than every volunteer cost of the round added together. The sets of
        places that can be filled together form a matroid, in which a set of greatest weight is
        a largest set that also holds the most places of the top tier, then of the next, and
        so on (Rado-Edmonds). So the solve fills the most places, then the most urgent, and
        only then spends cost.
        """
        places = sum(r.places for r in self.requests)
        chosen: list[list[int]] = [[] for _ in self.requests]
        if not places:
            return chosen
        rows_kept = [fit.rows[k] for fit, k in zip(self.fits, kept, strict=True)]
        costs_kept = [fit.cost[k] for fit, k in zip(self.fits, kept, strict=True)]
        every = np.concatenate(rows_kept)
        marked = np.zeros(self.roster.size, dtype=bool)
        marked[every] = True
        volunteers = np.flatnonzero(marked)
        column_of = np.empty(self.roster.size, dtype=np.intp)
        column_of[volunteers] = np.arange(volunteers.size)
        tier = {p: t for t, p in enumerate(sorted({r.priority for r in self.requests}))}
        costs = np.concatenate([f.cost for f in self.fits])
        low = float(costs.min()) if costs.size else 0.0
        spread = (float(costs.max()) if costs.size else 0.0) - low
        step = (places + 1) * (spread + 1.0)
        counts = np.array([r.places for r in self.requests], dtype=np.intp)
        owner = np.repeat(np.arange(len(self.requests)), counts)
        tiers = np.array([tier[r.priority] for r in self.requests], dtype=float)
        # Each request's places in turn, each place with every volunteer kept for it, in kept order.
        width = np.array([k.size for k in kept], dtype=np.intp)
        edges = counts * width
        edge_owner = np.repeat(np.arange(len(self.requests)), edges)
        within = np.arange(int(edges.sum())) - np.repeat(np.cumsum(edges) - edges, edges)
        first_place = np.cumsum(counts) - counts
        first_kept = np.cumsum(width) - width
        kept_at = first_kept[edge_owner] + within % np.maximum(width, 1)[edge_owner]
        # Shifted to start at 1: the sparse solver reads a zero as "no edge". Every place takes
        # exactly one column, so a shift common to all volunteers changes no choice.
        weight = np.concatenate(costs_kept) - low + 1.0
        graph = csr_matrix(
            (
                np.r_[(tiers[owner] + 1) * step + 1.0, weight[kept_at]],
                (
                    np.r_[
                        np.arange(places),
                        first_place[edge_owner] + within // np.maximum(width, 1)[edge_owner],
                    ],
                    np.r_[volunteers.size + np.arange(places), column_of[every[kept_at]]],
                ),
            ),
            shape=(places, volunteers.size + places),
        )
        matched_rows, matched_columns = min_weight_full_bipartite_matching(graph)
        filled = matched_columns < volunteers.size
        whose, who = owner[matched_rows[filled]], volunteers[matched_columns[filled]]
        for i, row in zip(whose.tolist(), who.tolist(), strict=True):
            chosen[i].append(row)
        for i, rows in enumerate(chosen):
            if rows:
                chosen[i] = np.searchsorted(self.fits[i].rows, rows).tolist()
        return chosen

    def _fills_most(self, chosen: list[list[int]]) -> bool:
        """Whether, for each priority and above, as many places are filled as could be at all."""
        requests, fits = self.requests, self.fits
        filled = np.cumsum([len(c) for c in chosen])
        bound = np.cumsum([min(r.places, f.rows.size) for r, f in zip(requests, fits, strict=True)])
        places = np.cumsum([r.places for r in requests])
        graph = None
        for i, request in enumerate(requests):
            if i + 1 < len(requests) and requests[i + 1].priority == request.priority:
                continue  # not the last request of its priority
            if filled[i] == bound[i]:
                continue  # every place that anyone fits is filled
            if graph is None:
                fitting = np.repeat([f.rows.size for f in fits], [r.places for r in requests])
                graph = csr_matrix(
                    (
                        np.ones(fitting.sum()),
                        np.concatenate(
                            [np.tile(f.rows, r.places) for r, f in zip(requests, fits, strict=True)]
                        ),
                        np.r_[0, np.cumsum(fitting)],
                    ),
                    shape=(fitting.size, self.roster.size),
                )
            if filled[i] < np.count_nonzero(
                maximum_bipartite_matching(graph[: places[i]], perm_type="column") >= 0
            ):
                return False
        return True

    def greedy(self) -> list[list[int]]:
        taken = np.zeros(self.roster.size, dtype=bool)
        chosen: list[list[int]] = []
        for request, fit in zip(self.requests, self.fits, strict=True):
            mine = []
            for _ in range(request.places):
                cost = np.where(taken[fit.rows], np.inf, fit.cost)
                if not cost.size or np.isinf(cost.min()):
                    break
                best = int(np.argmin(cost))  # the first of equals: the smallest id
                taken[fit.rows[best]] = True
                mine.append(best)
            chosen.append(mine)
        return chosen

    def result(self, chosen: list[list[int]]) -> Dispatch:
        return explain.result(self, chosen)
