"""End to end: generated deliveries measured through the CLI / Dagster job, compared with values
computed independently of the pipeline's SQL — the generator's own bookkeeping (numpy) and the
published figures of data/reference/gepubliceerde_cijfers.csv."""

from __future__ import annotations

import csv
import os
import subprocess
import sys

import duckdb
import pytest

from pipeline.cli import DEMO_KEY
from pipeline.demo.bookkeeping import Bookkeeping, bookkeeping_path
from pipeline.demo.delivery import DEMO_YEARS
from pipeline.paths import REFERENCE_DIR

pytestmark = pytest.mark.slow  # runs the pipeline (a Dagster run) end to end


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    """`banenafspraak demo` once for the whole test run: the national-size synthetic delivery with
    its bookkeeping (written by the generator beside the delivery) and the published warehouse.
    Every end-to-end test reads this one warehouse."""
    root = tmp_path_factory.mktemp("demo")
    warehouse = root / "banenafspraak.duckdb"
    result = subprocess.run([sys.executable, "-m", "pipeline.cli", "demo", "--warehouse", str(warehouse)],
                            capture_output=True, text=True, timeout=1800,
                            env={k: v for k, v in os.environ.items() if k != "BANENAFSPRAAK_PSEUDONIEM_SLEUTEL"})
    assert result.returncode == 0, result.stderr
    book = Bookkeeping.from_json(bookkeeping_path(root / "demo_levering"))
    con = duckdb.connect(str(warehouse), read_only=True)
    yield book, con, root, result
    con.close()


def test_hours_per_cell_equal_the_generators_bookkeeping(demo):
    book, con, _, _ = demo
    cells = {(j, s, v): (u, voorlopig) for j, s, v, u, voorlopig in con.execute(
        "SELECT jaar, sector, vorm, uren, voorlopig FROM meting.banen").fetchall()}
    for year in DEMO_YEARS:
        expected = book.uren[year]
        share = book.aandeel_markt[year]
        assert cells[(year, "markt", "formeel")][0] == pytest.approx(expected["formeel_markt"], abs=1e-6)
        assert cells[(year, "overheid", "formeel")][0] == pytest.approx(expected["formeel_overheid"], abs=1e-6)
        assert cells[(year, "markt", "inleen")][0] == pytest.approx(expected["inleen"] * share, abs=1e-6)
        assert cells[(year, "overheid", "inleen")][0] == pytest.approx(expected["inleen"] * (1 - share), abs=1e-6)
        assert cells[(year, "markt", "formeel")][1] is (book.sleutel[year] == "voorlopig")


def test_banen_and_extra_banen_follow_from_the_bookkeeping(demo):
    book, con, _, _ = demo
    per_baan = 25.5 * 31 / 7
    nul = book.uren[2012]
    for year in DEMO_YEARS:
        got = dict(((s, v), e) for s, v, e in con.execute(
            "SELECT sector, vorm, extra_banen FROM meting.banen WHERE jaar = ?", [year]).fetchall())
        hours = book.uren[year]
        assert got[("markt", "formeel")] == pytest.approx(
            (hours["formeel_markt"] - nul["formeel_markt"]) / per_baan, abs=1e-8)
        assert got[("overheid", "inleen")] == pytest.approx(
            (hours["inleen"] * (1 - book.aandeel_markt[year]) - nul["inleen"] * 0.24) / per_baan, abs=1e-8)


def test_persons_equal_the_bookkeeping(demo):
    book, con, _, _ = demo
    got = {j: (w, o) for j, w, o in con.execute(
        "SELECT jaar, werkzame_personen, doelgroep_omvang FROM meting.personen").fetchall()}
    assert got == {y: (book.werkzame_personen[y], book.doelgroep_omvang[y]) for y in DEMO_YEARS}


