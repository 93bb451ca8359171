"""Parameter sweeps with replications on Dask: reproducible, batched, restartable."""

from __future__ import annotations

import math
import numbers
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from crmkit._replication import half_width, keyed_stream
from crmkit._validate import (
    check_bool,
    check_choice,
    check_count,
    check_real,
    check_work,
    show,
)
from crmkit.errors import ParameterError, SweepTaskError
from crmkit.experiments._grid import expand_grid, grid_fingerprint
from crmkit.experiments._store import SweepStore

__all__ = ["SweepResult", "sweep", "task_rng"]

Func = Callable[[dict[str, Any], np.random.Generator], Mapping[str, float]]
Task = tuple[int, int, dict[str, Any]]

#: aim for batches of about this many seconds of work (scheduling costs milliseconds)
_BATCH_SECONDS = 0.25
#: and at least this many batches per worker thread, so work spreads evenly
_BATCHES_PER_WORKER = 4
#: show a progress bar when the sweep is expected to take longer than this
_PROGRESS_SECONDS = 10.0
#: the most runs (grid points × replications) one sweep call may ask for
MAX_RUNS = 2_000_000
#: the default of ``timeout``: seconds to wait for a scheduler that does not answer
DEFAULT_TIMEOUT = 60.0
#: the longest ``timeout`` accepted (a day)
_MAX_TIMEOUT = 86_400.0
#: where every scheduler, worker and dashboard of a local cluster listens
LOOPBACK = "127.0.0.1"


def task_rng(seed: int, point: int, replication: int) -> np.random.Generator:
    """The random stream of one run: ``SeedSequence(seed, spawn_key=(point,
    replication))``.

    The stream depends only on the seed and the run's position, never on which worker
    runs it or when, so serial and distributed sweeps give identical numbers, and any
    single run can be repeated on its own. Streams of different keys are independent in
    the sense of :class:`numpy.random.SeedSequence` (O'Neill's hash-based seeding).

    Examples
    --------
    >>> a = task_rng(7, 3, 0).random()
    >>> b = task_rng(7, 3, 0).random()
    >>> a == b, a == task_rng(7, 3, 1).random()
    (True, False)
    """
    seed = check_count("seed", seed, minimum=0)
    point = check_count("point", point, minimum=0)
    replication = check_count("replication", replication, minimum=0)
    return keyed_stream(seed, (point, replication))


def _metrics(out: Any, point: int, replication: int) -> dict[str, float]:
    if not isinstance(out, Mapping) or not out:
        raise SweepTaskError(
            f"func must return a dict of metrics (name → number); at grid point "
            f"{point}, replication {replication} it returned {type(out).__name__}."
        )
    clean = {}
    for name, value in out.items():
        if not isinstance(name, str) or name in ("point", "replication"):
            raise SweepTaskError(
                f"metric names must be strings other than 'point' and 'replication'; "
                f"got {name!r} at grid point {point}."
            )
        if isinstance(value, np.ndarray) and value.size == 1:
            value = value.item()
        if not isinstance(value, numbers.Real):
            raise SweepTaskError(
                f"metric {name!r} at grid point {point}, replication {replication} is "
                f"{type(value).__name__}, not a number."
            )
        clean[name] = float(value)
    return clean


def _run_batch(func: Func, seed: int, tasks: Sequence[Task]) -> list[dict[str, Any]]:
    """Run tasks one after another (on a worker, or here); wrap failures with their
    key."""
    rows = []
    for point, replication, params in tasks:
        try:
            out = func(dict(params), task_rng(seed, point, replication))
        except Exception as exc:
            raise SweepTaskError(
                f"func failed at grid point {point} {params} replication "
                f"{replication}: {type(exc).__name__}: {exc}"
            ) from exc
        rows.append(
            {
                "point": point,
                "replication": replication,
                **_metrics(out, point, replication),
            }
        )
    return rows


