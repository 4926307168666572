"""Atomic publication of the analyst-facing warehouse file.

The published file is never written in place: a copy is updated with the year's results from the
working database and then renamed over the original (os.replace is atomic on POSIX). A run that
fails or is killed before the rename leaves the previous file complete and readable.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

from pipeline.sqlfiles import run_sql


def publish_year(work_path: Path, published_path: Path, jaar: int) -> None:
    published_path.parent.mkdir(parents=True, exist_ok=True)
    # Called under the warehouse's writer lock: any staging copy left is from a killed run.
    for stale in published_path.parent.glob(f".{published_path.name}.*.tmp"):
        stale.unlink(missing_ok=True)
    staging = published_path.with_name(f".{published_path.name}.{os.getpid()}.tmp")
    if published_path.exists():
        shutil.copyfile(published_path, staging)
    try:
        con = duckdb.connect(str(staging))
        try:
            con.execute(f"ATTACH '{_escape(work_path)}' AS werk_db (READ_ONLY)")
            con.execute("BEGIN TRANSACTION")
            run_sql(con, "publicatie/publiceren.sql", {"jaar": jaar})
            run_sql(con, "publicatie/audit.sql", {"jaar": jaar})
            run_sql(con, "publicatie/tabel1.sql")
            run_sql(con, "publicatie/views.sql")
            con.execute("COMMIT")
            con.execute("DETACH werk_db")
            con.execute("CHECKPOINT")
        finally:
            con.close()
        with open(staging, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(staging, published_path)
    finally:
        staging.unlink(missing_ok=True)


def _escape(path: Path) -> str:
    return str(path).replace("'", "''")
