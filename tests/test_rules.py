"""METHOD rules R1–R10, one SQL step at a time, in the style of SQLMesh's sushi tests.

Every test writes hand-made rows into the tables a step reads, runs that step for one year with
the parameters the pipeline would use, and compares the step's output rows with rows computed by
hand from the METHOD text. Nothing here compares the pipeline with itself.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import duckdb
import pytest

from tests.conftest import insert, rows, run_step

D = dt.date.fromisoformat

STEP_R1 = ("meting/R1_definitieve_versies.sql", "meting/R1_na_afsluitdatum.sql")
STEP_R2 = "meting/R3_venster_uren.sql"
STEP_R4 = "meting/R4_doelgroep_uren.sql"
STEP_R6A = "meting/R6_werkgever_peildatum.sql"
STEP_R5 = "meting/R5_vorm_uren.sql"
STEP_R6B = "meting/R6_telbare_uren.sql"
STEP_R7 = ("meting/R7_verdeelsleutel.sql", "meting/R7_uren_per_cel.sql")
STEP_R8 = "meting/R8_banen_per_cel.sql"
STEP_R9 = ("meting/R9_banen.sql", "meting/R9_realisatie.sql")
STEP_R10 = "meting/R10_personen.sql"

LHN_A = "100000001L01"
LHN_B = "100000002L01"
BRON = "polis/hand.csv"
R15 = "wet_bqa_2015"  # the regime of every year by default (data/reference/regeling.csv, METHOD R14)


# --------------------------------------------------------------------------------------------
# hand-made row builders (only the columns a step reads; the rest stays NULL)
# --------------------------------------------------------------------------------------------

def polis(regelnummer, ikv, begin, einde, uren, *, persoon="p1", lhn=LHN_A, caa=1,
          aanlever="2022-01-15", volgnummer=1, regel=None):
    """An ingest.polis row; regel NULL = accepted (staging.polis is the view of those)."""
    return dict(bron_bestand=BRON, regelnummer=regelnummer, persoon_id=persoon, loonheffingennummer=lhn,
                ikv_id=ikv, tijdvak_begin=begin, tijdvak_einde=einde, verloonde_uren=Decimal(str(uren)),
                code_aard_arbeidsverhouding=caa, aanleverdatum=aanlever, volgnummer=volgnummer, regel=regel)


def register(regelnummer, persoon, grondslag, ingang, einde=None, *, regel=None):
    """An ingest.doelgroepregister row; regel NULL = accepted."""
    return dict(bron_bestand="doelgroepregister/hand.csv", regelnummer=regelnummer, persoon_id=persoon,
                grondslag=grondslag, datum_ingang=ingang, datum_einde=einde, woonregio="AMR01", regel=regel)


def werkgever_versie(regelnummer, lhn, vanaf, tot=None, *, risicogroep=10, overheid=False, aandeel=0.0,
                     overheidssector=None, sw=False, regio="AMR01", regel=None):
    """An ingest.werkgevers row; regel NULL = accepted."""
    return dict(bron_bestand="werkgevers/hand.csv", regelnummer=regelnummer, loonheffingennummer=lhn,
                naam=f"werkgever {lhn}", geldig_vanaf=vanaf, geldig_tot=tot, sector_risicogroep=risicogroep,
                overheidswerkgever=overheid, uren_sectorfonds_aandeel=aandeel, overheidssector=overheidssector,
                sw_bedrijf=sw, arbeidsmarktregio=regio, regel=regel)


def peildatum_werkgever(lhn, *, jaar=2021, risicogroep=10, overheid=False, aandeel=0.0, overheidssector=None,
                        sw=False, regio="AMR01"):
    """A werk.werkgever_peildatum row (the R6 employer version for one year)."""
    return dict(jaar=jaar, loonheffingennummer=lhn, peildatum=dt.date(jaar - 1, 12, 31),
                geldig_vanaf=dt.date(2000, 1, 1), sector_risicogroep=risicogroep, overheidswerkgever=overheid,
                uren_sectorfonds_aandeel=aandeel, overheidssector=overheidssector, sw_bedrijf=sw,
                arbeidsmarktregio=regio)


def doelgroep_uur(regelnummer, persoon, uren, *, lhn=LHN_A, caa=1, jaar=2021):
    """A werk.doelgroep_uren row: a December 2021 month of hours already past R1–R4."""
    return dict(jaar=jaar, bron_bestand=BRON, regelnummer=regelnummer, persoon_id=persoon,
                loonheffingennummer=lhn, ikv_id=f"ikv{regelnummer}", tijdvak_begin=f"{jaar}-12-01",
                tijdvak_einde=f"{jaar}-12-31", code_aard_arbeidsverhouding=caa, uren_venster=Decimal(str(uren)))


def telbaar(regelnummer, vorm, sector, uren, *, persoon="p1", inleen_soort=None, jaar=2021):
    """A werk.telbare_uren row (after R6)."""
    return dict(jaar=jaar, bron_bestand=BRON, regelnummer=regelnummer, persoon_id=persoon,
                loonheffingennummer=LHN_A, ikv_id=f"ikv{regelnummer}", tijdvak_begin=f"{jaar}-12-01",
                vorm=vorm, inleen_soort=inleen_soort, sector=sector, uren_venster=Decimal(str(uren)))


def cel(jaar, sector, vorm, **values):
    return dict(jaar=jaar, sector=sector, vorm=vorm, **values)


# --------------------------------------------------------------------------------------------
# R1 — final version of each payroll record
# --------------------------------------------------------------------------------------------

R1_POLIS = [
    # record (A, '1', 2021-12-01): four versions on or before the cut-off, one after it
    polis(2, "1", "2021-12-01", "2021-12-31", 100, aanlever="2022-01-10", volgnummer=1),
    polis(3, "1", "2021-12-01", "2021-12-31", 110, aanlever="2022-03-01", volgnummer=1),
    polis(4, "1", "2021-12-01", "2021-12-31", 120, aanlever="2022-03-01", volgnummer=2),  # latest date, highest nr
    polis(5, "1", "2021-12-01", "2021-12-31", 90, aanlever="2022-02-01", volgnummer=9),  # higher nr, earlier date
    polis(6, "1", "2021-12-01", "2021-12-31", 130, aanlever="2022-05-02", volgnummer=1),  # after the cut-off
    # record (A, '2'): delivered exactly on the cut-off date (1 May 2022) -> counts
    polis(7, "2", "2021-12-01", "2021-12-31", 50, persoon="p2", aanlever="2022-05-01"),
    # record (A, '3'): only a version after the cut-off -> not counted, reported
    polis(8, "3", "2021-12-01", "2021-12-31", 70, persoon="p3", aanlever="2022-06-01"),
    # record (A, '4'): four-weekly period overlapping December -> selected
    polis(9, "4", "2021-11-05", "2021-12-02", 140, persoon="p4"),
    # record (A, '5'): November month -> not selected
    polis(10, "5", "2021-11-01", "2021-11-30", 160, persoon="p5"),
    # record (A, '6'): December of the next year -> not selected for 2021
    polis(11, "6", "2022-12-01", "2022-12-31", 80, persoon="p6", aanlever="2023-01-15"),
    # record (A, '7'): the latest delivered version was rejected at ingestion -> the earlier accepted one counts
    polis(12, "7", "2021-12-01", "2021-12-31", 999, persoon="p7", aanlever="2022-04-01", regel="bsn_elfproef"),
    polis(13, "7", "2021-12-01", "2021-12-31", 40, persoon="p7", aanlever="2022-01-05"),
    # record (B, '1', 2021-12-01): same ikv_id at another employer is another record
    polis(14, "1", "2021-12-01", "2021-12-31", 30, persoon="p8", lhn=LHN_B, aanlever="2022-01-01"),
    # record (A, '1', 2021-11-05): same ikv, another period start -> another record (four-weekly)
    polis(15, "1", "2021-11-05", "2021-12-02", 56, aanlever="2022-01-20", volgnummer=3),
]

DEF_COLS = ("regelnummer, persoon_id, loonheffingennummer, ikv_id, tijdvak_begin, tijdvak_einde, "
            "verloonde_uren, code_aard_arbeidsverhouding, aanleverdatum, volgnummer")


def test_r1_latest_version_before_cutoff_wins(werkdb):
    insert(werkdb, "ingest.polis", R1_POLIS)
    params = run_step(werkdb, STEP_R1, 2021)
    assert params["afsluitdatum"] == D("2022-05-01")  # default: 1 May of Y+1

    got = rows(werkdb, f"SELECT jaar, bron_bestand, {DEF_COLS} FROM werk.definitieve_versies ORDER BY regelnummer")
    assert [(r["regelnummer"], r["ikv_id"], r["loonheffingennummer"], r["tijdvak_begin"], r["verloonde_uren"],
             r["aanleverdatum"], r["volgnummer"]) for r in got] == [
        (4, "1", LHN_A, D("2021-12-01"), Decimal("120"), D("2022-03-01"), 2),
        (7, "2", LHN_A, D("2021-12-01"), Decimal("50"), D("2022-05-01"), 1),
        (9, "4", LHN_A, D("2021-11-05"), Decimal("140"), D("2022-01-15"), 1),
        (13, "7", LHN_A, D("2021-12-01"), Decimal("40"), D("2022-01-05"), 1),
        (14, "1", LHN_B, D("2021-12-01"), Decimal("30"), D("2022-01-01"), 1),
        (15, "1", LHN_A, D("2021-11-05"), Decimal("56"), D("2022-01-20"), 3),
    ]
    assert {r["jaar"] for r in got} == {2021}
    assert {r["bron_bestand"] for r in got} == {BRON}
    # the other columns are carried through unchanged
    assert got[0]["persoon_id"] == "p1" and got[0]["tijdvak_einde"] == D("2021-12-31")
    assert got[0]["code_aard_arbeidsverhouding"] == 1

    late = rows(werkdb, "SELECT * FROM werk.na_afsluitdatum ORDER BY regelnummer")
    assert late == [
        dict(jaar=2021, bron_bestand=BRON, regelnummer=6, loonheffingennummer=LHN_A, ikv_id="1",
             tijdvak_begin=D("2021-12-01"), aanleverdatum=D("2022-05-02"), afsluitdatum=D("2022-05-01")),
        dict(jaar=2021, bron_bestand=BRON, regelnummer=8, loonheffingennummer=LHN_A, ikv_id="3",
             tijdvak_begin=D("2021-12-01"), aanleverdatum=D("2022-06-01"), afsluitdatum=D("2022-05-01")),
    ]


def test_r1_rerun_replaces_the_year_only(werkdb):
    insert(werkdb, "ingest.polis", R1_POLIS)
    run_step(werkdb, STEP_R1, 2021)
    run_step(werkdb, STEP_R1, 2022)
    run_step(werkdb, STEP_R1, 2021)  # again: no duplicates
    assert rows(werkdb, "SELECT jaar, regelnummer FROM werk.definitieve_versies ORDER BY jaar, regelnummer") == [
        {"jaar": 2021, "regelnummer": n} for n in (4, 7, 9, 13, 14, 15)
    ] + [{"jaar": 2022, "regelnummer": 11}]
    assert rows(werkdb, "SELECT count(*) AS n FROM werk.na_afsluitdatum WHERE jaar = 2021") == [{"n": 2}]


def test_r1_cutoff_override(werkdb):
    insert(werkdb, "ingest.polis", R1_POLIS)
    params = run_step(werkdb, STEP_R1, 2021, afsluitdatum="2022-02-15")
    assert params["afsluitdatum"] == D("2022-02-15")

    got = rows(werkdb, "SELECT regelnummer, verloonde_uren FROM werk.definitieve_versies ORDER BY regelnummer")
    # record (A,'1'): only versions of 10 Jan and 1 Feb are on/before 15 Feb -> 1 Feb (nr 5) wins;
    # record (A,'2') (1 May) and (A,'3') (1 June) are now after the cut-off.
    assert [(r["regelnummer"], r["verloonde_uren"]) for r in got] == [
        (5, Decimal("90")), (9, Decimal("140")), (13, Decimal("40")), (14, Decimal("30")), (15, Decimal("56")),
    ]
    late = rows(werkdb, "SELECT regelnummer, aanleverdatum, afsluitdatum FROM werk.na_afsluitdatum ORDER BY 1")
    assert late == [
        dict(regelnummer=3, aanleverdatum=D("2022-03-01"), afsluitdatum=D("2022-02-15")),
        dict(regelnummer=4, aanleverdatum=D("2022-03-01"), afsluitdatum=D("2022-02-15")),
        dict(regelnummer=6, aanleverdatum=D("2022-05-02"), afsluitdatum=D("2022-02-15")),
        dict(regelnummer=7, aanleverdatum=D("2022-05-01"), afsluitdatum=D("2022-02-15")),
        dict(regelnummer=8, aanleverdatum=D("2022-06-01"), afsluitdatum=D("2022-02-15")),
    ]


def test_r1_a_tie_on_top_under_the_runs_own_cutoff_counts_for_nothing(werkdb):
    """With the reference cut-off (1 May) record (A,'t') has one final version, delivered 1 April, so
    the cross-row rule dubbele_versie quarantines nothing. Under --cutoff-date 2022-03-01 the two
    versions of 1 February, both volgnummer 1, are on top: the final version is ambiguous and the
    record counts for nothing (never one of the two at random). Record (A,'u') has a tie below its
    final version: harmless."""
    insert(werkdb, "ingest.polis", [
        polis(2, "t", "2021-12-01", "2021-12-31", 10, aanlever="2022-01-10", volgnummer=1),
        polis(3, "t", "2021-12-01", "2021-12-31", 20, aanlever="2022-02-01", volgnummer=1),
        polis(4, "t", "2021-12-01", "2021-12-31", 30, aanlever="2022-02-01", volgnummer=1),
        polis(5, "t", "2021-12-01", "2021-12-31", 40, aanlever="2022-04-01", volgnummer=1),
        polis(6, "u", "2021-12-01", "2021-12-31", 50, persoon="p2", aanlever="2022-01-10", volgnummer=2),
        polis(7, "u", "2021-12-01", "2021-12-31", 60, persoon="p2", aanlever="2022-01-10", volgnummer=2),
        polis(8, "u", "2021-12-01", "2021-12-31", 70, persoon="p2", aanlever="2022-02-20", volgnummer=1),
    ])
    run_step(werkdb, STEP_R1, 2021)
    assert rows(werkdb, "SELECT regelnummer FROM werk.definitieve_versies ORDER BY 1") == [
        {"regelnummer": 5}, {"regelnummer": 8}]
    run_step(werkdb, STEP_R1, 2021, afsluitdatum="2022-03-01")
    assert rows(werkdb, "SELECT regelnummer FROM werk.definitieve_versies ORDER BY 1") == [{"regelnummer": 8}]


# --------------------------------------------------------------------------------------------
# R2 + R3 — the December window and day-proportional apportioning (R3 test first, then R2)
# --------------------------------------------------------------------------------------------

def test_r3_apportioning_payroll_periods_to_december(werkdb):
    insert(werkdb, "ingest.polis", [
        polis(2, "m", "2021-12-01", "2021-12-31", 100),             # December month: whole
        polis(3, "4w", "2021-11-05", "2021-12-02", 140),            # four-weekly: 2/28
        polis(4, "13", "2021-12-03", "2021-12-31", 116),            # 13th four-weekly, 29 days: whole
        polis(5, "w", "2021-11-29", "2021-12-05", 35),              # week: 5/7
        polis(6, "nov", "2021-11-01", "2021-11-30", 200),           # November month: not in the window
        polis(7, "neg", "2021-11-05", "2021-12-02", -14),           # negative correction: 2/28 too
        polis(8, "frac", "2021-11-05", "2021-12-02", 10),           # 10 x 2/28 = 0.714285714285...
        polis(9, "lw", "2021-12-27", "2021-12-31", 20),             # last (short) week of the year: whole
        polis(10, "okt", "2021-10-08", "2021-11-04", 160),          # four-weekly before December: not in it
    ])
    run_step(werkdb, STEP_R1, 2021)
    run_step(werkdb, STEP_R2, 2021)

    got = rows(werkdb, "SELECT jaar, regelnummer, ikv_id, verloonde_uren, dagen_tijdvak, dagen_in_venster, "
                       "uren_venster FROM werk.venster_uren ORDER BY regelnummer")
    assert [(r["regelnummer"], r["ikv_id"], r["dagen_tijdvak"], r["dagen_in_venster"], r["uren_venster"])
            for r in got] == [
        (2, "m", 31, 31, Decimal("100")),
        (3, "4w", 28, 2, Decimal("10")),
        (4, "13", 29, 29, Decimal("116")),
        (5, "w", 7, 5, Decimal("25")),
        (7, "neg", 28, 2, Decimal("-1")),
        (8, "frac", 28, 2, Decimal("0.7142857143")),
        (9, "lw", 5, 5, Decimal("20")),
    ]
    assert {r["jaar"] for r in got} == {2021}
    assert got[1]["verloonde_uren"] == Decimal("140")  # the period's own hours are kept beside the share
    # sums of the window hours are exact decimals
    assert werkdb.execute("SELECT sum(uren_venster) FROM werk.venster_uren").fetchone()[0] == Decimal(
        "100") + 10 + 116 + 25 - 1 + Decimal("0.7142857143") + 20


def test_r2_window_is_december_of_the_year(werkdb):
    insert(werkdb, "ingest.polis", [
        polis(2, "a", "2012-12-01", "2012-12-31", 80, aanlever="2013-01-10"),
        polis(3, "a", "2021-12-01", "2021-12-31", 90),
        polis(4, "b", "2012-11-01", "2012-11-30", 70, aanlever="2013-01-10"),  # November: outside the window
        polis(5, "c", "2013-01-01", "2013-01-31", 60, aanlever="2013-02-10"),  # January of Y+1: outside
    ])
    params = run_step(werkdb, STEP_R1, 2012)
    assert (params["venster_begin"], params["venster_einde"]) == (D("2012-12-01"), D("2012-12-31"))
    run_step(werkdb, STEP_R2, 2012)
    assert rows(werkdb, "SELECT jaar, regelnummer, uren_venster FROM werk.venster_uren") == [
        dict(jaar=2012, regelnummer=2, uren_venster=Decimal("80"))
    ]


# --------------------------------------------------------------------------------------------
# R4 — doelgroep membership, whole-period rule
# --------------------------------------------------------------------------------------------

def venster(regelnummer, persoon, uren, begin="2021-12-01", einde="2021-12-31", jaar=2021):
    return dict(jaar=jaar, bron_bestand=BRON, regelnummer=regelnummer, persoon_id=persoon,
                loonheffingennummer=LHN_A, ikv_id=f"ikv{regelnummer}", tijdvak_begin=begin, tijdvak_einde=einde,
                code_aard_arbeidsverhouding=1, uren_venster=Decimal(str(uren)))


def test_r4_whole_period_rule(werkdb):
    insert(werkdb, "werk.venster_uren", [
        venster(2, "pA", 100),
        venster(3, "pB", 101),
        venster(4, "pC", 102),
        venster(5, "pD", 103),
        venster(6, "pE", 104),
        venster(7, "pF", 105),
        venster(8, "pG", 106),
        venster(9, "pG", 107),
        venster(10, "pH", 10, begin="2021-11-05", einde="2021-12-02"),
        venster(11, "pI", 108),
        venster(12, "pJ", 109),
        venster(13, "pK", 110),
        venster(14, "pL", 111),
        venster(15, "pA", 50, jaar=2020, begin="2020-12-01", einde="2020-12-31"),  # another year: untouched
    ])
    insert(werkdb, "ingest.doelgroepregister", [
        register(2, "pA", "IB", "2021-12-31"),                      # overlaps one day, open end -> counts
        register(3, "pB", "IB", "2020-01-01", "2021-11-30"),        # ends the day before -> no
        register(4, "pC", "IB", "2021-12-15", "2021-12-15"),        # one-day registration -> ignored
        register(5, "pD", "BESCHUT", "2010-01-01"),                 # not a counting grondslag
        register(6, "pE", "VOORZIENING", "2010-01-01"),             # quotum only
        register(7, "pF", "BESCHUT", "2010-01-01"),                 # non-counting and ...
        register(8, "pF", "WAJONG", "2019-01-01", "2021-12-01"),    # ... counting (overlaps 1 Dec) -> counts
        register(9, "pG", "IB", "2010-01-01"),                      # two overlapping counting registrations
        register(10, "pG", "WSW", "2015-01-01"),                    # -> each job once
        register(11, "pH", "PR", "2021-11-05", "2021-11-06"),       # overlaps the November part only -> counts
        register(12, "pI", "IB", "2010-01-01", regel="regio_onbekend"),  # quarantined row -> no
        register(13, "pJ", "IB", "2021-12-01", "2021-12-02"),       # two days -> counts
        register(14, "pL", "IB", "2022-01-01"),                     # starts after the period -> no
        # pK has no registration
    ])
    run_step(werkdb, STEP_R4, 2021)

    got = rows(werkdb, "SELECT jaar, regelnummer, persoon_id, tijdvak_begin, uren_venster "
                       "FROM werk.doelgroep_uren ORDER BY regelnummer")
    assert [(r["jaar"], r["regelnummer"], r["persoon_id"], r["uren_venster"]) for r in got] == [
        (2021, 2, "pA", Decimal("100")),
        (2021, 7, "pF", Decimal("105")),
        (2021, 8, "pG", Decimal("106")),
        (2021, 9, "pG", Decimal("107")),
        (2021, 10, "pH", Decimal("10")),
        (2021, 12, "pJ", Decimal("109")),
    ]
    assert werkdb.execute("SELECT sum(uren_venster) FROM werk.doelgroep_uren").fetchone()[0] == Decimal(
        100 + 105 + 106 + 107 + 10 + 109)


# --------------------------------------------------------------------------------------------
# R5 — form of the job
# --------------------------------------------------------------------------------------------

def test_r5_reference_rule_table_is_the_method_table(werkdb):
    # the default mapping of METHOD R5, in order (a change to the reference data must be deliberate)
    assert [tuple(r.values()) for r in rows(
        werkdb, "SELECT volgorde, code_aard_arbeidsverhouding, sector_risicogroep, sw_bedrijf, vorm, inleen_soort "
                "FROM ref.caa_vorm ORDER BY volgorde")] == [
        (1, 21, None, None, "uitgesloten", None),
        (2, 24, None, None, "uitgesloten", None),
        (3, 22, None, None, "inleen", "wsw_detachering"),
        (4, 11, None, None, "inleen", "uitzend"),
        (5, None, 52, None, "inleen", "uitzend"),
        (6, 82, None, None, "inleen", "uitzend"),
        (7, None, None, True, "uitgesloten", None),
        (8, None, None, None, "formeel", None),
    ]


def test_r5_vorm_first_match_wins(werkdb):
    REG, UITZ, SW = LHN_A, LHN_B, "100000003L01"
    insert(werkdb, "werk.werkgever_peildatum", [
        peildatum_werkgever(REG, risicogroep=10),
        peildatum_werkgever(UITZ, risicogroep=52),
        peildatum_werkgever(SW, risicogroep=10, sw=True),
    ])
    cases = [  # (regelnummer, employer, CAA, expected vorm, inleen_soort, rule)
        (2, REG, 21, "uitgesloten", None, 1),
        (3, REG, 24, "uitgesloten", None, 2),
        (4, REG, 22, "inleen", "wsw_detachering", 3),
        (5, REG, 11, "inleen", "uitzend", 4),
        (6, UITZ, 1, "inleen", "uitzend", 5),       # risicogroep 52 with CAA 1
        (7, REG, 82, "inleen", "uitzend", 6),
        (8, SW, 1, "uitgesloten", None, 7),          # Wsw job inside the SW-bedrijf
        (9, SW, 22, "inleen", "wsw_detachering", 3),  # SW-bedrijf seconding: rule 3 before rule 7
        (10, REG, 23, "formeel", None, 8),           # begeleid werken at a regular employer
        (11, REG, 18, "formeel", None, 8),           # publiekrechtelijke aanstelling
        (12, REG, 1, "formeel", None, 8),
        (13, UITZ, 21, "uitgesloten", None, 1),      # rule 1 before rule 5
        (14, SW, 82, "inleen", "uitzend", 6),        # rule 6 before rule 7
        (15, SW, 11, "inleen", "uitzend", 4),
        (16, UITZ, 82, "inleen", "uitzend", 5),      # both 5 and 6 match: 5 is first
    ]
    insert(werkdb, "werk.doelgroep_uren",
           [doelgroep_uur(n, f"p{n}", 10 + n, lhn=lhn, caa=caa) for n, lhn, caa, *_ in cases])
    run_step(werkdb, STEP_R5, 2021)

    got = rows(werkdb, "SELECT jaar, regelnummer, loonheffingennummer, code_aard_arbeidsverhouding, vorm, "
                       "inleen_soort, vorm_regel, uren_venster FROM werk.vorm_uren ORDER BY regelnummer")
    assert [(r["regelnummer"], r["loonheffingennummer"], r["code_aard_arbeidsverhouding"], r["vorm"],
             r["inleen_soort"], r["vorm_regel"]) for r in got] == [
        (n, lhn, caa, vorm, soort, regel) for n, lhn, caa, vorm, soort, regel in cases
    ]
    assert [r["uren_venster"] for r in got] == [Decimal(10 + n) for n, *_ in cases]
    assert {r["jaar"] for r in got} == {2021}


# --------------------------------------------------------------------------------------------
# R6 — sector of the employer
# --------------------------------------------------------------------------------------------

def test_r6_employer_version_on_last_day_of_previous_year(werkdb):
    A, B, C, E, F, G = (f"10000000{i}L01" for i in (1, 2, 3, 5, 6, 7))
    insert(werkdb, "ingest.werkgevers", [
        # A: version valid on 31-12-2020 beats a later version starting in 2021
        werkgever_versie(2, A, "2019-01-01", "2021-03-31", risicogroep=10, regio="AMR01"),
        werkgever_versie(3, A, "2021-04-01", None, risicogroep=52, regio="AMR02"),
        # B: no version on 31-12-2020 -> the earliest version starting in 2021
        werkgever_versie(4, B, "2010-01-01", "2019-12-31", risicogroep=11),
        werkgever_versie(5, B, "2021-09-01", None, risicogroep=13),
        werkgever_versie(6, B, "2021-06-01", "2021-08-31", risicogroep=12, overheid=True, aandeel=0.25,
                         overheidssector="Rijk"),
        # C: only a version starting in 2022 -> no version for 2021
        werkgever_versie(7, C, "2022-01-01", None),
        # E: version ending exactly on 31-12-2020 (inclusive) -> valid on the peildatum
        werkgever_versie(8, E, "2015-01-01", "2020-12-31", risicogroep=20),
        werkgever_versie(9, E, "2021-01-01", None, risicogroep=21),
        # F: the version valid on the peildatum was quarantined -> the version starting in 2021
        werkgever_versie(10, F, "2015-01-01", None, risicogroep=30, regel="aandeel_bereik"),
        werkgever_versie(11, F, "2021-02-01", None, risicogroep=31),
        # G: version starting on the peildatum itself
        werkgever_versie(12, G, "2020-12-31", None, risicogroep=40, sw=True),
    ])
    run_step(werkdb, STEP_R6A, 2021)

    got = rows(werkdb, "SELECT * FROM werk.werkgever_peildatum ORDER BY loonheffingennummer")
    P = D("2020-12-31")
    assert got == [
        dict(jaar=2021, loonheffingennummer=A, peildatum=P, geldig_vanaf=D("2019-01-01"), sector_risicogroep=10,
             overheidswerkgever=False, uren_sectorfonds_aandeel=0.0, overheidssector=None, sw_bedrijf=False,
             arbeidsmarktregio="AMR01"),
        dict(jaar=2021, loonheffingennummer=B, peildatum=P, geldig_vanaf=D("2021-06-01"), sector_risicogroep=12,
             overheidswerkgever=True, uren_sectorfonds_aandeel=0.25, overheidssector="Rijk", sw_bedrijf=False,
             arbeidsmarktregio="AMR01"),
        dict(jaar=2021, loonheffingennummer=E, peildatum=P, geldig_vanaf=D("2015-01-01"), sector_risicogroep=20,
             overheidswerkgever=False, uren_sectorfonds_aandeel=0.0, overheidssector=None, sw_bedrijf=False,
             arbeidsmarktregio="AMR01"),
        dict(jaar=2021, loonheffingennummer=F, peildatum=P, geldig_vanaf=D("2021-02-01"), sector_risicogroep=31,
             overheidswerkgever=False, uren_sectorfonds_aandeel=0.0, overheidssector=None, sw_bedrijf=False,
             arbeidsmarktregio="AMR01"),
        dict(jaar=2021, loonheffingennummer=G, peildatum=P, geldig_vanaf=D("2020-12-31"), sector_risicogroep=40,
             overheidswerkgever=False, uren_sectorfonds_aandeel=0.0, overheidssector=None, sw_bedrijf=True,
             arbeidsmarktregio="AMR01"),
    ]


def test_r6_sector_of_formal_jobs(werkdb):
    OV49, OV50, MARKT, OVNUL = LHN_A, LHN_B, "100000003L01", "100000004L01"
    insert(werkdb, "werk.werkgever_peildatum", [
        peildatum_werkgever(OV49, overheid=True, aandeel=0.49, overheidssector="Gemeenten", regio="AMR05"),
        peildatum_werkgever(OV50, overheid=True, aandeel=0.5, overheidssector="UMC", regio="AMR06"),
        peildatum_werkgever(MARKT, overheid=False, aandeel=0.0, overheidssector="Rijk", regio="AMR07"),
        peildatum_werkgever(OVNUL, overheid=True, aandeel=0.0, overheidssector="Politie", regio="AMR08"),
    ])
    insert(werkdb, "werk.vorm_uren", [
        dict(jaar=2021, bron_bestand=BRON, regelnummer=n, persoon_id=f"p{n}", loonheffingennummer=lhn,
             ikv_id=f"ikv{n}", tijdvak_begin="2021-12-01", vorm=vorm, inleen_soort=soort, vorm_regel=0,
             uren_venster=Decimal(uren))
        for n, lhn, vorm, soort, uren in [
            (2, OV49, "formeel", None, "10"),
            (3, OV50, "formeel", None, "11"),
            (4, MARKT, "formeel", None, "12"),
            (5, OVNUL, "formeel", None, "13"),
            (6, OV49, "inleen", "wsw_detachering", "14"),  # inleen: no sector here (R7 splits)
            (7, MARKT, "inleen", "uitzend", "15"),
            (8, OV49, "uitgesloten", None, "16"),  # excluded: stops here
        ]
    ])
    run_step(werkdb, STEP_R6B, 2021)

    got = rows(werkdb, "SELECT jaar, regelnummer, persoon_id, vorm, inleen_soort, sector, overheidssector, "
                       "werkgever_regio, uren_venster FROM werk.telbare_uren ORDER BY regelnummer")
    assert [(r["regelnummer"], r["vorm"], r["inleen_soort"], r["sector"], r["overheidssector"],
             r["werkgever_regio"], r["uren_venster"]) for r in got] == [
        (2, "formeel", None, "overheid", "Gemeenten", "AMR05", Decimal("10")),  # 0.49 < 0.5
        (3, "formeel", None, "markt", None, "AMR06", Decimal("11")),            # 0.5 is not < 0.5
        (4, "formeel", None, "markt", None, "AMR07", Decimal("12")),            # not an overheidswerkgever
        (5, "formeel", None, "overheid", "Politie", "AMR08", Decimal("13")),
        (6, "inleen", "wsw_detachering", None, None, "AMR05", Decimal("14")),
        (7, "inleen", "uitzend", None, None, "AMR07", Decimal("15")),
    ]


# --------------------------------------------------------------------------------------------
# R7 — inleen verdeelsleutel
# --------------------------------------------------------------------------------------------

def _cells(con, jaar):
    return {(r["sector"], r["vorm"]): (r["uren"], r["voorlopig"]) for r in rows(
        con, "SELECT sector, vorm, uren, voorlopig FROM werk.uren_per_cel WHERE jaar = ?", [jaar])}


def test_r7_published_key_splits_inleen(werkdb):
    insert(werkdb, "werk.telbare_uren", [
        telbaar(2, "formeel", "markt", "100", persoon="a"),
        telbaar(3, "formeel", "markt", "50.5", persoon="b"),
        telbaar(4, "formeel", "overheid", "30", persoon="c"),
        telbaar(5, "inleen", None, "60", persoon="d", inleen_soort="uitzend"),
        telbaar(6, "inleen", None, "40", persoon="e", inleen_soort="wsw_detachering"),
        telbaar(7, "formeel", "markt", "999", jaar=2020),  # another year
    ])
    run_step(werkdb, STEP_R7, 2021)

    assert rows(werkdb, "SELECT * FROM meting.verdeelsleutel") == [
        dict(jaar=2021, aandeel_markt=0.68, aandeel_overheid=0.32, voorlopig=False, bron="Kamerstuk 34 352 nr. 255")
    ]
    inleen = 60.0 + 40.0  # uitzend and Wsw-detachering together
    assert _cells(werkdb, 2021) == {
        ("markt", "formeel"): (150.5, False),
        ("overheid", "formeel"): (30.0, False),
        ("markt", "inleen"): (inleen * 0.68, False),
        ("overheid", "inleen"): (inleen * 0.32, False),
    }
    assert _cells(werkdb, 2021)[("markt", "inleen")] == (pytest.approx(68.0, abs=1e-9), False)


def test_r7_all_four_cells_present_when_zero(werkdb):
    run_step(werkdb, STEP_R7, 2021)  # no hours at all
    assert _cells(werkdb, 2021) == {
        ("markt", "formeel"): (0.0, False), ("overheid", "formeel"): (0.0, False),
        ("markt", "inleen"): (0.0, False), ("overheid", "inleen"): (0.0, False),
    }
    insert(werkdb, "werk.telbare_uren", [telbaar(2, "formeel", "markt", "12.25")])
    run_step(werkdb, STEP_R7, 2021)  # rerun replaces the year
    assert _cells(werkdb, 2021) == {
        ("markt", "formeel"): (12.25, False), ("overheid", "formeel"): (0.0, False),
        ("markt", "inleen"): (0.0, False), ("overheid", "inleen"): (0.0, False),
    }


def test_r7_missing_key_is_an_error_naming_the_year(werkdb):
    insert(werkdb, "werk.telbare_uren", [telbaar(2, "inleen", None, "10", jaar=2013, inleen_soort="uitzend")])
    with pytest.raises(duckdb.Error, match="meetjaar 2013"):
        run_step(werkdb, STEP_R7, 2013)
    assert rows(werkdb, "SELECT * FROM werk.uren_per_cel") == []


def test_r7_explicit_provisional_key_marks_rows_provisional(werkdb):
    insert(werkdb, "werk.telbare_uren", [
        telbaar(2, "inleen", None, "1000", jaar=2013, inleen_soort="uitzend"),
        telbaar(3, "formeel", "overheid", "20", jaar=2013),
    ])
    run_step(werkdb, STEP_R7, 2013, voorlopig_aandeel_markt=0.6)

    [sleutel] = rows(werkdb, "SELECT * FROM meting.verdeelsleutel WHERE jaar = 2013")
    assert (sleutel["aandeel_markt"], sleutel["aandeel_overheid"], sleutel["voorlopig"]) == (0.6, 1 - 0.6, True)
    assert "voorlopig" in sleutel["bron"]
    assert _cells(werkdb, 2013) == {
        ("markt", "formeel"): (0.0, True),
        ("overheid", "formeel"): (20.0, True),
        ("markt", "inleen"): (1000 * 0.6, True),
        ("overheid", "inleen"): (1000 * (1 - 0.6), True),
    }


def test_r7_provisional_key_for_a_year_with_a_published_key_is_an_error(werkdb):
    with pytest.raises(duckdb.Error, match="Meetjaar 2021 heeft een gepubliceerde verdeelsleutel"):
        run_step(werkdb, STEP_R7, 2021, voorlopig_aandeel_markt=0.6)
    assert rows(werkdb, "SELECT * FROM meting.verdeelsleutel") == []


def test_r7_provisional_key_outside_0_1_is_an_error(werkdb):
    with pytest.raises(duckdb.Error, match="Voorlopige verdeelsleutel voor 2013"):
        run_step(werkdb, STEP_R7, 2013, voorlopig_aandeel_markt=1.5)


# --------------------------------------------------------------------------------------------
# R8 — conversion to banen
# --------------------------------------------------------------------------------------------

def test_r8_banen_from_december_hours(werkdb):
    insert(werkdb, "werk.uren_per_cel", [
        cel(2021, "markt", "formeel", uren=790.5, voorlopig=False),        # 25.5 x 31 hours = 7 banen
        cel(2021, "overheid", "formeel", uren=123456.789, voorlopig=False),
        cel(2021, "markt", "inleen", uren=0.0, voorlopig=False),
        cel(2021, "overheid", "inleen", uren=-10.0, voorlopig=False),
        cel(2020, "markt", "formeel", uren=1.0, voorlopig=False),          # another year: not touched
    ])
    run_step(werkdb, STEP_R8, 2021)

    per_baan = 25.5 * 31 / 7  # hours of one baan in December (METHOD R8)
    got = rows(werkdb, "SELECT * FROM werk.banen_per_cel ORDER BY jaar, sector, vorm")
    assert got == [
        dict(jaar=2021, sector="markt", vorm="formeel", uren=790.5, banen=790.5 / per_baan, voorlopig=False),
        dict(jaar=2021, sector="markt", vorm="inleen", uren=0.0, banen=0.0, voorlopig=False),
        dict(jaar=2021, sector="overheid", vorm="formeel", uren=123456.789, banen=123456.789 / per_baan,
             voorlopig=False),
        dict(jaar=2021, sector="overheid", vorm="inleen", uren=-10.0, banen=-10.0 / per_baan, voorlopig=False),
    ]
    assert got[0]["banen"] == pytest.approx(7.0, rel=1e-15)  # 790.5 / (790.5 / 7)
    assert got[2]["banen"] == pytest.approx(1093.2290, abs=1e-4)  # 123456.789 x 7 / 790.5


def test_r8_keeps_the_provisional_mark(werkdb):
    insert(werkdb, "werk.uren_per_cel", [cel(2013, "markt", "inleen", uren=112.0, voorlopig=True)])
    run_step(werkdb, STEP_R8, 2013)
    assert rows(werkdb, "SELECT sector, vorm, banen, voorlopig FROM werk.banen_per_cel") == [
        dict(sector="markt", vorm="inleen", banen=112.0 / (25.5 * 31 / 7), voorlopig=True)
    ]


# --------------------------------------------------------------------------------------------
# R9 — extra banen against the nulmeting and the target
# --------------------------------------------------------------------------------------------

R9_NULMETING = {("markt", "formeel"): 30000.25, ("overheid", "formeel"): 5000.5,
                ("markt", "inleen"): 20000.75, ("overheid", "inleen"): 6000.0}
R9_2021 = {("markt", "formeel"): 80000.5, ("overheid", "formeel"): 12000.75,
           ("markt", "inleen"): 22000.0, ("overheid", "inleen"): 10000.25}


def _banen_cells(jaar, values, voorlopig=False):
    return [cel(jaar, s, v, uren=b * 100, banen=b, voorlopig=voorlopig) for (s, v), b in values.items()]


def test_r9_extra_banen_and_realisatie(werkdb):
    insert(werkdb, "werk.banen_per_cel", _banen_cells(2012, R9_NULMETING) + _banen_cells(2021, R9_2021))
    insert(werkdb, "meting.verdeelsleutel", [dict(jaar=2021, aandeel_markt=0.68, aandeel_overheid=0.32,
                                                voorlopig=False, bron="Kamerstuk 34 352 nr. 255")])
    run_step(werkdb, STEP_R9, 2021)

    banen = rows(werkdb, "SELECT * FROM meting.banen ORDER BY sector, vorm")
    assert banen == [
        dict(jaar=2021, sector="markt", vorm="formeel", uren=8000050.0, banen=80000.5, banen_nulmeting=30000.25,
             extra_banen=50000.25, voorlopig=False, regeling=R15),
        dict(jaar=2021, sector="markt", vorm="inleen", uren=2200000.0, banen=22000.0, banen_nulmeting=20000.75,
             extra_banen=1999.25, voorlopig=False, regeling=R15),
        dict(jaar=2021, sector="overheid", vorm="formeel", uren=1200075.0, banen=12000.75, banen_nulmeting=5000.5,
             extra_banen=7000.25, voorlopig=False, regeling=R15),
        dict(jaar=2021, sector="overheid", vorm="inleen", uren=1000025.0, banen=10000.25, banen_nulmeting=6000.0,
             extra_banen=4000.25, voorlopig=False, regeling=R15),
    ]
    # markt: 50000.25 + 1999.25 = 51999.5 against 60000; overheid: 7000.25 + 4000.25 = 11000.5 against 20000
    realisatie = rows(werkdb, "SELECT * FROM meting.realisatie ORDER BY sector")
    assert realisatie == [
        dict(jaar=2021, sector="markt", extra_banen=51999.5, doelstelling=60000.0, verschil=-8000.5,
             realisatie_pct=100 * 51999.5 / 60000, voorlopig=False, regeling=R15),
        dict(jaar=2021, sector="overheid", extra_banen=11000.5, doelstelling=20000.0, verschil=-8999.5,
             realisatie_pct=55.0025, voorlopig=False, regeling=R15),
        dict(jaar=2021, sector="totaal", extra_banen=63000.0, doelstelling=80000.0, verschil=-17000.0,
             realisatie_pct=78.75, voorlopig=False, regeling=R15),
    ]
    assert realisatie[0]["realisatie_pct"] == pytest.approx(86.66583333, abs=1e-8)
    assert rows(werkdb, "SELECT * FROM meting.verdeelsleutel") == [
        dict(jaar=2021, aandeel_markt=0.68, aandeel_overheid=0.32, voorlopig=False, bron="Kamerstuk 34 352 nr. 255")
    ]


def test_r9_provisional_year_and_year_without_target(werkdb):
    insert(werkdb, "werk.banen_per_cel", _banen_cells(2012, R9_NULMETING) + _banen_cells(2013, R9_2021, True))
    run_step(werkdb, STEP_R9, 2013)  # no doelstelling for 2013 in reference data
    assert rows(werkdb, "SELECT sector, extra_banen, doelstelling, verschil, realisatie_pct, voorlopig "
                        "FROM meting.realisatie ORDER BY sector") == [
        dict(sector="markt", extra_banen=51999.5, doelstelling=None, verschil=None, realisatie_pct=None,
             voorlopig=True),
        dict(sector="overheid", extra_banen=11000.5, doelstelling=None, verschil=None, realisatie_pct=None,
             voorlopig=True),
        dict(sector="totaal", extra_banen=63000.0, doelstelling=None, verschil=None, realisatie_pct=None,
             voorlopig=True),
    ]
    assert rows(werkdb, "SELECT DISTINCT voorlopig FROM meting.banen") == [dict(voorlopig=True)]


def test_r9_nulmeting_itself_has_zero_extra(werkdb):
    insert(werkdb, "werk.banen_per_cel", _banen_cells(2012, R9_NULMETING))
    run_step(werkdb, STEP_R9, 2012)
    assert rows(werkdb, "SELECT sector, vorm, banen, extra_banen FROM meting.banen ORDER BY sector, vorm") == [
        dict(sector="markt", vorm="formeel", banen=30000.25, extra_banen=0.0),
        dict(sector="markt", vorm="inleen", banen=20000.75, extra_banen=0.0),
        dict(sector="overheid", vorm="formeel", banen=5000.5, extra_banen=0.0),
        dict(sector="overheid", vorm="inleen", banen=6000.0, extra_banen=0.0),
    ]


def test_r9_missing_nulmeting_is_an_error(werkdb):
    insert(werkdb, "werk.banen_per_cel", _banen_cells(2021, R9_2021))
    with pytest.raises(duckdb.Error, match=r"De nulmeting \(2012\) is niet gemeten"):
        run_step(werkdb, STEP_R9, 2021)
    assert rows(werkdb, "SELECT * FROM meting.banen") == []


# --------------------------------------------------------------------------------------------
# R10 — persons
# --------------------------------------------------------------------------------------------

def test_r10_werkzame_personen_and_doelgroep_omvang(werkdb):
    REG, SW = LHN_A, LHN_B
    insert(werkdb, "werk.werkgever_peildatum", [peildatum_werkgever(REG), peildatum_werkgever(SW, sw=True)])
    insert(werkdb, "werk.doelgroep_uren", [
        doelgroep_uur(2, "p1", 100), doelgroep_uur(3, "p1", 50),          # two jobs: one person
        doelgroep_uur(4, "p2", 80, caa=21),                              # only job excluded (beschut)
        doelgroep_uur(5, "p3", 70, lhn=SW),                              # only job inside the SW-bedrijf
        doelgroep_uur(6, "p4", 40), doelgroep_uur(7, "p4", -40),         # net 0 hours
        doelgroep_uur(8, "p5", 30, caa=11),                              # inleen counts
        doelgroep_uur(9, "p6", -5),                                      # negative only
        doelgroep_uur(10, "p7", 10), doelgroep_uur(11, "p7", 50, caa=24),  # one counted, one excluded job
        doelgroep_uur(12, "p8", 99, jaar=2020),                          # another year
    ])
    insert(werkdb, "werk.werkgever_peildatum", [peildatum_werkgever(REG, jaar=2020)])
    insert(werkdb, "ingest.doelgroepregister", [
        register(2, "q1", "IB", "2010-01-01"),                      # open end -> yes
        register(3, "q2", "IB", "2021-12-31", "2021-12-31"),        # one-day registration -> no
        register(4, "q3", "IB", "2015-01-01", "2021-12-30"),        # ends 30 December -> no
        register(5, "q4", "BESCHUT", "2010-01-01"),                 # not counting -> no
        register(6, "q5", "VOORZIENING", "2010-01-01"),             # not counting -> no
        register(7, "q6", "WAJONG", "2010-01-01", "2021-12-31"),    # two counting registrations ...
        register(8, "q6", "IB", "2020-01-01"),                      # ... one person
        register(9, "q7", "IB", "2021-12-30", "2021-12-31"),        # two days ending 31 December -> yes
        register(10, "q8", "IB", "2022-01-01"),                     # starts after -> no
        register(11, "q9", "IB", "2010-01-01", regel="regio_onbekend"),  # quarantined -> no
        register(12, "q10", "BESCHUT", "2010-01-01"),               # non-counting and ...
        register(13, "q10", "PR", "2021-06-01", "2022-06-30"),      # ... counting -> yes
        register(14, "q11", "IB", "2021-12-31"),                    # starts 31 December, open -> yes
    ])
    insert(werkdb, "meting.verdeelsleutel", [dict(jaar=2021, aandeel_markt=0.68, aandeel_overheid=0.32,
                                                voorlopig=False, bron="x")])
    for step in (STEP_R5, STEP_R6B, STEP_R10):
        run_step(werkdb, step, 2021)

    assert rows(werkdb, "SELECT * FROM meting.personen") == [
        dict(jaar=2021, werkzame_personen=3, doelgroep_omvang=5, voorlopig=False, regeling=R15)  # p1 p5 p7; q1 q6 q7 q10 q11
    ]


def test_r10_provisional_year_is_marked(werkdb):
    insert(werkdb, "werk.telbare_uren", [telbaar(2, "formeel", "markt", "1", persoon="x", jaar=2013)])
    insert(werkdb, "meting.verdeelsleutel", [dict(jaar=2013, aandeel_markt=0.6, aandeel_overheid=0.4,
                                                voorlopig=True, bron="voorlopig")])
    run_step(werkdb, STEP_R10, 2013)
    assert rows(werkdb, "SELECT * FROM meting.personen") == [
        dict(jaar=2013, werkzame_personen=1, doelgroep_omvang=0, voorlopig=True, regeling=R15)
    ]


# --------------------------------------------------------------------------------------------
# Table 1 of the Kamerbrief (sql/publicatie/tabel1.sql): presentation rounding
# --------------------------------------------------------------------------------------------

def test_tabel1_rounds_each_cell_half_away_from_zero_and_totals_from_unrounded_sums(werkdb):
    def b(jaar, sector, vorm, banen, nul, extra):
        return dict(jaar=jaar, sector=sector, vorm=vorm, uren=0.0, banen=banen, banen_nulmeting=nul,
                    extra_banen=extra, voorlopig=False)

    insert(werkdb, "meting.banen", [
        b(2020, "markt", "formeel", 89000.0, 30072.4, 58927.6),
        b(2020, "overheid", "formeel", 17500.0, 9906.4, 7593.6),
        b(2020, "markt", "inleen", 25000.0, 24000.0, 1000.0),
        b(2020, "overheid", "inleen", 6000.0, 6000.0, 0.0),
        # like Table 1 of 2021: 59,928 + 7,094 = 67,022 printed parts, but the total is 67,021
        b(2021, "markt", "formeel", 90000.0, 30072.4, 59927.6),
        b(2021, "overheid", "formeel", 17000.0, 9906.4, 7093.6),
        b(2021, "markt", "inleen", 25038.5, 24000.0, 1038.5),   # x.5 -> up (banker's rounding would give 1038)
        b(2021, "overheid", "inleen", 5997.5, 6000.0, -2.5),    # -x.5 -> away from zero: -3 (banker's: -2)
    ])
    insert(werkdb, "meting.realisatie", [
        dict(jaar=2021, sector=s, extra_banen=0.0, doelstelling=d, verschil=0.0, realisatie_pct=0.0, voorlopig=False)
        for s, d in (("markt", 60000.0), ("overheid", 20000.0), ("totaal", 80000.0))
    ])

    got = rows(werkdb, "SELECT volgorde, regel, markt, overheid, totaal, voorlopig FROM meting.tabel1 "
                       "WHERE jaar = 2021 ORDER BY volgorde")
    assert [tuple(r.values()) for r in got] == [
        # formeel: 59927.6 -> 59928, 7093.6 -> 7094, total 67021.2 -> 67021 (not 67022)
        (1, "formele dienstverbanden", 59928, 7094, 67021, False),
        # inleen: 1038.5 -> 1039, -2.5 -> -3, total 1036.0 -> 1036
        (2, "inleenverbanden (uitzend + Wsw-detachering)", 1039, -3, 1036, False),
        # totaal: markt 60966.1 -> 60966, overheid 7091.1 -> 7091, total 68057.2 -> 68057
        (3, "totaal extra banen", 60966, 7091, 68057, False),
        (4, "doelstelling", 60000, 20000, 80000, False),
        # banen: markt 115038.5 -> 115039, overheid 22997.5 -> 22998, total 138036.0 -> 138036 (parts: 138037)
        (5, "banen in meetjaar", 115039, 22998, 138036, False),
        # nulmeting: 54072.4 -> 54072, 15906.4 -> 15906, total 69978.8 -> 69979 (parts: 69978)
        (6, "banen in de nulmeting", 54072, 15906, 69979, False),
        # change against 2020: markt 1000 + 38.5 = 1038.5 -> 1039; overheid -500 - 2.5 = -502.5 -> -503;
        # total 536.0 -> 536 (parts: 536)
        (7, "verandering t.o.v. meting 2020", 1039, -503, 536, False),
    ]
    # 2019 is not in the file: the change line of 2020 is empty and says why (no silent comparison
    # with another year, e.g. the nulmeting)
    got = rows(werkdb, "SELECT volgorde, regel, markt, overheid, totaal, toelichting FROM meting.tabel1 "
                       "WHERE jaar = 2020 ORDER BY volgorde")
    assert [r["volgorde"] for r in got] == [1, 2, 3, 5, 6, 7]
    assert got[-1] == dict(volgorde=7, regel="verandering t.o.v. meting 2019", markt=None, overheid=None,
                           totaal=None, toelichting="geen meting van 2019 in dit bestand")
    assert all(r["toelichting"] is None for r in got[:-1])


def test_tabel1_change_is_against_year_minus_one_not_the_nulmeting(werkdb):
    """A file with only 2012 and 2021: 2021's change line does not compare with 2012."""
    def b(jaar, sector, vorm, banen):
        return dict(jaar=jaar, sector=sector, vorm=vorm, uren=0.0, banen=banen, banen_nulmeting=10.0,
                    extra_banen=banen - 10.0, voorlopig=False)

    insert(werkdb, "meting.banen", [b(j, s, v, 10.0 * (j - 2011)) for j in (2012, 2021)
                                    for s in ("markt", "overheid") for v in ("formeel", "inleen")])
    [row] = rows(werkdb, "SELECT markt, overheid, totaal, toelichting FROM meting.tabel1 WHERE jaar = 2021 AND volgorde = 7")
    assert row == dict(markt=None, overheid=None, totaal=None, toelichting="geen meting van 2020 in dit bestand")


