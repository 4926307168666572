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

# runs the pipeline end to end; under pytest-xdist every test of the demo runs in one worker, so
# the session fixture below builds the demo once per test run
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("demo")]


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


def test_scenario_2023_under_the_new_law_differs_per_cell_as_the_bookkeeping_says(demo, tmp_path):
    """METHOD R14: `banenafspraak scenario --year 2023 --regeling wet_banenafspraak_2025` on the demo
    (a copy of its warehouse): every cell of scenario.verschil equals the difference between the
    generator's own scenario bookkeeping (numpy, voorziening counting) and its official one, and
    meting.* stays identical."""
    import shutil

    from tests.test_scenario import _snapshot

    book, _, root, _ = demo
    regeling, year = "wet_banenafspraak_2025", 2023
    warehouse = tmp_path / "banenafspraak.duckdb"
    shutil.copyfile(root / "banenafspraak.duckdb", warehouse)
    before = _snapshot(warehouse, ("meting",))
    result = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "scenario", "--delivery", str(root / "demo_levering"),
         "--warehouse", str(warehouse), "--year", str(year), "--regeling", regeling],
        capture_output=True, text=True, env={**os.environ, "BANENAFSPRAAK_PSEUDONIEM_SLEUTEL": DEMO_KEY}, timeout=1200)
    assert result.returncode == 0, result.stderr
    assert _snapshot(warehouse, ("meting",)) == before
    print(result.stdout)  # the table the README quotes

    upb = book.uren_per_baan_venster

    def cells(uren: dict, share: float) -> dict:
        return {("markt", "formeel"): uren["formeel_markt"] / upb, ("overheid", "formeel"): uren["formeel_overheid"] / upb,
                ("markt", "inleen"): uren["inleen"] * share / upb, ("overheid", "inleen"): uren["inleen"] * (1 - share) / upb}

    scen = book.scenario[regeling]["uren"]
    official = {y: cells(book.uren[y], book.aandeel_markt[y]) for y in (2012, year)}
    scenario = {y: cells(scen[y], book.aandeel_markt[y]) for y in (2012, year)}
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        got = {(j, s, v): (b, e) for j, s, v, b, e in con.execute(
            "SELECT jaar, sector, vorm, banen, extra_banen FROM scenario.verschil WHERE regeling = ?",
            [regeling]).fetchall()}
    finally:
        con.close()
    assert set(got) == {(y, s, v) for y in (2012, year) for s in ("markt", "overheid") for v in ("formeel", "inleen")}
    for (y, s, v), (banen, extra) in got.items():
        assert banen == pytest.approx(scenario[y][(s, v)] - official[y][(s, v)], abs=1e-6), (y, s, v)
        expected_extra = (scenario[y][(s, v)] - scenario[2012][(s, v)]) - (official[y][(s, v)] - official[2012][(s, v)])
        assert extra == pytest.approx(expected_extra, abs=1e-6), (y, s, v)
    assert sum(b for (y, _, _), (b, _) in got.items() if y == year) > 1  # visibly more banen under the new law
# --- METHOD §5: flows, durability and register flows against the generator's own bookkeeping -------

def test_flows_of_every_year_equal_the_generators_bookkeeping(demo):
    """meting.stromen of every measured year and both base years, every category and cel: persons
    exactly, banen to 1e-6 (the bookkeeping sums floats, the pipeline exact decimals)."""
    book, con, _, _ = demo
    got = {(j, b, k, c): (p, banen, o) for j, b, k, c, p, banen, o in con.execute(
        "SELECT jaar, basisjaar, categorie, cel, personen, banen, banen_ongeteld_basisjaar FROM meting.stromen"
    ).fetchall()}
    expected_keys = set()
    for key, per_category in book.stromen.items():
        y, x = map(int, key.split("/"))
        for categorie, cellen in per_category.items():
            for cel, (personen, banen) in cellen.items():
                expected_keys.add((y, x, categorie, cel))
                assert got[(y, x, categorie, cel)][0] == personen, (key, categorie, cel)
                assert got[(y, x, categorie, cel)][1] == pytest.approx(banen, abs=1e-6), (key, categorie, cel)
        for cel, ongeteld in book.banen_ongeteld[key].items():
            assert got[(y, x, "registratie_effect", cel)][2] == pytest.approx(ongeteld, abs=1e-6), (key, cel)
    assert set(got) == expected_keys
    assert len(book.stromen) == 2 * (len(DEMO_YEARS) - 1) - 1  # 2015 has one base year (2012)
    # every category shows up in the demo (the cumulative flows of 2019 and the yearly ones of 2021)
    for key in ("2019/2012", "2021/2020"):
        persons = {k: sum(v[0] for v in cellen.values()) for k, cellen in book.stromen[key].items()}
        assert all(n > 0 for n in persons.values()), (key, persons)


