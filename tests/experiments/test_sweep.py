"""Sweeps: identical numbers whoever computes them, nothing lost or doubled on restarts
and killed workers, clear errors."""

from __future__ import annotations

import os
import signal
import threading
import time

import numpy as np
import pandas as pd
import pytest
from distributed import Client
from scipy import stats

from crmkit.errors import DataError, ParameterError, SweepTaskError
from crmkit.experiments import expand_grid, sweep, task_rng
from crmkit.experiments._sweep import _local_cluster
from crmkit.queues import MMc, simulate

GRID = {"servers": [2, 3], "load": [0.6, 0.8, 0.9]}


def queue_run(params, rng):
    """A small M/M/c simulation: the kind of run researchers sweep."""
    c = params["servers"]
    model = MMc(arrival_rate=params["load"] * c, service_rate=1.0, servers=c)
    res = simulate(model, customers=2_000, replications=1, seed=rng, progress=False)
    return {
        "mean_wait": res.estimate("mean_wait"),
        "prob_wait": res.estimate("prob_wait"),
        "noise": rng.normal(),
    }


def slow_run(params, rng):
    time.sleep(0.1)
    return {"x": params["a"] + rng.random()}


@pytest.fixture(scope="module")
def serial():
    return sweep(queue_run, GRID, replications=3, seed=11, client="serial")


def test_serial_one_and_two_workers_give_identical_numbers(serial):
    assert serial.runs.shape == (18, 7)
    for workers in (1, 2):
        with _local_cluster(workers) as cluster, Client(cluster) as client:
            # one run per task, so tasks finish in a different order than submitted
            dist = sweep(
                queue_run, GRID, replications=3, seed=11, client=client, batch_size=1
            )
        pd.testing.assert_frame_equal(dist.runs, serial.runs)
        assert dist.batches == 18
    other = sweep(queue_run, GRID, replications=3, seed=12, client="serial")
    assert not np.allclose(other.runs["noise"], serial.runs["noise"])


def test_default_local_cluster_and_scheduler_address(serial):
    default = sweep(queue_run, GRID, replications=3, seed=11)  # embedded LocalCluster
    pd.testing.assert_frame_equal(default.runs, serial.runs)
    with _local_cluster(1) as cluster:
        remote = sweep(
            queue_run, GRID, replications=3, seed=11, client=cluster.scheduler_address
        )
    pd.testing.assert_frame_equal(remote.runs, serial.runs)


def test_any_single_run_can_be_repeated_alone(serial):
    row = serial.runs.iloc[7]
    params = {"servers": int(row["servers"]), "load": float(row["load"])}
    again = queue_run(params, task_rng(11, int(row["point"]), int(row["replication"])))
    assert again["noise"] == row["noise"]


def test_summary_is_the_t_interval_of_the_runs(serial):
    part = serial.runs[serial.runs["point"] == 4]["mean_wait"]
    half = stats.t.ppf(0.975, 2) * part.std(ddof=1) / np.sqrt(3)
    row = serial.table("mean_wait").loc[4]
    assert row["mean"] == pytest.approx(part.mean())
    assert row["ci_high"] - row["mean"] == pytest.approx(half)
    assert (row["servers"], row["load"], row["replications"]) == (3, 0.8, 3)


def test_simulated_waits_bracket_the_exact_values():
    res = sweep(queue_run, GRID, replications=20, seed=3, client="serial")
    table = res.table("mean_wait")
    exact = [
        MMc(
            arrival_rate=r.load * r.servers, service_rate=1.0, servers=r.servers
        ).mean_wait
        for r in table.itertuples()
    ]
    half = table["ci_high"] - table["mean"]
    z = (table["mean"] - exact) / (half / stats.t.ppf(0.975, 19))
    assert (z.abs() < 3.5).all(), z  # short runs start empty: a small bias is allowed


