"""The reference computations behind the exercise self-checks.

The questions of ``crmkit.exercises.check`` live in data files,
``crmkit/exercises/questions/chNN.toml``, each with a stored ``answer``. This module is
the independent source of truth for those answers: :data:`REFERENCE` maps every
question id to a function of no arguments that recomputes the answer with crmkit.

- ``"number"`` and ``"integer"`` questions: the function returns the value.
- ``"choice"`` questions: the function returns the set of answers it considers
  correct; the stored ``answer`` must be one of them, and the question's ``accept``
  list must contain all of them.

``tests/test_exercise_answers.py`` compares the stored answers with these functions;
``python tools/exercise_answers.py`` rewrites stale stored answers from them. crmkit is
imported inside the functions only, so importing this module is cheap; fits and
simulations shared by several questions are cached.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

#: the folder of the question files (``ch00.toml`` … ``ch10.toml``)
QUESTIONS_DIR = (
    Path(__file__).resolve().parents[1] / "crmkit" / "exercises" / "questions"
)
#: the chapters that have question files
CHAPTERS = tuple(f"{n:02d}" for n in range(11))
#: stored numbers must agree with the reference to this relative precision (or to a
#: tenth of the question's own tolerance, if that is tighter)
STORED_RTOL = 1e-9
#: defaults of the question files
DEFAULT_RTOL = 1e-3
DEFAULT_ATOL = 0.0


# ---------------------------------------------------------------- question files


def question_file(chapter: str) -> Path:
    """The path of one chapter's question file."""
    return QUESTIONS_DIR / f"ch{chapter}.toml"


def load_chapter(chapter: str) -> dict[str, Any]:
    """One chapter's question file, parsed."""
    with question_file(chapter).open("rb") as f:
        return tomllib.load(f)


def iter_questions() -> Iterator[dict[str, Any]]:
    """Every question of every chapter, in file order."""
    for chapter in CHAPTERS:
        yield from load_chapter(chapter).get("question", [])


def tolerances(question: dict[str, Any]) -> tuple[float, float]:
    """``(rtol, atol)`` of a number question, with the file format's defaults."""
    return (
        float(question.get("rtol", DEFAULT_RTOL)),
        float(question.get("atol", DEFAULT_ATOL)),
    )


def within_tolerance(value: float, answer: float, question: dict[str, Any]) -> bool:
    """Whether a student's ``value`` passes a number question whose answer is
    ``answer`` (``math.isclose`` with the question's rtol and atol)."""
    rtol, atol = tolerances(question)
    return math.isclose(value, answer, rel_tol=rtol, abs_tol=atol)


def stored_is_current(question: dict[str, Any], reference: Any) -> bool:
    """Whether the stored ``answer`` of ``question`` agrees with ``reference``.

    Numbers: within :data:`STORED_RTOL` relative, or a tenth of the question's own
    tolerance if that is tighter. Integers: exactly. Choice: the stored answer is one of
    the reference answers and every reference answer is in ``accept`` (compared
    case-insensitively after stripping).
    """
    kind = question["kind"]
    stored = question["answer"]
    if kind == "number":
        ref = float(reference)
        rtol, atol = tolerances(question)
        allowed = STORED_RTOL * abs(ref)
        own = max(rtol * abs(ref), atol)
        if own > 0:
            allowed = min(allowed, own / 10)
        return abs(float(stored) - ref) <= allowed
    if kind == "integer":
        return not isinstance(stored, bool) and stored == int(reference)
    if kind == "choice":
        refs = {normalise_choice(r) for r in reference}
        accept = {normalise_choice(a) for a in question.get("accept", [])}
        return normalise_choice(stored) in refs and refs <= accept
    raise ValueError(f"{question.get('id')}: unknown kind {kind!r}")


def normalise_choice(text: object) -> str:
    """A choice answer as it is compared: stripped and case-folded."""
    return str(text).strip().casefold()


