"""The automatic jury assignment, solved as a min-cost flow (as HotCRP's autoassigner does).

Rules (all hard):
- every application gets `per_application` (K) jurors; assignments that already exist, and
  pinned pairs, count toward K and toward the juror's load and are never removed;
- a juror judges only applications of the nominations of their pool; conflicted and
  forbidden pairs are never assigned; a juror never exceeds their cap;
- loads are balanced within each pool: jurors are in the same pool when they may judge
  exactly the same nominations (no nominations listed means all of them, so listing every
  nomination is the same as listing none). Within a pool there is a level L such that
  every juror has L or L+1 applications, except a juror whose cap is below L, who then
  has exactly the cap. Pools that overlap (e.g. "all nominations" and "nomination A")
  are balanced separately: how much of A goes to either pool is free.

The network: source -> application (capacity: jurors still needed) -> juror (capacity 1,
for each eligible pair) -> sink. Phase 1 gives each juror's n-th unit of load the cost
2n+1, so the optimum minimizes the sum of squared loads: whenever a pool-balanced solution
exists within a single pool, this optimum is one (it is the "decreasingly minimal" load
vector of the flow's base polyhedron). When several pools interact, the optimum may still
be uneven inside one pool while a balanced solution exists; phase 2 then searches the pool
levels L, checking each candidate as a flow with lower and upper bounds on the juror->sink
arcs, and prunes with two monotone facts: if the demand cannot be covered under the upper
bounds of levels L, it cannot under any lower levels; if the lower bounds of L cannot be
met, they cannot for any higher levels.

When no valid assignment exists, `problems` says why in terms organizers act on.
"""

import itertools
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python import min_cost_flow

OPTIMAL = min_cost_flow.SimpleMinCostFlow.OPTIMAL


@dataclass(frozen=True)
class JurorSpec:
    """A jury member as the assignment sees them."""

    id: int
    name: str = ""
    nominations: frozenset[int] | None = None  # None or empty: every nomination
    cap: int | None = None  # at most this many applications in total


@dataclass(frozen=True)
class ApplicationSpec:
    """An accepted application waiting for jurors."""

    id: int
    label: str = ""
    nomination_id: int | None = None


@dataclass
class AssignmentProblem:
    """Everything the optimizer needs; pairs are (application_id, juror_id)."""

    applications: list[ApplicationSpec]
    jurors: list[JurorSpec]
    per_application: int = 3
    assigned: set[tuple[int, int]] = field(default_factory=set)  # kept, count toward K
    pins: set[tuple[int, int]] = field(default_factory=set)
    conflicts: set[tuple[int, int]] = field(default_factory=set)
    forbidden: set[tuple[int, int]] = field(default_factory=set)
    nominations: dict[int, str] = field(default_factory=dict)  # every nomination: its name


@dataclass
class Reason:
    """Why no valid assignment exists (or a warning), as a kind and its facts."""

    kind: str
    params: dict = field(default_factory=dict)


@dataclass
class Pool:
    """Jurors who may judge exactly the same nominations."""

    nominations: frozenset[int]
    every_nomination: bool
    juror_ids: list[int]


@dataclass
class AssignmentResult:
    new_pairs: list[tuple[int, int]] = field(default_factory=list)
    loads: dict[int, int] = field(default_factory=dict)
    pools: list[Pool] = field(default_factory=list)
    problems: list[Reason] = field(default_factory=list)
    warnings: list[Reason] = field(default_factory=list)
    balanced: bool = True
    # True when coverage is possible and only the balance rule failed: the most even
    # assignment can then be applied on the organizers' explicit request.
    uneven_possible: bool = False
    flows_solved: int = 0
    search_truncated: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


def pool_key(juror: JurorSpec, every: frozenset[int]) -> frozenset[int]:
    """The nominations a juror may judge (the "pool"): listed ones, or all of them."""
    if not juror.nominations:
        return every
    return frozenset(juror.nominations) & every


