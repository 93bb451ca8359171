"""A folder of Parquet files holding a sweep's finished runs, so it can be resumed."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from crmkit.errors import DataError

__all__ = ["SweepStore"]

_MANIFEST = "sweep.json"


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
    """

    folder: Path

    def open(self, fingerprint: str, seed: int, columns: list[str]) -> None:
        """Create the folder and manifest, or check an existing one matches."""
        self.folder.mkdir(parents=True, exist_ok=True)
        manifest = self.folder / _MANIFEST
        wanted = {"grid": fingerprint, "seed": int(seed), "columns": columns}
        if manifest.exists():
            found = json.loads(manifest.read_text(encoding="utf-8"))
            for key, value in wanted.items():
                if found.get(key) != value:
                    raise DataError(
                        f"{self.folder} holds a sweep with another {key} "
                        f"({found.get(key)!r}, not {value!r}); use a new folder or "
                        "delete this one to start over."
                    )
            return
        tmp = manifest.with_suffix(".tmp")
        tmp.write_text(json.dumps(wanted, indent=1), encoding="utf-8")
        os.replace(tmp, manifest)

    def parts(self) -> list[Path]:
        return sorted(self.folder.glob("part-*.parquet"))

    def read(self) -> pd.DataFrame:
        """All stored runs (``point``, ``replication`` and the metrics)."""
        parts = self.parts()
        if not parts:
            return pd.DataFrame(columns=["point", "replication"])
        frame = pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True)
        dup = frame.duplicated(["point", "replication"])
        if dup.any():
            first = frame.loc[dup, ["point", "replication"]].iloc[0].tolist()
            raise DataError(
                f"{self.folder} holds run {first} twice; the store is damaged "
                "(files copied in by hand?). Delete the folder and run again."
            )
        return frame

    def write(self, name: str, runs: pd.DataFrame) -> Path:
        """Write one finished batch atomically; returns the file."""
        path = self.folder / f"part-{name}.parquet"
        tmp = self.folder / f".part-{name}.parquet.tmp"
        runs.to_parquet(tmp, index=False)
        os.replace(tmp, path)
        return path