@dataclass(frozen=True, eq=False)
class SweepResult:
    """What :func:`sweep` returns.

    Attributes
    ----------
    runs : pandas.DataFrame
        One row per grid point and replication: ``point``, ``replication``, the grid's
        parameters and the metrics.
    summary : pandas.DataFrame
        Tidy: one row per grid point and metric with the parameters, ``metric``,
        ``mean``, ``ci_low``, ``ci_high`` (95 % t interval) and ``replications``.
    grid : pandas.DataFrame
        The grid points (row ``i`` is point ``i``).
    seed : int
        The seed that reproduces every run (see :func:`task_rng`).
    metrics : tuple of str
    computed : int
        Runs computed by this call (the others were read from the store).
    batches : int
        Batches they were computed in (the first run alone, timed, then the rest).
    """

    runs: pd.DataFrame
    summary: pd.DataFrame
    grid: pd.DataFrame
    seed: int
    metrics: tuple[str, ...]
    computed: int
    batches: int

    def table(self, metric: str) -> pd.DataFrame:
        """One metric: the parameters with ``mean``, ``ci_low``, ``ci_high`` per
        point."""
        check_choice("metric", metric, self.metrics)
        part = self.summary[self.summary["metric"] == metric]
        return part.drop(columns="metric").set_index("point")

    def __repr__(self) -> str:
        return (
            f"SweepResult({len(self.grid)} grid points × "
            f"{self.runs['replication'].nunique()} replications, metrics "
            f"{list(self.metrics)}, seed {self.seed}, {self.computed} runs computed "
            "now)"
        )


def _summarise(
    runs: pd.DataFrame, grid: pd.DataFrame, metrics: Sequence[str]
) -> pd.DataFrame:
    long = runs.melt(
        id_vars=["point", "replication"],
        value_vars=list(metrics),
        var_name="metric",
    )
    g = long.groupby(["point", "metric"], sort=False)["value"]
    out = g.agg(mean="mean", sd="std", replications="count").reset_index()
    half = half_width(out["sd"], out["replications"])
    out["ci_low"] = out["mean"] - half
    out["ci_high"] = out["mean"] + half
    out = out.drop(columns="sd")
    params = grid.reset_index(drop=True).rename_axis("point").reset_index()
    order = ["point", *grid.columns, "metric", "mean", "ci_low", "ci_high"]
    merged = params.merge(out, on="point")[[*order, "replications"]]
    return merged.sort_values(["metric", "point"], kind="stable").reset_index(drop=True)


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def _local_cluster(workers: int) -> Any:
    """A process-based ``distributed.LocalCluster`` reachable from this machine only.

    One thread per worker (runs are CPU-bound Python). The scheduler, the nannies, the
    workers and their small HTTP servers (the dashboards) all listen on the loopback
    address 127.0.0.1, never on 0.0.0.0, so nobody else on the network can reach
    them; the HTTP servers take any free port rather than 8787, so two clusters at
    once start without a warning.
    """
    from distributed import LocalCluster

    return LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        host=LOOPBACK,
        dashboard_address=f"{LOOPBACK}:0",
        worker_dashboard_address=f"{LOOPBACK}:0",
        scheduler_kwargs={"dashboard_address": f"{LOOPBACK}:0"},
    )


def _unreachable(what: str, timeout: float, reason: str) -> ParameterError:
    return ParameterError(
        f"client = {what}: {reason} (waited up to timeout = {timeout:g} s); check "
        "that the scheduler and its workers are running, raise timeout, or pass "
        "client='serial' to run here. Batches finished before are kept in store."
    )


def _check_picklable(func: Func, tasks: Sequence[Task]) -> None:
    """Refuse, before any cluster starts, a func or grid value Dask cannot send."""
    import cloudpickle

    for what, obj in (("func", func), ("the grid values", tasks[0][2])):
        try:
            cloudpickle.dumps(obj)
        except Exception as exc:  # any pickling failure: say what cannot be sent
            reason = str(exc).split("\n")[0][:120]
            raise ParameterError(
                f"{what} = {show(obj)} cannot be sent to the Dask workers (pickling "
                f"failed: {reason}); define func at the top level and use only "
                "picklable values, or pass client='serial' to run here."
            ) from None


