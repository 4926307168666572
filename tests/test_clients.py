"""The analyst file opens in the DuckDB clients analysts have: a 1.x client (the DuckDB 1.5.6 CLI
from PyPI, which reads storage versions 64–68 only) reads its tables, views and comments."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import duckdb
import pytest

from tests.published import published_warehouse

pytestmark = pytest.mark.slow  # reads the shared published run (tests/published.py)


def _cli_1x() -> Path:
    import duckdb_cli

    binary = Path(duckdb_cli.__file__).with_name("duckdb")
    assert binary.is_file(), "duckdb-cli (test extra) ships its binary"
    return binary


def _query(sql: str) -> list[str]:
    result = subprocess.run([str(_cli_1x()), "-readonly", "-csv", "-noheader", str(published_warehouse()), "-c", sql],
                            capture_output=True, text=True, timeout=120, env={**os.environ, "HOME": "/tmp"})
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()


def test_the_client_is_a_1x_client():
    [version] = _query("SELECT version()")
    assert version.startswith("v1."), version


def test_a_1x_client_reads_every_table_and_view_as_the_current_client_does():
    con = duckdb.connect(str(published_warehouse()), read_only=True)
    try:
        objects = con.execute(
            "SELECT schema_name || '.' || table_name FROM duckdb_tables() WHERE database_name = current_database() "
            "UNION ALL SELECT schema_name || '.' || view_name FROM duckdb_views() "
            "WHERE NOT internal AND database_name = current_database() ORDER BY 1").fetchall()
        counts = {name: con.execute(f"SELECT count(*) FROM {name}").fetchone()[0] for (name,) in objects}
    finally:
        con.close()
    assert "meting.banen" in counts and "meting.tabel1" in counts
    sql = " UNION ALL ".join(f"SELECT '{name}', count(*) FROM {name}" for name in counts)
    got = dict(line.split(",") for line in _query(sql))
    assert {k: int(v) for k, v in got.items()} == counts


def test_a_1x_client_sees_the_comments():
    [comment] = _query("SELECT comment FROM duckdb_tables() WHERE schema_name = 'meting' AND table_name = 'banen'")
    assert comment and "banen" in comment.lower()
