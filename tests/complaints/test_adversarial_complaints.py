"""Bad input to every public entry point of crmkit.complaints gets a clear crmkit error.

NaN, ±inf, zero, negatives, 1e308, strings and bools where numbers belong, None,
empty and one-row frames, missing columns, wrong dtypes, NaT and unparsable dates:
each is refused with a message naming the argument, showing the value and saying how
to fix it; sizes are bounded before anything is allocated; the caller's data is never
changed.
"""

from __future__ import annotations

import copy
import math
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmkit.complaints import (
    CFPB_COLUMNS,
    OUTCOMES,
    TARP_SMALL_LOSS,
    ComplaintScenario,
    HandlingProcess,
    SeverityClass,
    WordOfMouth,
    compare_strategies,
    dispute_rates,
    handling_rates,
    make_complaints,
    paired_difference,
    read_cfpb,
    simulate,
    tarp_severity,
    with_handling,
)
from crmkit.errors import CrmkitError, DataError, ParameterError, UnstableQueueError
from tests.adversarial import (
    BAD_POSITIVE,
    HUGE,
    NOT_NUMBERS,
    assert_clear_error,
    bad_numbers,
    stable_id,
)

pytestmark = pytest.mark.adversarial

COVERS = (
    "crmkit.complaints.ComplaintScenario",
    "crmkit.complaints.HandlingProcess",
    "crmkit.complaints.SeverityClass",
    "crmkit.complaints.WordOfMouth",
    "crmkit.complaints.compare_strategies",
    "crmkit.complaints.dispute_rates",
    "crmkit.complaints.handling_rates",
    "crmkit.complaints.make_complaints",
    "crmkit.complaints.paired_difference",
    "crmkit.complaints.read_cfpb",
    "crmkit.complaints.simulate",
    "crmkit.complaints.tarp_severity",
    "crmkit.complaints.with_handling",
)
EXEMPT = {
    "crmkit.complaints.ComplaintResult": (
        "a result only simulate() builds; the arguments of its methods metric() and "
        "per_replication() are fed bad input here"
    ),
}

NAN, INF = math.nan, math.inf
#: wrong for a probability
BAD_PROBABILITY = [-1e-12, -1.0, 1.0000001, 2.0, 80, NAN, INF, -INF, *NOT_NUMBERS]
#: wrong for a count of customers (0 is fine)
BAD_CUSTOMERS = [-1, 2.5, NAN, INF, -INF, 10**13, 1e308, *NOT_NUMBERS]
#: wrong for money per customer (0 is fine)
BAD_MONEY = [-1.0, -1e-12, NAN, INF, -INF, *HUGE[:2], 2e12, *NOT_NUMBERS]
#: wrong for a positive rate or time
BAD_RATE = [*BAD_POSITIVE, *NOT_NUMBERS]

PROBABILITIES = (
    "problem_rate",
    "complaint_rate",
    "resolution_rate",
    "quick_resolution_rate",
    "recovery_paradox",
)
MONEY = ("margin", "handling_cost", "compensation", "acquisition")


def cases(fields, values):
    return [
        pytest.param(f, v, id=f"{f}={stable_id(v)}") for f in fields for v in values
    ]


def small() -> ComplaintScenario:
    return ComplaintScenario(customers=200, periods=3)


# -- ComplaintScenario ---------------------------------------------------------------


@pytest.mark.parametrize(("field", "value"), cases(PROBABILITIES, BAD_PROBABILITY))
def test_scenario_refuses_bad_probabilities(field, value):
    assert_clear_error(lambda: ComplaintScenario(**{field: value}), field, value)


@pytest.mark.parametrize(("field", "value"), cases(["customers"], BAD_CUSTOMERS))
def test_scenario_refuses_bad_customer_counts(field, value):
    assert_clear_error(lambda: ComplaintScenario(**{field: value}), field, value)


@pytest.mark.parametrize(
    "value", [0, -1, 2.5, NAN, INF, 10**6, 1e308, *NOT_NUMBERS], ids=stable_id
)
def test_scenario_refuses_bad_periods(value):
    assert_clear_error(lambda: ComplaintScenario(periods=value), "periods", value)


