"""The automatic assignment: hand-made cases, and random instances checked by brute force."""

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pdcompetition.domain.assignment import (
    ApplicationSpec,
    AssignmentProblem,
    JurorSpec,
    solve,
)

NOMS = {1: "Молодёжная дипломатия", 2: "Народная дипломатия"}


def apps(n, nomination=1, start=1):
    return [ApplicationSpec(i, f"A{i}", nomination) for i in range(start, start + n)]


def jurors(n, start=100, nominations=None, cap=None):
    return [JurorSpec(i, f"J{i}", nominations, cap) for i in range(start, start + n)]


# ---- an independent checker, written from the rules, not from the solver ----


def may_judge(juror, application):
    return not juror.nominations or application.nomination_id in juror.nominations


def pool_of(juror, every):
    return frozenset(juror.nominations) & every if juror.nominations else every


def balanced(problem, loads):
    """Within each pool some level L has every load in [min(L, cap), L+1]."""
    every = frozenset(problem.nominations) | {a.nomination_id for a in problem.applications}
    pools = {}
    for juror in problem.jurors:
        pools.setdefault(pool_of(juror, every), []).append(juror)
    for members in pools.values():
        top = max(loads[j.id] for j in members)
        if not any(
            all(
                min(level, j.cap if j.cap is not None else level) <= loads[j.id] <= level + 1
                for j in members
            )
            for level in range(0, top + 2)
        ):
            return False
    return True


def violations(problem, final_pairs):
    """Every rule a final set of (application, juror) pairs breaks (empty: valid)."""
    found = []
    app_ids = {a.id for a in problem.applications}
    juror_by_id = {j.id: j for j in problem.jurors}
    kept = {p for p in problem.assigned if p[0] in app_ids}
    pins = {p for p in problem.pins if p[0] in app_ids and p[1] in juror_by_id}
    if not kept <= final_pairs:
        found.append("an existing assignment was removed")
    if not pins <= final_pairs:
        found.append("a pin was not assigned")
    for a, j in final_pairs - kept:
        if (a, j) in problem.conflicts:
            found.append(f"conflicted pair {a},{j}")
        if (a, j) in problem.forbidden:
            found.append(f"forbidden pair {a},{j}")
        application = next(x for x in problem.applications if x.id == a)
        if (a, j) not in pins and not may_judge(juror_by_id[j], application):
            found.append(f"juror {j} outside their pool on {a}")
    for application in problem.applications:
        count = sum(1 for a, _ in final_pairs if a == application.id)
        before = len({p for p in kept | pins if p[0] == application.id})
        if count != max(problem.per_application, before):
            found.append(f"application {application.id} has {count} jurors")
    loads = {j.id: sum(1 for _, x in final_pairs if x == j.id) for j in problem.jurors}
    for juror in problem.jurors:
        if juror.cap is not None and loads[juror.id] > juror.cap:
            found.append(f"juror {juror.id} over the cap")
    if not balanced(problem, loads):
        found.append("unbalanced")
    return found


def brute_force_feasible(problem) -> bool:
    """Try every way to complete the assignment (tiny instances only)."""
    juror_by_id = {j.id: j for j in problem.jurors}
    app_ids = {a.id for a in problem.applications}
    kept = {p for p in problem.assigned if p[0] in app_ids}
    pins = {p for p in problem.pins if p[0] in app_ids and p[1] in juror_by_id}
    if (pins - kept) & problem.conflicts:  # a kept assignment already satisfies its pin
        return False
    fixed = kept | pins
    options = []
    for application in problem.applications:
        taken = {j for a, j in fixed if a == application.id}
        need = max(0, problem.per_application - len(taken))
        free = [
            j.id
            for j in problem.jurors
            if j.id not in taken
            and may_judge(j, application)
            and (application.id, j.id) not in problem.conflicts
            and (application.id, j.id) not in problem.forbidden
        ]
        choices = [
            {(application.id, j) for j in combo} for combo in itertools.combinations(free, need)
        ]
        if not choices:
            return False
        options.append(choices)
    for combo in itertools.product(*options):
        final = set(fixed).union(*combo)
        if not violations(problem, final):
            return True
    return False


def final_pairs(problem, result):
    app_ids = {a.id for a in problem.applications}
    return {p for p in problem.assigned if p[0] in app_ids} | set(result.new_pairs)


def assert_valid(problem, result):
    assert result.ok, result.problems
    assert violations(problem, final_pairs(problem, result)) == []


# ---- hand-made cases ----


def test_everyone_gets_k_distinct_jurors_and_loads_are_even():
    problem = AssignmentProblem(apps(10), jurors(4), 3, nominations=NOMS)
    result = solve(problem)
    assert_valid(problem, result)
    assert len(result.new_pairs) == 30
    assert sorted(result.loads.values()) == [7, 7, 8, 8]


def test_nothing_to_do():
    result = solve(AssignmentProblem([], jurors(3), 3, nominations=NOMS))
    assert result.ok and result.new_pairs == []