class _Model:
    """The problem compiled to indices: demands, eligible pairs, fixed loads, bounds."""

    def __init__(self, problem: AssignmentProblem):
        self.problem = problem
        self.k = problem.per_application
        self.apps = list(problem.applications)
        self.jurors = list(problem.jurors)
        self.app_index = {a.id: i for i, a in enumerate(self.apps)}
        self.juror_index = {j.id: i for i, j in enumerate(self.jurors)}
        self.every = frozenset(problem.nominations) | frozenset(
            a.nomination_id for a in self.apps if a.nomination_id is not None
        )
        self.keys = [pool_key(j, self.every) for j in self.jurors]
        self.problems: list[Reason] = []

        excluded = problem.conflicts | problem.forbidden
        kept = {(a, j) for a, j in problem.assigned if a in self.app_index}
        self.forced_new = []
        for a, j in sorted(problem.pins):
            if a not in self.app_index or j not in self.juror_index or (a, j) in kept:
                continue
            if (a, j) in problem.conflicts:
                self.problems.append(Reason("pin_conflict", self._pair(a, j)))
            elif (a, j) in problem.forbidden:
                continue  # a pair cannot be pinned and forbidden at once; the forbid wins
            else:
                self.forced_new.append((a, j))
        taken = kept | set(self.forced_new)

        self.have = [0] * len(self.apps)
        self.fixed = [0] * len(self.jurors)
        for a, j in taken:
            self.have[self.app_index[a]] += 1
            if j in self.juror_index:
                self.fixed[self.juror_index[j]] += 1
        self.demand = [max(0, self.k - h) for h in self.have]

        self.edges: list[tuple[int, int]] = []  # (app index, juror index), free and eligible
        by_nomination = defaultdict(list)
        for ji, key in enumerate(self.keys):
            for nomination in key:
                by_nomination[nomination].append(ji)
        unlimited = [ji for ji, j in enumerate(self.jurors) if not j.nominations]
        self.degree = [0] * len(self.jurors)
        for ai, app in enumerate(self.apps):
            if self.demand[ai] == 0:
                continue
            candidates = (
                by_nomination.get(app.nomination_id, [])
                if app.nomination_id is not None
                else unlimited
            )
            for ji in candidates:
                pair = (app.id, self.jurors[ji].id)
                if pair in taken or pair in excluded:
                    continue
                self.edges.append((ai, ji))
                self.degree[ji] += 1
        self.available = [self.have[ai] for ai in range(len(self.apps))]
        for ai, _ in self.edges:
            self.available[ai] += 1

        self.cap = [j.cap for j in self.jurors]
        self.upper = []  # the most a juror could ever have
        for ji, juror in enumerate(self.jurors):
            most = self.fixed[ji] + self.degree[ji]
            self.upper.append(most if juror.cap is None else min(juror.cap, most))
            if juror.cap is not None and self.fixed[ji] > juror.cap:
                self.problems.append(
                    Reason(
                        "cap_below_fixed",
                        {"juror": juror.name, "cap": juror.cap, "fixed": self.fixed[ji]},
                    )
                )
        for ai, app in enumerate(self.apps):
            if self.available[ai] < self.k:
                self.problems.append(
                    Reason(
                        "too_few_eligible",
                        {
                            "application": app.label,
                            "nomination": self._nomination_name(app.nomination_id),
                            "eligible": self.available[ai],
                            "needed": self.k,
                        },
                    )
                )
        self.total_demand = sum(self.demand)

    def _pair(self, a: int, j: int) -> dict:
        app = self.apps[self.app_index[a]]
        return {"application": app.label, "juror": self.jurors[self.juror_index[j]].name}

    def _nomination_name(self, nomination_id) -> str:
        return self.problem.nominations.get(nomination_id, "") if nomination_id else ""

    def pools(self) -> list[Pool]:
        groups = defaultdict(list)
        for ji, key in enumerate(self.keys):
            groups[key].append(ji)
        return [
            Pool(key, key == self.every, [self.jurors[ji].id for ji in members])
            for key, members in sorted(
                groups.items(), key=lambda item: (item[0] != self.every, sorted(item[0]))
            )
        ]

    def pool_members(self) -> list[list[int]]:
        groups = defaultdict(list)
        for ji, key in enumerate(self.keys):
            groups[key].append(ji)
        return list(groups.values())

    # Node numbering: source 0, applications 1..A, jurors A+1..A+J, sink A+J+1.
    def _nodes(self):
        n_apps, n_jurors = len(self.apps), len(self.jurors)
        return 0, 1, 1 + n_apps, 1 + n_apps + n_jurors

    def network(self, juror_arcs):
        """A flow network whose juror->sink arcs are given as (juror, capacity, cost) triples.

        Returns the solver and the index of the first application->juror arc.
        """
        source, app0, juror0, sink = self._nodes()
        tails, heads, caps, costs = [], [], [], []
        for ai, demand in enumerate(self.demand):
            if demand:
                tails.append(source)
                heads.append(app0 + ai)
                caps.append(demand)
                costs.append(0)
        first_edge = len(tails)
        if self.edges:
            edge_array = np.array(self.edges, dtype=np.int64)
            edge_tails = edge_array[:, 0] + app0
            edge_heads = edge_array[:, 1] + juror0
        else:
            edge_tails = edge_heads = np.zeros(0, dtype=np.int64)
        juror_tails, juror_caps, juror_costs = [], [], []
        for ji, capacity, cost in juror_arcs:
            juror_tails.append(juror0 + ji)
            juror_caps.append(capacity)
            juror_costs.append(cost)
        all_tails = np.concatenate(
            [np.array(tails, dtype=np.int64), edge_tails, np.array(juror_tails, dtype=np.int64)]
        )
        all_heads = np.concatenate(
            [
                np.array(heads, dtype=np.int64),
                edge_heads,
                np.full(len(juror_tails), sink, dtype=np.int64),
            ]
        )
        all_caps = np.concatenate(
            [
                np.array(caps, dtype=np.int64),
                np.ones(len(self.edges), dtype=np.int64),
                np.array(juror_caps, dtype=np.int64),
            ]
        )
        all_costs = np.concatenate(
            [
                np.array(costs, dtype=np.int64),
                np.zeros(len(self.edges), dtype=np.int64),
                np.array(juror_costs, dtype=np.int64),
            ]
        )
        solver = min_cost_flow.SimpleMinCostFlow()
        if len(all_tails):
            solver.add_arcs_with_capacity_and_unit_cost(all_tails, all_heads, all_caps, all_costs)
        solver.set_node_supply(source, 0)
        solver.set_node_supply(sink, 0)
        return solver, first_edge

    def chosen_edges(self, solver, first_edge) -> list[int]:
        if not self.edges:
            return []
        arcs = np.arange(first_edge, first_edge + len(self.edges), dtype=np.int64)
        flows = solver.flows(arcs)
        return [i for i, f in enumerate(flows) if f > 0]

    def loads_from(self, chosen: Iterable[int]) -> list[int]:
        loads = list(self.fixed)
        for i in chosen:
            loads[self.edges[i][1]] += 1
        return loads