def answer_literal(kind: str, reference: Any) -> str:
    """The TOML text of a stored answer computed as ``reference``."""
    if kind == "number":
        value = float(reference)
        if not math.isfinite(value):
            raise ValueError(f"the reference {value!r} is not a finite number")
        return repr(value)
    if kind == "integer":
        return str(int(reference))
    raise ValueError(f"answers of kind {kind!r} are not rewritten automatically")


# ---------------------------------------------------------------- chapter 00


def _ch00_zh(term_en: str) -> set[str]:
    from crmkit.datasets import load_glossary

    g = load_glossary()
    return set(g.loc[g["term_en"] == term_en, "term_zh"])


def _ch00_count(chapter: str) -> int:
    from crmkit.datasets import load_glossary

    g = load_glossary()
    return int((g["chapter"] == chapter).sum())


# ---------------------------------------------------------------- chapter 01


@cache
def _ch01_log():
    from crmkit.datasets import load_interactions

    return load_interactions()


@cache
def _ch01_journeys():
    from crmkit.channels import journey_table

    return journey_table(_ch01_log())


def _ch01_inbound_share() -> float:
    return float((_ch01_log()["direction"] == "inbound").mean())


def _ch01_repeated() -> int:
    return len(_ch01_journeys().repeated)


def _ch01_email_median_hours() -> float:
    return float(_ch01_journeys().response_times.loc["e-mail", "median_min"] / 60)


def _ch01_top_switch() -> set[str]:
    s = _ch01_journeys().switching.stack()
    s = s[s.index.get_level_values(0) != s.index.get_level_values(1)]
    pair = s.idxmax()
    return {
        f"{pair[0]} → {pair[1]}",
        f"{pair[0]} -> {pair[1]}",
        f"{pair[0]}->{pair[1]}",
    }


def _ch01_budget() -> float:
    import pandas as pd

    from crmkit.channels import objective_task_budget

    tasks = pd.DataFrame(
        [
            ("keep VIPs", "visit", 50, 120.0),
            ("keep VIPs", "gift", 50, 30.0),
            ("win back", "letter", 800, 1.5),
        ],
        columns=["goal", "task", "units", "unit_cost"],
    )
    return objective_task_budget(tasks).attrs["total"]


# ---------------------------------------------------------------- chapter 02


@cache
def _ch02_summary():
    from crmkit.datasets import load_cdnow
    from crmkit.segmentation import customer_summary

    return customer_summary(load_cdnow())


def _ch02_top20() -> float:
    from crmkit.segmentation import top_share

    return top_share(_ch02_summary()["total_spend"], 0.2)


def _ch02_a_count() -> int:
    from crmkit.segmentation import abc_classes

    return int((abc_classes(_ch02_summary()["total_spend"]) == "A").sum())


def _ch02_gini() -> float:
    from crmkit.segmentation import gini

    return gini(_ch02_summary()["total_spend"])


def _ch02_important_value() -> int:
    from crmkit.segmentation import rfm_scores, rfm_segments

    seg = rfm_segments(rfm_scores(_ch02_summary()))
    return int((seg["name_zh"] == "重要价值客户").sum())


def _ch02_largest_k3() -> float:
    from crmkit.segmentation import kmeans_segments

    features = _ch02_summary()[["n_purchase_days", "days_since_last", "total_spend"]]
    return float(
        kmeans_segments(features, 3, seed=0, value="total_spend").profile["share"].max()
    )


# ---------------------------------------------------------------- chapter 03


@cache
def _ch03_calibration():
    from crmkit.datasets import load_cdnow
    from crmkit.segmentation import customer_summary

    return customer_summary(load_cdnow(sample=True), as_of="1997-09-30", time_unit="W")


@cache
def _ch03_bgnbd():
    from crmkit.clv import BGNBD

    c = _ch03_calibration()
    return BGNBD().fit(c["frequency"], c["recency"], c["T"])


def _ch03_decline_count() -> int:
    from crmkit.datasets import load_cdnow
    from crmkit.segmentation import customer_summary, lifecycle_stages

    stages = lifecycle_stages(customer_summary(load_cdnow(), as_of="1998-06-30"))
    return int((stages["stage"] == "decline").sum())


