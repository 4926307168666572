"""METHOD R14 — rules per measurement year: the regime (regeling) of a year is reference data.

Hand-made rows in, expected rows out, as tests/test_rules.py: a grondslag that counts under one
regime and not under the other (R4, R10), the regime official from a confirmed first year only,
the targets under a regime with one national target (R9, Table 1), and the government targets per
overheidssector (§4)."""

from __future__ import annotations

import csv
import shutil
from decimal import Decimal

import duckdb
import pytest

from pipeline.paths import REFERENCE_DIR
from pipeline.resources import load_reference
from pipeline.sqlfiles import run_sql
from tests.conftest import insert, rows, run_step, set_years
from tests.test_rules import (
    STEP_R4,
    STEP_R9,
    STEP_R10,
    _banen_cells,
    R9_2021,
    R9_NULMETING,
    register,
    telbaar,
    venster,
)

BQA, NIEUW = "wet_bqa_2015", "wet_banenafspraak_2025"  # the two regimes of data/reference/regeling.csv


def _reference(name: str) -> list[dict]:
    with (REFERENCE_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_reference_data_names_both_regimes_with_sources_and_the_new_law_unconfirmed():
    regimes = {r["regeling"]: r for r in _reference("regeling.csv")}
    assert set(regimes) == {BQA, NIEUW}
    assert all(r["bron"].strip() for r in regimes.values())
    assert regimes[BQA]["eerste_meetjaar_bevestigd"] == "J" and regimes[BQA]["doelstelling_per"] == "sector"
    # art. 12: the first year awaits a royal decree -> not confirmed, so never official by default
    assert regimes[NIEUW]["eerste_meetjaar_bevestigd"] == "N" and regimes[NIEUW]["doelstelling_per"] == "landelijk"
    grounds = {r["grondslag"] for r in _reference("grondslag.csv")}
    per = {}
    for r in _reference("regeling_grondslag.csv"):
        assert r["bron"].strip(), r
        per.setdefault(r["regeling"], {})[r["grondslag"]] = r["telt_mee"]
    assert {k: set(v) for k, v in per.items()} == {BQA: grounds, NIEUW: grounds}  # every code, per regime
    assert {g for g, t in per[BQA].items() if t == "N"} == {"VOORZIENING", "BESCHUT"}
    assert {g for g, t in per[NIEUW].items() if t == "N"} == {"BESCHUT"}  # art. 2: all but beschut werk


def test_every_year_is_measured_under_wet_bqa_2015_by_default(werkdb):
    years = set_years(werkdb, [2012, 2021, 2024])
    assert {j: (r["regeling"], r["doelstelling_per"], r["scenario"]) for j, r in years.items()} == {
        2012: (BQA, "sector", False), 2021: (BQA, "sector", False), 2024: (BQA, "sector", False)}


def test_a_scenario_measures_every_year_of_the_run_under_its_regime(werkdb):
    years = set_years(werkdb, [2012, 2023], regeling=NIEUW)
    assert {j: (r["regeling"], r["doelstelling_per"], r["scenario"]) for j, r in years.items()} == {
        2012: (NIEUW, "landelijk", True), 2023: (NIEUW, "landelijk", True)}


def test_an_unknown_regime_is_an_error_naming_the_known_ones(werkdb):
    with pytest.raises(duckdb.Error, match="Regeling 'wet_2030' staat niet in data/reference/regeling.csv; "
                                           "kies een van: wet_banenafspraak_2025, wet_bqa_2015"):
        set_years(werkdb, [2012, 2023], regeling="wet_2030")


@pytest.mark.parametrize("bevestigd, verwacht", [
    ("J", {2021: BQA, 2022: NIEUW, 2023: NIEUW}),  # confirmed: official from its first year on
    ("N", {2021: BQA, 2022: BQA, 2023: BQA}),  # the same year unconfirmed: never official
])
def test_a_regime_is_official_from_its_confirmed_first_year_only(tmp_path, bevestigd, verwacht):
    folder = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, folder)
    lines = (folder / "regeling.csv").read_text(encoding="utf-8").splitlines()
    lines = [line.replace(",landelijk,,N,", f",landelijk,2022,{bevestigd},") for line in lines]
    (folder / "regeling.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    con = duckdb.connect(str(tmp_path / "werkruimte.duckdb"))
    try:
        run_sql(con, "schema/werk.sql")
        run_sql(con, "schema/macros.sql")
        run_sql(con, "schema/regels.sql")
        load_reference(con, folder)
        years = set_years(con, [2021, 2022, 2023])
    finally:
        con.close()
    assert {j: r["regeling"] for j, r in years.items()} == verwacht


# --------------------------------------------------------------------------------------------
# R4 / R10 — a grondslag that counts under one regime and not under the other
# --------------------------------------------------------------------------------------------

R4_VENSTER = [
    venster(2, "pIB", 100),
    venster(3, "pVZ", 40),
    venster(4, "pBS", 30),
    venster(5, "pVZ1", 20),
]
R4_REGISTER = [
    register(2, "pIB", "IB", "2010-01-01"),                      # counts under both
    register(3, "pVZ", "VOORZIENING", "2018-03-01"),             # counts only under the new law
    register(4, "pBS", "BESCHUT", "2010-01-01"),                 # counts under neither
    register(5, "pVZ1", "VOORZIENING", "2021-12-31", "2021-12-31"),  # one day: ignored under both
]


@pytest.mark.parametrize("regeling, personen", [
    (None, ["pIB"]),  # official (wet_bqa_2015): voorziening is quotum only
    (NIEUW, ["pIB", "pVZ"]),  # the whole register except beschut werk
])
def test_r4_voorziening_counts_under_the_new_law_only(werkdb, regeling, personen):
    insert(werkdb, "werk.venster_uren", R4_VENSTER)
    insert(werkdb, "ingest.doelgroepregister", R4_REGISTER)
    run_step(werkdb, STEP_R4, 2021, regeling=regeling)
    got = rows(werkdb, "SELECT persoon_id, uren_venster FROM werk.doelgroep_uren ORDER BY persoon_id")
    assert got == [dict(persoon_id=p, uren_venster=Decimal({"pIB": 100, "pVZ": 40}[p])) for p in personen]


@pytest.mark.parametrize("regeling, omvang", [(None, 1), (NIEUW, 2)])
def test_r10_doelgroep_omvang_follows_the_regime(werkdb, regeling, omvang):
    insert(werkdb, "ingest.doelgroepregister", R4_REGISTER)
    insert(werkdb, "werk.telbare_uren", [telbaar(2, "formeel", "markt", "100", persoon="pIB")])
    insert(werkdb, "meting.verdeelsleutel", [dict(jaar=2021, aandeel_markt=0.68, aandeel_overheid=0.32,
                                                voorlopig=False, bron="x")])
    run_step(werkdb, STEP_R10, 2021, regeling=regeling)
    assert rows(werkdb, "SELECT * FROM meting.personen") == [
        dict(jaar=2021, werkzame_personen=1, doelgroep_omvang=omvang, voorlopig=False, regeling=regeling or BQA)]


# --------------------------------------------------------------------------------------------
# R9 and Table 1 under a regime with one national target
# --------------------------------------------------------------------------------------------

def test_r9_under_the_national_regime_only_the_total_has_a_target(werkdb):
    insert(werkdb, "werk.banen_per_cel", _banen_cells(2012, R9_NULMETING) + _banen_cells(2021, R9_2021))
    insert(werkdb, "meting.verdeelsleutel", [dict(jaar=2021, aandeel_markt=0.68, aandeel_overheid=0.32,
                                                voorlopig=False, bron="x")])
    run_step(werkdb, STEP_R9, [2012, 2021], regeling=NIEUW)
    # the same extra banen as under the sector regime (tests/test_rules.py), but no sector targets:
    # realisation against the national target, the total of the path (60,000 + 20,000 in 2021)
    assert rows(werkdb, "SELECT * FROM meting.realisatie WHERE jaar = 2021 ORDER BY sector") == [
        dict(jaar=2021, sector="markt", extra_banen=51999.5, doelstelling=None, verschil=None,
             realisatie_pct=None, voorlopig=False, regeling=NIEUW),
        dict(jaar=2021, sector="overheid", extra_banen=11000.5, doelstelling=None, verschil=None,
             realisatie_pct=None, voorlopig=False, regeling=NIEUW),
        dict(jaar=2021, sector="totaal", extra_banen=63000.0, doelstelling=80000.0, verschil=-17000.0,
             realisatie_pct=78.75, voorlopig=False, regeling=NIEUW),
    ]
    assert {r["regeling"] for r in rows(werkdb, "SELECT regeling FROM meting.banen")} == {NIEUW}
    table = {r["regel"]: r for r in rows(werkdb, "SELECT * FROM meting.tabel1 WHERE jaar = 2021")}
    target = table["doelstelling"]
    assert (target["markt"], target["overheid"], target["totaal"], target["regeling"]) == (None, None, 80000, NIEUW)
    assert (table["totaal extra banen"]["markt"], table["totaal extra banen"]["totaal"]) == (52000, 63000)


def test_tabel1_target_total_under_the_sector_regime_is_the_sum_of_the_sectors(werkdb):
    insert(werkdb, "werk.banen_per_cel", _banen_cells(2012, R9_NULMETING) + _banen_cells(2021, R9_2021))
    insert(werkdb, "meting.verdeelsleutel", [dict(jaar=2021, aandeel_markt=0.68, aandeel_overheid=0.32,
                                                voorlopig=False, bron="x")])
    run_step(werkdb, STEP_R9, 2021)
    target = rows(werkdb, "SELECT markt, overheid, totaal, regeling FROM meting.tabel1 "
                          "WHERE jaar = 2021 AND regel = 'doelstelling'")
    assert target == [dict(markt=60000, overheid=20000, totaal=80000, regeling=BQA)]


# --------------------------------------------------------------------------------------------
# §4 — government targets per overheidssector where BZK published them
# --------------------------------------------------------------------------------------------

def test_overheidssector_realisation_against_the_published_target_and_empty_elsewhere(werkdb):
    insert(werkdb, "werk.telbare_uren", [
        {**telbaar(2, "formeel", "overheid", "1000", jaar=2022), "overheidssector": "Rijk"},
        {**telbaar(3, "formeel", "overheid", "500", jaar=2022), "overheidssector": "Gemeenten"},
        {**telbaar(4, "inleen", "overheid", "700", jaar=2022), "overheidssector": "Rijk"},  # inleen: not here
    ])
    insert(werkdb, "meting.verdeelsleutel", [dict(jaar=2022, aandeel_markt=0.675, aandeel_overheid=0.325,
                                                voorlopig=False, bron="x")])
    run_step(werkdb, "meting/S4_banen_overheidssector.sql", 2022)
    per_baan = 25.5 * 31 / 7
    got = {r["overheidssector"]: r for r in rows(werkdb, "SELECT * FROM meting.banen_overheidssector")}
    assert set(got) == {"Rijk", "Gemeenten"}
    rijk, gemeenten = got["Rijk"], got["Gemeenten"]
    assert rijk["banen"] == pytest.approx(1000 / per_baan, rel=1e-12)
    assert rijk["doelstelling"] == 5144.0  # BZK: Rijk 2022, Kamerstuk 34 352 nr. 348
    assert rijk["realisatie_pct"] == pytest.approx(100 * 1000 / per_baan / 5144, rel=1e-12)
    assert (gemeenten["doelstelling"], gemeenten["realisatie_pct"]) == (None, None)  # not published
    assert rijk["regeling"] == gemeenten["regeling"] == BQA


def test_no_regime_is_named_in_sql_or_python():
    """METHOD R14: which rules a year gets is data; no SQL file and no module names a regime."""
    from pipeline.paths import SQL_DIR

    names = {r["regeling"] for r in _reference("regeling.csv")}
    code = [*SQL_DIR.rglob("*.sql"), *(SQL_DIR.parent / "pipeline").rglob("*.py")]
    assert len(code) > 50
    assert [(str(path), n) for path in code for n in names if n in path.read_text(encoding="utf-8")] == []
