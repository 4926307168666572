"""Great Expectations suites (pipeline/kwaliteit/gx.py): clean frames pass, every expectation can
fail on its own, Data Docs are written, and frame_for builds the frames from the working database.

GX is slow to import (~5 s, once) and ~0.1 s per validation without Data Docs: the per-expectation
tests validate small frames without docs; only the docs tests write HTML.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from pipeline.kwaliteit import gx as kw
from tests.conftest import insert, pseudonym, set_years

LHN = "123456789L01"
LHN2 = "987654321L02"
PID = pseudonym("123456782")


def _dates(*values: str | None) -> pd.Series:
    return pd.Series(pd.to_datetime(list(values)), dtype="datetime64[us]")


def clean_frame(name: str) -> pd.DataFrame:
    """A hand-made frame of accepted rows, with the edge cases each suite must allow."""
    if name == "werkgevers":
        return pd.DataFrame({
            "bron_bestand": ["w.csv"] * 3,
            "regelnummer": [1, 2, 3],
            "loonheffingennummer": [LHN, LHN, LHN2],
            "naam": ["Bakkerij", "Bakkerij", "Gemeente"],
            "geldig_vanaf": _dates("2020-01-01", "2021-01-01", "2019-06-01"),
            "geldig_tot": _dates("2020-12-31", None, "2019-06-01"),  # open version; one-day version
            "sector_risicogroep": [52, 52, 63],
            "overheidswerkgever": [False, False, True],
            "uren_sectorfonds_aandeel": [0.0, 0.25, 1.0],  # both bounds
            "overheidssector": [None, None, "Gemeenten"],  # null allowed
            "sw_bedrijf": [False, False, True],
            "arbeidsmarktregio": ["AMR01", "AMR01", "AMR35"],
        })
    if name == "doelgroepregister":
        return pd.DataFrame({
            "bron_bestand": ["d.csv"] * 3,
            "regelnummer": [1, 2, 3],
            "persoon_id": [PID, PID, pseudonym("111222333")],
            "grondslag": ["IB", "BESCHUT", "GELIJK_78D"],
            "datum_ingang": _dates("2019-01-01", "2020-05-01", "2022-03-01"),
            "datum_einde": _dates(None, "2020-05-01", "2023-12-31"),
            "woonregio": ["AMR01", "AMR17", "AMR35"],
        })
    if name == "polis_venster":
        return pd.DataFrame({
            "jaar": [2024, 2024, 2024],
            "loonheffingennummer": [LHN, LHN, LHN2],
            "ikv_id": ["1", "1", "1"],  # same relation, other period; same ikv_id, other employer
            "tijdvak_begin": _dates("2024-12-01", "2024-11-25", "2024-12-31"),
            "tijdvak_einde": _dates("2024-12-31", "2024-12-01", "2024-12-31"),
            "verloonde_uren": [744.0, -8.0, 24.0],  # maximum; a correction may be negative
            "max_uren": [744.0, 168.0, 24.0],
            "code_aard_arbeidsverhouding": [1, 1, 11],
            "aanleverdatum": _dates("2025-01-10", "2024-12-05", "2025-02-01"),
        })
    if name == "inleen":
        return pd.DataFrame({
            "bron_bestand": ["i.csv"] * 2,
            "regelnummer": [2, 3],
            "uitlener_loonheffingennummer": [LHN, LHN],
            "inlener_loonheffingennummer": [LHN2, LHN2],
            "persoon_id": [PID, pseudonym("111222333")],
            "jaar": [2013, 2024],  # the first year allowed
            "verloonde_uren": [0.0, 1234.5],  # zero allowed
        })
    raise KeyError(name)


def _set(column: str, value, row: int = 1):
    def mutate(frame: pd.DataFrame) -> None:
        if isinstance(value, str) and frame[column].dtype.kind == "M":
            frame[column] = frame[column].astype(object)
            frame.loc[row, column] = pd.Timestamp(value)
            frame[column] = frame[column].astype("datetime64[us]")
        else:
            frame[column] = frame[column].astype(object)
            frame.loc[row, column] = value
    return mutate


def _duplicate_key(frame: pd.DataFrame) -> None:
    """Row 1 gets the key (loonheffingennummer, ikv_id, tijdvak_begin) of row 0; other values stay valid."""
    frame.loc[1, "tijdvak_begin"] = frame.loc[0, "tijdvak_begin"]
    frame.loc[1, "tijdvak_einde"] = frame.loc[0, "tijdvak_einde"]
    frame.loc[1, "max_uren"] = frame.loc[0, "max_uren"]


NN = "expect_column_values_to_not_be_null"
PAIR = "expect_column_pair_values_a_to_be_greater_than_b"

# (suite, expectation label, one broken value) — every expectation of every suite.
BROKEN = [
    ("werkgevers", f"{NN}(loonheffingennummer)", _set("loonheffingennummer", None)),
    ("werkgevers", f"{NN}(geldig_vanaf)", _set("geldig_vanaf", None)),
    ("werkgevers", f"{NN}(sector_risicogroep)", _set("sector_risicogroep", None)),
    ("werkgevers", f"{NN}(overheidswerkgever)", _set("overheidswerkgever", None)),
    ("werkgevers", f"{NN}(uren_sectorfonds_aandeel)", _set("uren_sectorfonds_aandeel", None)),
    ("werkgevers", f"{NN}(sw_bedrijf)", _set("sw_bedrijf", None)),
    ("werkgevers", f"{NN}(arbeidsmarktregio)", _set("arbeidsmarktregio", None)),
    ("werkgevers", "expect_column_values_to_match_regex(loonheffingennummer)",
     _set("loonheffingennummer", "123456789L01\n")),
    ("werkgevers", f"{PAIR}(geldig_tot, geldig_vanaf)", _set("geldig_tot", "2019-12-31", row=0)),
    ("werkgevers", "expect_column_values_to_be_between(uren_sectorfonds_aandeel)",
     _set("uren_sectorfonds_aandeel", 1.01)),
    ("werkgevers", "expect_column_values_to_be_in_set(arbeidsmarktregio)", _set("arbeidsmarktregio", "AMR36")),
    ("werkgevers", "expect_column_values_to_be_in_set(overheidssector)", _set("overheidssector", "Gemeente", row=2)),
    ("doelgroepregister", f"{NN}(persoon_id)", _set("persoon_id", None)),
    ("doelgroepregister", f"{NN}(grondslag)", _set("grondslag", None)),
    ("doelgroepregister", f"{NN}(datum_ingang)", _set("datum_ingang", None)),
    ("doelgroepregister", f"{NN}(woonregio)", _set("woonregio", None)),
    ("doelgroepregister", "expect_column_values_to_match_regex(persoon_id)", _set("persoon_id", "123456782")),
    ("doelgroepregister", "expect_column_values_to_be_in_set(grondslag)", _set("grondslag", "ib")),
    ("doelgroepregister", f"{PAIR}(datum_einde, datum_ingang)", _set("datum_einde", "2020-04-30")),
    ("doelgroepregister", "expect_column_values_to_be_in_set(woonregio)", _set("woonregio", "AMR00")),
    ("polis_venster", f"{NN}(loonheffingennummer)", _set("loonheffingennummer", None)),
    ("polis_venster", f"{NN}(ikv_id)", _set("ikv_id", None)),
    ("polis_venster", f"{NN}(tijdvak_begin)", _set("tijdvak_begin", None)),
    ("polis_venster", f"{NN}(tijdvak_einde)", _set("tijdvak_einde", None)),
    ("polis_venster", f"{NN}(verloonde_uren)", _set("verloonde_uren", None)),
    ("polis_venster", f"{NN}(code_aard_arbeidsverhouding)", _set("code_aard_arbeidsverhouding", None)),
    ("polis_venster", f"{NN}(aanleverdatum)", _set("aanleverdatum", None)),
    ("polis_venster", "expect_column_values_to_match_regex(loonheffingennummer)",
     _set("loonheffingennummer", "12345678L01")),
    ("polis_venster", f"{PAIR}(tijdvak_einde, tijdvak_begin)", _set("tijdvak_einde", "2024-11-24")),
    ("polis_venster", f"{PAIR}(max_uren, verloonde_uren)", _set("verloonde_uren", 744.000001, row=0)),
    ("polis_venster", "expect_compound_columns_to_be_unique(jaar, loonheffingennummer, ikv_id, tijdvak_begin)",
     _duplicate_key),
    ("inleen", f"{NN}(uitlener_loonheffingennummer)", _set("uitlener_loonheffingennummer", None)),
    ("inleen", f"{NN}(inlener_loonheffingennummer)", _set("inlener_loonheffingennummer", None)),
    ("inleen", f"{NN}(persoon_id)", _set("persoon_id", None)),
    ("inleen", f"{NN}(jaar)", _set("jaar", None)),
    ("inleen", f"{NN}(verloonde_uren)", _set("verloonde_uren", None)),
    ("inleen", "expect_column_values_to_match_regex(uitlener_loonheffingennummer)",
     _set("uitlener_loonheffingennummer", "12345678L01")),
    ("inleen", "expect_column_values_to_match_regex(inlener_loonheffingennummer)",
     _set("inlener_loonheffingennummer", "123456789L1")),
    ("inleen", "expect_column_values_to_match_regex(persoon_id)", _set("persoon_id", "123456782")),
    ("inleen", "expect_column_values_to_be_between(jaar)", _set("jaar", 2012)),
    ("inleen", "expect_column_values_to_be_between(verloonde_uren)", _set("verloonde_uren", -0.01)),
]


def test_import_does_not_load_great_expectations():
    code = "import sys, pipeline.kwaliteit.gx; print('great_expectations' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_worker_imports_gx_without_sqlalchemy_and_scipy_stats_and_every_suite_still_validates(tmp_path):
    """The worker's import (gx.import_gx) leaves out SQLAlchemy and defers scipy.stats; every suite
    still passes its clean frame and fails a broken one, with Data Docs, and neither gets loaded."""
    frames = {}
    for name in kw.SUITES:
        path = tmp_path / f"{name}.parquet"
        clean_frame(name).to_parquet(path)
        frames[name] = str(path)
    broken = tmp_path / "polis_venster_kapot.parquet"
    frame = clean_frame("polis_venster")
    frame.loc[0, "verloonde_uren"] = 745.0  # above max_uren
    frame.to_parquet(broken)
    code = f"""