def _ch03_expected_customer_one() -> float:
    c = _ch03_calibration().loc[[1]]
    return float(
        _ch03_bgnbd().expected_purchases(39, c["frequency"], c["recency"], c["T"])[0]
    )


def _ch03_alive_customer_one() -> float:
    c = _ch03_calibration().loc[[1]]
    return float(_ch03_bgnbd().prob_alive(c["frequency"], c["recency"], c["T"])[0])


def _ch03_spend_customer_one() -> float:
    from crmkit.clv import GammaGamma

    c = _ch03_calibration()
    gg = GammaGamma().fit(c["frequency"], c["monetary_value"])
    one = c.loc[[1]]
    return float(gg.expected_spend(one["frequency"], one["monetary_value"])[0])


def _ch03_clv() -> float:
    from crmkit.clv import retention_clv

    return retention_clv(50, 0.85, 0.12)


# ---------------------------------------------------------------- chapter 04


def _ch04_scores():
    from crmkit.channels import course_channels, to_scores

    return to_scores(course_channels())


def _ch04_phone_equal() -> float:
    from crmkit.channels import BENEFIT, weighted_sum

    return float(weighted_sum(_ch04_scores(), [1, 1, 1, 1], BENEFIT).loc["phone"])


def _ch04_f2f_topsis() -> float:
    from crmkit.channels import BENEFIT, topsis

    return float(topsis(_ch04_scores(), [1, 2, 1, 1], BENEFIT).loc["face-to-face"])


def _ch04_ahp_interactivity() -> float:
    from crmkit.channels import ahp_weights

    p = [[1, 1 / 2, 1 / 3, 1 / 5], [2, 1, 1, 1 / 3], [3, 1, 1, 1 / 2], [5, 3, 2, 1]]
    return float(ahp_weights(p).weights.iloc[3])


def _ch04_win_share() -> float:
    from crmkit.channels import BENEFIT, weight_sensitivity

    res = weight_sensitivity(_ch04_scores(), BENEFIT, samples=20_000, seed=0)
    return float(res.win_share.loc["face-to-face"])


def _ch04_chat_agents() -> int:
    from crmkit.queues import staff

    return staff(90 / 60, 1 / 6, service_level=0.8, within=20 / 60).servers


def _ch04_best_b2b_day() -> set[str]:
    from crmkit.channels import email_open_rates
    from crmkit.datasets import load_email_campaign

    rates = email_open_rates(load_email_campaign(), by=("segment", "weekday"))
    return {rates.loc["B2B", "open_rate"].idxmax()}


# ---------------------------------------------------------------- chapter 05


def _ch05_model():
    from crmkit.waiting import PerceivedWaitModel

    return PerceivedWaitModel()


def _ch05_conditions(**kw):
    from crmkit.waiting import WaitConditions

    return WaitConditions(**kw)


def _ch05_log():
    from crmkit.datasets import load_call_centre

    return load_call_centre()


def _ch05_queue_position_factor() -> float:
    from crmkit.waiting import announcement_patience_factor

    return announcement_patience_factor("queue_position")


def _ch05_patience_min() -> float:
    from crmkit.queues import patience_curve

    return patience_curve(_ch05_log())[1] / 60


# ---------------------------------------------------------------- chapter 06


def _ch06_q():
    import crmkit.queues as q

    return q


def _ch06_pooling_saving() -> int:
    q = _ch06_q()
    one = q.staff(5.0, 1 / 3, service_level=0.8, within=1 / 3).servers
    pooled = q.staff(10.0, 1 / 3, service_level=0.8, within=1 / 3).servers
    return 2 * one - pooled


def _ch06_lines() -> int:
    q = _ch06_q()
    return next(c for c in range(1, 100) if q.erlang_b(c, 8.0) <= 0.01)


def _ch06_vip_wait_s() -> float:
    line = _ch06_q().PriorityMMc(
        arrival_rates=[0.5, 3.0], service_rate=1 / 3, servers=12
    )
    return line.mean_wait[0] * 60


