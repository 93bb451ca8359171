"""Bad input to every public function of crmkit.channels: each answers with a crmkit
error that names the argument (or column), shows the value and says how to fix it, and
never changes the caller's data. Where odd input has a correct answer (a single
alternative, huge but finite numbers, ties) the test pins that answer down."""

from __future__ import annotations

import contextlib
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmkit.channels import (
    MAPPINGS,
    ahp_weights,
    best_send_slots,
    channel_economics,
    channel_mix,
    course_channels,
    email_open_rates,
    journey_table,
    make_email_campaign,
    make_interactions,
    mapping_sensitivity,
    normalise,
    objective_task_budget,
    rank_channels,
    to_scores,
    topsis,
    weight_sensitivity,
    weighted_sum,
)
from crmkit.errors import CrmkitError, DataError, ParameterError
from tests.adversarial import (
    BAD_POSITIVE,
    HUGE,
    NOT_NUMBERS,
    assert_clear_error,
    bad_numbers,
)

pytestmark = pytest.mark.adversarial

COVERS = (
    "crmkit.channels.ahp_weights",
    "crmkit.channels.best_send_slots",
    "crmkit.channels.channel_economics",
    "crmkit.channels.channel_mix",
    "crmkit.channels.email_open_rates",
    "crmkit.channels.journey_table",
    "crmkit.channels.make_email_campaign",
    "crmkit.channels.make_interactions",
    "crmkit.channels.mapping_sensitivity",
    "crmkit.channels.normalise",
    "crmkit.channels.objective_task_budget",
    "crmkit.channels.rank_channels",
    "crmkit.channels.to_scores",
    "crmkit.channels.topsis",
    "crmkit.channels.weight_sensitivity",
    "crmkit.channels.weighted_sum",
)

EXEMPT = {
    "crmkit.channels.AHPResult": "a result only crmkit builds",
    "crmkit.channels.ChannelMix": "a result only crmkit builds",
    "crmkit.channels.JourneyTable": "a result only crmkit builds",
    "crmkit.channels.SensitivityResult": "a result only crmkit builds",
}

FAST = settings(max_examples=25, deadline=None)

M = pd.DataFrame(
    {"price": [250.0, 200.0, 300.0], "storage": [16.0, 16.0, 32.0]},
    index=["a", "b", "c"],
)
B = {"price": False, "storage": True}
W = [1.0, 1.0]
SCORERS = {
    "weighted_sum": lambda m, w, b: weighted_sum(m, w, b),
    "topsis": lambda m, w, b: topsis(m, w, b),
    "rank_channels": lambda m, w, b: rank_channels(m, w, b),
    "rank_topsis": lambda m, w, b: rank_channels(m, w, b, method="topsis"),
    "weight_sensitivity": lambda m, w, b: weight_sensitivity(
        m, b, base_weights=w, samples=100
    ),
}
PLAN = pd.DataFrame(
    {
        "contacts_per_hour": [120.0, 300.0],
        "cost_per_contact": [5.25, 0.10],
        "handle_time_min": [4.0, np.nan],
    },
    index=["phone", "website"],
)
CHANNELS = pd.DataFrame(
    {
        "cost_per_contact": [0.1, 5.25],
        "value_per_contact": [0.3, 9.0],
        "max_per_customer": [3.0, 1.0],
    },
    index=["e-mail", "phone"],
)
TASKS = pd.DataFrame(
    {
        "goal": ["a", "a", "b"],
        "task": ["x", "y", "z"],
        "units": [2.0, 3.0, 10.0],
        "unit_cost": [10.0, 5.0, 1.0],
    }
)
CAMPAIGN = make_email_campaign(seed=1)
LOG = make_interactions(40, seed=3)

#: values that are wrong wherever a real bool belongs
NOT_BOOLS = ["False", "True", "", 0, 1, 1.0, None, math.nan, [True], b"1"]


def with_entry(frame: pd.DataFrame, column: str, value: object, row: int = 0):
    """A copy of ``frame`` whose ``column`` holds ``value`` at position ``row``."""
    out = frame.copy()
    col = out[column].astype(object)
    col.iloc[row] = value
    out[column] = col
    return out


def unchanged(call, *frames):
    before = [f.copy(deep=True) for f in frames]
    with contextlib.suppress(CrmkitError):
        call()
    for old, new in zip(before, frames, strict=True):
        pd.testing.assert_frame_equal(old, new)


# --- decision matrix, weights and benefit flags -------------------------------------


