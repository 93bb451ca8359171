"""A folder of Parquet files holding a sweep's finished runs, so it can be resumed."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from crmkit._frozen import set_fields
from crmkit._validate import check_count, check_path, show
from crmkit.errors import DataError, ParameterError

__all__ = ["SweepStore"]

_MANIFEST = "sweep.json"
#: what the manifest and every part file carry, so that nothing else is read back
_FORMAT = "crmkit.experiments.SweepStore"
_VERSION = 1
#: the key of the marker in each Parquet file's key-value metadata
_MARKER_KEY = b"crmkit.sweep"
_PART = re.compile(r"part-[A-Za-z0-9_-]{1,100}\.parquet")
#: temporary files this store writes (left behind only by a crash mid-write)
_OWN_TEMPORARY = re.compile(r"(\.part-[A-Za-z0-9_-]{1,100}\.parquet\.tmp|sweep\.tmp)")
#: files and folders the operating system or Jupyter put into any folder
_HARMLESS = frozenset({".DS_Store", "Thumbs.db", "desktop.ini", ".ipynb_checkpoints"})
_KEYS = ("point", "replication")


@dataclass(frozen=True)
class SweepStore:
    """Finished runs of one sweep in ``folder``: a manifest and one Parquet file per
    batch.

    The manifest names the grid (by fingerprint) and the seed; a folder made for another
    grid or seed is refused rather than mixed in. Each batch is written to a temporary
    file and renamed into place (atomic on POSIX and Windows), so a crash leaves either
    the whole batch or nothing. Runs are keyed by ``(point, replication)``; the values
    depend only on that key and the seed, so a resumed sweep — or one given more
    replications — computes only the keys not yet on disk.

    Parquet (through pyarrow) keeps column types, reads fast and is what pandas, R
    (arrow) and DuckDB all read.

    Only what this class wrote is read back. The manifest (JSON) and every part file
    (in its Parquet metadata) carry a ``crmkit.experiments.SweepStore`` marker with the
    grid fingerprint and seed, and a part file may hold only the integer columns
    ``point`` and ``replication`` and float metrics. A folder holding anything else
    — another file, a pickle, a Parquet file without the marker, a subfolder — is
    refused with a :class:`~crmkit.errors.DataError` naming it (only ``.DS_Store``,
    ``Thumbs.db``, ``desktop.ini`` and ``.ipynb_checkpoints`` are tolerated). Nothing
    is ever unpickled or evaluated: the manifest is read with :func:`json.loads`, the
    parts as plain Arrow tables.

    Parameters
    ----------
    folder : str or path-like
        The store's folder: new, empty, or made by an earlier run of the same sweep.

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> store = SweepStore(folder)
    >>> store.open("0123456789abcdef", seed=1, columns=["load"])
    >>> _ = store.write("0", pd.DataFrame({"point": [0], "replication": [0],
    ...                                    "wait": [0.5]}))
    >>> store.read()["wait"].tolist()
    [0.5]
    """

    folder: Path
    #: the manifest once :meth:`open` has made or checked it (empty before)
    _manifest: dict[str, Any] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        folder = check_path(
            "store", self.folder, example="store='sweep-results'", error=ParameterError
        )
        set_fields(self, folder=folder)

    # -- the manifest ------------------------------------------------------------

    def open(self, fingerprint: str, seed: int, columns: list[str]) -> None:
        """Create the folder and manifest, or check an existing one matches.

        Raises
        ------
        DataError
            The folder is a file, cannot be created, holds files this store did not
            write, or was made for another grid, seed or parameters.
        """
        if not isinstance(fingerprint, str) or not re.fullmatch(
            r"[0-9a-f]{16}", fingerprint
        ):
            raise ParameterError(
                f"fingerprint = {show(fingerprint)} is not a grid fingerprint; pass "
                "grid_fingerprint(expand_grid(grid))."
            )
        seed = check_count("seed", seed, minimum=0)
        if not isinstance(columns, list | tuple) or not all(
            isinstance(c, str) for c in columns
        ):
            raise ParameterError(
                f"columns = {show(columns)} is not a list of parameter names; pass "
                "list(expand_grid(grid).columns)."
            )
        wanted = {
            "format": _FORMAT,
            "version": _VERSION,
            "grid": fingerprint,
            "seed": seed,
            "columns": list(columns),
        }
        if self.folder.exists() and not self.folder.is_dir():
            raise DataError(
                f"store = {str(self.folder)!r} is a file, not a folder; pass the path "
                "of a new or empty folder."
            )
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DataError(
                f"store = {str(self.folder)!r} cannot be created "
                f"({exc.strerror or exc}); choose a folder you may write to."
            ) from None
        manifest = self.folder / _MANIFEST
        if manifest.exists():
            found = self._load_manifest()
            for key in ("grid", "seed", "columns"):
                if found.get(key) != wanted[key]:
                    raise DataError(
                        f"store = {str(self.folder)!r} holds a sweep with another "
                        f"{key} ({show(found.get(key))}, not {show(wanted[key])}); "
                        "use a new folder or delete this one to start over."
                    )
            self._check_contents()
            self._manifest.update(found)
            return
        others = self._unexpected()
        if others:
            raise DataError(
                f"store = {str(self.folder)!r} already holds {_listed(others)} and is "
                "not a sweep store (no sweep.json); pass a new or empty folder."
            )
        tmp = self.folder / "sweep.tmp"
        tmp.write_text(json.dumps(wanted, indent=1), encoding="utf-8")
        os.replace(tmp, manifest)
        self._manifest.update(wanted)

    def _load_manifest(self) -> dict[str, Any]:
        manifest = self.folder / _MANIFEST
        where = f"store = {str(self.folder)!r}"
        if not manifest.is_file():
            raise DataError(
                f"{where} has no sweep.json, so it is not a sweep store; call open() "
                "first or pass the folder of an earlier sweep."
            )
        try:
            found = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            found = None
        if (
            not isinstance(found, dict)
            or found.get("format") != _FORMAT
            or found.get("version") != _VERSION
        ):
            raise DataError(
                f"{where} has a sweep.json that this version of crmkit did not write; "
                "use a new folder, or delete this one to start over."
            )
        return found

    # -- what the folder holds ----------------------------------------------------

    def _unexpected(self) -> list[str]:
        """Names in the folder that neither this store nor the system put there."""
        out = []
        for entry in sorted(self.folder.iterdir()):
            name = entry.name
            if name in _HARMLESS or _OWN_TEMPORARY.fullmatch(name):
                continue
            if entry.is_file() and (name == _MANIFEST or _PART.fullmatch(name)):
                continue
            out.append(name + ("/" if entry.is_dir() else ""))
        return out

    def _check_contents(self) -> None:
        others = self._unexpected()
        if others:
            raise DataError(
                f"store = {str(self.folder)!r} holds {_listed(others)}, which this "
                "sweep store did not write; remove them, or use a new folder."
            )

    def parts(self) -> list[Path]:
        """The part files, in name order."""
        return sorted(
            p
            for p in self.folder.glob("part-*.parquet")
            if p.is_file() and _PART.fullmatch(p.name)
        )

    # -- reading and writing runs --------------------------------------------------

    def read(self) -> pd.DataFrame:
        """All stored runs (``point``, ``replication`` and the metrics).

        Raises
        ------
        DataError
            The folder holds a file this store did not write, a part file without
            this store's marker (or for another grid or seed), with other columns or
            types, with a run twice, or parts with different metrics.
        """
        manifest = self._manifest or self._load_manifest()
        self._check_contents()
        frames = []
        metrics: list[str] | None = None
        for path in self.parts():
            frame = _read_part(path, manifest)
            names = sorted(c for c in frame.columns if c not in _KEYS)
            if metrics is None:
                metrics = names
            elif names != metrics:
                raise DataError(
                    f"store = {str(self.folder)!r} holds runs with the metrics "
                    f"{metrics} and others with {names} (in {path.name}); func "
                    "changed between runs: delete the folder and run again."
                )
            frames.append(frame)
        if not frames:
            return pd.DataFrame({k: pd.Series(dtype="int64") for k in _KEYS})
        frame = pd.concat(frames, ignore_index=True)
        dup = frame.duplicated(list(_KEYS))
        if dup.any():
            first = frame.loc[dup, list(_KEYS)].iloc[0].tolist()
            raise DataError(
                f"store = {str(self.folder)!r} holds run {first} twice; the store is "
                "damaged (files copied in by hand?). Delete the folder and run again."
            )
        return frame

    def write(self, name: str, runs: pd.DataFrame) -> Path:
        """Write one finished batch atomically; returns the file.

        ``name`` (letters, digits, ``-`` and ``_``) names the file
        ``part-<name>.parquet``; ``runs`` holds ``point``, ``replication`` (whole
        numbers >= 0) and numeric metrics. The caller's frame is not changed.
        """
        if not isinstance(name, str) or not _PART.fullmatch(f"part-{name}.parquet"):
            raise ParameterError(
                f"name = {show(name)} is not a part name; use 1-100 letters, digits, "
                "'-' or '_'."
            )
        manifest = self._manifest
        if not manifest:
            raise ParameterError(
                f"store = {str(self.folder)!r} is not open; call open(fingerprint, "
                "seed, columns) before write()."
            )
        table = _as_table(runs)
        marker = {
            "format": _FORMAT,
            "version": _VERSION,
            "grid": manifest["grid"],
            "seed": manifest["seed"],
        }
        meta = dict(table.schema.metadata or {})
        meta[_MARKER_KEY] = json.dumps(marker).encode()
        table = table.replace_schema_metadata(meta)
        path = self.folder / f"part-{name}.parquet"
        tmp = self.folder / f".part-{name}.parquet.tmp"
        pq.write_table(table, tmp)
        os.replace(tmp, path)
        return path


def _listed(names: list[str]) -> str:
    shown = ", ".join(repr(n) for n in names[:5])
    return shown + (f" and {len(names) - 5} more" if len(names) > 5 else "")


def _as_table(runs: object) -> pa.Table:
    """``runs`` as an Arrow table of int64 keys and float64 metrics (a new object)."""
    if not isinstance(runs, pd.DataFrame):
        raise ParameterError(
            f"runs = {show(runs)} is a {type(runs).__name__}, not a DataFrame; pass "
            "a DataFrame with point, replication and metric columns."
        )
    missing = [k for k in _KEYS if k not in runs.columns]
    bad_names = [c for c in runs.columns if not isinstance(c, str)]
    if missing or bad_names or runs.columns.duplicated().any():
        raise ParameterError(
            f"runs has the columns {list(runs.columns)[:10]}; pass a DataFrame with "
            "text column names, including point and replication, each once."
        )
    columns = {}
    for col in runs.columns:
        values = runs[col]
        if values.dtype.kind not in "iuf" or isinstance(values.dtype, pd.BooleanDtype):
            raise ParameterError(
                f"runs[{col!r}] has dtype {values.dtype}, not numbers; convert it to "
                "numbers first."
            )
        if col in _KEYS:
            if values.isna().any() or (values < 0).any() or (values % 1 != 0).any():
                raise ParameterError(
                    f"runs[{col!r}] holds values that are not whole numbers >= 0; "
                    "pass the run's grid point and replication."
                )
            columns[col] = pa.array(values.to_numpy(), type=pa.int64())
        else:
            columns[col] = pa.array(values.to_numpy(), type=pa.float64())
    return pa.table(columns)


def _parquet(read: Callable[[Path], Any], path: Path, damaged: str) -> Any:
    """``read(path)`` (Parquet metadata or table); a DataError ``damaged`` if the file
    cannot be read as Parquet."""
    try:
        return read(path)
    except (OSError, pa.ArrowException):
        raise DataError(damaged) from None


def _read_part(path: Path, manifest: dict[str, Any]) -> pd.DataFrame:
    """One part file, after checking it carries this store's marker and plain
    columns."""
    where = f"{path.name} in {str(path.parent)!r}"
    damaged = (
        f"{where} is not a part file written by crmkit's sweep store; remove it, or "
        "delete the folder and run again."
    )
    meta = _parquet(pq.read_metadata, path, damaged)
    raw = (meta.metadata or {}).get(_MARKER_KEY)
    try:
        marker = json.loads(raw) if raw is not None else None
    except (UnicodeDecodeError, json.JSONDecodeError):
        marker = None
    if (
        not isinstance(marker, dict)
        or marker.get("format") != _FORMAT
        or marker.get("version") != _VERSION
    ):
        raise DataError(damaged)
    for key in ("grid", "seed"):
        if marker.get(key) != manifest.get(key):
            raise DataError(
                f"{where} belongs to a sweep with another {key} "
                f"({show(marker.get(key))}, not {show(manifest.get(key))}); remove "
                "it, or delete the folder and run again."
            )
    table = _parquet(pq.read_table, path, damaged)
    names = table.column_names
    plain = all(
        pa.types.is_int64(f.type) if f.name in _KEYS else pa.types.is_float64(f.type)
        for f in table.schema
    )
    if not plain or any(k not in names for k in _KEYS) or len(set(names)) != len(names):
        raise DataError(damaged)
    frame = pd.DataFrame({name: table.column(name).to_numpy() for name in names})
    if (frame[list(_KEYS)] < 0).any().any():
        raise DataError(damaged)
    return frame