def test_every_bad_row_and_only_those_are_quarantined_with_the_expected_rule(demo):
    book, con, _, _ = demo
    got = set(con.execute("SELECT bron_bestand, regelnummer, regel FROM kwaliteit.quarantaine").fetchall())
    expected = {(r["bron_bestand"], r["regelnummer"], r["regel"]) for r in book.bad_rows}
    assert got == expected
    files = con.execute(
        "SELECT bron_bestand, rijen_gelezen, rijen_geaccepteerd + rijen_quarantaine FROM kwaliteit.bestanden").fetchall()
    assert {f: n for f, n, _ in files} == {f"{extract}/{name}" if "/" not in name else name: n
                                           for extract, per_file in book.rows.items() for name, n in per_file.items()}
    assert all(read == sum_ for _, read, sum_ in files)


def test_every_year_ledger_reconciles_and_drill_down_sums_to_the_cells(demo):
    _, con, _, _ = demo
    mismatched = con.execute(
        """SELECT b.jaar, b.sector, b.vorm FROM meting.banen AS b
           LEFT JOIN (SELECT jaar, sector, vorm, sum(banen) AS banen FROM audit.herleiding GROUP BY ALL) AS h
           USING (jaar, sector, vorm)
           -- summed in floating point over ~10^5 records: equal to 1e-12 relative (15 significant digits)
           WHERE abs(b.banen - coalesce(h.banen, 0)) > 1e-12 * abs(b.banen)""").fetchall()
    assert mismatched == []
    years = {j for (j,) in con.execute("SELECT DISTINCT jaar FROM audit.grootboek").fetchall()}
    assert years == set(DEMO_YEARS)


def test_replay_confirms_a_demo_year(demo):
    _, _, root, _ = demo
    result = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "replay", "--delivery", str(root / "demo_levering"),
         "--warehouse", str(root / "banenafspraak.duckdb"), "--year", "2017"],
        capture_output=True, text=True, env={**os.environ, "BANENAFSPRAAK_PSEUDONIEM_SLEUTEL": DEMO_KEY}, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "replay 2017: identiek" in result.stdout