@pytest.mark.parametrize(("field", "value"), cases(MONEY, BAD_MONEY))
def test_scenario_refuses_bad_money_and_acquisition(field, value):
    assert_clear_error(lambda: ComplaintScenario(**{field: value}), field, value)


@settings(max_examples=25, deadline=None)
@given(field=st.sampled_from(PROBABILITIES + MONEY), value=bad_numbers(allow_zero=True))
def test_scenario_refuses_any_bad_number(field, value):
    assert_clear_error(lambda: ComplaintScenario(**{field: value}), field, value)


@pytest.mark.parametrize(
    "retention",
    [
        None,
        0.5,
        "0.5",
        [0.5] * 5,
        {"silent": 0.3},
        {**dict(TARP_SMALL_LOSS), "angry": 0.1},
        {**dict(TARP_SMALL_LOSS), "silent": 1.5},
        {**dict(TARP_SMALL_LOSS), "silent": NAN},
        {**dict(TARP_SMALL_LOSS), "silent": "0.3"},
        {**dict(TARP_SMALL_LOSS), "silent": None},
    ],
    ids=stable_id,
)
def test_scenario_refuses_bad_retention_tables(retention):
    assert_clear_error(
        lambda: ComplaintScenario(retention=retention), "retention", show_value=False
    )


@pytest.mark.parametrize(
    "severity",
    [
        {},
        [1, 2],
        "mild",
        3,
        {"a": 0.5},
        {"a": None},
        {1: SeverityClass(1.0, 0.1, dict(TARP_SMALL_LOSS))},
        {"a": SeverityClass(0.5, 0.1, dict(TARP_SMALL_LOSS))},
    ],
    ids=stable_id,
)
def test_scenario_refuses_bad_severity(severity):
    assert_clear_error(
        lambda: ComplaintScenario(severity=severity), "severity", show_value=False
    )


@pytest.mark.parametrize("wom", [3, "yes", {"tells_satisfied": 5}, True], ids=stable_id)
def test_scenario_refuses_bad_word_of_mouth(wom):
    assert_clear_error(
        lambda: ComplaintScenario(word_of_mouth=wom), "word_of_mouth", wom
    )


def test_replace_names_unknown_parameters_and_checks_the_rest():
    err = assert_clear_error(
        lambda: small().replace(hotline=True), "hotline", show_value=False
    )
    assert "complaint_rate" in str(err)  # lists the names that exist
    assert_clear_error(lambda: small().replace(periods=0), "periods", 0)


def test_user_tables_are_not_changed():
    retention = dict(TARP_SMALL_LOSS)
    before = dict(retention)
    s = ComplaintScenario(retention=retention)
    assert retention == before and s.retention is not retention
    classes = tarp_severity(0.3)
    snapshot = copy.deepcopy({k: dict(v.retention) for k, v in classes.items()})
    ComplaintScenario(severity=classes)
    assert {k: dict(v.retention) for k, v in classes.items()} == snapshot


# -- SeverityClass, tarp_severity, WordOfMouth -------------------------------------


@pytest.mark.parametrize(
    ("field", "value"), cases(["share", "complaint_rate"], BAD_PROBABILITY)
)
def test_severity_class_refuses_bad_numbers(field, value):
    args = {"share": 0.5, "complaint_rate": 0.1, "retention": dict(TARP_SMALL_LOSS)}
    args[field] = value
    assert_clear_error(lambda: SeverityClass(**args), field, value)


@pytest.mark.parametrize("mild", ["yes", 1, 0, None, "False"], ids=stable_id)
def test_severity_class_refuses_non_bool_mild(mild):
    assert_clear_error(
        lambda: SeverityClass(0.5, 0.1, dict(TARP_SMALL_LOSS), mild=mild), "mild", mild
    )