@pytest.mark.parametrize("scorer", SCORERS, ids=str)
@pytest.mark.parametrize("flag", NOT_BOOLS)
def test_benefit_flags_must_be_real_bools(scorer, flag):
    as_map = {"price": flag, "storage": True}
    assert_clear_error(lambda: SCORERS[scorer](M, W, as_map), "benefit['price']", flag)
    assert_clear_error(lambda: SCORERS[scorer](M, W, [flag, True]), "benefit[0]", flag)


@pytest.mark.parametrize(
    ("benefit", "name", "value"),
    [
        ("True", "benefit", "True"),
        (True, "benefit", True),
        (1, "benefit", 1),
        ([True], "benefit", 1),
        ([True, False, True], "benefit", 3),
        ({"storage": True}, "benefit", "price"),
    ],
)
def test_benefit_must_cover_every_criterion(benefit, name, value):
    for scorer in SCORERS.values():
        assert_clear_error(lambda s=scorer: s(M, W, benefit), name, value)


@FAST
@given(
    st.sampled_from(list(SCORERS)),
    st.one_of(st.text(max_size=6), st.integers(), st.floats(), st.none()),
)
def test_any_non_bool_flag_is_refused(scorer, flag):
    assert_clear_error(
        lambda: SCORERS[scorer](M, W, {"price": flag, "storage": False}),
        "benefit['price']",
        flag,
    )


@FAST
@given(
    st.sampled_from(list(SCORERS)),
    st.integers(0, 1),
    bad_numbers(allow_zero=True),
)
def test_any_bad_weight_is_refused(scorer, pos, bad):
    weights = [1.0, 1.0]
    weights[pos] = bad
    assert_clear_error(lambda: SCORERS[scorer](M, weights, B), f"weights[{pos}]", bad)
    named = {"price": 1.0, "storage": 1.0}
    named[list(named)[pos]] = bad
    assert_clear_error(
        lambda: SCORERS[scorer](M, named, B), f"weights[{list(named)[pos]!r}]", bad
    )


@pytest.mark.parametrize(
    ("weights", "name", "value"),
    [
        ([0.0, 0.0], "weights", 0.0),
        ([1.0], "weights", 1),
        ([1.0, 1.0, 1.0], "weights", 3),
        (None, "weights", None),
        ("11", "weights", "11"),
        (3.0, "weights", 3.0),
        ({"price": 1.0}, "weights", "storage"),
        ({"price": 1.0, "storage": 1.0, "speed": 1.0}, "weights", "speed"),
    ],
)
def test_weights_must_give_one_number_per_criterion(weights, name, value):
    for key, scorer in SCORERS.items():
        if weights is None and key == "weight_sensitivity":
            continue  # base_weights=None means equal weights
        assert_clear_error(lambda s=scorer: s(M, weights, B), name, value)


@pytest.mark.parametrize(
    ("matrix", "name", "value"),
    [
        (with_entry(M, "price", "250"), "matrix['price']", "250"),
        (with_entry(M, "price", math.nan), "matrix['price']", math.nan),
        (with_entry(M, "storage", math.inf), "matrix['storage']", math.inf),
        (with_entry(M, "storage", None), "matrix['storage']", None),
        (M.assign(storage=[True, False, True]), "matrix['storage']", "True"),
        ([["1", 2.0], ["3", 4.0]], "matrix[0]", "1"),
        ([[1.0, 2.0], [3.0]], "matrix", 3.0),
        ([1.0, 2.0], "matrix", "(2,)"),
        (None, "matrix", None),
        ("matrix", "matrix", "matrix"),
        (M.set_axis(["a", "a", "c"]), "matrix", "a"),
        (M.iloc[:0], "matrix", 0),
        (M[[]], "matrix", "no criteria"),
        (pd.concat([M, M[["price"]]], axis=1), "matrix", "price"),
    ],
)
def test_bad_decision_matrices(matrix, name, value):
    two = [1.0, 1.0] if not isinstance(matrix, pd.DataFrame) else W
    benefit = None if not isinstance(matrix, pd.DataFrame) else B
    for scorer in SCORERS.values():
        assert_clear_error(lambda s=scorer: s(matrix, two, benefit), name, value)


@pytest.mark.parametrize("method", ["max", "sum"])
def test_ratio_normalisations_need_positive_values(method):
    for bad in (0.0, -5.0):
        frame = with_entry(M, "price", bad)
        assert_clear_error(
            lambda f=frame: weighted_sum(f, W, B, normalization=method),
            "matrix['price']",
            bad,
        )
        weighted_sum(frame, W, B, normalization="minmax")  # fine for min-max


