"""METHOD §5 (R11–R13): flows between two measurements, durability and register flows.

Hand-made payroll records, employers and registrations go in at the start of the measurement
(ingest.*), every step of sql/meting runs for the years of a run, and the flow tables are compared
with rows computed by hand from the METHOD text. Every category and the edges the issue names are
here: net-zero hours, a registration starting in December (the whole-period rule counts the
December period), a one-day registration (ignored), a person in two cells, an excluded job before
registration (not 'werkte_ongeteld'). The blocking checks are run on the result and on doctored
copies of it.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from pipeline.meting.assets import BLOCKING_CHECKS, blocking_check
from pipeline.sqlfiles import run_sql
from pipeline.steps import steps
from tests.conftest import insert, rows, set_years
from tests.test_rules import register, werkgever_versie

A = "100000001L01"  # market employer
B = "100000002L01"  # government employer (overheidswerkgever, no sectorfonds)
D = 25.5 * 31 / 7  # hours of one baan in December (R8)


def dec(regelnummer, persoon, jaar, uren, *, lhn=A, caa=1):
    """An accepted ingest.polis row: a December month of `uren` hours, delivered in January."""
    return dict(bron_bestand="polis/hand.csv", regelnummer=regelnummer, persoon_id=persoon, loonheffingennummer=lhn,
                ikv_id=f"ikv{regelnummer}", tijdvak_begin=f"{jaar}-12-01", tijdvak_einde=f"{jaar}-12-31",
                verloonde_uren=Decimal(str(uren)), code_aard_arbeidsverhouding=caa,
                aanleverdatum=f"{jaar + 1}-01-15", volgnummer=1)


POLIS = [
    dec(1, "p_blijver", 2020, 100), dec(2, "p_blijver", 2021, 150), dec(3, "p_blijver", 2021, 50, caa=11),
    dec(4, "p_nieuw", 2021, 80, lhn=B),
    dec(5, "p_regeffect", 2020, 120), dec(6, "p_regeffect", 2021, 130),
    dec(7, "p_december", 2021, 60, caa=11),
    dec(8, "p_verloren", 2020, 90),
    dec(9, "p_uit", 2020, 70, lhn=B), dec(10, "p_uit", 2021, 40),
    dec(11, "p_uit2", 2020, 30, caa=11),
    dec(12, "p_nul", 2020, 50), dec(13, "p_nul", 2020, -50),
    dec(14, "p_saldo", 2021, 20), dec(15, "p_saldo", 2021, -20, caa=11),
    dec(16, "p_eendag", 2020, 100), dec(17, "p_eendag", 2021, 100),
    dec(18, "p_beschut", 2020, 200, caa=21), dec(19, "p_beschut", 2021, 50),
    dec(20, "p_twee", 2020, 40, lhn=B), dec(21, "p_twee", 2021, 40),
    dec(22, "p_nooit", 2021, 75),  # never registered: never counted, in no category
]
REGISTER = [
    register(1, "p_blijver", "WAJONG", "2010-01-01"),
    register(2, "p_nieuw", "IB", "2019-01-01"),
    register(3, "p_regeffect", "IB", "2021-03-01"),
    register(4, "p_december", "VSO_PRO", "2021-12-15"),  # starts in December: the whole period counts
    register(5, "p_verloren", "WAJONG", "2010-01-01"),
    register(6, "p_uit", "WSW", "2015-01-01", "2021-06-30"),
    register(7, "p_uit2", "WSW", "2015-01-01", "2021-01-31"),
    register(8, "p_nul", "WAJONG", "2010-01-01"),
    register(9, "p_saldo", "WAJONG", "2010-01-01"),
    register(10, "p_eendag", "IB", "2020-12-31", "2020-12-31"),  # one day: ignored
    register(11, "p_eendag", "IB", "2021-02-01"),
    register(12, "p_beschut", "IB", "2021-05-01"),
    register(13, "p_twee", "PR", "2010-01-01"),
]
WERKGEVERS = [
    werkgever_versie(1, A, "2000-01-01"),
    werkgever_versie(2, B, "2000-01-01", overheid=True, aandeel=0.0, overheidssector="Gemeenten"),
]


def measure(con, jaren):
    insert(con, "ingest.polis", POLIS)
    insert(con, "ingest.doelgroepregister", REGISTER)
    insert(con, "ingest.werkgevers", WERKGEVERS)
    set_years(con, jaren)
    for step in steps("meting"):
        run_sql(con, step.sql, {})
    return con


@pytest.fixture
def gemeten(werkdb):
    return measure(werkdb, [2012, 2020, 2021])


def stromen(con, jaar, basisjaar):
    return {(r["categorie"], r["cel"]): (r["personen"], r["banen"], r["banen_ongeteld_basisjaar"])
            for r in rows(con, "SELECT * FROM meting.stromen WHERE jaar = ? AND basisjaar = ?", [jaar, basisjaar])}


def test_r11_every_category_by_hand(gemeten):
    got = stromen(gemeten, 2021, 2020)
    assert len(got) == 21  # every category × cel, also when 0
    nonzero = {k: (p, round(b * D, 6), None if o is None else round(o * D, 6))
               for k, (p, b, o) in got.items() if p or b or o}
    assert nonzero == {
        # p_blijver +50 FM and +50 inleen (two cells in one year); p_twee moves from FO (40) to FM (40)
        ("blijver", "formeel_markt"): (2, 90.0, None),
        ("blijver", "formeel_overheid"): (1, -40.0, None),
        ("blijver", "inleen"): (1, 50.0, None),
        ("nieuw_werk", "formeel_overheid"): (1, 80.0, None),
        # p_regeffect (120 uncounted hours in 2020) and p_eendag (its one-day registration is ignored)
        ("registratie_effect", "formeel_markt"): (2, 230.0, 220.0),
        # p_december (registered 15 December: the December period counts whole) and p_beschut (its
        # 2020 job was beschut werk, excluded by R5: not 'werkte ongeteld')
        ("nieuw_geregistreerd_en_werk", "formeel_markt"): (1, 50.0, None),
        ("nieuw_geregistreerd_en_werk", "inleen"): (1, 60.0, None),
        ("werk_verloren", "formeel_markt"): (1, -90.0, None),
        ("uit_register", "formeel_overheid"): (1, -70.0, None),
        ("uit_register", "inleen"): (1, -30.0, None),
        # p_saldo: +20 formeel and -20 inleen, net 0 hours: works in neither year
        ("saldo_overig", "formeel_markt"): (1, 20.0, None),
        ("saldo_overig", "inleen"): (1, -20.0, None),
    }
    # registratie_effect always has its uncounted banen (0 where none), the others never
    assert got[("registratie_effect", "inleen")] == (0, 0.0, 0.0)
    assert all(o is None for (k, _), (_, _, o) in got.items() if k != "registratie_effect")


def test_r11_contributions_sum_exactly_to_the_change_of_every_cel(gemeten):
    change = dict(gemeten.execute("""
        SELECT y.sector || '_' || y.vorm, y.banen - x.banen FROM meting.banen y
        JOIN meting.banen x ON x.jaar = 2020 AND x.sector = y.sector AND x.vorm = y.vorm WHERE y.jaar = 2021
    """).fetchall())
    got = stromen(gemeten, 2021, 2020)
    for cel, published in (("formeel_markt", change["markt_formeel"]), ("formeel_overheid", change["overheid_formeel"]),
                           ("inleen", change["markt_inleen"] + change["overheid_inleen"])):
        assert sum(b for (_, c), (_, b, _) in got.items() if c == cel) == pytest.approx(published, abs=1e-9)
    # exactly, in hours (DECIMAL): 300, -30 and 60 hours by hand
    assert dict(gemeten.execute("""SELECT cel, sum(bijdrage_uren) FROM werk.stromen_personen
                                  WHERE jaar = 2021 AND basisjaar = 2020 GROUP BY cel""").fetchall()) == {
        "formeel_markt": Decimal("300"), "formeel_overheid": Decimal("-30"), "inleen": Decimal("60")}


def test_r11_drilldown_names_each_person_once_and_never_the_net_zero_or_unregistered_ones(gemeten):
    people = rows(gemeten, """SELECT persoon_id, any_value(categorie) AS categorie, count(DISTINCT categorie) AS n,
                                     bool_or(werkt_ongeteld_jaar) AS werkt_ongeteld
                              FROM audit.stromen_personen WHERE jaar = 2021 AND basisjaar = 2020
                              GROUP BY persoon_id ORDER BY persoon_id""")
    assert {r["persoon_id"]: r["categorie"] for r in people} == {
        "p_beschut": "nieuw_geregistreerd_en_werk", "p_blijver": "blijver", "p_december": "nieuw_geregistreerd_en_werk",
        "p_eendag": "registratie_effect", "p_nieuw": "nieuw_werk", "p_regeffect": "registratie_effect",
        "p_saldo": "saldo_overig", "p_twee": "blijver", "p_uit": "uit_register", "p_uit2": "uit_register",
        "p_verloren": "werk_verloren",
    }  # p_nul (50 - 50 hours) and p_nooit (never registered) are in no category
    assert all(r["n"] == 1 for r in people)
    # uit_register: p_uit still works (uncounted: no longer registered), p_uit2 does not
    assert {r["persoon_id"]: r["werkt_ongeteld"] for r in people if r["categorie"] == "uit_register"} == {
        "p_uit": True, "p_uit2": False}


def test_r11_base_years_are_the_previous_measured_year_of_the_run_and_the_nulmeting(gemeten):
    pairs = gemeten.execute("SELECT DISTINCT jaar, basisjaar FROM meting.stromen ORDER BY 1, 2").fetchall()
    assert pairs == [(2020, 2012), (2021, 2012), (2021, 2020)]
    # against the (empty) nulmeting: every 2021 worker is new; registered on 31-12-2012 -> nieuw_werk
    got = {k: v for k, v in stromen(gemeten, 2021, 2012).items() if v[0]}
    assert {k: (p, round(b * D, 6)) for k, (p, b, _) in got.items()} == {
        ("nieuw_werk", "formeel_markt"): (2, 190.0),  # p_blijver 150, p_twee 40
        ("nieuw_werk", "inleen"): (1, 50.0),
        ("nieuw_geregistreerd_en_werk", "formeel_overheid"): (1, 80.0),  # p_nieuw: registered in 2019
        ("nieuw_geregistreerd_en_werk", "formeel_markt"): (3, 280.0),  # p_regeffect, p_eendag, p_beschut
        ("nieuw_geregistreerd_en_werk", "inleen"): (1, 60.0),
        ("saldo_overig", "formeel_markt"): (1, 20.0),
        ("saldo_overig", "inleen"): (1, -20.0),
    }


def test_r11_a_run_of_one_year_compares_it_with_the_nulmeting_only(werkdb):
    measure(werkdb, [2012, 2021])
    pairs = werkdb.execute("SELECT DISTINCT jaar, basisjaar FROM meting.stromen").fetchall()
    assert pairs == [(2021, 2012)]
    assert werkdb.execute("SELECT DISTINCT jaar, basisjaar FROM meting.register_stromen").fetchall() == [(2021, 2012)]


def test_r12_durability_by_grondslag_and_largest_cel(gemeten):
    got = rows(gemeten, "SELECT * EXCLUDE (jaar, basisjaar) FROM meting.duurzaamheid WHERE jaar = 2021 "
                        "ORDER BY grondslag, cel")
    assert got == [
        dict(grondslag="PR", cel="formeel_overheid", personen_basisjaar=1, werkt_nog=1, zelfde_werkgever=0),  # B -> A
        dict(grondslag="WAJONG", cel="formeel_markt", personen_basisjaar=2, werkt_nog=1, zelfde_werkgever=1),
        dict(grondslag="WSW", cel="formeel_overheid", personen_basisjaar=1, werkt_nog=0, zelfde_werkgever=0),
        dict(grondslag="WSW", cel="inleen", personen_basisjaar=1, werkt_nog=0, zelfde_werkgever=0),
    ]
    assert gemeten.execute("SELECT DISTINCT basisjaar FROM meting.duurzaamheid WHERE jaar = 2021").fetchall() == [(2020,)]
    assert gemeten.execute("SELECT count(*) FROM meting.duurzaamheid WHERE jaar = 2020").fetchone() == (0,)  # none in 2012


def test_r13_register_flows_and_their_identity(gemeten):
    got = rows(gemeten, "SELECT * FROM meting.register_stromen ORDER BY jaar, grondslag")
    assert got == [
        dict(jaar=2020, basisjaar=2012, grondslag="IB", instroom=1, uitstroom=0),
        dict(jaar=2020, basisjaar=2012, grondslag="WSW", instroom=2, uitstroom=0),
        dict(jaar=2021, basisjaar=2020, grondslag="IB", instroom=3, uitstroom=0),  # p_eendag: one day in 2020 ignored
        dict(jaar=2021, basisjaar=2020, grondslag="VSO_PRO", instroom=1, uitstroom=0),
        dict(jaar=2021, basisjaar=2020, grondslag="WSW", instroom=0, uitstroom=2),
    ]
    assert dict(gemeten.execute("SELECT jaar, doelgroep_omvang FROM meting.personen").fetchall()) == {
        2012: 5, 2020: 8, 2021: 10}


@pytest.mark.parametrize("name", sorted(BLOCKING_CHECKS))
def test_blocking_checks_pass_on_the_measurement(gemeten, name):
    result = blocking_check(gemeten, name)
    assert result.passed, result.description


DOCTORED = {
    "stromen_sluiten": [
        # a category's banen changed in the published flows
        "UPDATE meting.stromen SET banen = banen + 0.001 WHERE jaar = 2021 AND basisjaar = 2020 "
        "AND categorie = 'blijver' AND cel = 'inleen'",
        # one person's contribution changed by one hundredth of an hour (caught exactly, in hours)
        "UPDATE werk.stromen_personen SET bijdrage_uren = bijdrage_uren + 0.01 WHERE persoon_id = 'p_verloren' "
        "AND basisjaar = 2020",
        # a person dropped from the flows
        "DELETE FROM werk.stromen_personen WHERE persoon_id = 'p_nieuw' AND basisjaar = 2012",
        # a person in two categories
        "UPDATE werk.stromen_personen SET categorie = 'nieuw_werk' WHERE persoon_id = 'p_blijver' "
        "AND basisjaar = 2020 AND cel = 'inleen'",
    ],
    "register_sluit": [
        "UPDATE meting.register_stromen SET instroom = instroom + 1 WHERE jaar = 2021 AND grondslag = 'IB'",
        "DELETE FROM meting.register_stromen WHERE jaar = 2020 AND grondslag = 'WSW'",
    ],
}


@pytest.mark.parametrize(("name", "doctor"), [(n, d) for n, ds in DOCTORED.items() for d in ds])
def test_blocking_checks_fail_on_doctored_data(gemeten, name, doctor):
    gemeten.execute(doctor)
    result = blocking_check(gemeten, name)
    assert not result.passed
    assert "niet voldaan" in result.description


def test_the_checks_are_blocking_checks_of_the_measurement():
    from pipeline.meting.assets import meting

    specs = {spec.name: spec for spec in meting.check_specs}
    assert set(specs) == {"stromen_sluiten", "register_sluit"}
    assert all(spec.blocking for spec in specs.values())


def test_a_failing_flow_check_stops_the_run_before_publication(tmp_path, monkeypatch):
    """The blocking check as Dagster runs it (one in-process run of a tiny delivery, ~7 s): a deviation
    fails the run with its Dutch message, and the analyst file is not written."""
    import pipeline.meting.assets as meting_assets
    from pipeline.runner import MeasurementError, measure
    from tests.conftest import TEST_KEY, write_delivery
    from tests.published import POLIS as TINY_POLIS
    from tests.published import REGISTER as TINY_REGISTER
    from tests.published import WERKGEVERS as TINY_WERKGEVERS

    real = meting_assets.sql_text
    monkeypatch.setattr(meting_assets, "sql_text", lambda name: (
        "SELECT 2021 AS jaar, 2012 AS basisjaar, 'inleen' AS cel, 'gedokterde afwijking' AS afwijking"
        if name == "controles/R11_stromen_sluiten.sql" else real(name)))
    delivery = write_delivery(tmp_path / "levering", TINY_POLIS, TINY_WERKGEVERS, TINY_REGISTER)
    warehouse = tmp_path / "out" / "banenafspraak.duckdb"
    with pytest.raises(MeasurementError, match="controle stromen_sluiten op meting/stromen faalt.*gedokterde"):
        measure(delivery, warehouse, [2021], key=TEST_KEY, progress=False)
    assert not warehouse.exists()
