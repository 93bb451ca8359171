"""Parameter sweeps with replications on Dask: reproducible, batched, restartable."""

from __future__ import annotations

import math
import numbers
import os
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from tqdm.auto import tqdm

from crmkit._validate import check_count
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
    sequence = np.random.SeedSequence(entropy=seed, spawn_key=(point, replication))
    return np.random.default_rng(sequence)


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
        if metric not in self.metrics:
            raise ParameterError(
                f"unknown metric {metric!r}; this sweep has {list(self.metrics)}."
            )
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
    tq = stats.t.ppf(0.975, np.maximum(out["replications"] - 1, 1))
    half = np.where(
        out["replications"] > 1,
        tq * out["sd"] / np.sqrt(out["replications"]),
        np.nan,
    )
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
    """A process-based ``distributed.LocalCluster`` without a dashboard.

    One thread per worker (runs are CPU-bound Python). The scheduler's small HTTP
    server takes any free port rather than 8787, so two clusters at once start
    without a warning.
    """
    from distributed import LocalCluster

    return LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        scheduler_kwargs={"dashboard_address": ":0"},
    )


@contextmanager
def _dask_client(client: Any) -> Iterator[Any]:
    """The Dask client to use: the user's, one for an address, or a local cluster."""
    from distributed import Client

    if isinstance(client, Client):
        yield client
        return
    if isinstance(client, str):
        with Client(client) as own:
            yield own
        return
    if client is not None:
        raise ParameterError(
            "client must be None (a local cluster), 'serial', a scheduler address or a "
            f"distributed.Client, not {type(client).__name__}."
        )
    workers = max(1, min(os.cpu_count() or 1, 4))
    with (
        _local_cluster(workers) as cluster,
        Client(cluster) as own,
    ):
        yield own


