"""METHOD §4 breakdowns (sql/meting/S4_*.sql): hand-made rows in, expected rows out."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import insert, rows, run_step

D = 25.5 * 31 / 7


def _telbaar(persoon, lhn, vorm, sector, overheidssector, regio, uren):
    return dict(jaar=2021, bron_bestand="p", regelnummer=hash((persoon, lhn, uren)) % 10**6, persoon_id=persoon,
                loonheffingennummer=lhn, ikv_id="1", tijdvak_begin=dt.date(2021, 12, 1), vorm=vorm,
                inleen_soort="uitzend" if vorm == "inleen" else None, sector=sector,
                overheidssector=overheidssector, werkgever_regio=regio, uren_venster=uren)


@pytest.fixture
def measured(werkdb):
    insert(werkdb, "meting.verdeelsleutel", [dict(jaar=2021, aandeel_markt=0.68, aandeel_overheid=0.32,
                                                voorlopig=False, bron="test")])
    insert(werkdb, "werk.telbare_uren", [
        _telbaar("p1", "L1", "formeel", "overheid", "Gemeenten", "AMR01", 100),
        _telbaar("p2", "L1", "formeel", "overheid", "Gemeenten", "AMR01", 50),
        _telbaar("p3", "L2", "formeel", "overheid", "Rijk", "AMR02", 40),
        _telbaar("p1", "L3", "formeel", "markt", None, "AMR02", 10),
        _telbaar("p4", "L4", "inleen", None, None, "AMR03", 25),
    ])
    insert(werkdb, "ingest.doelgroepregister", [
        # p1 moved: the latest registration before the end of the window gives the woonregio
        dict(bron_bestand="r", regelnummer=2, persoon_id="p1", grondslag="IB", datum_ingang=dt.date(2015, 1, 1),
             datum_einde=dt.date(2020, 12, 31), woonregio="AMR10"),
        dict(bron_bestand="r", regelnummer=3, persoon_id="p1", grondslag="WAJONG", datum_ingang=dt.date(2021, 1, 1),
             woonregio="AMR11"),
        dict(bron_bestand="r", regelnummer=4, persoon_id="p2", grondslag="IB", datum_ingang=dt.date(2015, 1, 1),
             woonregio="AMR10"),
        # a later registration starting after the window does not count
        dict(bron_bestand="r", regelnummer=5, persoon_id="p2", grondslag="IB", datum_ingang=dt.date(2022, 3, 1),
             woonregio="AMR20"),
        # a non-counting ground gives no woonregio
        dict(bron_bestand="r", regelnummer=6, persoon_id="p3", grondslag="BESCHUT", datum_ingang=dt.date(2015, 1, 1),
             woonregio="AMR30"),
        dict(bron_bestand="r", regelnummer=7, persoon_id="p4", grondslag="PR", datum_ingang=dt.date(2019, 1, 1),
             woonregio="AMR12"),
        # a one-day registration is ignored, as in R4 (it is later, but does not move p4)
        dict(bron_bestand="r", regelnummer=8, persoon_id="p4", grondslag="IB", datum_ingang=dt.date(2021, 6, 1),
             datum_einde=dt.date(2021, 6, 1), woonregio="AMR33"),
    ])
    run_step(werkdb, ("meting/S4_banen_overheidssector.sql", "meting/S4_banen_regio.sql"), 2021)
    return werkdb


def test_government_formal_jobs_by_overheidssector(measured):
    got = rows(measured, "SELECT overheidssector, uren, banen FROM meting.banen_overheidssector ORDER BY 1")
    assert got == [
        {"overheidssector": "Gemeenten", "uren": 150.0, "banen": pytest.approx(150 / D, abs=1e-12)},
        {"overheidssector": "Rijk", "uren": 40.0, "banen": pytest.approx(40 / D, abs=1e-12)},
    ]


def test_regions_by_residence_with_inleen_split_by_the_key(measured):
    got = {(r["arbeidsmarktregio"], r["sector"], r["vorm"]): r["uren"] for r in rows(
        measured, "SELECT * FROM meting.banen_regio WHERE indeling = 'woonregio'")}
    assert got == {
        ("AMR11", "overheid", "formeel"): 100.0, ("AMR11", "markt", "formeel"): 10.0,
        ("AMR10", "overheid", "formeel"): 50.0,
        ("onbekend", "overheid", "formeel"): 40.0,
        ("AMR12", "markt", "inleen"): pytest.approx(25 * 0.68), ("AMR12", "overheid", "inleen"): pytest.approx(25 * 0.32),
    }


def test_regions_by_employer(measured):
    got = {(r["arbeidsmarktregio"], r["sector"], r["vorm"]): r["uren"] for r in rows(
        measured, "SELECT * FROM meting.banen_regio WHERE indeling = 'werkgeverregio'")}
    assert got == {
        ("AMR01", "overheid", "formeel"): 150.0, ("AMR02", "overheid", "formeel"): 40.0,
        ("AMR02", "markt", "formeel"): 10.0,
        ("AMR03", "markt", "inleen"): pytest.approx(25 * 0.68), ("AMR03", "overheid", "inleen"): pytest.approx(25 * 0.32),
    }