@pytest.mark.parametrize(
    ("field", "value"),
    cases(
        ["serious_share", "mild_complaint_rate", "serious_complaint_rate"],
        [-0.1, 1.5, NAN, INF, "0.2", None, True],
    ),
)
def test_tarp_severity_names_its_own_arguments(field, value):
    assert_clear_error(lambda: tarp_severity(**{field: value}), field, value)


@pytest.mark.parametrize(
    ("field", "value"),
    cases(
        ["tells_dissatisfied", "tells_satisfied"],
        [-1.0, NAN, INF, 1e308, 1001, "9", None, True],
    )
    + cases(["loss_per_mention", "gain_per_mention"], BAD_PROBABILITY),
)
def test_word_of_mouth_refuses_bad_numbers(field, value):
    assert_clear_error(lambda: WordOfMouth(**{field: value}), field, value)


# -- HandlingProcess, handling_rates, with_handling ---------------------------------

STEP_FIELDS = ("vent_min", "record_min", "solve_min", "follow_up_min")


def desk(**changes) -> HandlingProcess:
    return HandlingProcess(**{"complaints_per_day": 60, "handlers": 4, **changes})


@pytest.mark.parametrize(
    ("field", "value"),
    cases(["complaints_per_day"], [*BAD_RATE, 1e308, 1e8])
    + cases(["handlers"], [0, -1, 2.5, NAN, INF, 10**6, *NOT_NUMBERS])
    + cases(STEP_FIELDS, [-1.0, NAN, INF, 1e308, 40_000.0, *NOT_NUMBERS])
    + cases(["validity_rate", "acceptance_rate"], BAD_PROBABILITY)
    + cases(["quick_within_hours"], BAD_RATE)
    + cases(["hours_per_day"], [*BAD_RATE, 25, 1e308]),
)
def test_handling_process_refuses_bad_numbers(field, value):
    assert_clear_error(lambda: desk(**{field: value}), field, value)


@settings(max_examples=25, deadline=None)
@given(
    field=st.sampled_from(
        ("complaints_per_day", "quick_within_hours", "hours_per_day")
    ),
    value=bad_numbers(),
)
def test_handling_process_refuses_any_bad_positive(field, value):
    assert_clear_error(lambda: desk(**{field: value}), field, value)


@pytest.mark.parametrize(
    "steps",
    [
        dict.fromkeys(STEP_FIELDS, 0.0),
        {"vent_min": 0, "record_min": 0, "validity_rate": 0.0},
        dict.fromkeys(STEP_FIELDS, 1e-300),
        dict.fromkeys(STEP_FIELDS, 5e-324),
    ],
    ids=["all zero", "invalid complaints stop at zero", "tiny", "denormal"],
)
def test_zero_step_times_are_refused_not_divided_by(steps):
    # formerly ZeroDivisionError (or an infinite service rate) in handling_rates
    err = assert_clear_error(lambda: desk(**steps), "vent_min", show_value=False)
    assert "positive" in str(err)


def test_an_overloaded_desk_says_how_many_handlers_are_needed():
    err = assert_clear_error(lambda: handling_rates(desk(handlers=1)), "handlers", 1)
    assert isinstance(err, UnstableQueueError) and "At least 4 handlers" in str(err)
    # the most extreme desk the bounds allow still gets a finite answer
    worst = desk(
        complaints_per_day=1e7, handlers=1, hours_per_day=1e-6, vent_min=30_000.0
    )
    assert_clear_error(lambda: handling_rates(worst), "handlers", 1)


@pytest.mark.parametrize("process", [None, 60, "desk", {"handlers": 4}], ids=stable_id)
def test_handling_functions_refuse_what_is_not_a_desk(process):
    assert_clear_error(lambda: handling_rates(process), "process", process)
    assert_clear_error(lambda: with_handling(small(), process), "process", process)


@pytest.mark.parametrize("scenario", [None, {"customers": 5}, "s"], ids=stable_id)
def test_with_handling_refuses_what_is_not_a_scenario(scenario):
    assert_clear_error(lambda: with_handling(scenario, desk()), "scenario", scenario)


# -- simulate and its result --------------------------------------------------------