def _ch06_abandon() -> float:
    return (
        _ch06_q()
        .ErlangA(
            arrival_rate=100 / 30,
            service_rate=1 / 3,
            servers=14,
            abandonment_rate=1 / 3,
        )
        .prob_abandon
    )


# ---------------------------------------------------------------- chapter 07


@cache
def _ch07_run(replications: int = 10):
    from crmkit.queues import MMc, simulate

    m = MMc(arrival_rate=9.5, service_rate=1.0, servers=10)
    return m, simulate(
        m,
        customers=50_000,
        replications=replications,
        warmup=5_000,
        seed=2024,
        progress=False,
    )


def _ch07_covers() -> set[str]:
    m, res = _ch07_run()
    lo, hi = res.interval("mean_wait")
    return {"yes", "true"} if lo <= m.mean_wait <= hi else {"no", "false"}


def _ch07_width_ratio() -> float:
    _, ten = _ch07_run(10)
    _, forty = _ch07_run(40)
    return float(
        forty.table.loc["mean_wait", "half_width"]
        / ten.table.loc["mean_wait", "half_width"]
    )


def _ch07_replay() -> float:
    from crmkit.datasets import load_call_centre
    from crmkit.queues import agents_by_hour, replay_call_log

    log = load_call_centre()
    day = log["date"].iloc[0]
    plan = [a + 2 if h == 10 else a for h, a in enumerate(agents_by_hour(log, day))]
    return float(
        replay_call_log(log, day, plan, replications=20, seed=9).loc[10, "abandonment"]
    )


def _ch07_cold_bias() -> float:
    from crmkit.queues import MMc, simulate

    m = MMc(arrival_rate=49.0, service_rate=1.0, servers=50)
    cold = simulate(m, customers=5_000, replications=40, seed=21, progress=False)
    return cold.estimate("mean_wait") / m.mean_wait


# ---------------------------------------------------------------- chapter 08


def _ch08_scenario(**changes):
    from crmkit.complaints import ComplaintScenario

    return ComplaintScenario(**changes)


def _ch08_hotline_profit_gain() -> float:
    base = _ch08_scenario(customers=10_000, periods=24)
    louder = base.replace(complaint_rate=0.25)
    return float(louder.expected()["profit"].sum() - base.expected()["profit"].sum())


def _ch08_monetary_dispute_rate() -> float:
    from crmkit.complaints import dispute_rates
    from crmkit.datasets import load_complaints

    rates = dispute_rates(load_complaints())
    return float(rates.loc["Closed with monetary relief", "dispute_rate"])


def _ch08_handlers_for_quick_share() -> int:
    from crmkit.complaints import HandlingProcess, handling_rates
    from crmkit.errors import UnstableQueueError

    for n in range(1, 50):
        try:
            rates = handling_rates(HandlingProcess(complaints_per_day=80, handlers=n))
        except UnstableQueueError:
            continue
        if rates["quick_resolution_rate"] >= 0.95:
            return n
    raise RuntimeError("no desk size reaches 95 %")


def _ch08_simulated_silent_share() -> float:
    from crmkit.complaints import simulate

    res = simulate(_ch08_scenario(customers=20_000, periods=6), replications=50, seed=8)
    totals = res.totals()["mean"]
    return float(totals["silent"] / totals["problems"])


# ---------------------------------------------------------------- chapter 09


def _ch09_erlang_c_wait(params, rng):
    from crmkit.queues import MMc

    model = MMc(arrival_rate=2.5, service_rate=1.0, servers=params["servers"])
    return {"mean_wait": model.mean_wait}


def _ch09_fewest_servers() -> int:
    from crmkit.experiments import sweep

    res = sweep(
        _ch09_erlang_c_wait,
        {"servers": [3, 4, 5, 6]},
        replications=1,
        seed=0,
        client="serial",
    )
    table = res.table("mean_wait")
    return int(table.loc[table["mean"] < 0.1, "servers"].min())


