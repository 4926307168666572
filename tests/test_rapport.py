"""The yearly report (`banenafspraak rapport`, asset publicatie/rapport), checked in a real browser.

The reports are built from the shared published run of tests/published.py (2012, 2021 and 2022;
2022 with a provisional key, and no 2020, so 2021's change line is empty with a reason) and opened
in Debian's headless Chromium, driven over the DevTools protocol (tests/browser.py): the page loads
with no console error and no network request, every chart drew its marks and has a table and a text
alternative, the numbers of Table 1 on the page are the numbers of meting.tabel1, and the page
prints on A4 without anything wider than the paper.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from pipeline.cli import main
from pipeline.rapport import charts, opmaak
from pipeline.rapport.assets import RAPPORT, report_path
from pipeline.rapport.build import build_report
from tests.browser import CHROMIUM, Chromium
from tests.published import published_warehouse

# builds on a published pipeline run and starts a browser; one xdist worker runs the whole module,
# so the reports are built and the browser started once
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("rapport")]

SCREENSHOT = Path("/tmp/rapport_screenshot.png")  # kept for whoever reviews the page
REGIO = {"grafiek-woonregio", "grafiek-werkgeverregio"}
CHARTS = {  # the small delivery has a government employer in 2021 only
    2021: {"grafiek-doelstelling", "grafiek-vorm", "grafiek-stromen", "grafiek-overheidssector", *REGIO},
    2022: {"grafiek-doelstelling", "grafiek-vorm", "grafiek-stromen", *REGIO},
    2012: REGIO,  # the nulmeting: no year after it to chart
}
A4_CONTENT_PX = round((210 - 2 * 14) / 25.4 * 96)  # @page margin 14 mm left and right


@pytest.fixture(scope="module")
def warehouse() -> Path:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} ontbreekt: apt-get install -y chromium (zoals .ci/run doet)")
    return published_warehouse()


@pytest.fixture(scope="module")
def reports(warehouse, tmp_path_factory) -> dict[int, Path]:
    out = tmp_path_factory.mktemp("rapport")
    return {year: build_report(warehouse, year, out / f"rapport_{year}.html").out for year in (2021, 2012, 2022)}


@pytest.fixture(scope="module")
def browser():
    with Chromium() as chromium:
        yield chromium


@pytest.fixture(scope="module")
def opened(reports, browser, tmp_path_factory) -> dict[int, dict]:
    """Each report opened once: its problems and the facts the tests read from the DOM; the last one
    (2022) also as a full-page screenshot."""
    shots = tmp_path_factory.mktemp("schermafdruk")
    found = {}
    for year, path in reports.items():
        browser.open(path)
        found[year] = {
            "problemen": browser.problems(),
            "grafieken": browser.evaluate("""Object.fromEntries([...document.querySelectorAll('svg[data-grafiek]')]
                .map(svg => [svg.dataset.grafiek, {
                    marks: svg.querySelectorAll('g.role-mark > *').length,
                    role: svg.getAttribute('role'),
                    title: (svg.querySelector(':scope > title') || {}).textContent || '',
                    desc: (svg.querySelector(':scope > desc') || {}).textContent || '',
                    tabel: !!svg.closest('figure') && !!svg.closest('figure').querySelector('.cijfers table'),
                    breedte: svg.getBoundingClientRect().width}]))"""),
            "tabel1": browser.evaluate("""[...document.querySelectorAll(
                    '#tabel1 tbody[data-bron="meting.tabel1"] tr')].map(tr => ({
                volgorde: Number(tr.dataset.volgorde), voorlopig: tr.dataset.voorlopig,
                regel: tr.querySelector('th').childNodes[0].textContent.trim(),
                cellen: Object.fromEntries([...tr.querySelectorAll('td[data-kolom]')]
                    .map(td => [td.dataset.kolom, td.querySelector('.waarde').textContent]))}))"""),
            "realisatie": browser.evaluate("""[...document.querySelectorAll(
                    '#tabel1 tbody[data-bron="meting.realisatie_afgerond"] tr')].map(tr =>
                Object.fromEntries([...tr.querySelectorAll('td[data-kolom]')]
                    .map(td => [td.dataset.kolom, td.querySelector('.waarde').textContent])))"""),
            "tekst": browser.evaluate("document.body.innerText"),
        }
    # one full-page screenshot (~1.5 s), of the page still open: 2022, provisional, every section filled
    found[2022]["screenshot"] = browser.screenshot(shots / "rapport_2022.png")
    shutil.copyfile(found[2022]["screenshot"], SCREENSHOT)
    return found


def tabel1(warehouse: Path, year: int) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute("SELECT volgorde, regel, markt, overheid, totaal, voorlopig, toelichting FROM meting.tabel1 "
                           "WHERE jaar = ? ORDER BY volgorde", [year]).fetchall()
    finally:
        con.close()


def test_the_page_loads_in_chromium_without_errors_or_network_requests(opened):
    for year, page in opened.items():
        assert page["problemen"] == [], (year, page["problemen"])
    assert opened[2022]["screenshot"].stat().st_size > 10_000 and SCREENSHOT.exists()


def test_every_chart_drew_its_marks_and_has_a_table_and_a_text_alternative(opened):
    for year, page in opened.items():
        assert set(page["grafieken"]) == CHARTS[year], year
        for name, chart in page["grafieken"].items():
            assert chart["marks"] > 0, (year, name)
            assert chart["role"] == "img" and chart["title"] and len(chart["desc"]) > 80, (year, name)
            assert chart["tabel"], (year, name)
            assert chart["breedte"] > 200, (year, name)


def test_table1_on_the_page_is_meting_tabel1(warehouse, opened):
    for year in (2021, 2022, 2012):
        rows = tabel1(warehouse, year)
        page = opened[year]["tabel1"]
        assert [r["volgorde"] for r in page] == [r[0] for r in rows]
        for shown, (volgorde, regel, markt, overheid, totaal, voorlopig, _) in zip(page, rows, strict=True):
            assert shown["regel"] == regel
            assert {k: opmaak.lees_getal(v) for k, v in shown["cellen"].items()} == \
                {"markt": markt, "overheid": overheid, "totaal": totaal}, (year, regel)
            assert shown["voorlopig"] == ("ja" if voorlopig else "nee")


def test_target_lines_and_reasons_come_from_the_warehouse(warehouse, opened):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        realisatie = {s: (v, p) for s, v, p in con.execute(
            "SELECT sector, verschil, realisatie_pct FROM meting.realisatie_afgerond WHERE jaar = 2022").fetchall()}
        venster = con.execute("SELECT waarde FROM audit.referentiewaarden WHERE jaar = 2022 "
                              "AND naam = 'uren_per_baan_per_week'").fetchone()[0]
        run_id, commit = con.execute(
            "SELECT DISTINCT dagster_run_id, git_commit FROM audit.runs WHERE jaar = 2022").fetchone()
        sha = con.execute("SELECT sha256 FROM audit.invoerbestanden WHERE jaar = 2022 LIMIT 1").fetchone()[0]
    finally:
        con.close()
    verschil, pct = opened[2022]["realisatie"]
    assert {k: opmaak.lees_getal(v) for k, v in verschil.items()} == {s: v for s, (v, _) in realisatie.items()}
    assert pct == {s: opmaak.procent(p) for s, (_, p) in realisatie.items()}
    text = opened[2022]["tekst"]
    assert opmaak.getal(float(venster), 1) in text  # 25,5 from audit.referentiewaarden
    assert run_id in text and commit in text and sha in text
    assert "banenafspraak replay --delivery" in text and "--year 2022" in text
    # 2021 has no 2020 in this file: line 7 is empty and says why
    [(_, _, *_, toelichting)] = [r for r in tabel1(warehouse, 2021) if r[0] == 7]
    assert toelichting and toelichting in opened[2021]["tekst"]
    assert "voorlopig" in opened[2022]["tekst"].lower() and "Voorlopige cijfers" not in opened[2021]["tekst"]


def test_the_page_is_self_contained_and_printable_on_a4(reports, browser):
    page = reports[2022].read_text(encoding="utf-8")
    assert "<script" not in page and "@import" not in page and "@font-face" not in page
    assert not re.search(r"""(src|href)=["'](?!#)""", page)  # only links inside the page
    assert not re.search(r"url\((?!#)", page) and "http://" not in page.replace("http://www.w3.org/", "")
    assert "https://" not in page
    assert re.search(r"@page\s*\{[^}]*size:\s*A4", page) and "@media print" in page
    browser.send("Emulation.setEmulatedMedia", {"media": "print"})
    browser.send("Emulation.setDeviceMetricsOverride", {"width": A4_CONTENT_PX, "height": 1100,
                                                        "deviceScaleFactor": 1, "mobile": False})
    try:
        browser.open(reports[2022])
        too_wide = browser.evaluate(f"""[...document.querySelectorAll('main table, main figure, main svg, main pre')]
            .filter(e => e.getBoundingClientRect().right > {A4_CONTENT_PX} + 1)
            .map(e => e.tagName + ' ' + (e.caption ? e.caption.textContent : ''))""")
        assert too_wide == []
        pdf = browser.pdf()
    finally:
        browser.send("Emulation.clearDeviceMetricsOverride")
        browser.send("Emulation.setEmulatedMedia", {"media": ""})
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert boxes and all(abs(float(w) - 595.3) < 1 and abs(float(h) - 841.9) < 1 for w, h in boxes)  # A4 in pt


