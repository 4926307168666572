"""The `banenafspraak` command: exit codes, messages, and the INTERFACE.md tables it fills."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import BSN, TEST_KEY, write_delivery

pytestmark = pytest.mark.slow  # runs the pipeline (a Dagster run) end to end

D = 25.5 * 31 / 7  # hours of one baan in December (METHOD R8), computed here independently

# The hand-made delivery of the shared published run (tests/published.py): 2012, 2021, 2022.
from tests.published import POLIS, REGISTER, WERKGEVERS, _polis  # noqa: E402,F401  (also used by other modules)


def banenafspraak(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, "BANENAFSPRAAK_PSEUDONIEM_SLEUTEL": TEST_KEY, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "pipeline.cli", *args], capture_output=True, text=True, env=environment, timeout=600
    )


@pytest.fixture(scope="module")
def measured() -> tuple[Path, Path, subprocess.CompletedProcess]:
    """The run of 2021 and 2022 (provisional key) over this module's delivery, made once per test
    process (tests/published.py holds the same rows) and shared with the other modules."""
    from tests.published import published_run

    return published_run()


def test_run_fills_meting_banen_with_hand_computed_values(measured):
    _, warehouse, result = measured
    assert result.returncode == 0, result.stderr
    con = duckdb.connect(str(warehouse), read_only=True)
    got = {(j, s, v): (u, b, n, e, p) for j, s, v, u, b, n, e, p in con.execute(
        "SELECT jaar, sector, vorm, uren, banen, banen_nulmeting, extra_banen, voorlopig FROM meting.banen").fetchall()}
    expected_hours = {
        (2012, "markt", "formeel"): 100.0, (2012, "overheid", "formeel"): 0.0,
        (2012, "markt", "inleen"): 50 * 0.76, (2012, "overheid", "inleen"): 50 * 0.24,
        (2021, "markt", "formeel"): 120.0, (2021, "overheid", "formeel"): 80.0,
        (2021, "markt", "inleen"): 60 * 0.68, (2021, "overheid", "inleen"): 60 * 0.32,
        (2022, "markt", "formeel"): 0.0, (2022, "overheid", "formeel"): 0.0,
        (2022, "markt", "inleen"): 70 * 0.7, (2022, "overheid", "inleen"): 70 * 0.3,
    }
    assert set(got) == set(expected_hours)
    for (jaar, sector, vorm), hours in expected_hours.items():
        uren, banen, nul, extra, voorlopig = got[(jaar, sector, vorm)]
        base = expected_hours[(2012, sector, vorm)] / D
        assert uren == pytest.approx(hours, abs=1e-9)
        assert banen == pytest.approx(hours / D, abs=1e-12)
        assert nul == pytest.approx(base, abs=1e-12)
        assert extra == pytest.approx(hours / D - base, abs=1e-12)
        assert voorlopig is (jaar == 2022)
    personen = dict(con.execute("SELECT jaar, werkzame_personen FROM meting.personen").fetchall())
    assert personen == {2012: 2, 2021: 3, 2022: 1}
    omvang = dict(con.execute("SELECT jaar, doelgroep_omvang FROM meting.personen").fetchall())
    assert omvang == {2012: 2, 2021: 3, 2022: 3}


def test_interface_columns_and_types(measured):
    _, warehouse, _ = measured
    con = duckdb.connect(str(warehouse), read_only=True)
    columns = {(t, c): d for t, c, d in con.execute(
        "SELECT table_schema || '.' || table_name, column_name, data_type FROM information_schema.columns").fetchall()}
    for column, dtype in [("jaar", "INTEGER"), ("sector", "VARCHAR"), ("vorm", "VARCHAR"), ("uren", "DOUBLE"),
                          ("banen", "DOUBLE"), ("banen_nulmeting", "DOUBLE"), ("extra_banen", "DOUBLE")]:
        assert columns[("meting.banen", column)] == dtype
    assert columns[("meting.personen", "werkzame_personen")] == "BIGINT"
    assert columns[("meting.personen", "doelgroep_omvang")] == "BIGINT"
    for column in ["bron_bestand", "regelnummer", "regel", "kolom", "waarde", "melding"]:
        assert ("kwaliteit.quarantaine", column) in columns


def test_bad_row_is_quarantined_with_pseudonymised_value_and_no_raw_bsn_anywhere(measured):
    _, warehouse, _ = measured
    con = duckdb.connect(str(warehouse), read_only=True)
    quarantine = con.execute("SELECT bron_bestand, regelnummer, regel, kolom, waarde FROM kwaliteit.quarantaine").fetchall()
    assert len(quarantine) == 1
    bron, line, rule, column, value = quarantine[0]
    assert (bron, line, rule, column) == ("polis/polis.csv", 8, "bsn_elfproef", "bsn")  # header = line 1
    assert value != "123456789" and len(value) == 64
    raw = set(BSN) | {"123456789"}
    for schema, table, column in con.execute(
        "SELECT table_schema, table_name, column_name FROM information_schema.columns WHERE data_type = 'VARCHAR'"
    ).fetchall():
        hits = con.execute(
            f'SELECT count(*) FROM "{schema}"."{table}" WHERE "{column}" IN (SELECT unnest(?))', [sorted(raw)]
        ).fetchone()[0]
        assert hits == 0, f"raw BSN in {schema}.{table}.{column}"


def test_tabel1_rounds_each_cell_half_away_from_zero(measured):
    _, warehouse, _ = measured
    con = duckdb.connect(str(warehouse), read_only=True)
    row = con.execute("SELECT markt, overheid, totaal FROM meting.tabel1 WHERE jaar = 2021 AND volgorde = 4").fetchone()
    assert row == (60000, 20000, 80000)  # the 2021 targets from data/reference/doelstelling.csv


def test_year_without_key_fails_naming_the_year_and_keeps_the_published_file(measured, tmp_path):
    delivery, warehouse, _ = measured
    before = warehouse.read_bytes()
    result = banenafspraak("run", "--delivery", str(delivery), "--warehouse", str(warehouse), "--year", "2022")
    assert result.returncode != 0
    assert "Geen verdeelsleutel voor meetjaar 2022" in result.stderr
    assert "Traceback" not in result.stderr
    assert warehouse.read_bytes() == before


def test_unreadable_file_stops_the_run_naming_the_file(measured, tmp_path):
    delivery, warehouse, _ = measured
    broken = tmp_path / "broken"
    write_delivery(broken, POLIS, WERKGEVERS, REGISTER)
    (broken / "werkgevers" / "werkgevers.csv").write_text("loonheffingennummer,naam,geldig_vanaf\n1,2,3\n")
    before = warehouse.read_bytes()
    result = banenafspraak("run", "--delivery", str(broken), "--warehouse", str(warehouse), "--year", "2021")
    assert result.returncode != 0
    assert "werkgevers/werkgevers.csv" in result.stderr
    assert "scheidingsteken" in result.stderr
    assert warehouse.read_bytes() == before


def test_missing_delivery_and_missing_key_are_clear_errors(tmp_path):
    result = banenafspraak("run", "--delivery", str(tmp_path / "nope"), "--warehouse", str(tmp_path / "w.duckdb"),
                           "--year", "2021")
    assert result.returncode == 1 and "bestaat niet" in result.stderr
    result = banenafspraak("run", "--delivery", str(tmp_path), "--warehouse", str(tmp_path / "w.duckdb"),
                           "--year", "2021", env={"BANENAFSPRAAK_PSEUDONIEM_SLEUTEL": ""})
    assert result.returncode == 1 and "BANENAFSPRAAK_PSEUDONIEM_SLEUTEL" in result.stderr


def test_a_successful_run_prints_nothing_on_stderr(measured):
    """Progress goes to stdout; stderr is for the one-paragraph failure message only (a library's
    English warning at exit, such as the resource tracker's about a leaked semaphore, is a defect)."""
    _, _, result = measured
    assert result.returncode == 0
    assert result.stderr == ""


def test_run_history_is_kept_in_a_persistent_dagster_instance(measured):
    _, warehouse, _ = measured
    home = warehouse.with_name(warehouse.name + ".dagster")
    assert (home / "dagster.yaml").exists()
    assert any(home.rglob("*.db"))


def test_delivery_over_the_quarantine_threshold_stops_before_publication(tmp_path):
    bad = [_polis("123456789", "100000001L01", f"b{i}", 2021, 10.0) for i in range(5)]
    delivery = write_delivery(tmp_path / "levering", POLIS + bad, WERKGEVERS, REGISTER)
    warehouse = tmp_path / "w.duckdb"
    result = banenafspraak("run", "--delivery", str(delivery), "--warehouse", str(warehouse), "--year", "2021")
    assert result.returncode == 1
    assert "quarantaine_onder_drempel" in result.stderr and "ingest/polis" in result.stderr
    assert not warehouse.exists()


def test_replay_confirms_and_a_changed_byte_fails_naming_the_file(measured, tmp_path):
    delivery, warehouse, _ = measured
    result = banenafspraak("replay", "--delivery", str(delivery), "--warehouse", str(warehouse), "--year", "2022")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith("replay 2022: identiek")
    changed = tmp_path / "changed"
    import shutil

    shutil.copytree(delivery, changed)
    register = changed / "doelgroepregister" / "register.csv"
    register.write_bytes(register.read_bytes().replace(b"AMR03", b"AMR04"))  # figures would not move
    result = banenafspraak("replay", "--delivery", str(changed), "--warehouse", str(warehouse), "--year", "2022")
    assert result.returncode == 1
    assert "doelgroepregister/register.csv is gewijzigd" in result.stderr


def test_drill_down_sums_to_every_published_cell(measured):
    _, warehouse, _ = measured
    con = duckdb.connect(str(warehouse), read_only=True)
    cells = con.execute(
        """SELECT b.jaar, b.sector, b.vorm, b.banen, coalesce(sum(h.banen), 0), count(h.persoon_id)
           FROM meting.banen AS b LEFT JOIN audit.herleiding AS h USING (jaar, sector, vorm)
           GROUP BY ALL ORDER BY ALL""").fetchall()
    assert len(cells) == 12
    for jaar, sector, vorm, banen, summed, contributors in cells:
        assert summed == pytest.approx(banen, abs=1e-9), (jaar, sector, vorm)
    # the 2021 formal overheid cell is the one person at the gemeente: 80 hours
    row = con.execute("SELECT loonheffingennummer, uren FROM audit.herleiding "
                      "WHERE jaar = 2021 AND sector = 'overheid' AND vorm = 'formeel'").fetchall()
    assert row == [("100000002L01", 80.0)]


def test_a_run_or_replay_with_another_pseudonym_key_stops_and_changes_nothing(measured):
    delivery, warehouse, _ = measured
    before = warehouse.read_bytes()
    for verb in ("run", "replay"):
        result = banenafspraak(verb, "--delivery", str(delivery), "--warehouse", str(warehouse), "--year", "2021",
                               env={"BANENAFSPRAAK_PSEUDONIEM_SLEUTEL": "een-andere-sleutel"})
        assert result.returncode == 1, (verb, result.stderr)
        assert "vingerafdruk" in result.stderr and "nieuw warehouse-bestand" in result.stderr, result.stderr
        assert "een-andere-sleutel" not in result.stderr and TEST_KEY not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert warehouse.read_bytes() == before
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        [(recorded,)] = con.execute("SELECT vingerafdruk FROM audit.sleutel").fetchall()
    finally:
        con.close()
    from pipeline.resources import key_fingerprint

    assert recorded == key_fingerprint(TEST_KEY) and TEST_KEY not in recorded


def test_bad_options_and_an_unwritable_folder_fail_at_once_in_one_paragraph(measured, tmp_path):
    delivery, _, _ = measured
    not_a_folder = tmp_path / "een-bestand"  # the warehouse's folder is a file: nobody, not even root, can write there
    not_a_folder.write_text("x")
    cases = [
        (["--year", "2021", "--cutoff-date", "2022-13-01"], "Afsluitdatum '2022-13-01'", tmp_path / "a.duckdb"),
        (["--year", "2021", "--provisional-key", "2021=x"], "--provisional-key verwacht", tmp_path / "b.duckdb"),
        (["--year", "2022", "--provisional-key", "2022=1,5"], "tussen 0 en 1", tmp_path / "c.duckdb"),
        (["--year", "2099"], "kan niet gemeten worden", tmp_path / "d.duckdb"),
        (["--year", "2021"], "niet beschrijfbaar", not_a_folder / "w.duckdb"),
    ]
    for args, fragment, warehouse in cases:
        result = banenafspraak("run", "--delivery", str(delivery), "--warehouse", str(warehouse), *args)
        assert result.returncode == 1, (args, result.stderr)
        assert fragment in result.stderr, result.stderr
        assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
        assert not warehouse.exists() and not warehouse.with_name(warehouse.name + ".werk").exists()


def test_regions_carry_their_names_beside_the_codes(measured):
    _, warehouse, _ = measured
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        names = dict(con.execute("SELECT arbeidsmarktregio, naam FROM meting.arbeidsmarktregio").fetchall())
        assert len(names) == 35 and names["AMR01"] == "Groningen"
        got = con.execute("SELECT DISTINCT arbeidsmarktregio, regionaam FROM meting.banen_regio_naam "
                          "WHERE indeling = 'werkgeverregio' ORDER BY 1").fetchall()
    finally:
        con.close()
    assert got and all(naam == names.get(code, "onbekend") for code, naam in got)
    assert ("AMR01", "Groningen") in got