@contextmanager
def _dask_client(client: Any, timeout: float) -> Iterator[Any]:
    """The Dask client to use: the user's, one for an address, or a local cluster."""
    from distributed import Client

    if isinstance(client, Client):
        if client.asynchronous:
            raise ParameterError(
                f"client = {show(client)} is asynchronous; pass a synchronous "
                "distributed.Client (the default)."
            )
        if client.status not in ("running", "connecting"):
            raise ParameterError(
                f"client = {show(client)} is {client.status}, not running; pass an "
                "open distributed.Client, or client=None for a local cluster."
            )
        yield client
        return
    if isinstance(client, str):
        if ":" not in client:
            raise ParameterError(
                f"client = {client!r} is neither 'serial' nor a scheduler address; "
                "pass an address such as 'tcp://127.0.0.1:8786', 'serial', or None."
            )
        try:
            own = Client(client, timeout=timeout, set_as_default=False)
        except Exception as exc:  # unreachable, refused, a bad address: say so
            raise _unreachable(
                repr(client), timeout, f"no scheduler answered ({exc})"
            ) from None
        with own:
            yield own
        return
    if client is not None:
        raise ParameterError(
            f"client = {show(client)} is a {type(client).__name__}; pass None (a "
            "local cluster), 'serial', a scheduler address or a distributed.Client "
            "(for a cluster object, Client(cluster))."
        )
    workers = max(1, min(os.cpu_count() or 1, 4))
    with (
        _local_cluster(workers) as cluster,
        Client(cluster, set_as_default=False) as own,
    ):
        yield own


def _threads(dask: Any, wait: float) -> int | None:
    """Worker threads the scheduler reports, or None when it does not answer in
    ``wait`` seconds."""
    if dask.status != "running":
        return None
    try:
        return int(sum(dask.nthreads(callback_timeout=wait).values()))
    except Exception:  # no answer (timeout, closed connection): the caller waits
        return None


def _await_workers(dask: Any, timeout: float, what: str) -> int:
    """Worker threads, waiting up to ``timeout`` for the scheduler and a worker."""
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        n = _threads(dask, max(min(left, 5.0), 0.1))
        if n:
            return n
        if time.monotonic() >= deadline:
            reason = (
                "the scheduler has no workers"
                if n == 0
                else "the scheduler did not answer"
            )
            raise _unreachable(what, timeout, reason)
        time.sleep(min(0.2, max(left, 0.0)))


def _plan(
    tasks: list[Task],
    per_run: float,
    workers: int,
    batch_size: int | None,
    progress: bool | None,
) -> tuple[list[list[Task]], bool]:
    """The batches to run (about a quarter second of work each, at least four per
    worker, or ``batch_size`` runs) and whether to show a progress bar."""
    by_time = max(1, int(_BATCH_SECONDS / per_run))
    by_balance = max(1, math.ceil(len(tasks) / (_BATCHES_PER_WORKER * workers)))
    size = batch_size or min(by_time, by_balance)
    visible = (
        progress
        if progress is not None
        else per_run * len(tasks) / workers > _PROGRESS_SECONDS
    )
    return [tasks[i : i + size] for i in range(0, len(tasks), size)], bool(visible)


