"""A small published analyst file, built once per test process, for the dictionary and export tests.

It is made the way a user makes one: a tiny hand-made delivery (the one of tests/test_cli.py's
`measured` fixture uses this run too) measured
by `banenafspraak run` in a subprocess, so the file holds every table and view that publication
writes today. 2022 is measured with a provisional key, so the file also holds provisional rows and
a key share of 1 − 0.7.
"""

from __future__ import annotations

import atexit
import fcntl
import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.conftest import BSN, TEST_KEY, write_delivery

WERKGEVERS = [
    dict(loonheffingennummer="100000001L01", naam="Markt BV", geldig_vanaf="2000-01-01", sector_risicogroep=10,
         overheidswerkgever=False, uren_sectorfonds_aandeel=0.0, sw_bedrijf=False, arbeidsmarktregio="AMR01"),
    dict(loonheffingennummer="100000002L01", naam="Gemeente", geldig_vanaf="2000-01-01", sector_risicogroep=63,
         overheidswerkgever=True, uren_sectorfonds_aandeel=0.1, overheidssector="Gemeenten", sw_bedrijf=False,
         arbeidsmarktregio="AMR02"),
    dict(loonheffingennummer="100000003L01", naam="Uitzend BV", geldig_vanaf="2000-01-01", sector_risicogroep=52,
         overheidswerkgever=False, uren_sectorfonds_aandeel=0.0, sw_bedrijf=False, arbeidsmarktregio="AMR03"),
]
REGISTER = [
    dict(bsn=BSN[0], grondslag="WAJONG", datum_ingang="2010-01-01", woonregio="AMR01"),
    dict(bsn=BSN[1], grondslag="IB", datum_ingang="2016-01-01", woonregio="AMR02"),
    dict(bsn=BSN[2], grondslag="IB", datum_ingang="2010-01-01", woonregio="AMR03"),
]


def _polis(bsn, lhn, ikv, year, hours, delivered=None):
    return dict(bsn=bsn, loonheffingennummer=lhn, ikv_id=ikv, tijdvak_begin=f"{year}-12-01",
                tijdvak_einde=f"{year}-12-31", verloonde_uren=hours, code_aard_arbeidsverhouding=1,
                aanleverdatum=delivered or f"{year + 1}-01-15", volgnummer=1)


POLIS = [
    _polis(BSN[0], "100000001L01", "1", 2012, 100.0),
    _polis(BSN[0], "100000001L01", "1", 2021, 120.0),
    _polis(BSN[1], "100000002L01", "7", 2021, 80.0),
    _polis(BSN[2], "100000003L01", "3", 2012, 50.0),
    _polis(BSN[2], "100000003L01", "3", 2021, 60.0),
    _polis(BSN[2], "100000003L01", "3", 2022, 70.0),
    _polis("123456789", "100000001L01", "9", 2021, 40.0),  # fails the elfproef: one quarantined row
    *[_polis(BSN[3], "100000001L01", f"x{i}", 2021, 30.0) for i in range(150)],  # outside the doelgroep
]


def banenafspraak(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """The `banenafspraak` command in a subprocess (its environment changes stay there)."""
    environment = {**os.environ, "BANENAFSPRAAK_PSEUDONIEM_SLEUTEL": TEST_KEY, "DAGSTER_DISABLE_TELEMETRY": "1",
                   **(env or {})}
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], capture_output=True, text=True,
                          env=environment, timeout=900)


def _shared_root() -> tuple[Path, bool]:
    """The folder of the shared run: one per test process, or, under pytest-xdist, one for all
    workers of the test run, inside the run's base temporary folder (pytest removes old ones;
    tests/conftest.py names it); True when this process owns it and removes it at exit."""
    shared = os.environ.get("BANENAFSPRAAK_TEST_GEDEELD")
    if not shared:
        return Path(tempfile.mkdtemp(prefix="banenafspraak-gepubliceerd-")), True
    root = Path(shared) / "gepubliceerd"
    root.mkdir(parents=True, exist_ok=True)
    return root, False


@functools.cache
def published_run() -> tuple[Path, Path, subprocess.CompletedProcess]:
    """(delivery, published file, the command's result), built once per test run (the first
    xdist worker that needs it builds it under a lock, the others wait and reuse it); copy the
    file before writing to it. Shared by the CLI, publication, dictionary and export tests."""
    root, owned = _shared_root()
    if owned:
        atexit.register(shutil.rmtree, root, ignore_errors=True)
    delivery = root / "levering"
    warehouse = root / "out" / "banenafspraak.duckdb"
    done = root / "resultaat.json"
    with (root / ".lock").open("a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            write_delivery(delivery, POLIS, WERKGEVERS, REGISTER)
            result = banenafspraak("run", "--delivery", str(delivery), "--warehouse", str(warehouse),
                                   "--year", "2021", "--year", "2022", "--provisional-key", "2022=0.7")
            if result.returncode == 0:  # the working database as the run left it (see published_work)
                shutil.copyfile(warehouse.with_name(warehouse.name + ".werk") / "werkruimte.duckdb",
                                root / "werkruimte-na-de-run.duckdb")
            done.write_text(json.dumps({"args": result.args, "returncode": result.returncode,
                                        "stdout": result.stdout, "stderr": result.stderr}))
    recorded = json.loads(done.read_text())
    result = subprocess.CompletedProcess(recorded["args"], recorded["returncode"], recorded["stdout"],
                                         recorded["stderr"])
    assert result.returncode == 0, result.stderr
    return delivery, warehouse, result


def published_work() -> Path:
    """A copy of the shared run's working database as that run left it. Tests run commands against
    the shared warehouse (a failing run, a replay with another key) and those may touch its live
    working database; this copy no command ever opens for writing (copy it before writing to it)."""
    return published_run()[1].parent.parent / "werkruimte-na-de-run.duckdb"


def published_warehouse() -> Path:
    """The path of the published file (build once; copy it before writing to it)."""
    return published_run()[1]
