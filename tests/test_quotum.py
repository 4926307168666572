"""METHOD R15–R17: employer totals, participation and the quotum, one SQL step at a time with
hand-made rows in and hand-computed rows out (the VO-raad worked example of docs/FIGURES.md and an
employer for every branch of R17)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.conftest import insert, rows, run_step

STEPS = ("meting/R6_werkgever_peildatum.sql", "meting/R15_werkgever_totalen.sql",
         "meting/R17_quotum_uren.sql", "meting/R17_inleen.sql", "meting/R17_quotum_werkgevers.sql")

VO, DREMPEL, UITL, SW, INL, MARKT, RUIM = (f"20000000{i}L01" for i in range(1, 8))


def versie(lhn, *, risicogroep=10, overheid=False, sw=False):
    return dict(bron_bestand="werkgevers/w.csv", regelnummer=int(lhn[:9]) % 1000, loonheffingennummer=lhn,
                geldig_vanaf="2010-01-01", sector_risicogroep=risicogroep, overheidswerkgever=overheid,
                uren_sectorfonds_aandeel=0.0, sw_bedrijf=sw, arbeidsmarktregio="AMR01")


def totaal(lhn, jaar, uren, caa=1):
    return dict(loonheffingennummer=lhn, jaar=jaar, code_aard_arbeidsverhouding=caa, uren_jaar=Decimal(str(uren)),
                tijdvakken=12)


_regel = iter(range(1, 10**6))


def maanden(persoon, lhn, per_maand, *, caa=1, jaar=2018):
    """Twelve monthly payroll rows of year `jaar`; per_maand = one number or a list of twelve."""
    uren = per_maand if isinstance(per_maand, list) else [per_maand] * 12
    out = []
    for m in range(12):
        einde = f"{jaar}-{m + 1:02d}-28"  # a period inside the month is enough here
        out.append(dict(bron_bestand="polis/p.csv", regelnummer=next(_regel), persoon_id=persoon,
                        loonheffingennummer=lhn, ikv_id=f"{persoon}-{lhn}", tijdvak_begin=f"{jaar}-{m + 1:02d}-01",
                        tijdvak_einde=einde, verloonde_uren=Decimal(str(uren[m])), code_aard_arbeidsverhouding=caa,
                        aanleverdatum=f"{jaar + 1}-01-15", volgnummer=1))
    return out


def registratie(persoon, grondslag="IB", ingang="2010-01-01", einde=None):
    return dict(bron_bestand="doelgroepregister/r.csv", regelnummer=next(_regel), persoon_id=persoon,
                grondslag=grondslag, datum_ingang=ingang, datum_einde=einde, woonregio="AMR01")


@pytest.fixture
def quotum(werkdb):
    """Every branch of R17 in 2018 (A of 2017 and 2018 as the polis pass leaves them)."""
    insert(werkdb, "ingest.werkgevers", [
        versie(VO, risicogroep=63, overheid=True), versie(DREMPEL, risicogroep=63, overheid=True),
        versie(UITL, risicogroep=52), versie(SW, risicogroep=63, sw=True), versie(INL, risicogroep=63, overheid=True),
        versie(MARKT), versie(RUIM, risicogroep=63, overheid=True),
    ])
    a_vo = 2500 * 36 * Decimal("52.2")  # VO-raad: 2,500 fte of 36 hours a week, 52.2 weeks = 4,698,000 hours
    insert(werkdb, "ingest.werkgever_uren", [
        totaal(VO, 2017, a_vo), totaal(VO, 2018, a_vo),
        totaal(DREMPEL, 2017, "40574.99"), totaal(DREMPEL, 2018, 50000),          # below the threshold in Y−1
        totaal(UITL, 2017, 200000, caa=11), totaal(UITL, 2017, 30000, caa=82), totaal(UITL, 2017, 41000),
        totaal(UITL, 2018, 300000, caa=11), totaal(UITL, 2018, 20000),              # uitlener: A leaves 11/82 out
        *[totaal(SW, j, 100000, caa=c) for j in (2017, 2018) for c in (21, 22, 23)],
        totaal(SW, 2017, 45000), totaal(SW, 2018, 45000),                           # SW-bedrijf: 21/22/23 out of A
        totaal(INL, 2018, 60000),                                                    # no data for 2017
        totaal(MARKT, 2017, 90000), totaal(MARKT, 2018, 90000),                     # sector markt: no percentage
        totaal(RUIM, 2017, 45000), totaal(RUIM, 2018, 45000),                       # C ≥ A × B: no tekort
    ])
    insert(werkdb, "ingest.werkgever_personen", [dict(loonheffingennummer=VO, jaar=2018, personen_venster=2540)])
    polis = []
    # VO-raad: 40 banen of 1,331 hours (11 months of 111 hours + one of 110), IB or VOORZIENING
    register = []
    for i in range(40):
        polis += maanden(f"vo{i}", VO, [111] * 11 + [110])
        register.append(registratie(f"vo{i}", "VOORZIENING" if i % 2 else "IB"))
    polis += maanden("beschut", VO, 100)                   # BESCHUT: never counts
    register.append(registratie("beschut", "BESCHUT"))
    polis += maanden("niet", VO, 100)                      # not in the register
    polis += maanden("half", VO, 100)                      # registered from 15 June: June–December count
    register.append(registratie("half", ingang="2018-06-15"))
    polis += maanden("eendag", VO, 100)                    # a one-day registration never counts
    register.append(registratie("eendag", ingang="2018-03-01", einde="2018-03-01"))
    polis += maanden("ub", VO, 50, caa=24)                 # Participatiewet beschut werk: not in C
    # uitlener: its own uitzendkracht counts in C (500 hours) until credited
    polis += maanden("uz", UITL, [50] * 10 + [0, 0], caa=11)
    register.append(registratie("uz"))
    # SW-bedrijf: only the seconded Wsw employee (CAA 22) counts
    polis += maanden("wsw22", SW, 100, caa=22) + maanden("wsw1", SW, 100, caa=1) + maanden("wsw21", SW, 100, caa=21)
    register += [registratie("wsw22", "WSW"), registratie("wsw1", "WSW"), registratie("wsw21", "WSW")]
    # RUIM: 1,000 hours of the doelgroep ≥ 45,000 × 1.93 % = 868.5
    polis += maanden("ruim", RUIM, [84] * 10 + [80, 80])
    register.append(registratie("ruim"))
    # a version delivered after the cut-off (1 May 2019) does not count, the earlier one does
    late = maanden("ruim", RUIM, 500)[0]
    late.update(regelnummer=next(_regel), aanleverdatum="2019-05-02", volgnummer=2)
    polis.append(late)
    insert(werkdb, "ingest.polis", polis)
    insert(werkdb, "ingest.doelgroepregister", register)
    # inleen: the uitlener credits 400 + 400 hours of 'uz' to two borrowers, but had only 500
    insert(werkdb, "ingest.inleen", [
        dict(bron_bestand="inleen/i.csv", regelnummer=2, uitlener_loonheffingennummer=UITL,
             inlener_loonheffingennummer=INL, persoon_id="uz", jaar=2018, verloonde_uren=Decimal(400)),
        dict(bron_bestand="inleen/i.csv", regelnummer=3, uitlener_loonheffingennummer=UITL,
             inlener_loonheffingennummer=VO, persoon_id="uz", jaar=2018, verloonde_uren=Decimal(400)),
        dict(bron_bestand="inleen/i.csv", regelnummer=4, uitlener_loonheffingennummer=UITL,
             inlener_loonheffingennummer=VO, persoon_id="uz", jaar=2018, verloonde_uren=Decimal(-1),
             regel="uren_negatief"),  # quarantined: never credited
    ])
    run_step(werkdb, STEPS, 2018)
    return {r["loonheffingennummer"]: r for r in rows(werkdb, "SELECT * FROM quotum.werkgevers WHERE jaar = 2018")}


def test_r17_vo_raad_worked_example(quotum):
    """FIGURES.md: 2,500 fte × 36 h, 1.93 % (overheid 2018) → 68 banen of 25.5 h; it has 40 (+ credits), so
    about 28 short. In the law's yearly form: A × B = 90,671.40 h; C = 40 × 1,331 + 700 ('half') + 250
    credited; (90,671.40 − 54,190) / 1,331 = 27.41 → 27.4 (down)."""
    vo = quotum[VO]
    assert vo["uren_totaal"] == Decimal("4698000") and vo["uren_totaal_vorig_jaar"] == Decimal("4698000")
    assert vo["quotumplichtig"] is True and vo["sector"] == "overheid"
    assert vo["quotumpercentage"] == Decimal("1.93")
    assert vo["uren_quotum"] == Decimal("90671.40")
    assert vo["uren_arbeidsbeperkten_eigen"] == Decimal(40 * 1331 + 7 * 100)
    assert vo["uren_ingeleend_bij"] == Decimal(250) and vo["uren_uitgeleend_af"] == 0
    assert vo["uren_arbeidsbeperkten"] == Decimal(40 * 1331 + 700 + 250)
    assert vo["uren_per_baan"] == Decimal(1331)
    assert vo["quotumtekort"] == Decimal("27.4")
    assert vo["heffing"] == 0 and vo["heffing_actief"] is False
    assert "Wfsv art. 122na" in vo["reden"] and "niet actief" in vo["reden"]


def test_r17_vo_raad_published_rounding(werkdb):
    """The published example itself: 40 banen exactly (53,240 h) → (90,671.40 − 53,240) / 1,331 = 28.12 → 28.1."""
    insert(werkdb, "ingest.werkgevers", [versie(VO, risicogroep=63, overheid=True)])
    a_vo = 2500 * 36 * Decimal("52.2")
    insert(werkdb, "ingest.werkgever_uren", [totaal(VO, 2017, a_vo), totaal(VO, 2018, a_vo)])
    polis, register = [], []
    for i in range(40):
        polis += maanden(f"vo{i}", VO, [111] * 11 + [110])
        register.append(registratie(f"vo{i}"))
    insert(werkdb, "ingest.polis", polis)
    insert(werkdb, "ingest.doelgroepregister", register)
    run_step(werkdb, STEPS, 2018)
    (vo,) = rows(werkdb, "SELECT * FROM quotum.werkgevers")
    assert vo["uren_arbeidsbeperkten"] == Decimal(53240) and vo["quotumtekort"] == Decimal("28.1")


def test_r17_not_liable_below_the_threshold_in_one_year_or_without_data(quotum):
    d = quotum[DREMPEL]
    assert d["quotumplichtig"] is False and d["quotumtekort"] is None and d["heffing"] == 0
    assert d["reden"] == "niet quotumplichtig: A(2017) onder de drempel"
    assert quotum[INL]["uren_totaal_vorig_jaar"] is None and quotum[INL]["quotumplichtig"] is False
    assert quotum[INL]["reden"] == "niet quotumplichtig: geen loongegevens over 2017 (telt als onder de drempel)"


def test_r15_uitlener_and_sw_bedrijf_exclusions(quotum, werkdb):
    got = {r["loonheffingennummer"]: r for r in rows(
        werkdb, "SELECT * FROM werk.werkgever_totalen WHERE jaar = 2018")}
    assert got[UITL]["uren_totaal"] == 20000 and got[UITL]["uren_uitgesloten"] == 300000
    assert got[UITL]["uren_totaal_vorig_jaar"] == 41000  # 2017: CAA 11 and 82 out
    assert got[SW]["uren_totaal"] == 45000 and got[SW]["uren_uitgesloten"] == 300000
    assert quotum[UITL]["quotumplichtig"] is False and quotum[SW]["quotumplichtig"] is True
    # C: the uitlener's own uitzendkracht counts (500 h) and is all credited away; at the SW-bedrijf only CAA 22
    assert quotum[UITL]["uren_arbeidsbeperkten_eigen"] == 500 and quotum[UITL]["uren_uitgeleend_af"] == 500
    assert quotum[UITL]["uren_arbeidsbeperkten"] == 0
    assert quotum[SW]["uren_arbeidsbeperkten"] == 1200


def test_r17_inleen_crediting_capped_at_the_persons_hours_at_the_lender(quotum, werkdb):
    got = rows(werkdb, "SELECT inlener_loonheffingennummer AS inlener, uren_opgegeven, uren_bij_uitlener, "
                       "uren_opgegeven_persoon, uren_verrekend FROM quotum.inleen ORDER BY inlener")
    assert got == [
        dict(inlener=VO, uren_opgegeven=400, uren_bij_uitlener=500, uren_opgegeven_persoon=800, uren_verrekend=250),
        dict(inlener=INL, uren_opgegeven=400, uren_bij_uitlener=500, uren_opgegeven_persoon=800, uren_verrekend=250),
    ]
    assert quotum[INL]["uren_ingeleend_bij"] == 250 and quotum[INL]["uren_arbeidsbeperkten"] == 250


def test_r17_no_published_percentage_and_no_tekort(quotum):
    m = quotum[MARKT]
    assert m["quotumplichtig"] is True and m["quotumpercentage"] is None and m["quotumtekort"] is None
    assert m["reden"] == "geen tekort: geen gepubliceerd quotumpercentage voor sector markt in 2018"
    r = quotum[RUIM]  # C = 1,000 (the late version does not count) ≥ 868.50
    assert r["uren_arbeidsbeperkten"] == 1000 and r["uren_quotum"] == Decimal("868.50")
    assert r["quotumtekort"] == 0 and r["heffing"] == 0 and r["reden"].startswith("geen tekort")


def test_r17_levy_only_where_reference_data_says_it_is_active(werkdb):
    insert(werkdb, "ingest.werkgevers", [versie(VO, risicogroep=63, overheid=True)])
    insert(werkdb, "ingest.werkgever_uren", [totaal(VO, 2017, 100000), totaal(VO, 2018, 100000)])
    werkdb.execute("UPDATE ref.quotumheffing SET heffing_actief = true WHERE sector = 'overheid'")
    run_step(werkdb, STEPS, 2018)
    (vo,) = rows(werkdb, "SELECT * FROM quotum.werkgevers")
    # A × B = 1,930 h, C = 0: 1,930 / 1,331 = 1.45 → 1.4 banen × € 5,000
    assert vo["quotumtekort"] == Decimal("1.4") and vo["heffing"] == Decimal("7000.00") and vo["reden"] is None


def test_reference_levy_is_inactive_for_every_year_and_sector(werkdb):
    assert rows(werkdb, "SELECT * FROM ref.quotumheffing WHERE heffing_actief") == []
    assert rows(werkdb, "SELECT * FROM ref.quotumpercentage WHERE sector = 'markt'") == []


def test_r16_participation_per_sector_and_size(werkdb):
    A, B, C, E = (f"30000000{i}L01" for i in range(1, 5))
    insert(werkdb, "werk.werkgever_totalen", [
        dict(jaar=2021, loonheffingennummer=A, sector="markt", uren_totaal=Decimal(50000), personen_venster=30),
        dict(jaar=2021, loonheffingennummer=B, sector="markt", uren_totaal=Decimal(1000), personen_venster=2),
        dict(jaar=2021, loonheffingennummer=C, sector="overheid", uren_totaal=Decimal(40575), personen_venster=40),
        dict(jaar=2021, loonheffingennummer=E, sector="markt", uren_totaal=Decimal(500), personen_venster=0),
    ])
    insert(werkdb, "werk.telbare_uren", [
        dict(jaar=2021, loonheffingennummer=A, vorm="formeel", sector="markt", uren_venster=Decimal(10)),
        dict(jaar=2021, loonheffingennummer=B, vorm="inleen", uren_venster=Decimal(10)),  # inleen: not taking part
        dict(jaar=2021, loonheffingennummer=C, vorm="formeel", sector="overheid", uren_venster=Decimal(5)),
    ])
    run_step(werkdb, "meting/R16_deelname.sql", 2021)
    got = {(r["sector"], r["grootteklasse"]): (r["werkgevers"], r["deelnemend"], r["aandeel"])
           for r in rows(werkdb, "SELECT * FROM meting.deelname")}
    assert got == {
        ("markt", "vanaf_drempel"): (1, 1, 1.0), ("markt", "onder_drempel"): (1, 0, 0.0),
        ("overheid", "vanaf_drempel"): (1, 1, 1.0),
        ("markt", "totaal"): (2, 1, 0.5), ("overheid", "totaal"): (1, 1, 1.0),
        ("totaal", "vanaf_drempel"): (2, 2, 1.0), ("totaal", "onder_drempel"): (1, 0, 0.0),
        ("totaal", "totaal"): (3, 2, 2 / 3),
    }


def test_r17_shares_of_the_cap_are_rounded_down_and_never_exceed_it(werkdb):
    """Three borrowers ask 100 hours each of a person who had 100 at the lender: 33.333333 each (down)."""
    insert(werkdb, "ingest.werkgevers", [versie(UITL, risicogroep=52), versie(VO, risicogroep=63, overheid=True),
                                         versie(INL, risicogroep=63, overheid=True),
                                         versie(RUIM, risicogroep=63, overheid=True)])
    insert(werkdb, "ingest.polis", maanden("uz", UITL, [10] * 10 + [0, 0], caa=11))
    insert(werkdb, "ingest.doelgroepregister", [registratie("uz")])
    insert(werkdb, "ingest.inleen", [
        dict(bron_bestand="inleen/i.csv", regelnummer=n, uitlener_loonheffingennummer=UITL,
             inlener_loonheffingennummer=b, persoon_id="uz", jaar=2018, verloonde_uren=Decimal(100))
        for n, b in ((2, VO), (3, INL), (4, RUIM))])
    run_step(werkdb, STEPS, 2018)
    got = [r["uren_verrekend"] for r in rows(werkdb, "SELECT uren_verrekend FROM quotum.inleen")]
    assert got == [Decimal("33.333333")] * 3
    (uitl,) = rows(werkdb, f"SELECT * FROM quotum.werkgevers WHERE loonheffingennummer = '{UITL}'")
    assert uitl["uren_uitgeleend_af"] == Decimal("99.999999") and uitl["uren_arbeidsbeperkten"] == Decimal("0.000001")