@pytest.mark.parametrize("name", ["normalization", "method"])
@pytest.mark.parametrize("value", ["l2", None, 1, "MAX", ["max"]])
def test_bad_method_names(name, value):
    if name == "normalization":
        assert_clear_error(
            lambda: weighted_sum(M, W, B, normalization=value), name, value
        )
        assert_clear_error(
            lambda: rank_channels(M, W, B, normalization=value), name, value
        )
        assert_clear_error(
            lambda: weight_sensitivity(M, B, normalization=value), name, value
        )
        assert_clear_error(lambda: normalise(M, [False, True], value), "method", value)
    else:
        assert_clear_error(lambda: rank_channels(M, W, B, method=value), name, value)
        assert_clear_error(lambda: weight_sensitivity(M, B, method=value), name, value)
        assert_clear_error(
            lambda: mapping_sensitivity(course_channels(), [1] * 4, method=value),
            name,
            value,
        )


def test_zero_criteria_cannot_rank():
    zero = M.assign(storage=0.0)
    for call in (
        lambda: topsis(zero, W, B),
        lambda: weighted_sum(zero, W, B, normalization="vector"),
        lambda: weight_sensitivity(zero, B, method="topsis", samples=100),
    ):
        assert_clear_error(call, "matrix['storage']", "zero")


def test_normalise_checks_its_own_inputs():
    assert_clear_error(lambda: normalise(M, ["False", True]), "benefit[0]", "False")
    assert_clear_error(lambda: normalise(M.to_dict(), [False, True]), "matrix", "dict")
    assert_clear_error(lambda: normalise(M, [False]), "benefit", 1)
    pd.testing.assert_frame_equal(normalise(M, None), normalise(M, [True, True]))


@FAST
@given(
    st.floats(1e-300, 1e300),
    st.sampled_from(["max", "minmax", "sum", "vector"]),
)
def test_scores_do_not_depend_on_the_scale_of_a_column(scale, method):
    big = M.assign(price=M["price"] * scale)
    np.testing.assert_allclose(
        weighted_sum(big, W, B, normalization=method),
        weighted_sum(M, W, B, normalization=method),
        atol=1e-9,
    )
    np.testing.assert_allclose(topsis(big, W, B), topsis(M, W, B), atol=1e-9)


def test_huge_and_odd_but_valid_inputs_have_documented_answers():
    np.testing.assert_allclose(
        weighted_sum(M, [1e308, 1e308], B), weighted_sum(M, W, B), atol=1e-12
    )
    single = M.iloc[:1]
    assert weighted_sum(single, W, B).tolist() == [1.0]
    assert topsis(single, W, B).tolist() == [0.5]
    res = weight_sensitivity(single, B, samples=100)
    assert res.base_winner == "a" and math.isinf(res.smallest_change)
    mixed = rank_channels(M.set_axis([1, "b", "c"]), W, B)  # names of mixed types
    assert len(mixed) == 3 and mixed["rank"].iloc[0] == 1


def test_rankings_leave_the_matrix_alone():
    m = M.copy()
    unchanged(lambda: rank_channels(m, W, B), m)
    unchanged(lambda: weight_sensitivity(m, B, samples=100), m)


# --- AHP ----------------------------------------------------------------------------

P3 = [[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]]


@pytest.mark.parametrize(
    ("pairwise", "name", "value"),
    [
        ([[1, 2], [0.5]], "pairwise", 0.5),
        ([1, 2, 3], "pairwise", "(3,)"),
        ([[1, 2, 3], [0.5, 1, 1]], "square", "(2, 3)"),
        (np.zeros((0, 0)), "square", "(0, 0)"),
        ([["1", 2], [0.5, 1]], "pairwise[0]", "1"),
        ([[True, True], [True, True]], "pairwise[0]", "True"),
        ([[1, math.nan], [1, 1]], "pairwise[1]", math.nan),
        ([[1, math.inf], [0, 1]], "pairwise[1]", math.inf),
        ([[1, -2], [-0.5, 1]], "a[0,1]", -2),
        ([[1, 0], [0, 1]], "a[0,1]", 0),
        ([[1, 1e308], [1e-308, 1]], "a[0,1]", 1e308),
        ([[2, 3], [1 / 3, 1]], "a[0,0]", 2),
        ([[1, 3], [0.33, 1]], "a[1,0]", 0.33),
        (np.ones((11, 11)), "pairwise", 11),
        (None, "pairwise", None),
        ("1 3; 1/3 1", "pairwise", "1 3; 1/3 1"),
        (
            pd.DataFrame([[1, 2], [0.5, 1]], index=["x", "y"], columns=["y", "x"]),
            "pairwise",
            "['x', 'y']",
        ),
    ],
)
def test_ahp_bad_matrices(pairwise, name, value):
    assert_clear_error(lambda: ahp_weights(pairwise), name, value)


