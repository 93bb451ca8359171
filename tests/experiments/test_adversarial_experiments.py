"""Bad input to crmkit.experiments gets a clear crmkit error; the sweep store reads back
only what it wrote; a sweep never waits forever; the local cluster stays on loopback.
"""

from __future__ import annotations

import builtins
import copy
import json
import math
import pickle
import socket
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import crmkit.experiments._grid as grid_module
from crmkit.experiments import SweepStore, expand_grid, sweep, task_rng
from crmkit.experiments._grid import grid_fingerprint
from crmkit.experiments._sweep import LOOPBACK, _local_cluster
from tests.adversarial import NOT_NUMBERS, assert_clear_error, bad_numbers, stable_id

pytestmark = pytest.mark.adversarial

COVERS = (
    "crmkit.experiments.SweepStore",
    "crmkit.experiments.expand_grid",
    "crmkit.experiments.sweep",
    "crmkit.experiments.task_rng",
)
EXEMPT = {
    "crmkit.experiments.SweepResult": (
        "a result only sweep() builds; the argument of its table() method is fed bad "
        "input here"
    ),
}

NAN, INF = math.nan, math.inf


def unit(params, rng):
    return {"x": params["a"] + rng.random()}


def slow_unit(params, rng):
    time.sleep(0.5)
    return unit(params, rng)


def run(**changes):
    args = {
        "replications": 2,
        "seed": 0,
        "client": "serial",
        **changes,
    }
    func = args.pop("func", unit)
    grid = args.pop(
        "grid", {"a": [1, 2]} if func is not slow_unit else {"a": [*range(40)]}
    )
    return sweep(func, grid, **args)