def sweep(
    func: Func,
    grid: Mapping[str, Sequence[Any]] | pd.DataFrame,
    *,
    replications: int,
    seed: int | None,
    client: Any = None,
    store: str | os.PathLike[str] | None = None,
    batch_size: int | None = None,
    progress: bool | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> SweepResult:
    """Run ``func`` at every grid point, ``replications`` times each, on Dask.

    Parameters
    ----------
    func : callable
        ``func(params, rng) -> dict`` of metric name → number, where ``params`` maps the
        grid's column names to one point's values and ``rng`` is that run's own
        :class:`numpy.random.Generator` (:func:`task_rng`). It must use no other
        randomness. With Dask it runs in other processes, so it must be picklable
        (functions defined in a notebook are).
    grid : dict of lists or DataFrame
        A dict gives the full factorial (first key slowest); a DataFrame gives its
        rows.
    replications : int
        Runs per grid point (>= 1; intervals need >= 2). Grid points × replications
        may be at most 2,000,000 runs (split a larger study into several sweeps).
    seed : int or None
        Every run's stream is keyed by ``(seed, point, replication)``, so results are
        identical whatever runs them — serially, on one worker or on many — and in
        whatever order tasks finish. ``None`` draws a fresh seed and records it in the
        result.
    client : None, "serial", str or distributed.Client
        ``None`` starts a local Dask cluster (one single-threaded worker process per
        core, up to 4) for this call; ``"serial"`` runs everything here without Dask;
        any other string is a scheduler address (``"tcp://host:8786"``); a ``Client``
        is used as it is (and not closed). The local cluster listens on 127.0.0.1
        only, its dashboard included.
    store : path, optional
        A folder that keeps every finished batch as Parquet. Running the same sweep
        again (same grid and seed) computes only the runs not stored yet — after an
        interruption, or with more replications. Results are written by this process as
        batches finish, so a worker that dies mid-batch loses nothing that was stored
        and Dask reruns its batch elsewhere; no run is stored twice.
    batch_size : int, optional
        Runs per Dask task. By default the first run is timed here and batches hold
        about a quarter of a second of work, with at least four batches per worker, so
        millisecond-sized runs do not drown in scheduling overhead.
    progress : bool, optional
        Show a progress bar; by default when the sweep should take over 10 seconds.
    timeout : float, default 60
        Seconds to wait for a Dask scheduler that does not answer or has no workers:
        when connecting, and whenever no batch has finished and the scheduler stops
        answering (it went away) or loses all its workers. Then a
        :class:`~crmkit.errors.ParameterError` says so; batches finished before stay
        in ``store``. It does not limit how long runs may take. At most a day.

    Returns
    -------
    SweepResult

    Raises
    ------
    SweepTaskError
        ``func`` failed or returned something other than a dict of numbers (True and
        False count as 1 and 0); the message names the grid point and replication.
        Batches finished before stay in ``store``.
    ParameterError
        A bad argument; more than 2,000,000 runs; a scheduler that cannot be reached
        within ``timeout``; ``func`` or the grid values cannot be sent to the workers.
    DataError
        ``store`` holds files this sweep did not write, or another sweep.

    Examples
    --------
    >>> def coin(params, rng):
    ...     return {"heads": rng.binomial(params["n"], params["p"]) / params["n"]}
    >>> res = sweep(coin, {"n": [100], "p": [0.2, 0.5]}, replications=5, seed=1,
    ...             client="serial")
    >>> res.table("heads")["mean"].round(2).tolist()  # 5 runs each: means near p
    [0.24, 0.49]
    """
    reps, seed, batch_size, progress, timeout = _check_arguments(
        func, replications, seed, client, batch_size, progress, timeout
    )
    box = None if store is None else SweepStore(store)
    frame = expand_grid(grid)
    check_work(
        "grid points × replications",
        len(frame) * reps,
        limit=MAX_RUNS,
        fix=f"reduce the grid ({len(frame):,} points) or replications ({reps:,}) so "
        f"that their product stays within {MAX_RUNS:,} runs, or split the study into "
        "several sweeps",
    )
    stored = _stored_runs(box, frame, seed)
    runs = _Runs(box, stored)
    todo = _tasks_to_do(frame, reps, stored)
    n_batches = _compute(func, seed, todo, runs, client, batch_size, progress, timeout)
    table = runs.table(frame, reps)
    return SweepResult(
        runs=table,
        summary=_summarise(table, frame, runs.metrics),
        grid=frame,
        seed=seed,
        metrics=runs.metrics,
        computed=len(runs.fresh),
        batches=n_batches,
    )


def _check_arguments(
    func: object,
    replications: object,
    seed: object,
    client: object,
    batch_size: object,
    progress: object,
    timeout: object,
) -> tuple[int, int, int | None, bool | None, float]:
    """The checked replications, seed (a fresh one for None), batch size, progress
    flag and timeout of :func:`sweep`."""
    if not callable(func):
        raise ParameterError(
            f"func = {show(func)} is a {type(func).__name__}, not callable; pass a "
            "function func(params, rng) -> dict of metrics."
        )
    reps = check_count("replications", replications, minimum=1, maximum=MAX_RUNS)
    if seed is None:
        seed = int(np.random.SeedSequence().entropy % 2**63)
    seed = check_count("seed", seed, minimum=0)
    if batch_size is not None:
        batch_size = check_count("batch_size", batch_size, minimum=1)
    if progress is not None:
        progress = check_bool("progress", progress)
    timeout = check_real("timeout", timeout, low=0, low_open=True, high=_MAX_TIMEOUT)
    if not (client is None or isinstance(client, str) or _is_client(client)):
        raise ParameterError(
            f"client = {show(client)} is a {type(client).__name__}; pass None (a "
            "local cluster), 'serial', a scheduler address or a distributed.Client "
            "(for a cluster object, Client(cluster))."
        )
    return reps, seed, batch_size, progress, timeout


def _compute(
    func: Func,
    seed: int,
    todo: list[Task],
    runs: _Runs,
    client: Any,
    batch_size: int | None,
    progress: bool | None,
    timeout: float,
) -> int:
    """Run ``todo`` into ``runs``: one pilot run here (it checks func and times it),
    then the rest in batches; returns the number of batches."""
    if not todo:
        return 0
    start = time.perf_counter()
    runs.accept(_run_batch(func, seed, todo[:1]))
    per_run = max(time.perf_counter() - start, 1e-6)
    if len(todo) == 1:
        return 1
    return 1 + _run_rest(
        func,
        seed,
        todo[1:],
        per_run,
        client,
        batch_size,
        progress,
        runs.accept,
        timeout,
    )


def _stored_runs(
    box: SweepStore | None, frame: pd.DataFrame, seed: int
) -> pd.DataFrame:
    """The runs a store already holds for this grid and seed (none without a store)."""
    if box is None:
        return pd.DataFrame(columns=["point", "replication"])
    box.open(grid_fingerprint(frame), seed, list(frame.columns))
    return box.read()


def _tasks_to_do(frame: pd.DataFrame, reps: int, stored: pd.DataFrame) -> list[Task]:
    """(point, replication, parameters) of every run not stored yet."""
    records = [
        {k: _plain(v) for k, v in row.items()} for row in frame.to_dict("records")
    ]
    done = set(zip(stored["point"], stored["replication"], strict=True))
    return [
        (p, r, records[p])
        for p in range(len(frame))
        for r in range(reps)
        if (p, r) not in done
    ]


class _Runs:
    """The runs of one sweep call: those read from the store and those computed now,
    which :meth:`accept` checks (the same metrics every time) and stores as they come.
    """

    def __init__(self, box: SweepStore | None, stored: pd.DataFrame) -> None:
        self.box = box
        self.stored = stored
        self.fresh: list[dict[str, Any]] = []
        self.names: list[str] | None = [
            c for c in stored.columns if c not in ("point", "replication")
        ] or None

    @property
    def metrics(self) -> tuple[str, ...]:
        return tuple(self.names or ())

    def accept(self, rows: list[dict[str, Any]]) -> None:
        """Take one finished batch: check its metrics, store it, keep it."""
        for row in rows:
            keys = [k for k in row if k not in ("point", "replication")]
            if self.names is None:
                self.names = keys
            elif set(keys) != set(self.names):
                raise SweepTaskError(
                    f"func returned metrics {sorted(keys)} at grid point {row['point']}"
                    f", replication {row['replication']}, but {sorted(self.names)} "
                    "elsewhere; every run must return the same metrics."
                )
        if self.box is not None:
            first = rows[0]
            self.box.write(
                f"{first['point']:07d}-{first['replication']:05d}-{len(rows)}",
                pd.DataFrame(rows),
            )
        self.fresh.extend(rows)

    def table(self, frame: pd.DataFrame, reps: int) -> pd.DataFrame:
        """One row per run of the grid ``frame`` × ``reps``, in (point, replication)
        order, with the parameters and the metrics."""
        fresh = pd.DataFrame(self.fresh)
        runs = pd.concat(
            [self.stored, fresh] if len(self.stored) else [fresh], ignore_index=True
        )
        runs = runs[(runs["point"] < len(frame)) & (runs["replication"] < reps)]
        runs = runs.astype({"point": np.int64, "replication": np.int64})
        runs = runs.sort_values(["point", "replication"]).reset_index(drop=True)
        params = frame.rename_axis("point").reset_index()
        return params.merge(runs, on="point")[
            ["point", "replication", *frame.columns, *self.metrics]
        ]


def _run_rest(
    func: Func,
    seed: int,
    tasks: list[Task],
    per_run: float,
    client: Any,
    batch_size: int | None,
    progress: bool | None,
    accept: Callable[[list[dict[str, Any]]], None],
    timeout: float = DEFAULT_TIMEOUT,
) -> int:
    """Run the tasks in batches, serially or on Dask; returns the number of
    batches."""
    serial = isinstance(client, str) and client == "serial"
    if serial:
        batches, show_bar = _plan(tasks, per_run, 1, batch_size, progress)
        with tqdm(
            total=len(tasks), desc="sweep", unit="run", disable=not show_bar
        ) as bar:
            for batch in batches:
                accept(_run_batch(func, seed, batch))
                bar.update(len(batch))
        return len(batches)

    what = "a local cluster" if client is None else show(client)
    _check_picklable(func, tasks)
    with _dask_client(client, timeout) as dask:
        workers = _await_workers(dask, timeout, what)
        batches, show_bar = _plan(tasks, per_run, workers, batch_size, progress)
        tag = uuid.uuid4().hex[:10]
        pending: dict[str, tuple[Any, list[Task]]] = {}
        try:
            for i, batch in enumerate(batches):
                try:
                    future = dask.submit(
                        _run_batch,
                        func,
                        seed,
                        batch,
                        key=f"crmkit-sweep-{tag}-{i}",
                        pure=False,
                    )
                except Exception:  # cannot be pickled or sent
                    raise ParameterError(
                        f"func = {show(func)} or the grid values cannot be sent to "
                        "the Dask workers; define func at the top level, use only "
                        "picklable values, or pass client='serial'."
                    ) from None
                pending[future.key] = (future, batch)
            with tqdm(
                total=len(tasks), desc="sweep", unit="run", disable=not show_bar
            ) as bar:
                _collect(dask, pending, accept, bar, timeout, what)
        finally:
            if pending and dask.status == "running":
                # if the scheduler is gone there is nothing left to cancel
                with suppress(Exception):
                    dask.cancel([f for f, _ in pending.values()])
    return len(batches)


def _collect(
    dask: Any,
    pending: dict[str, tuple[Any, list[Task]]],
    accept: Callable[[list[dict[str, Any]]], None],
    bar: Any,
    timeout: float,
    what: str,
) -> None:
    """Accept batches as they finish; give up when the scheduler stops answering or
    has no workers for ``timeout`` seconds."""
    poll = min(1.0, timeout / 4)
    wake = threading.Event()  # set whenever a batch finishes, fails or is cancelled
    for future, _ in pending.values():
        future.add_done_callback(lambda _: wake.set())
    trouble_since: float | None = None
    while pending:
        wake.wait(poll)
        wake.clear()
        done = [k for k, (f, _) in pending.items() if f.status != "pending"]
        for key in done:
            future, batch = pending[key]
            if future.status == "cancelled":
                raise _unreachable(
                    what, timeout, "the scheduler went away and cancelled the tasks"
                )
            if future.status == "error":
                _raise_task_error(future, batch)
            accept(future.result())
            del pending[key]
            bar.update(len(batch))
            # stored here: let the cluster forget it, so a worker lost later does
            # not make Dask compute it again
            future.release()
        if done:
            trouble_since = None
            continue
        if dask.status in ("closing", "closed", "failed"):
            raise _unreachable(what, timeout, "the scheduler went away")
        n = _threads(dask, poll)
        if n:
            trouble_since = None
            continue
        now = time.monotonic()
        trouble_since = now if trouble_since is None else trouble_since
        if now - trouble_since >= timeout:
            reason = (
                "the scheduler lost all its workers"
                if n == 0
                else "the scheduler stopped answering"
            )
            raise _unreachable(what, timeout, reason)


def _raise_task_error(future: Any, batch: list[Task]) -> None:
    """Re-raise a failed batch as a :class:`SweepTaskError` naming its runs."""
    exc = future.exception()
    if isinstance(exc, SweepTaskError):
        raise exc
    point, replication, _ = batch[0]
    raise SweepTaskError(
        f"the batch starting at grid point {point}, replication {replication} "
        f"({len(batch)} runs) could not be run on the workers: "
        f"{type(exc).__name__}: {exc}. If a worker died, func may crash its process "
        "or use too much memory; run one point with client='serial' to see why."
    ) from exc


def _is_client(client: object) -> bool:
    try:
        from distributed import Client
    except ImportError:  # pragma: no cover - distributed is a dependency
        return False
    return isinstance(client, Client)