@pytest.mark.parametrize("policy", ["stop", None, True, "WARN"])
def test_ahp_bad_policy(policy):
    assert_clear_error(
        lambda: ahp_weights(P3, on_inconsistency=policy), "on_inconsistency", policy
    )


@FAST
@given(bad_numbers(allow_zero=True))
def test_ahp_bad_threshold(threshold):
    assert_clear_error(
        lambda: ahp_weights(P3, threshold=threshold), "threshold", threshold
    )


def test_ahp_raise_says_how_to_fix():
    bad = [[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]]
    assert_clear_error(
        lambda: ahp_weights(bad, on_inconsistency="raise"), "consistency ratio", 0.1
    )
    assert ahp_weights([[1]]).weights.tolist() == [1.0]  # one criterion: weight 1


# --- sensitivity --------------------------------------------------------------------


@FAST
@given(st.one_of(bad_numbers(), st.sampled_from([10, 99, 100.5, 10**12, 1e308])))
def test_weight_sensitivity_bad_samples(samples):
    assert_clear_error(
        lambda: weight_sensitivity(M, B, samples=samples), "samples", samples
    )


@pytest.mark.parametrize("seed", ["0", -1, 1.5, True, [1]])
def test_bad_seeds(seed):
    assert_clear_error(lambda: weight_sensitivity(M, B, seed=seed), "seed", seed)
    assert_clear_error(lambda: make_email_campaign(seed), "seed", seed)
    assert_clear_error(lambda: make_interactions(5, seed), "seed", seed)


@pytest.mark.parametrize(
    ("mappings", "name", "value"),
    [
        ("default", "mappings", "default"),
        ([], "mappings", "empty"),
        (["default", "x"], "mappings[1]", "x"),
        (["default", "default"], "mappings", "default"),
        ([None], "mappings[0]", None),
        (5, "mappings", 5),
        ([MAPPINGS["default"]], "mappings[0]", "cost"),
    ],
)
def test_mapping_sensitivity_bad_mappings(mappings, name, value):
    assert_clear_error(
        lambda: mapping_sensitivity(course_channels(), [1] * 4, mappings=mappings),
        name,
        value,
    )


def test_mapping_sensitivity_bad_weights_and_table():
    assert_clear_error(
        lambda: mapping_sensitivity(course_channels(), [1, "1", 1, 1]),
        "weights[1]",
        "1",
    )
    assert_clear_error(lambda: mapping_sensitivity(None, [1] * 4), "table", None)


# --- the course table and its scores ------------------------------------------------


@pytest.mark.parametrize(
    ("call", "name", "value"),
    [
        (
            lambda: to_scores(course_channels().assign(rated_by_course="False")),
            "rated_by_course",
            "False",
        ),
        (
            lambda: to_scores(with_entry(course_channels(), "rated_by_course", 1)),
            "rated_by_course",
            1,
        ),
        (
            lambda: to_scores(with_entry(course_channels(), "cost", None)),
            "cost",
            None,
        ),
        (
            lambda: to_scores(with_entry(course_channels(), "speed", "quick")),
            "speed",
            "quick",
        ),
        (lambda: to_scores(course_channels(), "logarithmic"), "mapping", "logarithmic"),
        (lambda: to_scores(course_channels(), 5), "mapping", 5),
        (lambda: to_scores(course_channels(), ["default"]), "mapping", ["default"]),
        (
            lambda: to_scores(course_channels(), {**MAPPINGS["default"], "cost": None}),
            "mapping['cost']",
            None,
        ),
        (
            lambda: to_scores(
                course_channels(),
                {**MAPPINGS["default"], "cost": {"low": "1", "medium": 3, "high": 5}},
            ),
            "mapping['cost']['low']",
            "1",
        ),
        (
            lambda: to_scores(
                course_channels(),
                {k: v for k, v in MAPPINGS["default"].items() if k != "speed"},
            ),
            "speed",
            "speed",
        ),
        (
            lambda: to_scores(course_channels().drop(columns="richness")),
            "richness",
            "richness",
        ),
        (
            lambda: to_scores(course_channels(include_unrated=True).iloc[5:]),
            "table",
            "rated",
        ),
        (lambda: to_scores(course_channels().iloc[[0, 0]]), "table", "face-to-face"),
        (lambda: to_scores([1, 2]), "table", "list"),
        (lambda: course_channels(include_unrated="yes"), "include_unrated", "yes"),
        (lambda: course_channels(include_unrated=1), "include_unrated", 1),
    ],
)
def test_course_table_bad_input(call, name, value):
    assert_clear_error(call, name, value)