import sys, json
from pipeline.kwaliteit import gx
gx.import_gx()
uitkomst = {{name: gx.validate_file(name, path, None)[0].success for name, path in {frames!r}.items()}}
kapot = gx.validate_file("polis_venster", {str(broken)!r}, {str(tmp_path / "docs")!r})[0]
print(json.dumps({{"uitkomst": uitkomst, "kapot": [kapot.success, kapot.failed, kapot.docs_index is not None],
                  "sqlalchemy": sys.modules.get("sqlalchemy") is None,
                  "stats": type(sys.modules["scipy.stats"]).__name__}}))
"""
    import json

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["uitkomst"] == {name: True for name in kw.SUITES}
    assert got["kapot"][0] is False and got["kapot"][1] and got["kapot"][2]
    assert got["sqlalchemy"] is True  # GX saw it as not installed
    assert got["stats"] == "_LazyModule"  # bound, never loaded


def test_code_lists_come_from_reference_csvs():
    by_label = {kw.label(e.expectation_type, e.configuration.kwargs): e for e in kw.build_suite("werkgevers").expectations}
    sectors = by_label["expect_column_values_to_be_in_set(overheidssector)"].value_set
    assert len(sectors) == 14 and "Rechterlijke macht" in sectors
    by_label = {kw.label(e.expectation_type, e.configuration.kwargs): e
                for e in kw.build_suite("doelgroepregister").expectations}
    assert set(by_label["expect_column_values_to_be_in_set(grondslag)"].value_set) == {
        "IB", "PR", "VSO_PRO", "WSW", "WAJONG", "WIW_ID", "GELIJK_78D", "VOORZIENING", "BESCHUT"}
    regios = by_label["expect_column_values_to_be_in_set(woonregio)"].value_set
    assert len(regios) == 35 and "AMR01" in regios and "AMR35" in regios


@pytest.mark.parametrize("name", kw.SUITES)
def test_every_expectation_has_a_breaking_case(name):
    assert sorted(label for suite, label, _ in BROKEN if suite == name) == sorted(kw.suite_labels(name))


@pytest.mark.parametrize("name", kw.SUITES)
def test_clean_frame_passes(name):
    outcome = kw.validate(name, clean_frame(name), None)
    assert outcome.failed == [], outcome.details
    assert outcome.success
    assert outcome.evaluated == len(kw.suite_labels(name))
    assert outcome.docs_index is None


@pytest.mark.parametrize(("name", "expected", "mutate"), BROKEN, ids=[f"{s}-{e}" for s, e, _ in BROKEN])
def test_each_expectation_fails_alone(name, expected, mutate):
    frame = clean_frame(name)
    mutate(frame)
    outcome = kw.validate(name, frame, None)
    assert not outcome.success
    assert outcome.failed == [expected], outcome.details
    rows = 2 if expected.startswith("expect_compound_columns_to_be_unique") else 1  # both duplicates count
    assert outcome.details[expected].startswith(f"{rows} afwijkende rij"), outcome.details


def test_missing_column_is_a_failure_not_a_crash():
    outcome = kw.validate("werkgevers", clean_frame("werkgevers").drop(columns=["sw_bedrijf"]), None)
    assert not outcome.success
    assert outcome.failed == [f"{NN}(sw_bedrijf)"]
    assert outcome.details[f"{NN}(sw_bedrijf)"].startswith("fout:")


def test_data_docs_written_per_suite(tmp_path):
    docs = tmp_path / "docs"
    ok = kw.validate("werkgevers", clean_frame("werkgevers"), docs)
    broken = clean_frame("polis_venster")
    _duplicate_key(broken)
    bad = kw.validate("polis_venster", broken, docs)
    assert ok.docs_index == (docs / "werkgevers" / "index.html").resolve()
    assert bad.docs_index == (docs / "polis_venster" / "index.html").resolve()
    # The second validation did not remove the first suite's site (one site per suite).
    assert ok.docs_index.exists() and bad.docs_index.exists()
    assert "werkgevers" in ok.docs_index.read_text(encoding="utf-8")
    pages = list((docs / "polis_venster" / "validations").rglob("*.html"))
    assert len(pages) == 1
    assert "must be unique together" in pages[0].read_text(encoding="utf-8")
    assert "Failed" in bad.docs_index.read_text(encoding="utf-8")


def test_frames_hold_accepted_rows_and_the_runs_years_as_the_worker_reads_them(werkdb, tmp_path):
    insert(werkdb, "ingest.werkgevers", [
        dict(bron_bestand="w.csv", regelnummer=1, loonheffingennummer=LHN, naam="Bakkerij",
             geldig_vanaf=date(2020, 1, 1), geldig_tot=None, sector_risicogroep=52, overheidswerkgever=False,
             uren_sectorfonds_aandeel=0.0, overheidssector=None, sw_bedrijf=False, arbeidsmarktregio="AMR01"),
        dict(bron_bestand="w.csv", regelnummer=2, loonheffingennummer=LHN2, naam="Gemeente",
             geldig_vanaf=date(2019, 1, 1), geldig_tot=date(2024, 12, 31), sector_risicogroep=63,
             overheidswerkgever=True, uren_sectorfonds_aandeel=0.1, overheidssector="Gemeenten", sw_bedrijf=False,
             arbeidsmarktregio="AMR35"),
        dict(bron_bestand="w.csv", regelnummer=3, loonheffingennummer="fout", arbeidsmarktregio="AMR99",
             regel="loonheffingennummer_patroon", kolom="loonheffingennummer", waarde="fout"),
    ])
    insert(werkdb, "ingest.doelgroepregister", [
        dict(bron_bestand="d.csv", regelnummer=1, persoon_id=PID, grondslag="IB",
             datum_ingang=date(2019, 1, 1), datum_einde=None, woonregio="AMR05"),
        dict(bron_bestand="d.csv", regelnummer=2, persoon_id=PID, grondslag="XX",
             datum_ingang=date(2019, 1, 1), woonregio="AMR05", regel="grondslag_onbekend", kolom="grondslag"),
    ])
    row = dict(bron_bestand="p.csv", persoon_id=PID, loonheffingennummer=LHN, ikv_id="1",
               code_aard_arbeidsverhouding=1, aanleverdatum=date(2025, 1, 10), volgnummer=1)
    insert(werkdb, "werk.definitieve_versies", [
        {**row, "jaar": 2024, "regelnummer": 1, "tijdvak_begin": date(2024, 12, 1),
         "tijdvak_einde": date(2024, 12, 31), "verloonde_uren": 744},
        {**row, "jaar": 2024, "regelnummer": 2, "tijdvak_begin": date(2024, 11, 25),
         "tijdvak_einde": date(2024, 12, 1), "verloonde_uren": 12.5},
        {**row, "jaar": 2023, "regelnummer": 3, "tijdvak_begin": date(2023, 12, 1),
         "tijdvak_einde": date(2023, 12, 31), "verloonde_uren": 100},
    ])

    set_years(werkdb, [2024])

    def frame(name):
        return kw.read_frame(kw.export_frame(werkdb, name, tmp_path / f"{name}.parquet"))

    werkgevers = frame("werkgevers")
    assert werkgevers["regelnummer"].tolist() == [1, 2]  # the quarantined row is not in the frame
    register = frame("doelgroepregister")
    assert register["grondslag"].tolist() == ["IB"]
    venster = frame("polis_venster")  # 2023 is not a year of this run
    assert list(venster.columns) == [
        "jaar", "loonheffingennummer", "ikv_id", "tijdvak_begin", "tijdvak_einde", "verloonde_uren", "max_uren",
        "code_aard_arbeidsverhouding", "aanleverdatum"]
    assert venster["max_uren"].tolist() == [168.0, 744.0]  # 7 and 31 days; ordered by tijdvak_begin
    assert venster["verloonde_uren"].tolist() == [12.5, 744.0]

    # The frames as DuckDB types them pass their suites.
    for name, frame in [("werkgevers", werkgevers), ("doelgroepregister", register), ("polis_venster", venster)]:
        outcome = kw.validate(name, frame, None)
        assert outcome.success, (name, outcome.details)


def test_a_finished_worker_stops_in_order_skips_finalisation_and_leaves_nothing_on_stderr(tmp_path):
    """A worker whose work is done is shut down in order (exit code 0) and nothing is printed: a
    worker terminated outright left a semaphore of its pool behind, and the resource tracker then
    printed an English warning on the command's stderr at exit. Its exit skips Python's
    finalisation (1.7 s of CPU freeing GX's modules): an object left in a module, whose __del__
    would write a file when the interpreter tears the modules down, is never finalised."""
    mark = tmp_path / "opgeruimd"
    left_in_a_module = (
        "import sys\n"
        "class Merk:\n"
        "    def __del__(self, _open=open):\n"
        f"        _open({str(mark)!r}, 'w').write('opgeruimd')\n"
        "sys.modules['pipeline.kwaliteit.gx']._merk = Merk()\n"
    )
    code = f"""
from pipeline.kwaliteit import werkproces
from pipeline.kwaliteit.gx import ready
pool, warm = werkproces.new_worker()
assert warm.result(timeout=300) is True and pool.submit(ready).result(timeout=60) is True
pool.submit(exec, {left_in_a_module!r}).result(timeout=60)
processes = list(pool._processes.values())
werkproces.stop(pool, warm)
print([p.exitcode for p in processes])
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[0]"
    assert out.stderr == ""
    assert not mark.exists()
