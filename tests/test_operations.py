"""Operations: determinism, atomic publication under a kill, one writer, observable sources."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from pipeline.ingest.sources import fingerprint
from pipeline.resources import DeliveryResource
from pipeline.runner import MeasurementError, writer_lock
from tests.conftest import TEST_KEY, write_delivery
from tests.published import published_run
from tests.test_cli import POLIS, REGISTER, WERKGEVERS, _polis, banenafspraak

pytestmark = pytest.mark.slow  # runs the pipeline (a Dagster run) end to end

TABLES = ["meting.banen", "meting.personen", "meting.realisatie", "meting.verdeelsleutel", "audit.bijdragen",
          "audit.grootboek"]


def _export(warehouse: Path, out: Path) -> dict[str, bytes]:
    con = duckdb.connect(str(warehouse), read_only=True)
    exported = {}
    try:
        for table in TABLES:
            target = out / f"{table}.csv"
            con.execute(f"COPY (SELECT * FROM {table} ORDER BY ALL) TO '{target}' (FORMAT csv)")
            exported[table] = target.read_bytes()
    finally:
        con.close()
    return exported


def test_two_runs_over_the_same_inputs_give_byte_identical_tables(tmp_path):
    delivery, shared, _ = published_run()  # run a: the shared run of 2021 and 2022
    warehouse = tmp_path / "b" / "w.duckdb"
    result = banenafspraak("run", "--delivery", str(delivery), "--warehouse", str(warehouse),
                           "--year", "2021", "--year", "2022", "--provisional-key", "2022=0.7")
    assert result.returncode == 0, result.stderr
    exports = []
    for name, path in (("a", shared), ("b", warehouse)):
        (tmp_path / f"export-{name}").mkdir()
        exports.append(_export(path, tmp_path / f"export-{name}"))
    assert exports[0] == exports[1]
    assert all(exports[0][t] for t in TABLES)


def _cells(warehouse: Path) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute("SELECT jaar, sector, vorm, uren FROM meting.banen ORDER BY ALL").fetchall()
    finally:
        con.close()


def test_a_run_killed_midway_leaves_the_previous_file_complete(tmp_path):
    _, shared, _ = published_run()
    warehouse = tmp_path / "w.duckdb"
    shutil.copyfile(shared, warehouse)
    before = _cells(warehouse)
    changed = write_delivery(tmp_path / "levering2", [*POLIS, _polis("123456782", "100000001L01", "2", 2021, 9.0)],
                             WERKGEVERS, REGISTER)
    env = {**os.environ, "BANENAFSPRAAK_PSEUDONIEM_SLEUTEL": TEST_KEY}
    outcomes = set()
    for delay in (1.0, 3.0, 6.0):  # during start-up, ingestion, measurement (publication: test_publication.py)
        process = subprocess.Popen(
            [sys.executable, "-m", "pipeline.cli", "run", "--delivery", str(changed), "--warehouse", str(warehouse),
             "--year", "2021"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        after = _cells(warehouse)  # must open and read, whatever the moment of the kill
        assert after == before or after != before and len(after) == len(before)
        outcomes.add("oud" if after == before else "nieuw")
        if after != before:
            break
    # A complete run afterwards still works: no stale lock, no stale staging copy in the way.
    result = banenafspraak("run", "--delivery", str(changed), "--warehouse", str(warehouse), "--year", "2021")
    assert result.returncode == 0, result.stderr
    assert _cells(warehouse) != before
    assert not list(tmp_path.glob(".w.duckdb.*.tmp"))
    assert "oud" in outcomes


def test_a_second_writer_fails_clearly(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    with writer_lock(warehouse):
        with pytest.raises(MeasurementError, match="Een andere run schrijft al naar"):
            with writer_lock(warehouse):
                pass
    with writer_lock(warehouse):  # released again
        pass


def test_observable_sources_change_version_when_one_byte_changes(tmp_path):
    delivery = DeliveryResource(path=str(write_delivery(tmp_path / "levering", POLIS, WERKGEVERS, REGISTER)))

    def versions() -> dict[str, str]:
        return {extract: fingerprint(delivery, extract) for extract in ("polis", "werkgevers", "doelgroepregister")}

    first = versions()
    assert versions() == first
    polis = Path(delivery.path) / "polis" / "polis.csv"
    polis.write_bytes(polis.read_bytes().replace(b"100,0", b"100,5", 1))
    second = versions()
    assert second["polis"] != first["polis"]
    assert second["werkgevers"] == first["werkgevers"]


def test_work_schema_is_built_once_and_rebuilt_when_its_sql_changes(tmp_path):
    """Step connections skip the schema DDL when werk.schema_versie matches the SQL's hash; a
    database whose recorded version differs gets the schema (views, macros) created again."""
    from pipeline.resources import WORK_SCHEMA, WarehouseResource
    from pipeline.sqlfiles import sql_hash

    warehouse = WarehouseResource(path=str(tmp_path / "w.duckdb"))
    with warehouse.connect() as con:
        assert con.execute("SELECT versie FROM werk.schema_versie").fetchall() == [(sql_hash(WORK_SCHEMA),)]
        con.execute("DROP VIEW meting.tabel1")
    with warehouse.connect() as con:  # same version: not rebuilt, the dropped view stays away
        assert con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = 'tabel1'").fetchone() == (0,)
        con.execute("UPDATE werk.schema_versie SET versie = 'oud'")
    with warehouse.connect() as con:  # another version: rebuilt
        assert con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = 'tabel1'").fetchone() == (1,)
        assert con.execute("SELECT versie FROM werk.schema_versie").fetchall() == [(sql_hash(WORK_SCHEMA),)]


KILLED_PARENT = """
import os, signal
from pipeline.kwaliteit import werkproces

pool, warm = werkproces.new_worker()
warm.result(timeout=300)
print(next(iter(pool._processes)), flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_the_gx_worker_does_not_outlive_a_killed_run():
    """A run killed outright (kill -9) cannot stop its Great Expectations worker; the worker follows
    its parent and exits, instead of waiting for work for ever beside the next runs."""
    result = subprocess.run([sys.executable, "-c", KILLED_PARENT], capture_output=True, text=True, timeout=300)
    assert result.returncode == -signal.SIGKILL, result.stderr
    worker = int(result.stdout.split()[0])
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:  # gone, or a zombie waiting for init to reap it
            status = Path(f"/proc/{worker}/status").read_text()
        except FileNotFoundError:
            return
        if "\nState:\tZ" in status:
            return
        time.sleep(0.2)
    os.kill(worker, signal.SIGKILL)
    pytest.fail(f"het GX-werkproces {worker} leefde nog 15 s na zijn ouderproces")
