"""staff() returns the true minimum (checked by a linear scan) and refuses bad
targets."""

from __future__ import annotations

import math
import time

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmkit.errors import ParameterError, TargetError
from crmkit.queues import ErlangA, MMc, square_root_staffing, staff, staff_by_interval


def _meets(m, sl=None, within=None, wq=None, pab=None, occ=None) -> bool:
    if sl is not None and m.service_level(within) < sl:
        return False
    if wq is not None and m.mean_wait > wq:
        return False
    if pab is not None and m.prob_abandon > pab:
        return False
    return not (occ is not None and m.occupancy > occ)


def _scan_erlang_c(lam, mu, **targets) -> int:
    n = math.floor(lam / mu) + 1
    while not _meets(MMc(arrival_rate=lam, service_rate=mu, servers=n), **targets):
        n += 1
    return n


def _scan_erlang_a(lam, mu, theta, **targets) -> int:
    n = 1
    while not _meets(
        ErlangA(arrival_rate=lam, service_rate=mu, servers=n, abandonment_rate=theta),
        **targets,
    ):
        n += 1
    return n


@settings(max_examples=60, deadline=None)
@given(a=st.floats(0.2, 300.0), sl=st.floats(0.05, 0.99), within=st.floats(0.0, 1.0))
def test_erlang_c_service_level_matches_linear_scan(a, sl, within):
    got = staff(a, 1.0, service_level=sl, within=within).servers
    assert got == _scan_erlang_c(a, 1.0, sl=sl, within=within)


@settings(max_examples=40, deadline=None)
@given(a=st.floats(0.2, 200.0), wq=st.floats(0.001, 2.0), occ=st.floats(0.5, 1.0))
def test_erlang_c_mean_wait_and_occupancy_match_linear_scan(a, wq, occ):
    got = staff(a, 1.0, mean_wait=wq, max_occupancy=occ).servers
    assert got == _scan_erlang_c(a, 1.0, wq=wq, occ=occ)


@settings(max_examples=40, deadline=None)
@given(
    a=st.floats(0.2, 120.0),
    th=st.floats(0.05, 5.0),
    sl=st.floats(0.05, 0.95),
    pab=st.floats(0.01, 0.5),
)
def test_erlang_a_matches_linear_scan(a, th, sl, pab):
    got = staff(
        a, 1.0, service_level=sl, within=0.1, prob_abandon=pab, abandonment_rate=th
    )
    assert got.servers == _scan_erlang_a(a, 1.0, th, sl=sl, within=0.1, pab=pab)
    assert got.achieved["prob_abandon"] <= pab


def test_fractional_load_is_not_skipped():
    # a = 10.4: the stable minimum is 11 (not round(a) = 10, not ⌈a⌉ + 1 = 12), and 11
    # already answers 10 % of calls at once
    r = staff(10.4, 1.0, service_level=0.1, within=0.0)
    assert r.servers == 11 == _scan_erlang_c(10.4, 1.0, sl=0.1, within=0.0)


def test_result_reports_both_sizes():
    r = staff(100 / 30, 1 / 3, service_level=0.8, within=20 / 60)
    assert r.servers == 14
    assert r.achieved["service_level"] >= 0.8 > r.one_fewer["service_level"]
    assert set(r.to_frame().columns) == {"14 servers", "13 servers"}
    assert "14 servers meet" in str(r)


def test_hundred_thousand_erlangs():
    r = staff(100_000.0, 1.0, service_level=0.8, within=20 / 180)
    assert 100_000 < r.servers < 100_400
    assert r.achieved["service_level"] >= 0.8 > r.one_fewer["service_level"]
    m = MMc(arrival_rate=100_000.0, service_rate=1.0, servers=r.servers - 1)
    assert m.service_level(20 / 180) < 0.8


def test_erlang_a_can_staff_below_the_load():
    # with impatient callers a loose abandonment target needs fewer agents than the load
    r = staff(100.0, 1.0, prob_abandon=0.2, abandonment_rate=1.0)
    assert r.servers < 100
    assert isinstance(r.model, ErlangA)


def test_square_root_staffing_is_close_to_exact():
    a = 400.0
    exact = staff(a, 1.0, service_level=0.8, within=0.1).servers
    assert abs(square_root_staffing(a, 1.0) - exact) <= 10


def test_staff_by_interval_table():
    rates = pd.Series([0.0, 2.0, 5.0], index=["07:00", "08:00", "09:00"])
    table = staff_by_interval(rates, 1 / 3, service_level=0.8, within=1 / 3)
    assert list(table.index) == ["07:00", "08:00", "09:00"]
    assert table.loc["07:00", "servers"] == 0
    assert (
        table.loc["09:00", "servers"]
        == staff(5.0, 1 / 3, service_level=0.8, within=1 / 3).servers
    )
    assert (table["service_level"].dropna() >= 0.8).all()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({}, "at least one target"),
        ({"service_level": 0.8}, "go together"),
        ({"within": 0.3}, "go together"),
        ({"service_level": 1.0, "within": 0.3}, r"\(0, 1\)"),
        ({"service_level": 0.0, "within": 0.3}, r"\(0, 1\)"),
        ({"service_level": 0.8, "within": -1.0}, "negative"),
        ({"mean_wait": 0.0}, "positive"),
        ({"prob_abandon": 0.1}, "abandonment_rate"),
        ({"max_occupancy": 1.5}, "0, 1"),
    ],
)
def test_bad_targets(kwargs, match):
    with pytest.raises((TargetError, ParameterError), match=match):
        staff(10.0, 1.0, **kwargs)


def test_bad_rates():
    with pytest.raises(ParameterError, match="arrival_rate"):
        staff(-1.0, 1.0, mean_wait=1.0)
    with pytest.raises(ParameterError, match="arrival_rates"):
        staff_by_interval([1.0, float("nan")], 1.0, mean_wait=1.0)
    with pytest.raises(ParameterError, match="empty"):
        staff_by_interval([], 1.0, mean_wait=1.0)


def test_search_is_fast_at_scale():
    # not a timed assertion: the count of model evaluations is what keeps it fast
    calls = {"n": 0}
    original = MMc.__post_init__

    def counting(self):
        calls["n"] += 1
        original(self)

    MMc.__post_init__ = counting
    try:
        start = time.perf_counter()
        staff(50_000.0, 1.0, service_level=0.9, within=0.05)
        _ = time.perf_counter() - start
    finally:
        MMc.__post_init__ = original
    assert calls["n"] < 40
