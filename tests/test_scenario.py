"""`banenafspraak scenario` (METHOD R14): a year and its nulmeting under another regime, into
scenario.* only, in one tagged Dagster run; meting.* stays exactly as it was.

A hand-made delivery with one person on the VOORZIENING ground who works in the nulmeting and in
2021: under wet_bqa_2015 (official) she does not count, under wet_banenafspraak_2025 she does. The
expected differences are computed here by hand from her hours."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from pipeline.runner import list_runs
from tests.conftest import BSN, write_delivery
from tests.published import POLIS, REGISTER, WERKGEVERS, _polis, banenafspraak

# Dagster runs end to end; one xdist worker runs the whole module, so `official` is built once
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("scenario")]

D = 25.5 * 31 / 7  # hours of one baan in December (METHOD R8), computed here independently
NIEUW = "wet_banenafspraak_2025"
VOORZIENING = [dict(bsn=BSN[4], grondslag="VOORZIENING", datum_ingang="2011-06-01", woonregio="AMR01")]
VZ_POLIS = [
    _polis(BSN[4], "100000001L01", "v1", 2012, 45.0),  # markt, formeel
    _polis(BSN[4], "100000001L01", "v1", 2021, 90.0),
    _polis(BSN[4], "100000002L01", "v2", 2021, 31.0),  # gemeente: overheid, formeel
]


def _snapshot(path: Path, schemas: tuple[str, ...] = ("meting", "audit", "kwaliteit")) -> dict:
    """Every table and view of `schemas`: columns with types and comments, and all rows."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        objects = con.execute(
            "SELECT schema_name, table_name, comment FROM duckdb_tables() WHERE list_contains(?, schema_name) "
            "UNION ALL SELECT schema_name, view_name, comment FROM duckdb_views() "
            "WHERE NOT internal AND list_contains(?, schema_name) ORDER BY 1, 2", [list(schemas), list(schemas)]
        ).fetchall()
        out = {}
        for schema, table, comment in objects:
            columns = con.execute(
                "SELECT column_name, data_type, comment FROM duckdb_columns() WHERE schema_name = ? AND table_name = ? "
                "ORDER BY column_index", [schema, table]).fetchall()
            out[f"{schema}.{table}"] = (comment, columns, con.execute(f"SELECT * FROM {schema}.{table}").fetchall())
        return out
    finally:
        con.close()


@pytest.fixture(scope="module")
def official(tmp_path_factory):
    root = tmp_path_factory.mktemp("scenario")
    delivery = write_delivery(root / "levering", POLIS + VZ_POLIS, WERKGEVERS, REGISTER + VOORZIENING)
    warehouse = root / "out" / "banenafspraak.duckdb"
    result = banenafspraak("run", "--delivery", str(delivery), "--warehouse", str(warehouse), "--year", "2021")
    assert result.returncode == 0, result.stderr
    return delivery, warehouse


def test_unknown_regime_is_one_dutch_paragraph_before_any_dagster_run(official):
    delivery, warehouse = official
    before = warehouse.read_bytes()
    runs = len(list_runs(warehouse, limit=1000))
    result = banenafspraak("scenario", "--delivery", str(delivery), "--warehouse", str(warehouse), "--year", "2021",
                           "--regeling", "wet_2030")
    assert result.returncode == 1
    assert result.stderr.startswith("banenafspraak: Regeling 'wet_2030' bestaat niet")
    assert "wet_banenafspraak_2025 en wet_bqa_2015" in result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1
    assert len(list_runs(warehouse, limit=1000)) == runs
    assert warehouse.read_bytes() == before


def test_a_year_not_measured_officially_is_refused(official):
    delivery, warehouse = official
    result = banenafspraak("scenario", "--delivery", str(delivery), "--warehouse", str(warehouse), "--year", "2022",
                           "--regeling", NIEUW)
    assert result.returncode == 1
    assert "Jaar 2022 (met de nulmeting) is niet officieel gemeten" in result.stderr