@pytest.mark.parametrize("scenario", [None, {"customers": 5}, "s", 3], ids=stable_id)
def test_simulate_refuses_what_is_not_a_scenario(scenario):
    assert_clear_error(lambda: simulate(scenario), "scenario", scenario)


@pytest.mark.parametrize(
    "value", [0, -1, 2.5, NAN, INF, 10**9, 1e308, *NOT_NUMBERS], ids=stable_id
)
def test_simulate_refuses_bad_replications(value):
    assert_clear_error(
        lambda: simulate(small(), replications=value), "replications", value
    )


@settings(max_examples=25, deadline=None)
@given(value=bad_numbers())
def test_simulate_refuses_any_bad_replications(value):
    assert_clear_error(
        lambda: simulate(small(), replications=value), "replications", value
    )


@pytest.mark.parametrize("seed", [-1, 2.5, "1", True, NAN, [1]], ids=stable_id)
def test_simulate_refuses_bad_seeds(seed):
    assert_clear_error(lambda: simulate(small(), seed=seed), "seed", seed)


@pytest.mark.parametrize("mode", ["fast", "Agent", None, 1, ["agent"]], ids=stable_id)
def test_simulate_refuses_unknown_modes(mode):
    assert_clear_error(lambda: simulate(small(), mode=mode), "mode", mode)


@pytest.mark.parametrize(
    ("scenario", "reps", "mode"),
    [
        (ComplaintScenario(periods=100_000), 100, "aggregate"),
        (ComplaintScenario(periods=1_000), 1_000, "aggregate"),
        (ComplaintScenario(periods=12, severity=tarp_severity()), 10_000, "aggregate"),
        (ComplaintScenario(customers=100_000, periods=100), 10, "agent"),
        (ComplaintScenario(customers=0, periods=100_000), 1_000, "agent"),
    ],
    ids=["periods", "replications", "severity cells", "agent", "agent, no customers"],
)
def test_simulation_size_is_bounded_before_anything_runs(scenario, reps, mode):
    err = assert_clear_error(
        lambda: simulate(scenario, replications=reps, mode=mode),
        "replications",
        show_value=False,
    )
    assert "limit" in str(err)


def test_agent_mode_refuses_a_large_base():
    big = ComplaintScenario(customers=300_000, periods=1)
    assert_clear_error(
        lambda: simulate(big, replications=1, mode="agent"), "customers", 300_000
    )


def test_a_base_growing_without_bound_is_stopped():
    # acquisition would push the base past 10**15 and int64 exactness
    flood = ComplaintScenario(
        customers=10**12,
        periods=5_000,
        acquisition=1e12,
        retention=dict.fromkeys(OUTCOMES, 1.0),
    )
    err = assert_clear_error(
        lambda: simulate(flood, replications=1), "acquisition", show_value=False
    )
    assert "grew" in str(err)
    # in agent mode the new customers are refused before they are allocated
    tiny = ComplaintScenario(customers=10, periods=3, acquisition=1e12)
    assert_clear_error(
        lambda: simulate(tiny, replications=1, mode="agent"),
        "acquisition",
        show_value=False,
    )


def test_word_of_mouth_at_its_bounds_keeps_counts_finite():
    loud = ComplaintScenario(
        customers=10**6,
        periods=6,
        word_of_mouth=WordOfMouth(1000, 1000, 1.0, 1.0),
        resolution_rate=1.0,
    )
    try:
        res = simulate(loud, replications=2, seed=0)
    except ParameterError as err:  # the base may grow past the limit: said clearly
        assert "grew" in str(err)
    else:
        assert np.isfinite(res.draws).all() and (res.draws >= 0).all()


def test_degenerate_scenarios_run():
    for s in (
        ComplaintScenario(customers=0, periods=2),
        ComplaintScenario(customers=1, periods=1, problem_rate=1.0),
        ComplaintScenario(problem_rate=0.0, periods=2),
    ):
        res = simulate(s, replications=2, seed=0)
        assert res.draws.shape == (2, s.periods, len(res.summary["metric"].unique()))
        res.iceberg()
        res.totals()