def _convex_arcs(model: _Model):
    """Unit arcs whose costs grow with the load: the n-th application costs 2n+1."""
    for ji in range(len(model.jurors)):
        for n in range(model.fixed[ji], model.upper[ji]):
            yield ji, 1, 2 * n + 1


def _supply(solver, model: _Model, amount: int) -> None:
    source, _, _, sink = model._nodes()
    solver.set_node_supply(source, amount)
    solver.set_node_supply(sink, -amount)


def _unbalanced_pools(model: _Model, loads: list[int]) -> list[Reason]:
    """The pools whose loads break the rule, with the extreme jurors as evidence."""
    reasons = []
    for members in model.pool_members():
        if len(members) < 2:
            continue
        top = max(members, key=lambda ji: loads[ji])
        low = [
            ji
            for ji in members
            if loads[ji] < loads[top] - 1 and not (
                model.cap[ji] is not None and loads[ji] >= model.cap[ji]
            )
        ]
        if low:
            bottom = min(low, key=lambda ji: loads[ji])
            key = model.keys[members[0]]
            reasons.append(
                Reason(
                    "unbalanced",
                    {
                        "pool": _pool_label(model, key),
                        "low_juror": model.jurors[bottom].name,
                        "low_load": loads[bottom],
                        "high_juror": model.jurors[top].name,
                        "high_load": loads[top],
                    },
                )
            )
    return reasons


def _pool_label(model: _Model, key: frozenset[int]) -> str:
    if key == model.every:
        return ""  # every nomination
    names = [model.problem.nominations.get(n, str(n)) for n in sorted(key)]
    return ", ".join(names)