def _ch09_simulated_wait(params, rng):
    from crmkit.queues import MMc, simulate

    c = params["servers"]
    model = MMc(arrival_rate=0.8 * c, service_rate=1.0, servers=c)
    res = simulate(model, customers=5_000, replications=1, seed=rng, progress=False)
    return {"mean_wait": res.estimate("mean_wait")}


def _ch09_m_m_2_mean() -> float:
    from crmkit.experiments import sweep

    res = sweep(
        _ch09_simulated_wait,
        {"servers": [2]},
        replications=10,
        seed=3,
        client="serial",
    )
    return float(res.table("mean_wait")["mean"].iloc[0])


def _ch09_first_uniform() -> float:
    from crmkit.experiments import task_rng

    return float(task_rng(7, 2, 3).random())


def _ch10_frame(sql: str):
    """A query on the shipped CRM database, read with the standard library only."""
    import sqlite3
    from contextlib import closing

    import pandas as pd

    from crmkit.datasets import data_file

    uri = data_file("crm_database.sqlite").resolve().as_uri() + "?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as con:
        return pd.read_sql_query(sql, con)


def _ch10_both_channels() -> int:
    tx = _ch10_frame("SELECT customer_id, channel FROM transactions")
    return int((tx.groupby("customer_id")["channel"].nunique() == 2).sum())


def _ch10_counts() -> tuple[int, int, int]:
    return 120, 50, 80  # promoters, passives, detractors


def _ch10_nps_points() -> float:
    pro, pas, det = _ch10_counts()
    return 100 * (pro - det) / (pro + pas + det)


def _ch10_nps_half_width() -> float:
    from statistics import NormalDist

    pro, pas, det = _ch10_counts()
    n = pro + pas + det
    p, d = pro / n, det / n
    z = NormalDist().inv_cdf(0.975)
    return 100 * z * math.sqrt((p + d - (p - d) ** 2) / n)


def _ch10_phone_csat() -> float:
    rows = _ch10_frame(
        "SELECT s.csat, i.channel FROM survey_responses s "
        "JOIN interactions i ON i.interaction_id = s.interaction_id"
    )
    phone = rows[rows["channel"] == "phone"]
    return float((phone["csat"] >= 4).mean())


def _ch10_k_anonymity() -> int:
    import pandas as pd

    raw = _ch10_frame("SELECT gender, birth_date, city FROM customers")
    days = (pd.Timestamp("2024-06-30") - pd.to_datetime(raw["birth_date"])).dt.days
    age = days // 365.25
    band = pd.cut(age, [0, 30, 40, 50, 200], right=False)
    region = raw["city"].map(
        {
            "Beijing": "north",
            "Shanghai": "east",
            "Hangzhou": "east",
            "Nanjing": "east",
            "Guangzhou": "south",
            "Shenzhen": "south",
            "Wuhan": "central",
            "Chengdu": "west",
            "Chongqing": "west",
            "Xi'an": "west",
        }
    )
    groups = pd.DataFrame({"g": raw["gender"], "b": band, "r": region})
    return int(groups.groupby(["g", "b", "r"], observed=True).size().min())


# ---------------------------------------------------------------- the table