def _batches(tasks: list[Task], size: int) -> list[list[Task]]:
    return [tasks[i : i + size] for i in range(0, len(tasks), size)]


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
        Runs per grid point (>= 1; intervals need >= 2).
    seed : int or None
        Every run's stream is keyed by ``(seed, point, replication)``, so results are
        identical whatever runs them — serially, on one worker or on many — and in
        whatever order tasks finish. ``None`` draws a fresh seed and records it in the
        result.
    client : None, "serial", str or distributed.Client
        ``None`` starts a local Dask cluster (one single-threaded worker process per
        core, up to 4) for this call; ``"serial"`` runs everything here without Dask;
        any other string is a scheduler address (``"tcp://host:8786"``); a ``Client``
        is used as it is (and not closed).
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

    Returns
    -------
    SweepResult

    Raises
    ------
    SweepTaskError
        ``func`` failed or returned something other than a dict of numbers; the message
        names the grid point and replication. Batches finished before stay in
        ``store``.

    Examples
    --------
    >>> def coin(params, rng):
    ...     return {"heads": rng.binomial(params["n"], params["p"]) / params["n"]}
    >>> res = sweep(coin, {"n": [100], "p": [0.2, 0.5]}, replications=5, seed=1,
    ...             client="serial")
    >>> res.table("heads")["mean"].round(2).tolist()  # 5 runs each: means near p
    [0.24, 0.49]
    """
    if not callable(func):
        raise ParameterError("func must be callable: func(params, rng) -> dict.")
    reps = check_count("replications", replications, minimum=1)
    if seed is None:
        seed = int(np.random.SeedSequence().entropy % 2**63)
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ParameterError(f"seed must be a non-negative int or None, got {seed!r}.")
    seed = int(seed)
    if batch_size is not None:
        batch_size = check_count("batch_size", batch_size, minimum=1)
    frame = expand_grid(grid)
    records = [
        {k: _plain(v) for k, v in row.items()} for row in frame.to_dict("records")
    ]

    box = None if store is None else SweepStore(Path(store))
    stored = pd.DataFrame(columns=["point", "replication"])
    if box is not None:
        box.open(grid_fingerprint(frame), seed, list(frame.columns))
        stored = box.read()
    done = set(zip(stored["point"], stored["replication"], strict=True))
    todo: list[Task] = [
        (p, r, records[p])
        for p in range(len(frame))
        for r in range(reps)
        if (p, r) not in done
    ]
    names: list[str] | None = [
        c for c in stored.columns if c not in ("point", "replication")
    ] or None
    fresh: list[dict[str, Any]] = []

    def accept(rows: list[dict[str, Any]]) -> None:
        nonlocal names
        for row in rows:
            keys = [k for k in row if k not in ("point", "replication")]
            if names is None:
                names = keys
            elif set(keys) != set(names):
                raise SweepTaskError(
                    f"func returned metrics {sorted(keys)} at grid point {row['point']}"
                    f", replication {row['replication']}, but {sorted(names)} "
                    "elsewhere; every run must return the same metrics."
                )
        if box is not None:
            first = rows[0]
            box.write(
                f"{first['point']:07d}-{first['replication']:05d}-{len(rows)}",
                pd.DataFrame(rows),
            )
        fresh.extend(rows)

    n_batches = 0
    if todo:
        start = time.perf_counter()
        accept(_run_batch(func, seed, todo[:1]))  # the pilot: checks func, times it
        per_run = max(time.perf_counter() - start, 1e-6)
        n_batches = 1
        rest = todo[1:]
        if rest:
            n_batches += _run_rest(
                func, seed, rest, per_run, client, batch_size, progress, accept
            )

    runs = pd.concat(
        [stored, pd.DataFrame(fresh)] if len(stored) else [pd.DataFrame(fresh)],
        ignore_index=True,
    )
    runs = runs[(runs["point"] < len(frame)) & (runs["replication"] < reps)]
    runs = runs.astype({"point": np.int64, "replication": np.int64})
    runs = runs.sort_values(["point", "replication"]).reset_index(drop=True)
    metrics = tuple(names or ())
    params = frame.rename_axis("point").reset_index()
    runs = params.merge(runs, on="point")[
        ["point", "replication", *frame.columns, *metrics]
    ]
    return SweepResult(
        runs=runs,
        summary=_summarise(runs, frame, metrics),
        grid=frame,
        seed=seed,
        metrics=metrics,
        computed=len(fresh),
        batches=n_batches,
    )


def _run_rest(
    func: Func,
    seed: int,
    tasks: list[Task],
    per_run: float,
    client: Any,
    batch_size: int | None,
    progress: bool | None,
    accept: Callable[[list[dict[str, Any]]], None],
) -> int:
    """Run the tasks in batches, serially or on Dask; returns the number of
    batches."""
    serial = isinstance(client, str) and client == "serial"

    def plan(workers: int) -> tuple[list[list[Task]], bool]:
        by_time = max(1, int(_BATCH_SECONDS / per_run))
        by_balance = max(1, math.ceil(len(tasks) / (_BATCHES_PER_WORKER * workers)))
        size = batch_size or min(by_time, by_balance)
        show = (
            progress
            if progress is not None
            else per_run * len(tasks) / workers > _PROGRESS_SECONDS
        )
        return _batches(tasks, size), bool(show)

    if serial:
        batches, show = plan(1)
        with tqdm(total=len(tasks), desc="sweep", unit="run", disable=not show) as bar:
            for batch in batches:
                accept(_run_batch(func, seed, batch))
                bar.update(len(batch))
        return len(batches)

    from distributed import as_completed

    with _dask_client(client) as dask:
        workers = max(1, sum(dask.nthreads().values()))
        batches, show = plan(workers)
        tag = uuid.uuid4().hex[:10]
        pending = {}
        for i, batch in enumerate(batches):
            future = dask.submit(
                _run_batch, func, seed, batch, key=f"crmkit-sweep-{tag}-{i}", pure=False
            )
            pending[future.key] = (future, len(batch))
        try:
            with tqdm(
                total=len(tasks), desc="sweep", unit="run", disable=not show
            ) as bar:
                running = as_completed(
                    [f for f, _ in pending.values()], with_results=True
                )
                for future, rows in running:
                    accept(rows)
                    bar.update(pending.pop(future.key)[1])
                    # stored here: let the cluster forget it, so a worker lost later
                    # does not make Dask compute it again
                    future.release()
        finally:
            dask.cancel([f for f, _ in pending.values()])
    return len(batches)
