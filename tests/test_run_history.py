"""Dagster's SQLite run history is written without an fsync per event (pipeline/run_history.py),
unless BANENAFSPRAAK_DAGSTER_FSYNC=1 asks for SQLite's default."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

PROBE = textwrap.dedent("""
    import sys
    from pathlib import Path
    from pipeline.runner import open_instance

    with open_instance(Path(sys.argv[1])) as instance:
        for connection in (instance.run_storage.connect(), instance.event_log_storage.index_connection()):
            with connection as conn:
                print(conn.exec_driver_sql("PRAGMA synchronous").scalar())
""")


def _synchronous(tmp_path, **env) -> list[str]:
    result = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path / "w.duckdb")], capture_output=True,
                            text=True, env={**os.environ, **env}, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_the_run_history_of_a_run_is_written_without_fsync(tmp_path):
    assert _synchronous(tmp_path) == ["0", "0"]  # OFF, for the run and the event log storage


def test_fsync_can_be_asked_for(tmp_path):
    assert _synchronous(tmp_path, BANENAFSPRAAK_DAGSTER_FSYNC="1") == ["2", "2"]  # SQLite's default, FULL


ENGINES = textwrap.dedent("""
    import sys
    from pathlib import Path
    from pipeline.runner import open_instance

    with open_instance(Path(sys.argv[1])) as instance:
        engines = []
        for _ in range(2):
            with instance.event_log_storage.run_connection("r1") as conn:
                engines.append(conn.engine)
            with instance.run_storage.connect() as conn:
                engines.append(conn.engine)
        print(engines[0] is engines[2], engines[1] is engines[3], engines[0] is engines[1])
""")


def test_dagster_storage_reuses_one_engine_per_sqlite_file(tmp_path):
    result = subprocess.run([sys.executable, "-c", ENGINES, str(tmp_path / "w.duckdb")], capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "False"]  # same file: same engine; two files: two