def test_the_change_of_each_cell_is_against_year_minus_one_in_one_view(werkdb):
    """meting.verandering (read by tabel1's change line and the report): 2021 against 2020, unrounded;
    2023 has no 2022 in the file, so its change is empty, not a comparison with 2021 or 2012."""
    def b(jaar, sector, vorm, banen):
        return dict(jaar=jaar, sector=sector, vorm=vorm, uren=0.0, banen=banen, banen_nulmeting=10.0,
                    extra_banen=banen - 10.0, voorlopig=False)

    levels = {2012: 10.0, 2020: 100.25, 2021: 103.5, 2023: 120.0}
    insert(werkdb, "meting.banen", [b(j, s, v, levels[j] * (2 if s == "overheid" else 1) + (0.5 if v == "inleen" else 0))
                                    for j in levels for s in ("markt", "overheid") for v in ("formeel", "inleen")])
    got = {(r["jaar"], r["sector"], r["vorm"]): (r["vorig_jaar"], r["banen_vorig_jaar"], r["verandering"])
           for r in rows(werkdb, "SELECT * FROM meting.verandering")}
    assert got[(2021, "markt", "formeel")] == (2020, 100.25, 3.25)
    assert got[(2021, "overheid", "inleen")] == (2020, 201.0, 6.5)
    assert got[(2023, "markt", "formeel")] == (2022, None, None)
    assert got[(2020, "markt", "inleen")] == (2019, None, None)
    [row] = rows(werkdb, "SELECT markt, overheid, totaal FROM meting.tabel1 WHERE jaar = 2021 AND volgorde = 7")
    assert row == dict(markt=7, overheid=13, totaal=20)  # 3.25 + 3.25 → 6.5 → 7; 6.5 + 6.5 = 13; 19.5 → 20