def _explain_shortage(model: _Model, solver, first_edge) -> list[Reason]:
    """Explain a flow that cannot cover the demand, from the minimum cut after max-flow."""
    source, app0, juror0, sink = model._nodes()
    n_apps = len(model.apps)
    flows_to_app = [0] * n_apps
    chosen = model.chosen_edges(solver, first_edge)
    for i in chosen:
        flows_to_app[model.edges[i][0]] += 1
    loads = model.loads_from(chosen)
    # Residual reachability from the source: applications still short, then jurors that
    # could take them, then applications those jurors could hand work back from.
    reach_apps = {ai for ai in range(n_apps) if flows_to_app[ai] < model.demand[ai]}
    reach_jurors: set[int] = set()
    by_app = defaultdict(list)
    by_juror = defaultdict(list)
    chosen_set = set(chosen)
    for i, (ai, ji) in enumerate(model.edges):
        by_app[ai].append((i, ji))
        by_juror[ji].append((i, ai))
    frontier = list(reach_apps)
    while frontier:
        ai = frontier.pop()
        for i, ji in by_app[ai]:
            if i not in chosen_set and ji not in reach_jurors:
                reach_jurors.add(ji)
                for i2, a2 in by_juror[ji]:
                    if i2 in chosen_set and a2 not in reach_apps:
                        reach_apps.add(a2)
                        frontier.append(a2)
    needed = sum(model.demand[ai] for ai in reach_apps)
    possible = sum(flows_to_app[ai] for ai in reach_apps)
    nominations = {model.apps[ai].nomination_id for ai in reach_apps}
    jurors = sorted(model.jurors[ji].name for ji in reach_jurors)
    if len(reach_apps) == sum(1 for d in model.demand if d):
        capacity = sum(
            model.upper[ji] - model.fixed[ji] for ji in range(len(model.jurors))
        )
        if capacity < model.total_demand:
            return [Reason("capacity", {"capacity": capacity, "needed": model.total_demand})]
    params = {
        "needed": needed,
        "possible": possible,
        "applications": sorted(model.apps[ai].label for ai in reach_apps),
        "jurors": jurors,
        "at_cap": sorted(
            model.jurors[ji].name
            for ji in reach_jurors
            if model.cap[ji] is not None and loads[ji] >= model.cap[ji]
        ),
    }
    if len(nominations) == 1 and None not in nominations:
        params["nomination"] = model._nomination_name(next(iter(nominations)))
        return [Reason("nomination_shortage", params)]
    return [Reason("shortage", params)]


def solve(
    problem: AssignmentProblem,
    *,
    strict_balance: bool = True,
    time_limit: float = 10.0,
) -> AssignmentResult:
    """Find the new pairs that complete a valid assignment, or say why none exists.

    With `strict_balance=False` the balance rule is relaxed to "as even as the other rules
    allow" (the least sum of squared loads), for when organizers accept uneven loads.
    """
    started = time.monotonic()
    model = _Model(problem)
    result = AssignmentResult(pools=model.pools())
    if model.problems:
        result.problems = model.problems
        return result

    solver, first_edge = model.network(_convex_arcs(model))
    _supply(solver, model, model.total_demand)
    result.flows_solved += 1
    if solver.solve() != OPTIMAL:
        solver.solve_max_flow_with_min_cost()
        result.problems = _explain_shortage(model, solver, first_edge)
        return result
    chosen = model.chosen_edges(solver, first_edge)
    loads = model.loads_from(chosen)
    uneven = _unbalanced_pools(model, loads)
    if uneven and strict_balance:
        found = _search_levels(model, loads, result, started + time_limit)
        if found is None:
            result.problems = uneven
            result.uneven_possible = True
            if time.monotonic() > started + time_limit or result.search_truncated:
                result.problems.append(Reason("search_limit", {"seconds": time_limit}))
            return result
        chosen = found
        loads = model.loads_from(chosen)
    elif uneven:
        result.balanced = False
        result.warnings = uneven
    result.new_pairs = sorted(
        [(model.apps[ai].id, model.jurors[ji].id) for ai, ji in (model.edges[i] for i in chosen)]
        + model.forced_new
    )
    result.loads = {model.jurors[ji].id: loads[ji] for ji in range(len(model.jurors))}
    return result


def _bounds(model: _Model, levels: dict[int, int], member_pool: list[int]):
    """Per juror (lower, upper) total loads for the given pool levels."""
    lower, upper = [], []
    for ji in range(len(model.jurors)):
        pool = member_pool[ji]
        cap = model.cap[ji]
        if pool is None:  # a pool of one: nothing to balance against
            lower.append(model.fixed[ji])
            upper.append(model.upper[ji])
            continue
        level = levels[pool]
        lo = level if cap is None else min(level, cap)
        hi = level + 1 if cap is None else min(level + 1, cap)
        lower.append(max(lo, model.fixed[ji]))
        upper.append(min(hi, model.upper[ji]))
    return lower, upper


def _max_flow(model: _Model, capacities: list[int]) -> tuple[int, object, int]:
    arcs = ((ji, c, 0) for ji, c in enumerate(capacities) if c > 0)
    solver, first_edge = model.network(arcs)
    solver.solve_max_flow_with_min_cost()
    return solver.maximum_flow(), solver, first_edge