# --- channel economics --------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("contacts_per_hour", -1.0),
        ("contacts_per_hour", math.nan),
        ("contacts_per_hour", math.inf),
        ("contacts_per_hour", "120"),
        ("contacts_per_hour", True),
        ("cost_per_contact", -0.5),
        ("cost_per_contact", None),
        ("cost_per_contact", b"5"),
        ("handle_time_min", 0.0),
        ("handle_time_min", -4.0),
        ("handle_time_min", math.inf),
        ("handle_time_min", "4"),
        ("agents", 12.5),
        ("agents", 0),
        ("agents", -3),
        ("agents", "12"),
        ("agents", True),
        ("patience_min", 0.0),
        ("patience_min", math.inf),
        ("patience_min", "2"),
    ],
)
def test_channel_economics_bad_columns(column, value):
    plan = PLAN.assign(**{column: PLAN.get(column, np.nan)})
    bad = with_entry(plan, column, value)
    assert_clear_error(lambda: channel_economics(bad), f"plan[{column!r}]", value)
    unchanged(lambda: channel_economics(bad), bad)


@pytest.mark.parametrize(
    ("plan", "name", "value"),
    [
        (PLAN.drop(columns="cost_per_contact"), "plan", "cost_per_contact"),
        (PLAN.set_axis(["a", "a"]), "plan", "a"),
        (PLAN.iloc[:0], "plan", 0),
        (None, "plan", None),
        (
            PLAN.assign(contacts_per_hour=[1e300, 1], cost_per_contact=[1e300, 1]),
            "phone",
            1e300,
        ),
        (PLAN.assign(handle_time_min=[1e308, np.nan]), "phone", 1e308),
        (PLAN.assign(agents=[1e15, np.nan]), "phone", 1e15),
    ],
)
def test_channel_economics_bad_plans(plan, name, value):
    assert_clear_error(lambda: channel_economics(plan), name, value)


@FAST
@given(bad_numbers(allow_zero=True))
def test_channel_economics_bad_within(within):
    assert_clear_error(
        lambda: channel_economics(PLAN, within_s=within), "within_s", within
    )


@FAST
@given(st.one_of(bad_numbers(), st.sampled_from([1.0, 80, *HUGE])))
def test_channel_economics_bad_service_level(level):
    assert_clear_error(
        lambda: channel_economics(PLAN, service_level=level), "service_level", level
    )


def test_channel_economics_notes_what_ifs_but_refuses_nonsense():
    unstable = channel_economics(PLAN.assign(agents=[2, np.nan]))
    assert "unstable" in unstable.loc["phone", "note"]
    assert channel_economics(PLAN.iloc[:1]).loc["phone", "agents"] == 11


# --- channel mix and budgets --------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "name", "value"),
    [
        ({"budget": -1.0}, "budget", -1.0),
        ({"budget": math.nan}, "budget", math.nan),
        ({"budget": math.inf}, "budget", math.inf),
        ({"budget": "2000"}, "budget", "2000"),
        ({"budget": 1e308}, "budget", 1e308),
        ({"audience": 12.5}, "audience", 12.5),
        ({"audience": 0}, "audience", 0),
        ({"audience": "1000"}, "audience", "1000"),
        ({"audience": True}, "audience", True),
        ({"audience": 10**15}, "audience", 10**15),
        ({"max_contacts_per_customer": 0}, "max_contacts_per_customer", 0),
        (
            {"max_contacts_per_customer": math.inf},
            "max_contacts_per_customer",
            math.inf,
        ),
        ({"integer": "False"}, "integer", "False"),
        ({"integer": 1}, "integer", 1),
    ],
)
def test_channel_mix_bad_parameters(kwargs, name, value):
    args = {"budget": 2000.0, "audience": 1000, **kwargs}
    assert_clear_error(lambda: channel_mix(CHANNELS, **args), name, value)