def test_the_same_file_gives_the_same_report(warehouse, reports):
    first = reports[2021].read_bytes()
    build_report(warehouse, 2021, reports[2021])
    assert reports[2021].read_bytes() == first


def test_the_run_built_the_report_of_its_latest_year_and_linked_it(warehouse):
    path = report_path(warehouse, 2022)
    assert path.exists() and "jaarrapport meting 2022" in path.read_text(encoding="utf-8")
    from pipeline.runner import open_instance

    with open_instance(warehouse) as instance:
        event = instance.get_latest_materialization_event(RAPPORT)
    metadata = event.asset_materialization.metadata
    assert metadata["bestand"].value == str(path) and metadata["openen"].value == path.as_uri()


@pytest.mark.parametrize("case", ["geen bestand", "jaar niet gepubliceerd", "map niet beschrijfbaar", "out is map"])
def test_failures_are_one_dutch_paragraph(case, warehouse, tmp_path, capsys):
    blocker = tmp_path / "een-bestand"
    blocker.write_text("x")
    args = {
        "geen bestand": (tmp_path / "bestaat-niet.duckdb", 2022, tmp_path / "r.html", "bestaat niet"),
        "jaar niet gepubliceerd": (warehouse, 2019, tmp_path / "r.html", "gepubliceerd zijn 2012, 2021, 2022"),
        "map niet beschrijfbaar": (warehouse, 2022, blocker / "r.html", "kan het rapport niet geschreven worden"),
        "out is map": (warehouse, 2022, tmp_path, "is een map"),
    }[case]
    source, year, out, fragment = args
    code = main(["rapport", "--warehouse", str(source), "--year", str(year), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1 and fragment in err, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "r.html").exists()


def test_dutch_numbers():
    assert [opmaak.getal(v) for v in (74031, -5969, 0, -0.4, 2.5, -2.5, 1234567)] == \
        ["74.031", "\u22125.969", "0", "0", "3", "\u22123", "1.234.567"]
    assert opmaak.getal(4548, teken=True) == "+4.548" and opmaak.getal(-456, teken=True) == "\u2212456"
    assert opmaak.procent(92.47) == "92,5%" and opmaak.aandeel(0.675) == "67,5%"
    assert opmaak.getal(1.17176, 2) == "1,17" and opmaak.datum("2024-05-01") == "1 mei 2024"
    assert opmaak.lees_getal("\u22125.969") == -5969 and opmaak.lees_getal("\u2013") is None


def test_the_compiled_chart_specs_are_what_altair_makes_of_charts_py():
    """pipeline/rapport/grafieken.vl.json is regenerated with `python -m pipeline.rapport.charts`."""
    assert json.loads(json.dumps(charts.compile_specs())) == charts.load_specs()


def test_the_flows_section_shows_meting_stromen(warehouse, opened):
    """METHOD R11 on the page: per comparison and category the banen of meting.stromen, rounded."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        expected = con.execute("""SELECT basisjaar, categorie, CAST(round(sum(banen)) AS BIGINT) FROM meting.stromen
                                  WHERE jaar = 2022 GROUP BY ALL HAVING sum(banen) <> 0""").fetchall()
    finally:
        con.close()
    text = opened[2022]["tekst"]
    assert "Waar de verandering vandaan komt" in text
    assert expected, "the small delivery has flows in 2022"
    assert "t.o.v. de nulmeting 2012" in text and "t.o.v. meting 2021" in text
    from pipeline.rapport.build import STROOM_NAAM

    for _, categorie, _ in expected:
        assert STROOM_NAAM[categorie] in text
    assert "Het bestand heeft geen stromen" in opened[2012]["tekst"]
def test_participation_and_quotum_summary_come_from_the_warehouse(warehouse, reports, opened):
    """Section 8a: the rows of meting.deelname of the year and a quotum summary per sector of quotum.werkgevers."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        deelname = con.execute("SELECT sector, grootteklasse, werkgevers, deelnemend FROM meting.deelname "
                               "WHERE jaar = 2021").fetchall()
        sectoren = con.execute("SELECT DISTINCT coalesce(sector, 'onbekend') FROM quotum.werkgevers "
                               "WHERE jaar = 2021").fetchall()
    finally:
        con.close()
    html = reports[2021].read_text(encoding="utf-8")
    tabel = re.search(r'<table id="deelname".*?</table>', html, re.S).group(0)
    got = re.findall(r'<tr[^>]*><th scope="row">([^<]+)</th><td class="tekst">([^<]+)</td>(.*?)</tr>', tabel)
    assert len(got) == len(deelname) > 0
    want = {(s, k.replace("_", " ")): (w, d) for s, k, w, d in deelname}
    for sector, klasse, cellen in got:
        waarden = [opmaak.lees_getal(v) for v in re.findall(r'class="waarde">([^<]+)<', cellen)[:2]]
        assert tuple(waarden) == want[(sector, klasse)]
    quotum = re.search(r'<table id="quotum".*?</table>', html, re.S).group(0)
    assert {s for (s,) in sectoren} == set(re.findall(r'<tr><th scope="row">([^<]+)</th>', quotum))
    assert "Werkgevers: deelname en quotum" in opened[2021]["tekst"]