@pytest.fixture(scope="module")
def result():
    return simulate(small(), replications=3, seed=0)


@pytest.mark.parametrize("name", ["happiness", "", None, 3, ["profit"]], ids=stable_id)
def test_result_metric_refuses_unknown_names(result, name):
    assert_clear_error(lambda: result.metric(name), "metric", name)


@pytest.mark.parametrize(
    "rate", [-0.1, -1e-12, 1.5, NAN, INF, "0.01", None, True], ids=stable_id
)
def test_result_per_replication_refuses_bad_discount_rates(result, rate):
    assert_clear_error(lambda: result.per_replication(rate), "discount_rate", rate)


def test_customers_who_all_stay_need_a_discount():
    loyal = ComplaintScenario(
        customers=100, periods=2, retention=dict.fromkeys(OUTCOMES, 1.0)
    )
    res = simulate(loyal, replications=2, seed=0)
    assert_clear_error(lambda: res.per_replication(0.0), "discount_rate", 0.0)
    assert np.isfinite(res.per_replication(0.01).to_numpy()).all()


# -- compare_strategies ---------------------------------------------------------------


@pytest.mark.parametrize("base", [None, {"customers": 5}, "base"], ids=stable_id)
def test_compare_refuses_a_bad_base(base):
    assert_clear_error(lambda: compare_strategies(base, {}), "base", base)


@pytest.mark.parametrize(
    ("strategies", "name"),
    [
        (None, "strategies"),
        ([("x", {})], "strategies"),
        ("hotline", "strategies"),
        ({"base": {}}, "base"),
        ({1: {}}, "strategies"),
        ({"": {}}, "strategies"),
        ({"x": 5}, "strategies"),
        ({"x": [("complaint_rate", 0.2)]}, "strategies"),
        ({"x": {"nope": 1}}, "nope"),
        ({"x": {"complaint_rate": 2.0}}, "complaint_rate"),
        ({"x": {"complaint_rate": "0.2"}}, "complaint_rate"),
    ],
    ids=stable_id,
)
def test_compare_refuses_bad_strategies(strategies, name):
    assert_clear_error(
        lambda: compare_strategies(small(), strategies, replications=3),
        name,
        show_value=False,
    )


@pytest.mark.parametrize(
    ("field", "value"),
    cases(["replications"], [1, 0, -2, 2.5, NAN, 10**9, *NOT_NUMBERS])
    + cases(["seed"], [-1, 2.5, "0", True, None, NAN, np.random.default_rng(0)])
    + cases(["discount_rate"], [-0.1, 1.5, NAN, INF, "0.01", None, True]),
)
def test_compare_refuses_bad_numbers(field, value):
    args = {"replications": 3, "seed": 0, "discount_rate": 0.01, field: value}
    assert_clear_error(lambda: compare_strategies(small(), {}, **args), field, value)


def test_compare_bounds_the_work_of_all_strategies_together():
    many = {f"s{i}": {"complaint_rate": 0.1} for i in range(60)}
    err = assert_clear_error(
        lambda: compare_strategies(small(), many, replications=5_000),
        "replications",
        show_value=False,
    )
    assert "fewer strategies (60)" in str(err)


# -- paired_difference ----------------------------------------------------------------


@pytest.mark.parametrize("which", ["result", "reference"])
@pytest.mark.parametrize(
    "bad", [None, 3, "result", [1.0, 2.0], pd.DataFrame()], ids=stable_id
)
def test_paired_difference_refuses_what_is_not_a_result(which, bad):
    res = simulate(small(), replications=3, seed=0)
    args = {"result": res, "reference": res, which: bad}
    assert_clear_error(lambda: paired_difference(**args), which, bad)


@pytest.mark.parametrize("value", [-0.1, 1.5, NAN, INF, "0.01", None, True])
def test_paired_difference_refuses_a_bad_discount_rate(value):
    res = simulate(small(), replications=3, seed=0)
    assert_clear_error(
        lambda: paired_difference(res, res, discount_rate=value),
        "discount_rate",
        value,
    )