MAX_CANDIDATES = 20_000


def _count(ranges) -> int:
    total = 1
    for low, high in ranges:
        total *= high - low + 1
    return total


def _search_levels(model: _Model, loads: list[int], result: AssignmentResult, deadline: float):
    """Phase 2: try pool levels until the bounded flow is feasible; None when none is."""
    pools = [members for members in model.pool_members() if len(members) >= 2]
    member_pool: list[int | None] = [None] * len(model.jurors)
    ranges = []
    guesses = []
    for p, members in enumerate(pools):
        for ji in members:
            member_pool[ji] = p
        # Fixed loads (kept assignments, pins) never exceed level + 1.
        low = max(0, max(model.fixed[ji] for ji in members) - 1)
        # A juror who could not reach the level (and is not stopped by a cap) bounds it.
        limiting = [
            model.upper[ji]
            for ji in members
            if model.cap[ji] is None or model.upper[ji] < model.cap[ji]
        ]
        high = min(limiting) if limiting else max(model.cap[ji] for ji in members)
        if low > high:
            return None
        ranges.append([low, high])
        guesses.append(min(max(max(loads[ji] for ji in members) - 1, low), high))
    # Big instances: search a window around the phase-1 levels rather than everything.
    truncated = False
    for _ in range(64):
        if _count(ranges) <= MAX_CANDIDATES:
            break
        widest = max(range(len(ranges)), key=lambda p: ranges[p][1] - ranges[p][0])
        low, high = ranges[widest]
        half = max((high - low) // 4, 1)
        g = guesses[widest]
        ranges[widest] = [max(low, g - half), min(high, g + half)]
        truncated = True
    result.search_truncated = truncated
    candidates = sorted(
        itertools.islice(
            itertools.product(*(range(low, high + 1) for low, high in ranges)), MAX_CANDIDATES
        ),
        key=lambda levels: sum(abs(lv - g) for lv, g in zip(levels, guesses, strict=True)),
    )
    cover_fails: list[tuple[int, ...]] = []  # levels too low to cover the demand
    lower_fails: list[tuple[int, ...]] = []  # levels too high to fill the lower bounds
    for levels in candidates:
        if time.monotonic() > deadline:
            return None
        if any(all(a <= b for a, b in zip(levels, f, strict=True)) for f in cover_fails):
            continue
        if any(all(a >= b for a, b in zip(levels, f, strict=True)) for f in lower_fails):
            continue
        lower, upper = _bounds(model, dict(enumerate(levels)), member_pool)
        if any(lo > hi for lo, hi in zip(lower, upper, strict=True)):
            if any(model.fixed[ji] > upper[ji] for ji in range(len(model.jurors))):
                cover_fails.append(levels)
            else:
                lower_fails.append(levels)
            continue
        chosen = _bounded_flow(model, lower, upper, result)
        if chosen is not None:
            return chosen
        covered, _, _ = _max_flow(model, [hi - f for hi, f in zip(upper, model.fixed, strict=True)])
        result.flows_solved += 1
        if covered < model.total_demand:
            cover_fails.append(levels)
            continue
        filled, _, _ = _max_flow(model, [lo - f for lo, f in zip(lower, model.fixed, strict=True)])
        result.flows_solved += 1
        if filled < sum(lo - f for lo, f in zip(lower, model.fixed, strict=True)):
            lower_fails.append(levels)
    return None


def _bounded_flow(model: _Model, lower: list[int], upper: list[int], result) -> list[int] | None:
    """A flow meeting the demand with each juror's total load within [lower, upper]."""
    source, _, juror0, sink = model._nodes()
    extra_lower = [lo - f for lo, f in zip(lower, model.fixed, strict=True)]
    arcs = (
        (ji, upper[ji] - lower[ji], 0)
        for ji in range(len(model.jurors))
        if upper[ji] > lower[ji]
    )
    solver, first_edge = model.network(arcs)
    # The lower bound on juror->sink is forced flow: the juror must pass it on, the sink
    # receives it without an arc.
    solver.set_node_supply(source, model.total_demand)
    solver.set_node_supply(sink, -model.total_demand + sum(extra_lower))
    for ji, extra in enumerate(extra_lower):
        if extra:
            solver.set_node_supply(juror0 + ji, -extra)
    result.flows_solved += 1
    if solver.solve() != OPTIMAL:
        return None
    return model.chosen_edges(solver, first_edge)
