"""Where the project's own files live (SQL, reference data), independent of the working directory,
and DuckDB's limits where the environment sets none."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(os.environ.get("BANENAFSPRAAK_ROOT", Path(__file__).resolve().parents[1]))
SQL_DIR = PROJECT_ROOT / "sql"
REFERENCE_DIR = PROJECT_ROOT / "data" / "reference"
DEMO_DATA_DIR = PROJECT_ROOT / "data" / "demo"

# DuckDB's limits where the environment sets none (BANENAFSPRAAK_DUCKDB_MEMORY_LIMIT / _THREADS).
# 6 GB for DuckDB keeps the whole process (Python, Dagster, DuckDB's own unmanaged allocations,
# ~1.2 GiB at national scale) within 8 GiB: with 8GB, `bench --scale 1.0` peaked at 8.68 GiB.
DUCKDB_MEMORY_LIMIT = "6GB"
DUCKDB_THREADS = 2


def duckdb_limits(temp_directory: Path) -> dict[str, str]:
    """DuckDB's memory limit, threads and spill folder: the environment's, else the defaults above
    (the pipeline's WarehouseResource and the national generator and floor both use this)."""
    env = os.environ.get
    return {
        "memory_limit": env("BANENAFSPRAAK_DUCKDB_MEMORY_LIMIT") or DUCKDB_MEMORY_LIMIT,
        "threads": env("BANENAFSPRAAK_DUCKDB_THREADS") or str(DUCKDB_THREADS),
        "temp_directory": env("BANENAFSPRAAK_DUCKDB_TEMP_DIRECTORY") or str(temp_directory),
    }


def file_sha256(path: Path) -> str:
    """The sha256 of a file's bytes, read in blocks (input fingerprints, export hashes)."""
    import hashlib

    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def unwritable(folder: Path) -> OSError | None:
    """Why new files cannot be made in `folder` (created when missing), or None when they can."""
    import tempfile

    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".banenafspraak-schrijftest-"):
            pass
    except OSError as exc:
        return exc
    return None