def test_conflicts_and_forbids_are_never_assigned():
    applications = apps(4)
    panel = jurors(4)
    conflicts = {(1, 100), (2, 101)}
    forbidden = {(3, 102), (4, 103)}
    problem = AssignmentProblem(
        applications, panel, 3, conflicts=conflicts, forbidden=forbidden, nominations=NOMS
    )
    result = solve(problem)
    assert_valid(problem, result)
    assert not (set(result.new_pairs) & (conflicts | forbidden))
    assert (1, 100) not in result.new_pairs


def test_pins_are_assigned_and_count_toward_k():
    problem = AssignmentProblem(apps(4), jurors(4), 2, pins={(1, 100), (2, 100)}, nominations=NOMS)
    result = solve(problem)
    assert_valid(problem, result)
    assert {(1, 100), (2, 100)} <= set(result.new_pairs)
    assert sum(1 for a, _ in result.new_pairs if a == 1) == 2


def test_existing_assignments_stay_and_count():
    existing = {(1, 100), (2, 100), (3, 100)}
    problem = AssignmentProblem(apps(7), jurors(3), 1, assigned=existing, nominations=NOMS)
    result = solve(problem)
    assert_valid(problem, result)
    assert not any(a in (1, 2, 3) for a, _ in result.new_pairs)  # already complete
    assert result.loads == {100: 3, 101: 2, 102: 2}


def test_existing_assignments_that_unbalance_the_pool_are_reported():
    existing = {(1, 100), (2, 100), (3, 100)}
    problem = AssignmentProblem(apps(4), jurors(3), 1, assigned=existing, nominations=NOMS)
    result = solve(problem)
    assert not result.ok
    assert result.problems[0].kind == "unbalanced"
    assert result.problems[0].params["high_juror"] == "J100"
    assert result.uneven_possible


def test_nomination_pools_are_respected_and_balanced_separately():
    applications = apps(6, nomination=1) + apps(2, nomination=2, start=7)
    youth = jurors(2, start=100, nominations=frozenset({1}))
    everyone = jurors(2, start=200)
    problem = AssignmentProblem(applications, youth + everyone, 2, nominations=NOMS)
    result = solve(problem)
    assert_valid(problem, result)
    for a, j in result.new_pairs:
        if a >= 7:
            assert j >= 200, "nomination 2 went to a juror limited to nomination 1"
    assert abs(result.loads[100] - result.loads[101]) <= 1
    assert abs(result.loads[200] - result.loads[201]) <= 1
    assert [p.every_nomination for p in result.pools] == [True, False]


def test_listing_every_nomination_is_the_same_pool_as_none():
    panel = [JurorSpec(100, "a", frozenset({1, 2})), JurorSpec(101, "b"), JurorSpec(102, "c")]
    problem = AssignmentProblem(apps(4), panel, 1, nominations=NOMS)
    result = solve(problem)
    assert len(result.pools) == 1
    assert sorted(result.loads.values()) == [1, 1, 2]


def test_caps_limit_and_exempt_from_balance():
    panel = jurors(1, start=100, cap=1) + jurors(3, start=101)
    problem = AssignmentProblem(apps(10), panel, 2, nominations=NOMS)
    result = solve(problem)
    assert_valid(problem, result)
    assert result.loads[100] == 1
    assert sorted(result.loads[j] for j in (101, 102, 103)) == [6, 6, 7]


def test_second_phase_finds_the_balanced_assignment_the_first_misses():
    # j101 shares j100's pool but is conflicted with everything: the pool's level is 0 or 1,
    # so j100 may take one application and the unlimited juror the rest.
    applications = apps(4)
    panel = [
        JurorSpec(100, "i", frozenset({1})),
        JurorSpec(101, "j", frozenset({1})),
        JurorSpec(102, "k"),
    ]
    problem = AssignmentProblem(
        applications, panel, 1, conflicts={(a.id, 101) for a in applications}, nominations=NOMS
    )
    result = solve(problem)
    assert_valid(problem, result)
    assert result.loads == {100: 1, 101: 0, 102: 3}
    assert result.flows_solved > 1
    relaxed = solve(problem, strict_balance=False)
    assert relaxed.ok and not relaxed.balanced
    assert relaxed.warnings[0].kind == "unbalanced"


def test_too_few_eligible_jurors_names_the_application_and_nomination():
    applications = apps(2)
    problem = AssignmentProblem(
        applications, jurors(3), 3, conflicts={(1, 100), (1, 101)}, nominations=NOMS
    )
    result = solve(problem)
    assert not result.ok
    reason = result.problems[0]
    assert reason.kind == "too_few_eligible"
    assert reason.params == {
        "application": "A1",
        "nomination": "Молодёжная дипломатия",
        "eligible": 1,
        "needed": 3,
    }