def test_scenario_fills_scenario_tables_and_leaves_every_official_table_identical(official, tmp_path):
    delivery, original = official
    warehouse = tmp_path / "banenafspraak.duckdb"
    shutil.copyfile(original, warehouse)
    before = _snapshot(warehouse)
    assert {row[-1] for row in before["meting.banen"][2]} == {"wet_bqa_2015"}

    result = banenafspraak("scenario", "--delivery", str(delivery), "--warehouse", str(warehouse), "--year", "2021",
                           "--regeling", NIEUW)
    assert result.returncode == 0, result.stderr
    assert _snapshot(warehouse) == before  # meting.*, audit.*, kwaliteit.*: columns, comments, rows

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        official_banen = {(j, s, v): b for j, s, v, b in con.execute(
            "SELECT jaar, sector, vorm, banen FROM meting.banen").fetchall()}
        scenario = {(j, s, v): (b, e, r) for j, s, v, b, e, r in con.execute(
            "SELECT jaar, sector, vorm, banen, extra_banen, regeling FROM scenario.banen").fetchall()}
        verschil = {(j, s, v): (b, e) for r, j, s, v, b, e in con.execute(
            "SELECT regeling, jaar, sector, vorm, banen, extra_banen FROM scenario.verschil").fetchall()
                    if r == NIEUW}
        runs = con.execute("SELECT regeling, jaar, dagster_run_id FROM scenario.runs ORDER BY jaar").fetchall()
        regime = con.execute("SELECT waarde FROM audit.referentiewaarden WHERE jaar = 2021 AND naam = 'regeling'")
        assert regime.fetchall() == [("wet_bqa_2015",)]
    finally:
        con.close()
    assert set(scenario) == set(official_banen) and {r for _, _, r in scenario.values()} == {NIEUW}
    # her hours by hand: 2012 markt/formeel 45; 2021 markt/formeel 90, overheid/formeel 31
    expected = {(2012, "markt", "formeel"): (45 / D, 0.0), (2021, "markt", "formeel"): (90 / D, (90 - 45) / D),
                (2021, "overheid", "formeel"): (31 / D, 31 / D)}
    for cell in scenario:
        banen, extra = expected.get(cell, (0.0, 0.0))
        assert verschil[cell][0] == pytest.approx(banen, abs=1e-12), cell
        assert verschil[cell][1] == pytest.approx(extra, abs=1e-12), cell
        assert scenario[cell][0] == pytest.approx(official_banen[cell] + banen, abs=1e-12), cell
    assert [(r, j) for r, j, _ in runs] == [(NIEUW, 2012), (NIEUW, 2021)]
    assert "Scenario wet_banenafspraak_2025, meting 2021" in result.stdout

    # the run is in the persistent Dagster instance, tagged as a scenario of its regime
    tagged = [r for r in list_runs(warehouse, limit=50) if r["run_id"] == runs[0][2]]
    assert tagged and tagged[0]["soort"] == "scenario" and tagged[0]["regeling"] == NIEUW
    assert tagged[0]["jaren"] == "2012,2021" and tagged[0]["status"] == "success"
    listing = banenafspraak("runs", "--warehouse", str(warehouse))
    assert listing.returncode == 0 and f"scenario   2012,2021" in listing.stdout and NIEUW in listing.stdout

    # reproducible: the same scenario again gives exactly the same cells, and says so
    again = banenafspraak("scenario", "--delivery", str(delivery), "--warehouse", str(warehouse), "--year", "2021",
                          "--regeling", NIEUW)
    assert again.returncode == 0, again.stderr
    assert f"Identiek aan de vorige scenario-run {runs[0][2]}" in again.stdout
    assert _snapshot(warehouse) == before

    # an official run afterwards keeps the scenario results (publication carries scenario.* over)
    rerun = banenafspraak("run", "--delivery", str(delivery), "--warehouse", str(warehouse), "--year", "2021")
    assert rerun.returncode == 0, rerun.stderr
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        kept = con.execute("SELECT count(*), count(DISTINCT jaar) FROM scenario.banen WHERE regeling = ?",
                           [NIEUW]).fetchone()
        assert kept == (8, 2)
    finally:
        con.close()