class Sentinel:
    """Unpickling this creates a file: the proof that something was unpickled."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self):
        return (Path.touch, (self.path,))


# -- expand_grid ------------------------------------------------------------------------


def test_forty_two_level_factors_are_refused_before_building():
    # formerly tried to build 2**40 rows
    err = assert_clear_error(
        lambda: expand_grid({f"f{i}": [0, 1] for i in range(40)}),
        "grid",
        show_value=False,
    )
    assert "reduce the number of parameters (40)" in str(err)
    assert "1,099,511,627,776 grid points" in str(err)
    # astronomically many: still a message, not an overflow
    assert_clear_error(
        lambda: expand_grid({f"f{i}": list(range(10)) for i in range(400)}),
        "grid",
        show_value=False,
    )


@pytest.mark.parametrize(
    "grid",
    [
        None,
        3,
        "abc",
        [1, 2],
        {},
        {"a": 1},
        {"a": "abc"},
        {"a": b"ab"},
        {"a": []},
        {"a": {1, 2}},
        {"a": None},
        {"a": np.zeros((2, 2))},
        {None: [1]},
        {("a", "b"): [1]},
        {"": [1]},
        {True: [1]},
        {"point": [1]},
        {"replication": [1]},
        {1: [1], "1": [2]},
        pd.DataFrame(),
        pd.DataFrame({"a": []}),
        pd.DataFrame(index=range(3)),
        pd.DataFrame([[1, 2]], columns=["a", "a"]),
        pd.DataFrame({"point": [1]}),
    ],
    ids=stable_id,
)
def test_expand_grid_refuses_bad_grids(grid):
    assert_clear_error(lambda: expand_grid(grid), "grid", show_value=False)


def test_expand_grid_accepts_arrays_ranges_and_series_and_changes_nothing():
    grid = {"a": np.array([1, 2]), "b": range(3), "c": pd.Series([0.1]), "d": (5,)}
    before = copy.deepcopy(grid)
    frame = expand_grid(grid)
    assert frame.shape == (6, 4)
    for key in grid:
        assert list(grid[key]) == list(before[key])
    lists = {"a": [3, 1]}
    expand_grid(lists)
    assert lists == {"a": [3, 1]}


@settings(max_examples=25, deadline=None)
@given(sizes=st.lists(st.sampled_from([1, 2, 3, 50]), min_size=1, max_size=8))
def test_expand_grid_builds_or_refuses_by_its_limit(sizes, monkeypatch_limit):
    grid = {f"p{i}": list(range(n)) for i, n in enumerate(sizes)}
    points = math.prod(sizes)
    if points * len(sizes) > grid_module.MAX_GRID_VALUES:
        assert_clear_error(lambda: expand_grid(grid), "grid", show_value=False)
    else:
        assert len(expand_grid(grid)) == points


@pytest.fixture(scope="module")
def monkeypatch_limit():
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(grid_module, "MAX_GRID_VALUES", 5_000)
        yield


# -- task_rng and sweep arguments ------------------------------------------------------


@pytest.mark.parametrize("name", ["seed", "point", "replication"])
@pytest.mark.parametrize(
    "value", [-1, 2.5, NAN, INF, "1", None, True, [1]], ids=stable_id
)
def test_task_rng_refuses_bad_keys(name, value):
    args = {"seed": 1, "point": 0, "replication": 0, name: value}
    assert_clear_error(lambda: task_rng(**args), name, value)


@pytest.mark.parametrize("func", [None, 3, "unit", {"x": 1}], ids=stable_id)
def test_sweep_refuses_a_func_that_cannot_be_called(func):
    assert_clear_error(lambda: run(func=func), "func", func)


@pytest.mark.parametrize(
    ("name", "value"),
    [("replications", v) for v in [0, -1, 2.5, NAN, INF, 10**7, *NOT_NUMBERS]]
    + [("seed", v) for v in [-1, 2.5, NAN, "1", True, [1]]]
    + [("seed", np.random.default_rng(0))]
    + [("batch_size", v) for v in [0, -1, 2.5, NAN, "2", True, [2]]]
    + [("progress", v) for v in ["yes", 1, 0, "False", [True]]]
    + [("timeout", v) for v in [0, -1, NAN, INF, 1e6, "30", True, None, [30]]],
    ids=stable_id,
)
def test_sweep_refuses_bad_arguments(name, value):
    assert_clear_error(lambda: run(**{name: value}), name, value)


@settings(max_examples=25, deadline=None)
@given(
    name=st.sampled_from(["replications", "batch_size", "timeout"]), value=bad_numbers()
)
def test_sweep_refuses_any_bad_number(name, value):
    assert_clear_error(lambda: run(**{name: value}), name, value)


@pytest.mark.parametrize(
    "client", [42, object(), ["serial"], "local", "Serial", "", True], ids=stable_id
)
def test_sweep_refuses_clients_it_cannot_use(client):
    assert_clear_error(lambda: run(client=client, timeout=30), "client", client)


def test_the_number_of_runs_is_bounded_before_any_run(tmp_path):
    calls = []

    def counted(params, rng):
        calls.append(1)
        return {"x": 1.0}

    err = assert_clear_error(
        lambda: run(func=counted, grid={"a": list(range(3_000))}, replications=1_000),
        "replications",
        show_value=False,
    )
    assert "2,000,000" in str(err) and not calls


@pytest.mark.parametrize("metric", ["y", "", None, 3, ["x"]], ids=stable_id)
def test_result_table_refuses_unknown_metrics(metric):
    res = run()
    assert_clear_error(lambda: res.table(metric), "metric", metric)


def test_unpicklable_funcs_are_refused_before_any_cluster_starts():
    lock = threading.Lock()

    def locked(params, rng):
        return {"x": float(lock.locked())}

    # nobody listens on port 1: a connection attempt would take the whole timeout
    err = assert_clear_error(
        lambda: run(func=locked, client="tcp://127.0.0.1:1", timeout=30),
        "func",
        show_value=False,
    )
    assert "pickl" in str(err)


# -- the store ----------------------------------------------------------------------------


@pytest.mark.parametrize("store", [3, b"runs", "", "  ", ["runs"], True], ids=stable_id)
def test_sweep_refuses_a_store_that_is_not_a_path(store):
    assert_clear_error(lambda: run(store=store), "store", store)
    assert_clear_error(lambda: SweepStore(store), "store", store)


def test_a_store_that_is_a_file_or_cannot_be_created_is_refused(tmp_path):
    afile = tmp_path / "results.csv"
    afile.write_text("a,b\n", encoding="utf-8")
    assert_clear_error(lambda: run(store=afile), "store", afile)
    assert_clear_error(lambda: run(store=afile / "sub"), "store", afile / "sub")


def stored(tmp_path: Path) -> Path:
    """A folder holding a finished two-point sweep."""
    folder = tmp_path / "store"
    run(store=folder)
    return folder


def test_a_folder_with_other_files_is_not_taken_over(tmp_path):
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "notes.txt").write_text("my notes", encoding="utf-8")
    err = assert_clear_error(lambda: run(store=folder), "store", str(folder))
    assert "notes.txt" in str(err)
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]  # nothing written


@pytest.mark.parametrize(
    "intruder",
    ["notes.txt", "runs.pkl", "part-x.csv", "subfolder", "part-../x.parquet"],
)
def test_a_store_holding_something_else_is_refused(tmp_path, intruder):
    folder = stored(tmp_path)
    if intruder == "subfolder":
        (folder / intruder).mkdir()
    elif "/" in intruder:
        (folder / "part-..").mkdir()
    else:
        (folder / intruder).write_bytes(pickle.dumps({"a": 1}))
    err = assert_clear_error(lambda: run(store=folder), "store", str(folder))
    assert intruder.split("/")[0] in str(err)


def test_a_pickle_in_the_store_is_refused_and_never_unpickled(tmp_path):
    folder = stored(tmp_path)
    sentinel = tmp_path / "unpickled"
    payload = pickle.dumps(Sentinel(sentinel))
    (folder / "part-9999999-00000-1.parquet").write_bytes(payload)
    assert_clear_error(lambda: run(store=folder), "part-9999999", show_value=False)
    (folder / "part-9999999-00000-1.parquet").unlink()
    (folder / "runs.pkl").write_bytes(payload)
    assert_clear_error(lambda: run(store=folder), "runs.pkl", show_value=False)
    assert not sentinel.exists()


def test_a_foreign_parquet_file_without_the_marker_is_refused(tmp_path):
    folder = stored(tmp_path)
    foreign = pd.DataFrame({"point": [5], "replication": [0], "x": [1.0]})
    foreign.to_parquet(folder / "part-foreign.parquet", index=False)
    err = assert_clear_error(
        lambda: run(store=folder), "part-foreign", show_value=False
    )
    assert "not a part file written by crmkit" in str(err)


def _marked(folder: Path, columns: dict, **marker) -> None:
    manifest = json.loads((folder / "sweep.json").read_text(encoding="utf-8"))
    mark = {
        "format": manifest["format"],
        "version": manifest["version"],
        "grid": manifest["grid"],
        "seed": manifest["seed"],
        **marker,
    }
    table = pa.table(columns).replace_schema_metadata(
        {b"crmkit.sweep": json.dumps(mark).encode()}
    )
    pq.write_table(table, folder / "part-marked.parquet")


@pytest.mark.parametrize(
    ("columns", "marker", "words"),
    [
        (
            {
                "point": pa.array([7], pa.int64()),
                "replication": pa.array([0], pa.int64()),
            },
            {"grid": "0" * 16},
            "another grid",
        ),
        (
            {
                "point": pa.array([7], pa.int64()),
                "replication": pa.array([0], pa.int64()),
            },
            {"seed": 99},
            "another seed",
        ),
        (
            {
                "point": pa.array([7], pa.int64()),
                "replication": pa.array([0], pa.int64()),
                "x": pa.array(["high"]),
            },
            {},
            "not a part file",
        ),
        (
            {"point": pa.array([7.5]), "replication": pa.array([0], pa.int64())},
            {},
            "not a part file",
        ),
        ({"x": pa.array([1.0])}, {}, "not a part file"),
        (
            {
                "point": pa.array([-1], pa.int64()),
                "replication": pa.array([0], pa.int64()),
            },
            {},
            "not a part file",
        ),
        (
            {
                "point": pa.array([7], pa.int64()),
                "replication": pa.array([0], pa.int64()),
            },
            {"format": "pandas"},
            "not a part file",
        ),
    ],
    ids=["grid", "seed", "text column", "float key", "no keys", "negative", "format"],
)
def test_part_files_must_carry_this_stores_marker_and_plain_columns(
    tmp_path, columns, marker, words
):
    folder = stored(tmp_path)
    _marked(folder, columns, **marker)
    err = assert_clear_error(lambda: run(store=folder), "part-marked", show_value=False)
    assert words in str(err)


@pytest.mark.parametrize(
    "manifest",
    [
        b"not json {",
        b"\xff\xfe",
        b"[1, 2]",
        b'{"grid": "abc", "seed": 0, "columns": ["a"]}',
        b'{"format": "other", "version": 1}',
    ],
    ids=["garbage", "binary", "list", "no marker", "other format"],
)
def test_a_manifest_this_store_did_not_write_is_refused(tmp_path, manifest):
    folder = stored(tmp_path)
    (folder / "sweep.json").write_bytes(manifest)
    assert_clear_error(lambda: run(store=folder), "sweep.json", show_value=False)


def test_parts_with_different_metrics_are_refused(tmp_path):
    folder = stored(tmp_path)
    _marked(
        folder,
        {
            "point": pa.array([9], pa.int64()),
            "replication": pa.array([0], pa.int64()),
            "y": pa.array([1.0]),
        },
    )
    assert_clear_error(lambda: run(store=folder), "metrics", show_value=False)


def test_harmless_and_own_leftover_files_are_tolerated(tmp_path):
    folder = stored(tmp_path)
    (folder / ".DS_Store").write_bytes(b"\0")
    (folder / ".ipynb_checkpoints").mkdir()
    (folder / ".part-0000001-00000-1.parquet.tmp").write_bytes(b"half written")
    again = run(store=folder, replications=3)
    assert again.computed == 2 and len(again.runs) == 6


def test_reading_the_store_never_unpickles_or_evaluates(tmp_path, monkeypatch):
    folder = stored(tmp_path)

    def forbidden(*args, **kwargs):
        raise AssertionError("the store must not unpickle or evaluate anything")

    for name in ("loads", "load", "Unpickler"):
        monkeypatch.setattr(pickle, name, forbidden)
    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "exec", forbidden)
    box = SweepStore(folder)
    frame = box.read()
    assert len(frame) == 4 and frame["point"].dtype == np.int64


def test_store_methods_refuse_bad_input(tmp_path):
    box = SweepStore(tmp_path / "s")
    runs = pd.DataFrame({"point": [0], "replication": [0], "x": [1.0]})
    assert_clear_error(lambda: box.write("0", runs), "store", show_value=False)
    fingerprint = grid_fingerprint(expand_grid({"a": [1]}))
    for args, name in [
        (("xyz", 0, ["a"]), "fingerprint"),
        ((fingerprint, -1, ["a"]), "seed"),
        ((fingerprint, "0", ["a"]), "seed"),
        ((fingerprint, 0, "a"), "columns"),
        ((fingerprint, 0, [1]), "columns"),
    ]:
        assert_clear_error(lambda args=args: box.open(*args), name, show_value=False)
    box.open(fingerprint, 0, ["a"])
    before = runs.copy()
    for name in ("../evil", "a/b", "", "x" * 101, None, 3):
        assert_clear_error(
            lambda name=name: box.write(name, runs),
            "name",
            name,
            show_value=not isinstance(name, str) or len(name) < 50,
        )
    for bad in (
        None,
        runs.drop(columns="point"),
        runs.assign(x=["high"]),
        runs.assign(point=[-1]),
        runs.assign(point=[0.5]),
        runs.assign(replication=[np.nan]),
        runs.rename(columns={"x": 3}),
    ):
        assert_clear_error(
            lambda bad=bad: box.write("0", bad), "runs", show_value=False
        )
    pd.testing.assert_frame_equal(runs, before)
    assert not list((tmp_path / "s").glob("part-*"))
    assert not (tmp_path / "evil.parquet").exists()


# -- Dask: loopback only, and no waiting without end ---------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def test_an_unreachable_scheduler_address_times_out_with_a_clear_error():
    address = f"tcp://{LOOPBACK}:{_free_port()}"  # nobody listens there
    err = assert_clear_error(lambda: run(client=address, timeout=1), "client", address)
    assert "timeout = 1 s" in str(err)


def _http_hosts(server) -> set[str]:
    return {sock.getsockname()[0] for sock in server._sockets.values()}


def _worker_http_hosts(dask_worker) -> list[str]:
    server = dask_worker.http_server
    return sorted({sock.getsockname()[0] for sock in server._sockets.values()})


@pytest.mark.slow
def test_local_cluster_listens_on_loopback_and_a_lost_scheduler_is_reported():
    from distributed import Client

    with _local_cluster(1) as cluster, Client(cluster) as client:
        scheduler = cluster.scheduler
        assert scheduler.address.startswith(f"tcp://{LOOPBACK}:")
        assert _http_hosts(scheduler.http_server) == {LOOPBACK}  # the dashboard
        info = client.scheduler_info()
        assert info["workers"]
        for address, worker in info["workers"].items():
            assert address.startswith(f"tcp://{LOOPBACK}:")
            assert worker["nanny"].startswith(f"tcp://{LOOPBACK}:")
        for hosts in client.run(_worker_http_hosts).values():
            assert hosts == [LOOPBACK]
        assert "0.0.0.0" not in repr(cluster)

        ok = run(client=client, timeout=5)
        assert ok.computed == 4

        # a scheduler that goes away while the sweep waits for its batches
        closer = threading.Timer(1.0, cluster.close)
        closer.start()
        try:
            err = assert_clear_error(
                lambda: run(func=slow_unit, client=client, timeout=2, batch_size=1),
                "client",
                show_value=False,
            )
        finally:
            closer.join()
        assert "went away" in str(err) or "answer" in str(err)

        # and a client whose scheduler is gone before the sweep starts
        assert_clear_error(
            lambda: run(client=client, timeout=1), "client", show_value=False
        )


class StubClient:
    """What the sweep's watchdog sees of a scheduler without workers, or one that no
    longer answers."""

    def __init__(self, answer):
        self.status = "running"
        self.answer = answer

    def nthreads(self, callback_timeout=None):
        time.sleep(0.02)
        if isinstance(self.answer, BaseException):
            raise self.answer
        return self.answer


class StubFuture:
    status = "pending"

    def add_done_callback(self, callback):
        pass  # never done


@pytest.mark.parametrize(
    ("answer", "words"),
    [({}, "no workers"), (TimeoutError("no reply"), "did not answer")],
    ids=["no workers", "no answer"],
)
def test_waiting_for_workers_is_bounded(answer, words):
    from crmkit.experiments._sweep import _await_workers

    err = assert_clear_error(
        lambda: _await_workers(StubClient(answer), 0.5, "c"), "client", show_value=False
    )
    assert words in str(err) and "timeout = 0.5 s" in str(err)


@pytest.mark.parametrize(
    ("answer", "words"),
    [({}, "lost all its workers"), (OSError("gone"), "stopped answering")],
    ids=["workers lost", "scheduler silent"],
)
def test_waiting_for_batches_is_bounded_when_the_cluster_fails(answer, words):
    from crmkit.experiments._sweep import _collect

    pending = {"k": (StubFuture(), [(0, 0, {})])}
    err = assert_clear_error(
        lambda: _collect(StubClient(answer), pending, print, None, 0.5, "c"),
        "client",
        show_value=False,
    )
    assert words in str(err)


def test_the_default_cluster_is_the_loopback_one(monkeypatch):
    import crmkit.experiments._sweep as sweep_module

    started = []

    def fake_cluster(workers):
        started.append(workers)
        raise RuntimeError("no cluster in this test")

    monkeypatch.setattr(sweep_module, "_local_cluster", fake_cluster)
    with pytest.raises(RuntimeError, match="no cluster in this test"):
        run(client=None)
    assert started and 1 <= started[0] <= 4


@pytest.fixture(scope="module")
def finished_store(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("finished") / "store"
    run(store=folder)
    return folder


@settings(max_examples=25, deadline=None)
@given(data=st.binary(max_size=2_000), magic=st.booleans())
def test_any_bytes_posing_as_a_part_file_are_refused(finished_store, data, magic):
    # b"PAR1" at both ends makes pyarrow try to read the bytes as Parquet
    payload = b"PAR1" + data + b"PAR1" if magic else data
    intruder = finished_store / "part-intruder.parquet"
    intruder.write_bytes(payload)
    try:
        assert_clear_error(
            lambda: SweepStore(finished_store).read(), "part-intruder", show_value=False
        )
    finally:
        intruder.unlink()


@settings(max_examples=25, deadline=None)
@given(
    name=st.sampled_from(["seed", "point", "replication"]),
    value=st.one_of(bad_numbers(allow_zero=True), st.integers(max_value=-1)),
)
def test_task_rng_refuses_any_bad_key(name, value):
    args = {"seed": 1, "point": 0, "replication": 0, name: value}
    assert_clear_error(lambda: task_rng(**args), name, value)
