"""Atomic publication of the analyst-facing warehouse file, once per run, for all its years.

The published file is never written in place. A new file beside it (the staging file) is built from
the working database (the run's years) and the published file as it is (every other year), in the
DuckDB storage format that 1.x clients read (docs/INTERFACE.md), then synced and renamed over the
original (os.replace is atomic on POSIX). Whatever interrupts a run — a failure or a kill at any
point — the published file is either exactly the old file or the complete new state of every year
of the run; a staging file left by a killed run is removed by the next publication.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb

from pipeline.sqlfiles import run_sql, sql_text

# Written so that every DuckDB client from 1.0 on can open the file (checked with the 1.x CLI).
STORAGE_VERSION = "v1.0.0"
PUBLICATION_SQL = ("publicatie/publiceren.sql", "publicatie/tabel1.sql", "publicatie/views.sql")
SCENARIO_SQL = ("publicatie/scenario.sql", "publicatie/tabel1.sql", "publicatie/views.sql")
# The points of a publication a test can interrupt (tests/test_publication.py).
POINTS = ("staging_geschreven", "staging_gesynchroniseerd", "vervangen")


def old_tables() -> list[tuple[str, str]]:
    """The (schema, table) pairs publiceren.sql and scenario.sql read from the old file."""
    return sorted(set(re.findall(r"\boud\.(\w+)\.(\w+)", sql_text("publicatie/publiceren.sql")
                                 + sql_text("publicatie/scenario.sql"))))


def staging_path(published_path: Path) -> Path:
    return published_path.with_name(f".{published_path.name}.{os.getpid()}.tmp")


def publish_run(
    work_path: Path,
    published_path: Path,
    years: Sequence[int],
    apply_comments: Callable[[duckdb.DuckDBPyConnection], object] | None = None,
    at_point: Callable[[str], None] = lambda point: None,
) -> None:
    """Publish `years` from the working database; called under the warehouse's writer lock.
    apply_comments: what puts the data dictionary on every object (default: data/woordenboek.csv)."""

    def build(con: duckdb.DuckDBPyConnection) -> None:
        run_sql(con, "publicatie/publiceren.sql", {"jaren": [int(y) for y in years]})

    _publish(work_path, published_path, build, apply_comments, at_point)


def publish_scenario(
    work_path: Path,
    published_path: Path,
    years: Sequence[int],
    regeling: str,
    run: Mapping[str, Any],
    apply_comments: Callable[[duckdb.DuckDBPyConnection], object] | None = None,
    at_point: Callable[[str], None] = lambda point: None,
) -> None:
    """Publish a scenario (METHOD R14): the published file unchanged, with the scenario's rows of
    (`regeling`, `years`) from the scenario's working database in scenario.banen and scenario.runs
    (sql/publicatie/scenario.sql). Atomic like publish_run. run: dagster_run_id, gestart, levering,
    git_commit, sql_hashes."""
    if not published_path.exists():
        raise FileNotFoundError(published_path)

    def build(con: duckdb.DuckDBPyConnection) -> None:
        run_sql(con, "publicatie/scenario.sql", {"jaren": [int(y) for y in years], "regeling": regeling, **run})

    _publish(work_path, published_path, build, apply_comments, at_point)


def _publish(
    work_path: Path,
    published_path: Path,
    build: Callable[[duckdb.DuckDBPyConnection], None],
    apply_comments: Callable[[duckdb.DuckDBPyConnection], object] | None,
    at_point: Callable[[str], None],
) -> None:
    """Build a new file with `build` (catalogs nieuw, werk_db, oud and, where it exists,
    gepubliceerd attached), add tabel1, the views and the dictionary, then sync and rename it
    over the published file."""
    if apply_comments is None:
        from pipeline.publicatie.dictionary import apply_dictionary as apply_comments
    published_path.parent.mkdir(parents=True, exist_ok=True)
    for stale in published_path.parent.glob(f".{published_path.name}.*.tmp"):
        stale.unlink(missing_ok=True)  # left by a killed run (we hold the writer lock)
    staging = staging_path(published_path)
    try:
        con = duckdb.connect()
        try:
            con.execute(f"ATTACH '{_escape(staging)}' AS nieuw (STORAGE_VERSION '{STORAGE_VERSION}')")
            con.execute(f"ATTACH '{_escape(work_path)}' AS werk_db (READ_ONLY)")
            _attach_old(con, published_path)
            con.execute("USE nieuw")
            con.execute("BEGIN TRANSACTION")
            build(con)
            run_sql(con, "publicatie/tabel1.sql")
            run_sql(con, "publicatie/views.sql")
            apply_comments(con)  # last: a recreated table or view loses its comments
            con.execute("COMMIT")
            con.execute("CHECKPOINT nieuw")
        finally:
            con.close()
        at_point("staging_geschreven")
        with open(staging, "rb") as handle:
            os.fsync(handle.fileno())
        at_point("staging_gesynchroniseerd")
        os.replace(staging, published_path)
        at_point("vervangen")
        directory = os.open(published_path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
    finally:
        staging.unlink(missing_ok=True)


def _attach_old(con: duckdb.DuckDBPyConnection, published_path: Path) -> None:
    """Catalog `oud`: a view on every table of the published file, or an empty table shaped like
    the working database's where the published file (or the table) does not exist yet."""
    con.execute("ATTACH ':memory:' AS oud")
    present: set[tuple[str, str]] = set()
    if published_path.exists():
        con.execute(f"ATTACH '{_escape(published_path)}' AS gepubliceerd (READ_ONLY)")
        present = set(con.execute(
            "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = 'gepubliceerd'").fetchall())
    for schema in sorted({schema for schema, _ in old_tables()}):
        con.execute(f"CREATE SCHEMA IF NOT EXISTS oud.{schema}")
    for schema, table in old_tables():
        if (schema, table) in present:
            con.execute(f"CREATE VIEW oud.{schema}.{table} AS SELECT * FROM gepubliceerd.{schema}.{table}")
        else:
            con.execute(f"CREATE TABLE oud.{schema}.{table} AS SELECT * FROM werk_db.{schema}.{table} LIMIT 0")


def _escape(path: Path) -> str:
    return str(path).replace("'", "''")