def test_paired_difference_refuses_unpaired_replications():
    a = simulate(small(), replications=3, seed=0)
    b = simulate(small(), replications=4, seed=0)
    err = assert_clear_error(
        lambda: paired_difference(a, b), "replications", show_value=False
    )
    assert "3 replications" in str(err) and "4" in str(err)


def test_compare_does_not_change_the_strategies():
    strategies = {"hotline": {"complaint_rate": 0.25}}
    before = copy.deepcopy(strategies)
    compare_strategies(small(), strategies, replications=3)
    assert strategies == before


# -- make_complaints -------------------------------------------------------------------


@pytest.mark.parametrize(
    "n", [0, -1, 2.5, NAN, INF, 10**6, 1e308, *NOT_NUMBERS], ids=stable_id
)
def test_make_complaints_refuses_bad_sizes(n):
    assert_clear_error(lambda: make_complaints(n, seed=0), "n", n)


@pytest.mark.parametrize("seed", [-1, 2.5, "1", True], ids=stable_id)
def test_make_complaints_refuses_bad_seeds(seed):
    assert_clear_error(lambda: make_complaints(5, seed=seed), "seed", seed)


@pytest.mark.parametrize(
    "day",
    ["garbage", "2015-13-45", "", 20150101, 2015.5, True, None, pd.NaT, NAN, ["2015"]],
    ids=stable_id,
)
def test_make_complaints_refuses_what_is_not_a_date(day):
    assert_clear_error(lambda: make_complaints(5, 0, start=day), "start", day)
    assert_clear_error(lambda: make_complaints(5, 0, end=day), "end", day)


def test_make_complaints_refuses_an_end_before_the_start():
    assert_clear_error(
        lambda: make_complaints(5, 0, start="2016-01-01", end="2015-01-01"),
        "end",
        "2015-01-01",
    )


def test_make_complaints_accepts_timestamps_with_zones_and_one_day():
    one = make_complaints(5, 0, start="2016-02-29", end="2016-02-29")
    assert set(one["Date received"]) == {"2/29/2016"}
    zoned = pd.Timestamp("2016-01-01 23:00", tz="Asia/Shanghai")
    assert len(make_complaints(5, 0, start=zoned, end="2016-01-31")) == 5


# -- read_cfpb ---------------------------------------------------------------------------


@pytest.fixture
def log() -> pd.DataFrame:
    return make_complaints(12, seed=3)


def write(tmp_path: Path, frame: pd.DataFrame, name: str = "log.csv") -> Path:
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize("path", [None, 3, b"log.csv", "", "   ", ["log.csv"], True])
def test_read_cfpb_refuses_what_is_not_a_path(path):
    assert_clear_error(lambda: read_cfpb(path), "path", path)


def test_read_cfpb_refuses_missing_files_folders_and_non_csv(tmp_path):
    assert_clear_error(lambda: read_cfpb(tmp_path / "nope.csv"), "path", "nope.csv")
    assert_clear_error(lambda: read_cfpb(tmp_path), "path", tmp_path)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert_clear_error(lambda: read_cfpb(empty), "path", empty)
    binary = tmp_path / "binary.csv"
    binary.write_bytes(bytes(range(256)) * 10)
    assert_clear_error(lambda: read_cfpb(binary), "path", binary)
    ragged = tmp_path / "ragged.csv"
    ragged.write_text('a,b\n1,2\n"3,4\n', encoding="utf-8")
    assert_clear_error(lambda: read_cfpb(ragged), "path", ragged)


def test_read_cfpb_refuses_a_file_too_large_to_load(tmp_path, log, monkeypatch):
    import crmkit.complaints._cfpb as cfpb

    path = write(tmp_path, log)
    monkeypatch.setattr(cfpb, "MAX_CFPB_BYTES", 100)
    err = assert_clear_error(lambda: read_cfpb(path), "path", path)
    assert "filter" in str(err)