@FAST
@given(
    st.sampled_from(["budget", "audience", "max_contacts_per_customer"]),
    bad_numbers(allow_zero=True),
)
def test_channel_mix_refuses_every_bad_number(name, value):
    args = {"budget": 2000.0, "audience": 1000, name: value}
    assert_clear_error(lambda: channel_mix(CHANNELS, **args), name, value)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("cost_per_contact", 0.0),
        ("cost_per_contact", -1.0),
        ("cost_per_contact", "0.1"),
        ("cost_per_contact", math.inf),
        ("cost_per_contact", 1e20),
        ("value_per_contact", -1.0),
        ("value_per_contact", math.nan),
        ("value_per_contact", True),
        ("max_per_customer", -1.0),
        ("max_per_customer", "3"),
        ("capacity", -5.0),
        ("capacity", "300"),
    ],
)
def test_channel_mix_bad_columns(column, value):
    frame = CHANNELS.assign(**{column: CHANNELS.get(column, np.nan)})
    bad = with_entry(frame, column, value)
    assert_clear_error(
        lambda: channel_mix(bad, budget=10.0, audience=10),
        f"channels[{column!r}]",
        value,
    )
    unchanged(lambda: channel_mix(bad, budget=10.0, audience=10), bad)


def test_channel_mix_tables_and_edge_answers():
    assert_clear_error(
        lambda: channel_mix(CHANNELS.set_axis(["a", "a"]), budget=1.0, audience=1),
        "channels",
        "a",
    )
    assert_clear_error(
        lambda: channel_mix(CHANNELS.iloc[:0], budget=1.0, audience=1), "channels", 0
    )
    # no limit given as NaN or inf is the same as no column at all
    free = channel_mix(
        CHANNELS.drop(columns="max_per_customer"), budget=10.0, audience=10
    )
    for limit in (np.nan, np.inf):
        same = channel_mix(
            CHANNELS.assign(max_per_customer=limit), budget=10.0, audience=10
        )
        assert same.total_value == pytest.approx(free.total_value)
    nothing = channel_mix(CHANNELS, budget=0.0, audience=10)
    assert (nothing.allocation["contacts"] == 0).all()
    assert not np.signbit(nothing.allocation["contacts"]).any()  # no -0.0


@pytest.mark.parametrize(
    ("tasks", "name", "value"),
    [
        (with_entry(TASKS, "units", "2"), "tasks['units']", "2"),
        (with_entry(TASKS, "units", -1.0), "tasks['units']", -1.0),
        (with_entry(TASKS, "unit_cost", math.nan), "tasks['unit_cost']", math.nan),
        (with_entry(TASKS, "unit_cost", math.inf), "tasks['unit_cost']", math.inf),
        (with_entry(TASKS, "units", True), "tasks['units']", True),
        (with_entry(TASKS, "goal", None), "tasks['goal']", 0),
        (with_entry(TASKS, "task", math.nan), "tasks['task']", 0),
        (TASKS.assign(unit_cost=[1e308, 1e308, 1.0]), "budget", "inf"),
        (TASKS.iloc[:0], "tasks", 0),
        (TASKS.drop(columns="goal"), "tasks", "goal"),
        (None, "tasks", None),
    ],
)
def test_objective_task_budget_bad_tasks(tasks, name, value):
    assert_clear_error(lambda: objective_task_budget(tasks), name, value)


def test_objective_task_budget_ignores_the_index():
    dup = objective_task_budget(TASKS.set_axis([0, 0, 0]))
    assert dup.attrs["total"] == objective_task_budget(TASKS).attrs["total"] == 45.0


# --- e-mail -------------------------------------------------------------------------


@FAST
@given(st.one_of(bad_numbers(), st.sampled_from([2.5, 10**10, 1e308])))
def test_make_email_campaign_bad_sends(sends):
    assert_clear_error(
        lambda: make_email_campaign(1, sends_per_slot=sends), "sends_per_slot", sends
    )


@FAST
@given(st.one_of(bad_numbers(), st.sampled_from([1.0, 21, *HUGE])))
def test_make_email_campaign_bad_rate(rate):
    assert_clear_error(
        lambda: make_email_campaign(1, base_open_rate=rate), "base_open_rate", rate
    )