def test_interrupted_sweep_resumes_with_only_the_missing_runs(tmp_path, serial):
    calls = []

    def failing(params, rng):
        calls.append(1)
        if params["servers"] == 3 and params["load"] == 0.8:
            raise RuntimeError("power cut")
        return queue_run(params, rng)

    with pytest.raises(SweepTaskError, match=r"grid point 4 .* power cut"):
        sweep(
            failing,
            GRID,
            replications=3,
            seed=11,
            client="serial",
            store=tmp_path,
            batch_size=2,
        )
    stored = len(pd.concat(pd.read_parquet(p) for p in tmp_path.glob("part-*.parquet")))
    # the timed pilot run, then batches of two: runs 1-10 finished and were kept; the
    # batch holding point 3's last run and the failing point 4 was lost as a whole
    assert stored == 11

    calls.clear()

    def counting(params, rng):
        calls.append(1)
        return queue_run(params, rng)

    resumed = sweep(
        counting, GRID, replications=3, seed=11, client="serial", store=tmp_path
    )
    assert len(calls) == 18 - 11 == resumed.computed
    pd.testing.assert_frame_equal(resumed.runs, serial.runs)

    calls.clear()  # more replications later: only the new ones are computed
    more = sweep(
        counting, GRID, replications=5, seed=11, client="serial", store=tmp_path
    )
    assert len(calls) == 6 * 2 and len(more.runs) == 30
    pd.testing.assert_frame_equal(
        more.runs[more.runs["replication"] < 3].reset_index(drop=True), serial.runs
    )


def test_killed_worker_loses_and_duplicates_nothing(tmp_path):
    grid = {"a": list(range(12))}
    expected = [a + task_rng(5, a, r).random() for a in range(12) for r in range(4)]
    killed = []
    with _local_cluster(2) as cluster, Client(cluster) as client:

        def kill_a_busy_worker():
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                busy = [w for w, keys in client.processing().items() if keys]
                if len(list(tmp_path.glob("part-*.parquet"))) >= 3 and busy:
                    pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
                    os.kill(pid, signal.SIGKILL)
                    killed.append(pid)
                    return
                time.sleep(0.02)

        killer = threading.Thread(target=kill_a_busy_worker)
        killer.start()
        res = sweep(
            slow_run,
            grid,
            replications=4,
            seed=5,
            client=client,
            store=tmp_path,
            batch_size=2,
        )
        killer.join()
    assert killed, "no worker was killed: the sweep finished too early"
    assert res.runs["x"].tolist() == expected
    on_disk = pd.concat(pd.read_parquet(p) for p in tmp_path.glob("part-*.parquet"))
    assert len(on_disk) == 48
    assert not on_disk.duplicated(["point", "replication"]).any()
    assert not list(tmp_path.glob(".part-*"))  # no half-written files left behind


def test_store_refuses_another_grid_or_seed(tmp_path):
    sweep(slow_run, {"a": [1]}, replications=1, seed=1, client="serial", store=tmp_path)
    with pytest.raises(DataError, match="another grid"):
        sweep(
            slow_run,
            {"a": [2]},
            replications=1,
            seed=1,
            client="serial",
            store=tmp_path,
        )
    with pytest.raises(DataError, match="another seed"):
        sweep(
            slow_run,
            {"a": [1]},
            replications=1,
            seed=2,
            client="serial",
            store=tmp_path,
        )


def test_small_runs_are_batched():
    res = sweep(
        lambda p, rng: {"u": rng.random()},
        {"a": list(range(500))},
        replications=4,
        seed=0,
        client="serial",
    )
    assert res.computed == 2000
    assert res.batches <= 5  # 1 timed pilot + a few large batches, not 2,000 tasks


def test_bad_functions_and_grids_get_clear_errors():
    with pytest.raises(SweepTaskError, match="dict of metrics"):
        sweep(lambda p, rng: 3.0, {"a": [1]}, replications=1, seed=0, client="serial")
    with pytest.raises(SweepTaskError, match="not a number"):
        sweep(
            lambda p, rng: {"m": "high"},
            {"a": [1]},
            replications=1,
            seed=0,
            client="serial",
        )
    with pytest.raises(SweepTaskError, match="same metrics"):
        sweep(
            lambda p, rng: {f"m{p['a']}": 1.0},
            {"a": [1, 2]},
            replications=1,
            seed=0,
            client="serial",
        )
    with pytest.raises(ParameterError, match="list of values"):
        sweep(slow_run, {"a": 1}, replications=1, seed=0, client="serial")
    with pytest.raises(ParameterError, match="reserved"):
        expand_grid({"point": [1]})
    with pytest.raises(ParameterError, match="seed"):
        sweep(slow_run, {"a": [1]}, replications=1, seed=-1, client="serial")
    with pytest.raises(ParameterError, match="client"):
        sweep(slow_run, {"a": [1, 2]}, replications=1, seed=0, client=42)


def test_grid_dataframe_is_not_changed():
    frame = pd.DataFrame({"a": [3, 1]}, index=[10, 20])
    before = frame.copy()
    res = sweep(
        lambda p, rng: {"x": p["a"] * 2.0},
        frame,
        replications=1,
        seed=0,
        client="serial",
    )
    pd.testing.assert_frame_equal(frame, before)
    assert res.runs["x"].tolist() == [6.0, 2.0]