def test_read_cfpb_names_every_missing_column(tmp_path, log):
    path = write(tmp_path, log.drop(columns=["Issue", "State"]))
    err = assert_clear_error(lambda: read_cfpb(path), "path", path)
    assert "'Issue'" in str(err) and "'State'" in str(err)
    other = write(tmp_path, pd.DataFrame({"a": [1], "b": [2]}), "other.csv")
    err = assert_clear_error(lambda: read_cfpb(other), "path", other)
    assert all(repr(c) in str(err) for c in CFPB_COLUMNS)


def test_read_cfpb_refuses_a_header_without_rows(tmp_path, log):
    path = write(tmp_path, log.iloc[:0])
    assert_clear_error(lambda: read_cfpb(path), "path", path)


@pytest.mark.parametrize("column", ["Date received", "Date sent to company"])
def test_read_cfpb_names_the_rows_of_unparsable_dates(tmp_path, log, column):
    bad = log.copy()
    bad.loc[[3, 7], column] = ["2016-13-45", "soon"]
    bad.loc[9, column] = ""
    path = write(tmp_path, bad)
    err = assert_clear_error(lambda: read_cfpb(path), column, "2016-13-45")
    assert "rows 3, 7, 9" in str(err) and "3 value(s)" in str(err)
    assert "line 5" in str(err)


def test_read_cfpb_names_rows_with_odd_yes_no_values(tmp_path, log):
    bad = log.copy()
    bad.loc[4, "Timely response?"] = "Maybe"
    path = write(tmp_path, bad)
    err = assert_clear_error(lambda: read_cfpb(path), "Timely response?", "Maybe")
    assert "row 4" in str(err)


def test_read_cfpb_accepts_spaces_a_bom_iso_dates_and_extra_columns(tmp_path, log):
    messy = log.rename(columns={"Issue": " Issue "}).assign(narrative="long text")
    messy["Date received"] = pd.to_datetime(messy["Date received"]).dt.strftime(
        "%Y-%m-%d"
    )
    path = tmp_path / "messy.csv"
    path.write_bytes(b"\xef\xbb\xbf" + messy.to_csv(index=False).encode())
    before = path.read_bytes()
    out = read_cfpb(path)
    assert list(out.columns[:14]) == list(CFPB_COLUMNS) and len(out) == len(log)
    assert out["Date received"].notna().all()
    assert path.read_bytes() == before


@settings(max_examples=25, deadline=None)
@given(text=st.text(max_size=12))
def test_read_cfpb_reads_or_refuses_any_date_text(text):
    frame = make_complaints(3, seed=1)
    frame.loc[1, "Date received"] = text
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "log.csv"
        frame.to_csv(path, index=False)
        try:
            out = read_cfpb(path)
        except CrmkitError as err:
            assert isinstance(err, DataError) and "Date received" in str(err)
        else:
            assert out["Date received"].notna().all()


# -- dispute_rates ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def typed() -> pd.DataFrame:
    frame = make_complaints(40, seed=4)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "log.csv"
        frame.to_csv(path, index=False)
        return read_cfpb(path)


@pytest.mark.parametrize(
    "log", [None, 3, "log.csv", [1, 2], {"Consumer disputed?": [True]}], ids=stable_id
)
def test_dispute_rates_refuses_what_is_not_a_frame(log):
    assert_clear_error(lambda: dispute_rates(log), "log", log)


def test_dispute_rates_refuses_a_series(typed):
    assert_clear_error(
        lambda: dispute_rates(typed["Consumer disputed?"]), "log", show_value=False
    )


def test_dispute_rates_refuses_empty_logs_and_missing_columns(typed):
    assert_clear_error(lambda: dispute_rates(typed.iloc[:0]), "log", show_value=False)
    assert_clear_error(
        lambda: dispute_rates(typed.drop(columns="Consumer disputed?")),
        "Consumer disputed?",
        show_value=False,
    )
    assert_clear_error(lambda: dispute_rates(typed, by="Nope"), "by", "Nope")