@pytest.mark.parametrize(
    ("kwargs", "name", "value"),
    [
        ({"by": ()}, "by", "empty"),
        ({"by": None}, "by", None),
        ({"by": ("sends",)}, "by", "sends"),
        ({"by": ("segment", "segment")}, "by", "segment"),
        ({"by": ("nope",)}, "nope", "nope"),
        ({"by": (["segment"],)}, "column name", ["segment"]),
        ({"confidence": 1.0}, "confidence", 1.0),
        ({"confidence": 95}, "confidence", 95),
        ({"confidence": "0.95"}, "confidence", "0.95"),
        ({"confidence": math.nan}, "confidence", math.nan),
    ],
)
def test_email_open_rates_bad_parameters(kwargs, name, value):
    assert_clear_error(lambda: email_open_rates(CAMPAIGN, **kwargs), name, value)


@pytest.mark.parametrize(
    ("campaign", "name", "value"),
    [
        (with_entry(CAMPAIGN, "opens", "32"), "campaign['opens']", "32"),
        (with_entry(CAMPAIGN, "opens", 2.5), "campaign['opens']", 2.5),
        (with_entry(CAMPAIGN, "opens", math.nan), "campaign['opens']", math.nan),
        (with_entry(CAMPAIGN, "opens", -1), "campaign['opens']", -1),
        (with_entry(CAMPAIGN, "sends", True), "campaign['sends']", True),
        (with_entry(CAMPAIGN, "sends", math.inf), "campaign['sends']", math.inf),
        (with_entry(CAMPAIGN, "opens", 10**6), "opens", 10**6),
        (with_entry(CAMPAIGN, "segment", None), "campaign['segment']", 0),
        (with_entry(CAMPAIGN, "weekday", 1), "campaign['weekday']", "int"),
        (CAMPAIGN.assign(sends=0, opens=0), "group", "B2B"),
        (CAMPAIGN.assign(sends=1e300, opens=0), "sends", "2**53"),
        (CAMPAIGN.iloc[:0], "campaign", 0),
        (CAMPAIGN.drop(columns="opens"), "campaign", "opens"),
    ],
)
def test_email_open_rates_bad_campaigns(campaign, name, value):
    assert_clear_error(lambda: email_open_rates(campaign), name, value)
    unchanged(lambda: email_open_rates(campaign), campaign)


def test_email_open_rates_odd_but_valid_input():
    one = email_open_rates(CAMPAIGN, by="segment")  # one name is one column
    pd.testing.assert_frame_equal(one, email_open_rates(CAMPAIGN, by=("segment",)))
    dup = email_open_rates(CAMPAIGN.set_axis([0] * len(CAMPAIGN)), by=("segment",))
    pd.testing.assert_frame_equal(dup, one)
    assert len(email_open_rates(CAMPAIGN.iloc[:1])) == 1


@pytest.mark.parametrize(
    ("kwargs", "name", "value"),
    [
        ({"top": 0}, "top", 0),
        ({"top": 2.5}, "top", 2.5),
        ({"top": "5"}, "top", "5"),
        ({"top": math.inf}, "top", math.inf),
        ({"segment": "B2X"}, "segment", "B2X"),
        ({"segment": None}, "segment", None),
        ({"segment": ["B2B"]}, "segment", ["B2B"]),
    ],
)
def test_best_send_slots_bad_parameters(kwargs, name, value):
    args = {"segment": "B2B", **kwargs}
    assert_clear_error(lambda: best_send_slots(CAMPAIGN, **args), name, value)


# --- interaction logs ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "name", "value"),
    [
        ({"n_customers": 0}, "n_customers", 0),
        ({"n_customers": 2.5}, "n_customers", 2.5),
        ({"n_customers": "5"}, "n_customers", "5"),
        ({"n_customers": 10**7}, "n_customers", 10**7),
        ({"days": 0}, "days", 0),
        ({"days": -1}, "days", -1),
        ({"days": math.nan}, "days", math.nan),
        ({"days": 1e308}, "days", 1e308),
        ({"days": "90"}, "days", "90"),
        ({"start": 20240101}, "start", 20240101),
        ({"start": 1.5}, "start", 1.5),
        ({"start": True}, "start", True),
        ({"start": "soon"}, "start", "soon"),
        ({"start": pd.NaT}, "start", "NaT"),
        ({"start": None}, "start", None),
        ({"start": ["2024-01-01"]}, "start", ["2024-01-01"]),
        ({"start": "2260-01-01", "days": 36_000}, "start", "2260-01-01"),
        ({"start": "1500-01-01"}, "start", "1500-01-01"),
        ({"outbound_share": 1.5}, "outbound_share", 1.5),
        ({"outbound_share": "0.2"}, "outbound_share", "0.2"),
        ({"outbound_share": math.nan}, "outbound_share", math.nan),
    ],
)
def test_make_interactions_bad_parameters(kwargs, name, value):
    args = {"n_customers": 5, "seed": 1, **kwargs}
    assert_clear_error(lambda: make_interactions(**args), name, value)