def test_caps_too_small_reports_total_capacity():
    problem = AssignmentProblem(apps(10), jurors(4, cap=5), 3, nominations=NOMS)
    result = solve(problem)
    assert [r.kind for r in result.problems] == ["capacity"]
    assert result.problems[0].params == {"capacity": 20, "needed": 30}


def test_a_short_nomination_is_named():
    applications = apps(5, nomination=1) + apps(4, nomination=2, start=6)
    panel = jurors(2, start=100, nominations=frozenset({1}), cap=2) + jurors(
        2, start=200, nominations=frozenset({2})
    )
    problem = AssignmentProblem(applications, panel, 1, nominations=NOMS)
    result = solve(problem)
    assert [r.kind for r in result.problems] == ["nomination_shortage"]
    params = result.problems[0].params
    assert params["nomination"] == "Молодёжная дипломатия"
    assert (params["needed"], params["possible"]) == (5, 4)
    assert params["applications"] == ["A1", "A2", "A3", "A4", "A5"]
    assert params["at_cap"] == ["J100", "J101"]


def test_pinned_conflict_and_fixed_load_over_cap_are_reported():
    problem = AssignmentProblem(
        apps(2), jurors(3), 1, pins={(1, 100)}, conflicts={(1, 100)}, nominations=NOMS
    )
    assert [r.kind for r in solve(problem).problems] == ["pin_conflict"]
    panel = jurors(1, start=100, cap=1) + jurors(2, start=101)
    problem = AssignmentProblem(apps(3), panel, 1, pins={(1, 100), (2, 100)}, nominations=NOMS)
    reasons = solve(problem).problems
    assert [r.kind for r in reasons] == ["cap_below_fixed"]
    assert reasons[0].params == {"juror": "J100", "cap": 1, "fixed": 2}


def test_assignments_to_jurors_outside_the_jury_still_count():
    problem = AssignmentProblem(apps(2), jurors(2), 2, assigned={(1, 999)}, nominations=NOMS)
    result = solve(problem)
    assert_valid(problem, result)
    assert sum(1 for a, _ in result.new_pairs if a == 1) == 1


# ---- random instances ----


@st.composite
def instances(draw):
    n_apps = draw(st.integers(1, 4))
    n_jurors = draw(st.integers(1, 4))
    k = draw(st.integers(1, 2))
    applications = [
        ApplicationSpec(i, f"A{i}", draw(st.sampled_from([1, 2]))) for i in range(1, n_apps + 1)
    ]
    panel = []
    for j in range(100, 100 + n_jurors):
        listed = draw(st.sampled_from([None, frozenset({1}), frozenset({2}), frozenset({1, 2})]))
        cap = draw(st.one_of(st.none(), st.integers(0, 4)))
        panel.append(JurorSpec(j, f"J{j}", listed, cap))
    pairs = [(a.id, j.id) for a in applications for j in panel]
    subset = st.sets(st.sampled_from(pairs), max_size=len(pairs) // 2) if pairs else st.just(set())
    conflicts = draw(subset)
    forbidden = draw(subset)
    pins = draw(st.sets(st.sampled_from(pairs), max_size=2)) - forbidden
    assigned = draw(st.sets(st.sampled_from(pairs), max_size=2))
    return AssignmentProblem(
        applications,
        panel,
        k,
        assigned=assigned,
        pins=pins,
        conflicts=conflicts,
        forbidden=forbidden,
        nominations=dict(NOMS),
    )


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_found_exactly_when_a_valid_assignment_exists(problem):
    result = solve(problem)
    feasible = brute_force_feasible(problem)
    assert result.ok == feasible, (result.problems, problem)
    if result.ok:
        assert violations(problem, final_pairs(problem, result)) == []
    else:
        assert result.problems and all(r.kind for r in result.problems)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(5, 40),
    st.integers(3, 12),
    st.integers(1, 3),
    st.randoms(use_true_random=False),
)
def test_larger_random_instances_satisfy_every_rule(n_apps, n_jurors, k, rng):
    applications = [ApplicationSpec(i, f"A{i}", rng.choice([1, 2])) for i in range(n_apps)]
    panel = [
        JurorSpec(
            100 + j,
            f"J{j}",
            rng.choice([None, None, frozenset({1}), frozenset({2})]),
            rng.choice([None, None, None, rng.randint(1, 10)]),
        )
        for j in range(n_jurors)
    ]
    conflicts = {
        (a.id, j.id) for a in applications for j in panel if rng.random() < 0.1
    }
    problem = AssignmentProblem(applications, panel, k, conflicts=conflicts, nominations=NOMS)
    result = solve(problem)
    if result.ok:
        assert violations(problem, final_pairs(problem, result)) == []
    else:
        assert result.problems
    relaxed = solve(problem, strict_balance=False)
    if result.ok:
        assert relaxed.ok  # relaxing a rule never loses a solution
    if relaxed.ok:
        found = violations(problem, final_pairs(problem, relaxed))
        assert set(found) <= {"unbalanced"}