#: question id -> the computation of its reference answer
REFERENCE: dict[str, Callable[[], object]] = {
    # 00 course map
    "ch00_q1": lambda: _ch00_zh("touchpoint"),
    "ch00_q2": lambda: _ch00_count("06"),
    # 01 customer interaction
    "ch01_q1": _ch01_inbound_share,
    "ch01_q2": _ch01_repeated,
    "ch01_q3": _ch01_email_median_hours,
    "ch01_q4": _ch01_top_switch,
    "ch01_q5": _ch01_budget,
    "ch01_q6": lambda: {"differentiate", "区分", "d"},
    # 02 segmentation
    "ch02_q1": _ch02_top20,
    "ch02_q2": _ch02_a_count,
    "ch02_q3": _ch02_gini,
    "ch02_q4": _ch02_important_value,
    "ch02_q5": _ch02_largest_k3,
    "ch02_q6": lambda: {"定制营销", "customised marketing", "customized marketing"},
    # 03 customer value
    "ch03_q1": _ch03_clv,
    "ch03_q2": _ch03_decline_count,
    "ch03_q3": lambda: _ch03_bgnbd().params_["r"],
    "ch03_q4": _ch03_expected_customer_one,
    "ch03_q5": _ch03_alive_customer_one,
    "ch03_q6": _ch03_spend_customer_one,
    # 04 channels
    "ch04_q1": _ch04_phone_equal,
    "ch04_q2": _ch04_f2f_topsis,
    "ch04_q3": _ch04_ahp_interactivity,
    "ch04_q4": _ch04_win_share,
    "ch04_q5": _ch04_chat_agents,
    "ch04_q6": _ch04_best_b2b_day,
    # 05 waiting psychology
    "ch05_q1": lambda: _ch05_model().perceived(6.0),
    "ch05_q2": lambda: _ch05_model().perceived(
        6.0, _ch05_conditions(known_duration=True, explained=True)
    ),
    "ch05_q3": _ch05_queue_position_factor,
    "ch05_q4": lambda: float((~_ch05_log()["served"]).mean()),
    "ch05_q5": _ch05_patience_min,
    "ch05_q6": lambda: {"in_process", "in process", "pre-process", "preprocess"},
    # 06 queue models and staffing
    "ch06_q1": lambda: (
        _ch06_q().MM1(arrival_rate=24, service_rate=30).mean_number_in_system
    ),
    "ch06_q2": lambda: (
        _ch06_q().MMc(arrival_rate=100 / 30, service_rate=1 / 3, servers=14).prob_wait
    ),
    "ch06_q3": lambda: (
        _ch06_q().staff(100 / 30, 1 / 3, service_level=0.8, within=20 / 60).servers
    ),
    "ch06_q4": _ch06_lines,
    "ch06_q5": _ch06_pooling_saving,
    "ch06_q6": _ch06_abandon,
    "ch06_q7": _ch06_vip_wait_s,
    # 07 simulation
    "ch07_q1": lambda: _ch07_run()[1].estimate("mean_wait"),
    "ch07_q2": _ch07_covers,
    "ch07_q3": _ch07_width_ratio,
    "ch07_q4": _ch07_cold_bias,
    "ch07_q5": _ch07_replay,
    # 08 complaint handling
    "ch08_q1": lambda: 26,
    "ch08_q2": lambda: _ch08_scenario().mean_retention(),
    "ch08_q3": lambda: float(_ch08_scenario().expected()["customers"].iloc[-1]),
    "ch08_q4": _ch08_simulated_silent_share,
    "ch08_q5": _ch08_hotline_profit_gain,
    "ch08_q6": _ch08_monetary_dispute_rate,
    "ch08_q7": _ch08_handlers_for_quick_share,
    "ch08_q8": lambda: {"record"},
    # 09 research sweeps
    "ch09_q1": lambda: 3 * 2 * 5,
    "ch09_q2": _ch09_first_uniform,
    "ch09_q3": _ch09_fewest_servers,
    "ch09_q4": _ch09_m_m_2_mean,
    "ch09_q5": lambda: {"no"},
    # 10 data-driven CRM
    "ch10_q1": _ch10_both_channels,
    "ch10_q2": _ch10_nps_points,
    "ch10_q3": _ch10_nps_half_width,
    "ch10_q4": _ch10_phone_csat,
    "ch10_q5": _ch10_k_anonymity,
    "ch10_q6": lambda: {"no", "否", "不能"},
    "ch10_q7": lambda: {"de-identification", "去标识化", "pseudonymisation"},
    # the course's answer key (document 002, 客户关系管理选择题-答案汇编); checked
    # against the document in tests/test_course_facts_review_questions.py
    "ch10_q10": lambda: {"B"},
    "ch10_q11": lambda: {"A"},
    "ch10_q12": lambda: {"ABCD"},
    "ch10_q13": lambda: {"BCD"},
}