@FAST
@given(bad_numbers())
def test_make_interactions_refuses_every_bad_span(days):
    assert_clear_error(lambda: make_interactions(5, 1, days=days), "days", days)


@pytest.mark.parametrize(
    ("log", "name", "value"),
    [
        (LOG.assign(timestamp=np.arange(len(LOG))), "log['timestamp']", 0),
        (LOG.assign(timestamp=20240101), "log['timestamp']", 20240101),
        (with_entry(LOG, "timestamp", "soon"), "log['timestamp']", "soon"),
        (with_entry(LOG, "timestamp", pd.NaT), "log['timestamp']", 0),
        (with_entry(LOG, "customer_id", None), "log['customer_id']", 0),
        (with_entry(LOG, "customer_id", "x"), "log['customer_id']", "str"),
        (with_entry(LOG, "topic", None), "log['topic']", 0),
        (with_entry(LOG, "channel", math.nan), "log['channel']", 0),
        (
            with_entry(LOG, "response_time_min", "2.5"),
            "log['response_time_min']",
            "2.5",
        ),
        (with_entry(LOG, "response_time_min", -1.0), "log['response_time_min']", -1.0),
        (
            with_entry(LOG, "response_time_min", math.inf),
            "log['response_time_min']",
            math.inf,
        ),
        (LOG.iloc[:0], "log", 0),
        (LOG.drop(columns="topic"), "topic", "topic"),
        (None, "log", None),
    ],
)
def test_journey_table_bad_logs(log, name, value):
    assert_clear_error(lambda: journey_table(log), name, value)
    if log is not None:
        unchanged(lambda: journey_table(log), log)


@FAST
@given(st.one_of(bad_numbers(), st.sampled_from([0, 1e6, 1e308])))
def test_journey_table_bad_window(window):
    assert_clear_error(
        lambda: journey_table(LOG, repeat_window_days=window),
        "repeat_window_days",
        window,
    )


def test_journey_table_odd_but_valid_logs():
    base = journey_table(LOG)
    dup = journey_table(LOG.set_axis([0] * len(LOG)))  # a repeated index is fine
    pd.testing.assert_frame_equal(dup.customers, base.customers)
    pd.testing.assert_frame_equal(dup.switching, base.switching)
    assert len(dup.repeated) == len(base.repeated)
    text = journey_table(LOG.assign(timestamp=LOG["timestamp"].astype(str)))
    # parsed text has microsecond resolution: the same times, another unit
    pd.testing.assert_frame_equal(text.customers, base.customers, check_dtype=False)
    one = journey_table(LOG.iloc[:1])
    assert one.switching.empty and len(one.customers) == 1
    coded = journey_table(
        LOG.assign(channel=LOG["channel"].astype("category").cat.codes)
    )
    assert (coded.customers["contacts"] == base.customers["contacts"]).all()


@pytest.mark.parametrize("bad", BAD_POSITIVE)
def test_every_bad_positive_is_refused_where_a_positive_belongs(bad):
    for call, name in (
        (lambda: journey_table(LOG, repeat_window_days=bad), "repeat_window_days"),
        (lambda: make_interactions(5, 1, days=bad), "days"),
        (
            lambda: channel_mix(
                CHANNELS, budget=1.0, audience=1, max_contacts_per_customer=bad
            ),
            "max_contacts_per_customer",
        ),
    ):
        assert_clear_error(call, name, bad)
    with pytest.raises((ParameterError, DataError)):
        make_email_campaign(1, base_open_rate=bad)


@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_no_text_or_bool_passes_for_a_number(value):
    if value is None:
        return  # None means "not given" for the optional arguments below
    for call, name in (
        (lambda: channel_economics(PLAN, within_s=value), "within_s"),
        (lambda: channel_mix(CHANNELS, budget=value, audience=1), "budget"),
        (lambda: ahp_weights(P3, threshold=value), "threshold"),
        (lambda: email_open_rates(CAMPAIGN, confidence=value), "confidence"),
    ):
        assert_clear_error(call, name, value)
