"""The corpus of bad deliveries (tests/corpus, one folder per failure class): each gives exactly
the expected outcome — which rows, which rule — or stops with a message naming the file and the
problem, leaving the previously published warehouse byte for byte as it was."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest
from dagster import DagsterInstance

from tests.conftest import TEST_KEY
from tests.test_cli import banenafspraak

pytestmark = pytest.mark.slow  # runs the pipeline (a Dagster run) end to end

CORPUS = Path(__file__).resolve().parent / "corpus"
CASES = sorted(p.name for p in CORPUS.iterdir() if (p / "verwacht.json").exists())
FILE_ERRORS = [c for c in CASES if "fout" in json.loads((CORPUS / c / "verwacht.json").read_text())]
ROW_CASES = [c for c in CASES if c not in FILE_ERRORS]


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """A warehouse published from the good delivery."""
    warehouse = tmp_path_factory.mktemp("goed") / "w.duckdb"
    result = banenafspraak("run", "--delivery", str(CORPUS / "goed"), "--warehouse", str(warehouse), "--year", "2021")
    assert result.returncode == 0, result.stderr
    return warehouse


def test_every_failure_class_is_in_the_corpus():
    assert len(FILE_ERRORS) >= 8 and len(ROW_CASES) >= 15


@pytest.mark.parametrize("case", FILE_ERRORS)
def test_a_bad_file_stops_the_run_and_leaves_the_warehouse_as_it_was(case, published, tmp_path):
    expected = json.loads((CORPUS / case / "verwacht.json").read_text())
    warehouse = tmp_path / "w.duckdb"
    shutil.copyfile(published, warehouse)
    before = warehouse.read_bytes()
    result = banenafspraak("run", "--delivery", str(CORPUS / case), "--warehouse", str(warehouse), "--year", "2021")
    assert result.returncode == 1
    for fragment in expected["fout"]:
        assert fragment in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1  # one paragraph
    assert not re.search(r"(?<![0-9A-Za-z])[0-9]{9}(?![0-9A-Za-z])", result.stderr)  # never a BSN (9 digits)
    assert warehouse.read_bytes() == before


@pytest.mark.parametrize("case", ROW_CASES)
def test_bad_rows_go_to_the_quarantine_with_their_rule(case, tmp_path, monkeypatch):
    """Row rules through the ingestion assets and their blocking checks (in process, no publication)."""
    expected = json.loads((CORPUS / case / "verwacht.json").read_text())
    warehouse = tmp_path / "w.duckdb"
    monkeypatch.setenv("BANENAFSPRAAK_PSEUDONIEM_SLEUTEL", TEST_KEY)
    monkeypatch.setenv("BANENAFSPRAAK_DELIVERY", str(CORPUS / case))
    monkeypatch.setenv("BANENAFSPRAAK_WAREHOUSE", str(warehouse))
    from pipeline.definitions import defs
    from pipeline.ingest.assets import ASSETS

    result = defs.resolve_job_def("jaarmeting").execute_in_process(
        partition_key="2021", asset_selection=[key for a in ASSETS for key in a.keys], raise_on_error=False,
        instance=DagsterInstance.ephemeral())
    assert result.success
    con = duckdb.connect(str(warehouse.with_name("w.duckdb.werk") / "werkruimte.duckdb"), read_only=True)
    got = sorted(list(r) for r in con.execute(
        "SELECT bron_bestand, regelnummer, regel, kolom FROM kwaliteit.quarantaine").fetchall())
    assert got == sorted(expected["quarantaine"])
    # every file read as itself: its own rows, no more and no less
    read = dict(con.execute("SELECT bron_bestand, rijen_gelezen FROM kwaliteit.bestanden").fetchall())
    for bron, rows in expected.get("rijen_gelezen", {}).items():
        assert read.get(bron) == rows, (bron, read)
    # known system litter is not read, and listed as ignored
    ignored = con.execute("SELECT bron_bestand FROM ingest.genegeerde_bestanden ORDER BY 1").fetchall()
    assert [b for (b,) in ignored] == sorted(expected.get("genegeerd", []))
    assert not set(expected.get("genegeerd", [])) & set(read)
    # nothing is lost: per file, rows read = accepted + quarantined
    for bron, read, accepted, rejected in con.execute(
            "SELECT bron_bestand, rijen_gelezen, rijen_geaccepteerd, rijen_quarantaine FROM kwaliteit.bestanden").fetchall():
        assert read == accepted + rejected, bron
    con.close()
