"""`banenafspraak bench` at a tiny scale: the report's last line, pipeline = floor, and the
invariants of the national generator (pipeline/demo/national.py, sql/demo/). No timing assertions."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import duckdb
import pytest

from pipeline.bench import run_bench
from pipeline.demo.national import generate_national, national_sizes

pytestmark = pytest.mark.slow  # runs the pipeline (a Dagster run) end to end

SCALE = 0.0005
YEAR = 2023
LAST_LINE = re.compile(
    r"pipeline_s=(\d+\.\d+) floor_s=(\d+\.\d+) ratio=(\d+\.\d+) peak_rss_gb=(\d+\.\d+) rows=(\d+)"
)


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("bench")
    lines: list[str] = []
    result = run_bench(SCALE, workdir, year=YEAR, log=lines.append)
    return result, lines, workdir


def _con() -> duckdb.DuckDBPyConnection:
    return duckdb.connect(":memory:")


def _one(con, query: str, params=None):
    return con.execute(query, params or []).fetchone()


# --------------------------------------------------------------------------- the bench


def test_last_line_has_the_promised_format(bench):
    result, lines, _ = bench
    match = LAST_LINE.fullmatch(lines[-1])
    assert match, lines[-1]
    pipeline_s, floor_s, ratio, peak, rows = match.groups()
    assert int(rows) == result["rows"] > 0
    assert float(pipeline_s) > 0 and float(floor_s) > 0 and float(peak) > 0
    # the printed seconds are rounded to 3 decimals: the ratio must lie within what that rounding allows
    pipeline, floor = float(pipeline_s), float(floor_s)
    low = (pipeline - 0.0005) / (floor + 0.0005) - 0.0005
    high = (pipeline + 0.0005) / max(floor - 0.0005, 1e-9) + 0.0005
    assert low <= float(ratio) <= high


def test_floor_and_pipeline_cells_agree(bench):
    result, _, _ = bench
    assert result["agree"], result["relative_differences"]
    for cell, floor_hours in result["cells_floor"].items():
        assert floor_hours > 0, cell  # every cell is populated, so the comparison means something
        assert result["cells_pipeline"][cell] == pytest.approx(floor_hours, rel=1e-6)
        assert result["cells_pipeline_csv"][cell] == pytest.approx(floor_hours, rel=1e-6)


def test_generated_delivery_is_accepted_whole(bench):
    """The generated delivery follows docs/EXTRACTS.md: the pipeline quarantines no row of it."""
    _, _, workdir = bench
    for warehouse in ("warehouse_parquet.duckdb", "warehouse_csv.duckdb"):
        con = duckdb.connect(str(workdir / f"{warehouse}.werk" / "werkruimte.duckdb"), read_only=True)
        try:
            for extract in ("polis", "werkgevers", "doelgroepregister"):
                read, rejected = _one(con, "SELECT sum(rijen_gelezen), sum(rijen_quarantaine) "
                                           "FROM kwaliteit.bestanden WHERE extract = ?", [extract])
                assert read > 0 and rejected == 0, (warehouse, extract, rejected)
        finally:
            con.close()


def test_bench_reuses_a_delivery_of_the_same_scale(bench):
    result, _, workdir = bench
    lines: list[str] = []
    from pipeline.bench import _deliveries

    _, _, manifest = _deliveries(workdir, SCALE, YEAR, lines.append)
    assert lines and lines[0].startswith("levering hergebruikt")
    assert manifest["polis"] == result["rows"]


# --------------------------------------------------------------------------- the generator


@pytest.fixture(scope="module")
def delivery(bench):
    result, _, workdir = bench
    return workdir / "levering_parquet", result["delivery"]


def _files(root: Path, extract: str) -> list[str]:
    return sorted(str(p) for p in (root / extract).glob("*.parquet"))


def test_bsns_pass_the_elfproef_and_are_unique_per_person(delivery):
    root, counts = delivery
    con = _con()
    bsns = f"""
        SELECT bsn FROM read_parquet({_files(root, 'polis')})
        UNION ALL SELECT bsn FROM read_parquet({_files(root, 'doelgroepregister')})
    """
    total, bad = _one(con, f"""
        SELECT count(*), count(*) FILTER (WHERE NOT regexp_full_match(bsn, '[0-9]{{9}}') OR
            (9 * (ascii(bsn[1]) - 48) + 8 * (ascii(bsn[2]) - 48) + 7 * (ascii(bsn[3]) - 48)
             + 6 * (ascii(bsn[4]) - 48) + 5 * (ascii(bsn[5]) - 48) + 4 * (ascii(bsn[6]) - 48)
             + 3 * (ascii(bsn[7]) - 48) + 2 * (ascii(bsn[8]) - 48) - (ascii(bsn[9]) - 48)) % 11 <> 0)
        FROM ({bsns})""")
    assert total > 0 and bad == 0
    # every employee has an IKV of the year, so distinct BSNs = persons (no two persons share one)
    polis_year = [f for f in _files(root, "polis") if f"polis_{YEAR}_" in f]
    assert _one(con, f"SELECT count(DISTINCT bsn) FROM read_parquet({polis_year})")[0] == counts["n_werknemers"]
    register = _one(con, f"SELECT count(DISTINCT bsn) FROM read_parquet({_files(root, 'doelgroepregister')})")[0]
    assert register == counts["n_doelgroep_werkend"] + counts["n_doelgroep_niet_werkend"]
    working = _one(con, f"""SELECT count(DISTINCT r.bsn) FROM read_parquet({_files(root, 'doelgroepregister')}) r
                            WHERE r.bsn IN (SELECT bsn FROM read_parquet({polis_year}))""")[0]
    assert working == counts["n_doelgroep_werkend"]


def test_polis_rows_follow_extracts_and_method(delivery):
    root, _ = delivery
    con = _con()
    polis = f"read_parquet({_files(root, 'polis')})"
    assert _one(con, f"""SELECT count(*) FROM {polis} WHERE verloonde_uren > 24 * (date_diff('day', tijdvak_begin,
                         tijdvak_einde) + 1) OR tijdvak_einde < tijdvak_begin
                         OR year(tijdvak_einde) <> year(tijdvak_begin)""")[0] == 0
    assert _one(con, f"SELECT count(*) FROM {polis} WHERE NOT regexp_full_match(loonheffingennummer, "
                     "'[0-9]{9}L[0-9]{2}')")[0] == 0
    # each period kind is present, with the calendar of METHOD R3
    periods = {(b.isoformat(), e.isoformat()) for b, e in con.execute(
        f"SELECT DISTINCT tijdvak_begin, tijdvak_einde FROM {polis} WHERE year(tijdvak_begin) = {YEAR}").fetchall()}
    assert {(f"{YEAR}-12-01", f"{YEAR}-12-31"), (f"{YEAR}-02-01", f"{YEAR}-02-28")} <= periods  # months
    assert {(f"{YEAR}-11-05", f"{YEAR}-12-02"), (f"{YEAR}-12-03", f"{YEAR}-12-31")} <= periods  # 4 weeks, 13th
    assert {(f"{YEAR}-01-01", f"{YEAR}-01-01"), (f"{YEAR}-12-25", f"{YEAR}-12-31")} <= periods  # weeks, cut
    # shares of period kinds per IKV, corrections, and corrections after the cut-off
    kinds = dict(con.execute(f"""
        SELECT soort, count(*) / sum(count(*)) OVER () FROM (
            SELECT loonheffingennummer, ikv_id,
                   CASE count(DISTINCT tijdvak_begin) WHEN 12 THEN 'maand' WHEN 13 THEN 'vierweken' ELSE 'week' END AS soort
            FROM {polis} WHERE year(tijdvak_begin) = {YEAR} GROUP BY ALL) GROUP BY soort""").fetchall())
    assert kinds["maand"] == pytest.approx(0.92, abs=0.02)
    assert kinds["vierweken"] == pytest.approx(0.06, abs=0.015)
    assert kinds["week"] == pytest.approx(0.02, abs=0.01)
    share, late = _one(con, f"""
        SELECT avg((volgnummer = 2)::INTEGER),
               count(*) FILTER (WHERE volgnummer = 2 AND tijdvak_einde >= DATE '{YEAR}-12-01'
                                AND aanleverdatum > DATE '{YEAR + 1}-05-01')
        FROM {polis} WHERE year(tijdvak_begin) = {YEAR}""")
    assert share == pytest.approx(0.02, abs=0.005) and late > 0
    # the nulmeting file: December 2012 only
    nul = [f for f in _files(root, "polis") if "polis_2012" in f]
    assert _one(con, f"SELECT count(*) FILTER (WHERE tijdvak_einde < DATE '2012-12-01' OR year(tijdvak_begin) <> 2012)"
                     f" FROM read_parquet({nul})")[0] == 0


def test_employers_and_register_hold_every_kind(delivery):
    root, _ = delivery
    con = _con()
    werkgevers = f"read_parquet({_files(root, 'werkgevers')})"
    kinds = _one(con, f"""SELECT bool_or(overheidswerkgever AND sector_risicogroep BETWEEN 61 AND 66
                                 AND overheidssector IS NOT NULL),
                                 bool_or(overheidswerkgever AND uren_sectorfonds_aandeel >= 0.5),
                                 bool_or(sector_risicogroep = 52), bool_or(sw_bedrijf),
                                 bool_and(regexp_full_match(arbeidsmarktregio, 'AMR(0[1-9]|[12][0-9]|3[0-5])')),
                                 count(*) > count(DISTINCT loonheffingennummer)
                          FROM {werkgevers}""")
    assert all(kinds), kinds
    assert _one(con, f"""SELECT count(*) FROM {werkgevers} a JOIN {werkgevers} b
                         ON a.loonheffingennummer = b.loonheffingennummer AND a.geldig_vanaf < b.geldig_vanaf
                         AND coalesce(a.geldig_tot, DATE '9999-12-31') >= b.geldig_vanaf""")[0] == 0
    # every payroll row's employer has a version in the calendar year of the period
    assert _one(con, f"""SELECT count(*) FROM read_parquet({_files(root, 'polis')}) p WHERE NOT EXISTS (
                         SELECT 1 FROM {werkgevers} w WHERE w.loonheffingennummer = p.loonheffingennummer
                         AND w.geldig_vanaf <= make_date(year(p.tijdvak_begin), 12, 31)
                         AND coalesce(w.geldig_tot, DATE '9999-12-31') >= make_date(year(p.tijdvak_begin), 1, 1))
                      """)[0] == 0
    register = f"read_parquet({_files(root, 'doelgroepregister')})"
    grounds, open_, one_day, counting = _one(con, f"""
        SELECT count(DISTINCT grondslag), count(*) FILTER (WHERE datum_einde IS NULL),
               count(*) FILTER (WHERE datum_einde = datum_ingang),
               count(*) FILTER (WHERE grondslag NOT IN ('VOORZIENING', 'BESCHUT'))
        FROM {register}""")
    assert grounds == 9 and open_ > 0 and one_day > 0 and 0 < counting


def test_row_counts_are_proportional_to_scale(delivery, tmp_path):
    _, small = delivery
    double = generate_national(tmp_path / "dubbel", 2 * SCALE, year=YEAR)
    for key in ("polis_jaar", "doelgroepregister", "werkgevers"):
        assert double[key] / small[key] == pytest.approx(2, rel=0.1), key
    sizes = national_sizes(1.0)
    assert (sizes["werknemers"], sizes["ikv"], sizes["werkgevers"]) == (8_000_000, 10_000_000, 400_000)
    assert small["polis_jaar"] / small["n_ikv"] == pytest.approx(12.88 * 1.02, rel=0.03)


def test_generation_is_deterministic_and_csv_holds_the_same_rows(delivery, tmp_path):
    root, counts = delivery
    again = tmp_path / "opnieuw"
    generate_national(again, SCALE, year=YEAR, seed=1)

    def digest(folder: Path) -> dict[str, str]:
        return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(folder.rglob("*.parquet"))}

    assert digest(again) == digest(root)
    other = generate_national(tmp_path / "ander_zaad", SCALE, year=YEAR, seed=2)
    assert digest(tmp_path / "ander_zaad") != digest(root) and other["n_ikv"] == counts["n_ikv"]

    csv_root = root.parent / "levering_csv"
    con = _con()
    for parquet in sorted(root.rglob("*.parquet")):
        csv_file = csv_root / parquet.parent.name / (parquet.stem + ".csv")
        text = csv_file.read_text(encoding="utf-8")
        assert text.splitlines()[0].count(";") >= 4 and "true" not in text and "false" not in text
        rows_csv = _one(con, "SELECT count(*) FROM read_csv(?, delim = ';', header = true, all_varchar = true)",
                        [str(csv_file)])[0]
        assert rows_csv == _one(con, "SELECT count(*) FROM read_parquet(?)", [str(parquet)])[0]
    first = (csv_root / "polis" / f"polis_{YEAR}_01.csv").read_text(encoding="utf-8").splitlines()[1].split(";")
    assert re.fullmatch(r"-?\d+,\d{2}", first[5]) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", first[3])