def test_the_extra_banen_of_2019_decompose_exactly_and_the_registration_effect_is_of_cedris_order(demo):
    """How many of the extra banen of 2019 belonged to people who already worked before they were
    registered: the registratie_effect of 2019 against the nulmeting. The categories add up to the
    extra banen of meting.banen; the demo is calibrated to Cedris's estimate (~41,000 of ~62,000)."""
    book, con, _, _ = demo
    extra = con.execute("SELECT sum(extra_banen) FROM meting.banen WHERE jaar = 2019").fetchone()[0]
    per_category = dict(con.execute("""SELECT categorie, sum(banen) FROM meting.stromen
                                       WHERE jaar = 2019 AND basisjaar = 2012 GROUP BY categorie""").fetchall())
    assert sum(per_category.values()) == pytest.approx(extra, abs=1e-6)
    assert round(extra) == 61615
    expected = sum(v[1] for v in book.stromen["2019/2012"]["registratie_effect"].values())
    assert per_category["registratie_effect"] == pytest.approx(expected, abs=1e-6)
    assert 38_000 < per_category["registratie_effect"] < 44_000
    # exactly, in hours: the drill-down's decimal contributions sum to the change of every cel
    off = con.execute("""
        WITH s AS (SELECT cel, sum(bijdrage_uren) AS uren FROM audit.stromen_personen
                   WHERE jaar = 2019 AND basisjaar = 2012 GROUP BY cel),
             b AS (SELECT CASE WHEN vorm = 'inleen' THEN 'inleen' ELSE 'formeel_' || sector END AS cel,
                          sum(uren) FILTER (WHERE jaar = 2019) - sum(uren) FILTER (WHERE jaar = 2012) AS uren
                   FROM meting.banen GROUP BY ALL)
        SELECT s.cel, s.uren, b.uren FROM s JOIN b USING (cel)
        WHERE abs(CAST(s.uren AS DOUBLE) - b.uren) > 1e-6""").fetchall()
    assert off == []


def test_register_flows_and_durability_equal_the_bookkeeping(demo):
    book, con, _, _ = demo
    register = {}
    for j, b, g, i, u in con.execute("SELECT * FROM meting.register_stromen").fetchall():
        register.setdefault(f"{j}/{b}", {})[g] = [i, u]
    assert register == book.register_stromen
    durability = {f"{j}/{b}": [p, w] for j, b, p, w in con.execute(
        "SELECT jaar, basisjaar, sum(personen_basisjaar), sum(werkt_nog) FROM meting.duurzaamheid GROUP BY ALL"
    ).fetchall()}
    assert durability == book.duurzaamheid
    omvang = dict(con.execute("SELECT jaar, doelgroep_omvang FROM meting.personen").fetchall())
    for key, per_grondslag in register.items():
        y, x = map(int, key.split("/"))
        assert omvang[y] == omvang[x] + sum(i for i, _ in per_grondslag.values()) - sum(u for _, u in per_grondslag.values())


def test_flow_drilldown_holds_each_person_once_and_sums_to_the_flows(demo):
    _, con, _, _ = demo
    assert con.execute("""SELECT count(*) FROM (SELECT jaar, basisjaar, persoon_id FROM audit.stromen_personen
                          GROUP BY ALL HAVING count(DISTINCT categorie) > 1)""").fetchone()[0] == 0
    assert con.execute("""SELECT count(*) FROM audit.stromen_personen
                          WHERE NOT regexp_full_match(persoon_id, '[0-9a-f]{64}')""").fetchone()[0] == 0
    off = con.execute("""
        SELECT s.jaar, s.basisjaar, s.categorie, s.cel FROM meting.stromen AS s
        LEFT JOIN (SELECT jaar, basisjaar, categorie, cel, sum(bijdrage_uren) AS uren FROM audit.stromen_personen
                   GROUP BY ALL) AS p USING (jaar, basisjaar, categorie, cel)
        WHERE abs(s.banen - CAST(coalesce(p.uren, 0) AS DOUBLE) / (25.5 * 31 / 7)) > 1e-9""").fetchall()
    assert off == []
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