def _published() -> list[dict]:
    with (REFERENCE_DIR / "gepubliceerde_cijfers.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_demo_reproduces_the_published_figures(demo):
    """`banenafspraak demo` at national size reproduces Table 1 of 2021 and every published total."""
    _, con, _, result = demo
    checked = 0
    for row in _published():
        year, what, sector, vorm, value = int(row["jaar"]), row["grootheid"], row["sector"], row["vorm"], int(row["waarde"])
        where = "jaar = ?" + ("" if sector == "totaal" else f" AND sector = '{sector}'") \
            + ("" if vorm == "totaal" else f" AND vorm = '{vorm}'")
        if what == "extra_banen":
            got = con.execute(f"SELECT round(sum(extra_banen)) FROM meting.banen WHERE {where}", [year]).fetchone()[0]
        elif what == "banen":
            got = con.execute(f"SELECT round(sum(banen)) FROM meting.banen WHERE {where}", [year]).fetchone()[0]
        elif what == "verandering_tov_vorig_jaar":
            now = con.execute(f"SELECT sum(banen) FROM meting.banen WHERE {where}", [year]).fetchone()[0]
            before = con.execute(f"SELECT sum(banen) FROM meting.banen WHERE {where}", [year - 1]).fetchone()[0]
            got = round(now - before)
        else:
            got = con.execute(f"SELECT {what} FROM meting.personen WHERE jaar = ?", [year]).fetchone()[0]
        assert int(got) == value, row
        checked += 1
    assert checked == len(_published())
    # Table 1 of 2021 as the Kamerbrief prints it, from the view
    table = {r: (m, o, t) for r, m, o, t in con.execute(
        "SELECT regel, markt, overheid, totaal FROM meting.tabel1 WHERE jaar = 2021").fetchall()}
    assert table["formele dienstverbanden"] == (59928, 7094, 67021)
    assert table["inleenverbanden (uitzend + Wsw-detachering)"] == (1039, 4748, 5787)
    assert table["totaal extra banen"] == (60966, 11842, 72809)
    assert table["doelstelling"] == (60000, 20000, 80000)
    assert "Tabel 1, meting 2021" in result.stdout


def test_breakdowns_add_up_to_the_published_cells(demo):
    _, con, _, _ = demo
    bad = con.execute(
        """SELECT b.jaar, r.indeling, b.sector, b.vorm, b.banen, sum(r.banen) AS som
           FROM meting.banen AS b JOIN meting.banen_regio AS r USING (jaar, sector, vorm)
           GROUP BY ALL HAVING abs(b.banen - sum(r.banen)) > 1e-6""").fetchall()
    assert bad == []
    bad = con.execute(
        """SELECT b.jaar FROM meting.banen AS b
           JOIN (SELECT jaar, sum(banen) AS banen FROM meting.banen_overheidssector GROUP BY jaar) AS o USING (jaar)
           WHERE b.sector = 'overheid' AND b.vorm = 'formeel' AND abs(b.banen - o.banen) > 1e-6""").fetchall()
    assert bad == []
    assert con.execute("SELECT count(DISTINCT jaar) FROM meting.banen_regio").fetchone()[0] == len(DEMO_YEARS)


def test_employer_totals_and_quotum_equal_the_generators_bookkeeping(demo):
    """METHOD R15–R17 against pipeline.demo.bookkeeping.quotum_oracle (numpy, from the generator's arrays):
    per year the number of employers with payroll, the sum of A and the number liable; per sampled
    employer (and every inleen lender and borrower) A, A(Y−1), liability, C after crediting and the tekort."""
    book, con, _, _ = demo
    checked = 0
    for year, totals in book.quotum["totalen"].items():
        n, a, liable = con.execute(
            "SELECT count(*), sum(uren_totaal), count(*) FILTER (WHERE quotumplichtig) FROM quotum.werkgevers "
            "WHERE jaar = ?", [int(year)]).fetchone()
        assert (n, liable) == (totals["werkgevers"], totals["quotumplichtig"]), year
        assert float(a) == pytest.approx(totals["uren_totaal"], abs=1e-6)
        got = {r[0]: r[1:] for r in con.execute(
            "SELECT loonheffingennummer, sector, uren_totaal, uren_totaal_vorig_jaar, quotumplichtig, "
            "uren_arbeidsbeperkten, quotumtekort FROM quotum.werkgevers WHERE jaar = ?", [int(year)]).fetchall()}
        for lhn, want in book.quotum["werkgevers"][year].items():
            sector, a_y, a_prev, plichtig, c, tekort = got[lhn]
            assert sector == want["sector"] and plichtig is want["quotumplichtig"], (year, lhn)
            assert float(a_y) == pytest.approx(want["uren_totaal"], abs=1e-6)
            assert (a_prev is None) == (want["uren_totaal_vorig_jaar"] is None)
            if a_prev is not None:
                assert float(a_prev) == pytest.approx(want["uren_totaal_vorig_jaar"], abs=1e-6)
            assert float(c) == pytest.approx(want["uren_arbeidsbeperkten"], abs=1e-6), (year, lhn)
            assert (None if tekort is None else int(tekort * 10)) == want["quotumtekort_tienden"], (year, lhn)
            checked += 1
    assert checked > 100
    # some sampled employers owe a tekort, and none pays a levy (Wfsv art. 122na)
    assert con.execute("SELECT count(*) FROM quotum.werkgevers WHERE quotumtekort > 0").fetchone()[0] > 0
    assert con.execute("SELECT count(*) FROM quotum.werkgevers WHERE heffing <> 0").fetchone()[0] == 0
    # inleen credits never exceed the person's hours at the lender
    assert con.execute("SELECT count(*) FROM quotum.inleen WHERE uren_verrekend > uren_opgegeven "
                       "OR (uren_opgegeven_persoon > uren_bij_uitlener AND uren_verrekend > uren_bij_uitlener)"
                       ).fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM quotum.inleen WHERE uren_opgegeven_persoon > uren_bij_uitlener"
                       ).fetchone()[0] > 0


def test_participation_equals_the_generators_bookkeeping(demo):
    book, con, _, _ = demo
    for year, cells in book.quotum["deelname"].items():
        got = {f"{s}|{k}": [w, d] for s, k, w, d in con.execute(
            "SELECT sector, grootteklasse, werkgevers, deelnemend FROM meting.deelname WHERE jaar = ?",
            [int(year)]).fetchall()}
        assert got == cells, year