@pytest.mark.parametrize("by", [None, 3, ["Product"], ("Product",), True], ids=stable_id)
def test_dispute_rates_refuses_a_by_that_is_not_a_name(typed, by):
    assert_clear_error(lambda: dispute_rates(typed, by=by), "by", by)


@pytest.mark.parametrize(
    "column",
    [
        ["Yes", "No"] * 20,  # the raw export: read_cfpb was skipped
        [1, 0] * 20,
        [1.0, np.nan] * 20,
        ["True", "False"] * 20,
    ],
    ids=["Yes/No text", "0/1", "floats", "True/False text"],
)
def test_dispute_rates_refuses_a_dispute_column_of_the_wrong_type(typed, column):
    bad = typed.assign(**{"Consumer disputed?": column})
    assert_clear_error(
        lambda: dispute_rates(bad), "Consumer disputed?", show_value=False
    )


def test_dispute_rates_refuses_clashing_and_repeated_columns(typed):
    clash = typed.assign(complaints=1)
    assert_clear_error(
        lambda: dispute_rates(clash, by="complaints"), "by", "complaints"
    )
    twice = pd.concat([typed, typed[["Product"]]], axis=1)
    assert_clear_error(lambda: dispute_rates(twice, by="Product"), "Product", "Product")


def test_dispute_rates_on_one_row_and_missing_groups_adds_up(typed):
    one = dispute_rates(typed.iloc[:1])
    assert one["complaints"].sum() == 1
    gappy = typed.copy()
    gappy["Product"] = gappy["Product"].astype(object)
    gappy.loc[gappy.index[:5], "Product"] = None
    before = gappy.copy()
    rates = dispute_rates(gappy, by="Product")
    assert rates["complaints"].sum() == len(gappy)  # missing groups are not dropped
    pd.testing.assert_frame_equal(gappy, before)  # and the log is not changed


def test_dispute_rates_accepts_plain_bools_and_missing_values(typed):
    plain = typed.assign(**{"Consumer disputed?": [True, False, None, False] * 10})
    rates = dispute_rates(plain)
    assert rates["not_recorded"].sum() == 10
    shares = rates["dispute_rate"].dropna()
    assert len(shares) and ((shares >= 0) & (shares <= 1)).all()


def test_huge_poisson_means_are_drawn_not_zeroed():
    # CDFLIB's Poisson inverse gives NaN for means of about 1e11 and more; that NaN
    # used to become 0 new customers and 0 mentions, a silent wrong answer
    s = ComplaintScenario(customers=10**12, periods=2, acquisition=1e12)
    new = simulate(s, replications=3, seed=0).metric("new")["mean"]
    assert np.allclose(new, 1e12, rtol=1e-5)
    loud = ComplaintScenario(
        customers=10**12, periods=1, word_of_mouth=WordOfMouth(tells_dissatisfied=1000)
    )
    res = simulate(loud, replications=2, seed=0)
    silent = res.metric("silent")["mean"].iloc[0]
    mentions = res.metric("wom_negative_mentions")["mean"].iloc[0]
    assert mentions > 900 * silent > 0


@settings(max_examples=25, deadline=None)
@given(
    rates=st.lists(st.floats(0, 1), min_size=5, max_size=5),
    customers=st.integers(0, 5_000),
    periods=st.integers(1, 4),
    reps=st.integers(1, 3),
    mode=st.sampled_from(["aggregate", "agent"]),
)
def test_any_valid_scenario_simulates_with_balanced_books(
    rates, customers, periods, reps, mode
):
    s = ComplaintScenario(
        customers=customers,
        periods=periods,
        **dict(zip(PROBABILITIES, rates, strict=True)),
    )
    res = simulate(s, replications=reps, seed=1, mode=mode)
    metrics = list(res.summary["metric"].unique())
    counts = np.delete(res.draws, metrics.index("satisfaction"), axis=2)
    assert np.isfinite(counts).all() and (counts >= 0).all()
    base, lost, new = (
        res.draws[:, :, metrics.index(m)] for m in ("customers", "lost", "new")
    )
    assert (base[:, 1:] == base[:, :-1] - lost[:, :-1] + new[:, :-1]).all()