def test_r7_shares_and_split_hours_carry_no_float_noise(werkdb):
    """1 − 0.7 is published as 0.3 and 68 inleen hours × 0.3 as 20.4 (in doubles: 0.30000000000000004
    and 20.400000000000002): the split is exact in decimals and cast to DOUBLE once."""
    insert(werkdb, "werk.telbare_uren", [telbaar(2, "inleen", None, "68", jaar=2013, inleen_soort="uitzend")])
    run_step(werkdb, STEP_R7, 2013, voorlopig_aandeel_markt=0.7)
    [sleutel] = rows(werkdb, "SELECT aandeel_markt, aandeel_overheid FROM meting.verdeelsleutel WHERE jaar = 2013")
    assert sleutel == dict(aandeel_markt=0.7, aandeel_overheid=0.3)
    cells = _cells(werkdb, 2013)
    assert cells[("overheid", "inleen")][0] == 20.4 and repr(cells[("overheid", "inleen")][0]) == "20.4"
    assert cells[("markt", "inleen")][0] == 47.6


def test_reference_data_is_read_from_its_own_folder_even_when_the_path_holds_glob_characters(tmp_path):
    """A checkout in a folder named 'ref[1]' must not read a sibling 'ref1' (DuckDB globs paths)."""
    import shutil

    from pipeline.paths import REFERENCE_DIR
    from pipeline.resources import load_reference

    real = tmp_path / "ref[1]"
    decoy = tmp_path / "ref1"
    shutil.copytree(REFERENCE_DIR, real)
    shutil.copytree(REFERENCE_DIR, decoy)
    text = (decoy / "verdeelsleutel.csv").read_text(encoding="utf-8")
    (decoy / "verdeelsleutel.csv").write_text(text.replace("0.760,0.240", "0.500,0.500"), encoding="utf-8")
    con = duckdb.connect()
    try:
        con.execute("CREATE SCHEMA ref")
        load_reference(con, real)
        assert con.execute("SELECT aandeel_markt FROM ref.verdeelsleutel WHERE jaar = 2012").fetchall() == [(0.76,)]
    finally:
        con.close()
