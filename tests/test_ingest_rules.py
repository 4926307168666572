"""Row rules and whole-file rules of the input contract (EXTRACTS.md §1–§5), as sql/ingest/ implements them.

Each row-rule test writes a tiny file with one good row (line 2) and one bad row (line 3), ingests it
exactly as pipeline.ingest.assets.ingest_extract does (discover, create_source_view, the extract's
SQL, then its cross-row SQL) and compares (regelnummer, regel, kolom, waarde) with hand-written rows.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import hmac
import os
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.ingest.assets import POLIS_TEMPORARY_TABLES, polis_file_counts, prepare_polis
from pipeline.ingest.reader import DeliveryError, create_source_view, describe_read_error, discover
from pipeline.resources import PseudonymKeyResource
from pipeline.sqlfiles import run_sql
from tests.conftest import BSN, POLIS_COLUMNS, REGISTER_COLUMNS, TEST_KEY, WERKGEVER_COLUMNS, insert, rows, write_csv

D = dt.date.fromisoformat
CROSS_ROW_SQL = {
    "werkgevers": "ingest/werkgevers_versies.sql",
    "doelgroepregister": None,
    "polis": "ingest/polis_kruiscontroles.sql",
}
COLUMNS = {"polis": POLIS_COLUMNS, "werkgevers": WERKGEVER_COLUMNS, "doelgroepregister": REGISTER_COLUMNS}


def hmac_hex(bsn: str, key: str = TEST_KEY) -> str:
    """The pseudonym as the contract defines it, computed with the standard library only."""
    return hmac.new(key.encode("utf-8"), bsn.encode("utf-8"), hashlib.sha256).hexdigest()


def ingest(con: duckdb.DuckDBPyConnection, delivery: Path, extract: str, key: str = TEST_KEY) -> dict[str, tuple]:
    """Ingest every file of one extract the way ingest_extract does (without Dagster and its ledger).

    Returns, per polis file, (rows read, accepted rows not kept) as the polis pass counts them.
    """
    reference = dict(con.execute("SELECT naam, waarde FROM ref.parameters").fetchall())
    params = {**PseudonymKeyResource(key=key).pads(), "afsluitdatum_maand_dag": reference["afsluitdatum_maand_dag"]}
    for edge in ("begin", "einde"):
        month, day = reference[f"meetperiode_{edge}_maand_dag"].split("-")
        params[f"venster_{edge}_maand"], params[f"venster_{edge}_dag"] = int(month), int(day)
    files = discover(delivery, extract)
    con.execute(f"DELETE FROM ingest.{extract}")  # an extract is always read whole
    if extract == "polis":  # register BSNs and employer years (transient), see sql/ingest/polis.sql
        prepare_polis(con, delivery, _read, params)
    counts = {}
    for source in files:
        _read(con, source, f"ingest/{extract}.sql", {**params, "bron_bestand": source.relative})
        if extract == "polis":
            counts[source.relative] = polis_file_counts(con)
    if extract == "polis":  # METHOD R15: the files' payroll records merged (as ingest_extract)
        run_sql(con, "ingest/werkgever_uren.sql", params)
    for temporary in POLIS_TEMPORARY_TABLES:
        con.execute(f"DROP TABLE IF EXISTS {temporary}")
    if CROSS_ROW_SQL[extract]:
        run_sql(con, CROSS_ROW_SQL[extract], params)
    return counts


def _read(con, source, sql_file, params):
    try:
        create_source_view(con, source)
        run_sql(con, sql_file, params)
    except duckdb.Error as exc:
        raise describe_read_error(source, exc) from exc


def write_register(root: Path, bsns=tuple(BSN)) -> None:
    """A register file holding these BSNs: polis rows of other persons are never kept (polis.sql)."""
    write_csv(root / "doelgroepregister" / "register.csv", REGISTER_COLUMNS,
              [{**GOOD_REGISTER, "bsn": b} for b in bsns])


def verdict(con, extract):
    return [tuple(r.values()) for r in rows(
        con, f"SELECT bron_bestand, regelnummer, regel, kolom, waarde FROM ingest.{extract} ORDER BY bron_bestand, regelnummer")]


# Employers the polis rows refer to, already accepted in ingest.werkgevers (the polis cross-rule needs them).
LHN = "100000001L01"
LHN_ENDED = "100000002L01"  # register version ended 31-12-2020


@pytest.fixture
def con(werkdb):
    insert(werkdb, "ingest.werkgevers", [
        dict(bron_bestand="werkgevers/w.csv", regelnummer=2, loonheffingennummer=LHN, geldig_vanaf="2000-01-01",
             sector_risicogroep=10, overheidswerkgever=False, uren_sectorfonds_aandeel=0.0, sw_bedrijf=False,
             arbeidsmarktregio="AMR01"),
        dict(bron_bestand="werkgevers/w.csv", regelnummer=3, loonheffingennummer=LHN_ENDED,
             geldig_vanaf="2000-01-01", geldig_tot="2020-12-31", sector_risicogroep=10, overheidswerkgever=False,
             uren_sectorfonds_aandeel=0.0, sw_bedrijf=False, arbeidsmarktregio="AMR01"),
    ])
    return werkdb


GOOD = {
    "polis": dict(bsn=BSN[0], loonheffingennummer=LHN, ikv_id="1", tijdvak_begin="2021-12-01",
                  tijdvak_einde="2021-12-31", verloonde_uren="12,5", code_aard_arbeidsverhouding="1",
                  aanleverdatum="2022-01-15", volgnummer="1"),
    "werkgevers": dict(loonheffingennummer="100000011L01", naam="Markt BV", geldig_vanaf="2015-01-01",
                       geldig_tot="", sector_risicogroep="10", overheidswerkgever="N",
                       uren_sectorfonds_aandeel="0,25", overheidssector="", sw_bedrijf="N",
                       arbeidsmarktregio="AMR01"),
    "doelgroepregister": dict(bsn=BSN[0], grondslag="IB", datum_ingang="2016-01-01", datum_einde="",
                              woonregio="AMR01"),
}
GOOD_REGISTER = GOOD["doelgroepregister"]
# The bad row is the good row of another record (another ikv / employer / person) with the overrides.
OTHER = {
    "polis": dict(bsn=BSN[1], ikv_id="2"),
    "werkgevers": dict(loonheffingennummer="100000012L01"),
    "doelgroepregister": dict(bsn=BSN[1]),
}

PSEUDONYM = object()  # marker: waarde is the pseudonym of the bad row's bsn

ROW_RULES = [
    # ---- polis (EXTRACTS.md §1)
    *[("polis", {c: ""}, "verplicht", c, None) for c in POLIS_COLUMNS],
    ("polis", {"bsn": "   "}, "verplicht", "bsn", None),
    ("polis", {"bsn": "12345678"}, "bsn_formaat", "bsn", PSEUDONYM),
    ("polis", {"bsn": "1234567820"}, "bsn_formaat", "bsn", PSEUDONYM),
    ("polis", {"bsn": "12345678A"}, "bsn_formaat", "bsn", PSEUDONYM),
    ("polis", {"bsn": "123456789"}, "bsn_elfproef", "bsn", PSEUDONYM),
    ("polis", {"loonheffingennummer": "12345678L01"}, "loonheffingennummer_patroon", "loonheffingennummer",
     "12345678L01"),
    ("polis", {"loonheffingennummer": "100000001l01"}, "loonheffingennummer_patroon", "loonheffingennummer",
     "100000001l01"),
    ("polis", {"loonheffingennummer": "100000001L1"}, "loonheffingennummer_patroon", "loonheffingennummer",
     "100000001L1"),
    ("polis", {"loonheffingennummer": "100000001L012"}, "loonheffingennummer_patroon", "loonheffingennummer",
     "100000001L012"),
    ("polis", {"tijdvak_begin": "01-12-2021"}, "datum_ongeldig", "tijdvak_begin", "01-12-2021"),
    ("polis", {"tijdvak_einde": "2021-12-32"}, "datum_ongeldig", "tijdvak_einde", "2021-12-32"),
    ("polis", {"tijdvak_begin": "2021-02-29", "tijdvak_einde": "2021-03-31"}, "datum_ongeldig", "tijdvak_begin",
     "2021-02-29"),
    ("polis", {"aanleverdatum": "2022-13-01"}, "datum_ongeldig", "aanleverdatum", "2022-13-01"),
    ("polis", {"verloonde_uren": "12,5,0"}, "getal_ongeldig", "verloonde_uren", "12,5,0"),
    ("polis", {"verloonde_uren": "twaalf"}, "getal_ongeldig", "verloonde_uren", "twaalf"),
    # ',' is the decimal mark (EXTRACTS.md); a cast alone read these as numbers
    ("polis", {"verloonde_uren": "12.5"}, "getal_ongeldig", "verloonde_uren", "12.5"),
    ("polis", {"verloonde_uren": "1.234"}, "getal_ongeldig", "verloonde_uren", "1.234"),
    ("polis", {"verloonde_uren": "1.234,5"}, "getal_ongeldig", "verloonde_uren", "1.234,5"),
    ("polis", {"verloonde_uren": "1e2"}, "getal_ongeldig", "verloonde_uren", "1e2"),
    ("polis", {"verloonde_uren": "1_0"}, "getal_ongeldig", "verloonde_uren", "1_0"),
    ("polis", {"verloonde_uren": "\t12"}, "getal_ongeldig", "verloonde_uren", "\t12"),
    # dates are YYYY-MM-DD; strptime alone read '15-01-22' as 22 January of the year 15
    ("polis", {"aanleverdatum": "15-01-22"}, "datum_ongeldig", "aanleverdatum", "15-01-22"),
    ("polis", {"tijdvak_begin": "21-12-01"}, "datum_ongeldig", "tijdvak_begin", "21-12-01"),
    ("polis", {"tijdvak_einde": "2021-12-1"}, "datum_ongeldig", "tijdvak_einde", "2021-12-1"),
    ("polis", {"code_aard_arbeidsverhouding": "1,5"}, "geheel_getal_ongeldig", "code_aard_arbeidsverhouding", "1,5"),
    ("polis", {"code_aard_arbeidsverhouding": "21.6"}, "geheel_getal_ongeldig", "code_aard_arbeidsverhouding",
     "21.6"),
    ("polis", {"volgnummer": "een"}, "geheel_getal_ongeldig", "volgnummer", "een"),
    ("polis", {"volgnummer": "2.5"}, "geheel_getal_ongeldig", "volgnummer", "2.5"),
    ("polis", {"tijdvak_begin": "2021-12-31", "tijdvak_einde": "2021-12-01"}, "tijdvak_volgorde", "tijdvak_einde",
     "2021-12-01"),
    ("polis", {"tijdvak_begin": "2021-12-27", "tijdvak_einde": "2022-01-02"}, "tijdvak_kalenderjaar",
     "tijdvak_einde", "2022-01-02"),
    ("polis", {"verloonde_uren": "744,01"}, "uren_maximum", "verloonde_uren", "744,01"),   # 24 x 31 = 744
    ("polis", {"tijdvak_begin": "2021-11-29", "tijdvak_einde": "2021-12-05", "verloonde_uren": "169"},
     "uren_maximum", "verloonde_uren", "169"),                                          # 24 x 7 = 168
    ("polis", {"loonheffingennummer": "999999999L99"}, "werkgever_onbekend", "loonheffingennummer", "999999999L99"),
    ("polis", {"loonheffingennummer": LHN_ENDED}, "werkgever_onbekend", "loonheffingennummer", LHN_ENDED),
    # ---- werkgevers (EXTRACTS.md §2)
    *[("werkgevers", {c: ""}, "verplicht", c, None) for c in
      ("loonheffingennummer", "geldig_vanaf", "sector_risicogroep", "overheidswerkgever",
       "uren_sectorfonds_aandeel", "sw_bedrijf", "arbeidsmarktregio")],
    ("werkgevers", {"loonheffingennummer": "100000012L1"}, "loonheffingennummer_patroon", "loonheffingennummer",
     "100000012L1"),
    ("werkgevers", {"geldig_vanaf": "2015/01/01"}, "datum_ongeldig", "geldig_vanaf", "2015/01/01"),
    ("werkgevers", {"geldig_tot": "2015-02-29"}, "datum_ongeldig", "geldig_tot", "2015-02-29"),
    ("werkgevers", {"sector_risicogroep": "zes"}, "geheel_getal_ongeldig", "sector_risicogroep", "zes"),
    ("werkgevers", {"sector_risicogroep": "52.4"}, "geheel_getal_ongeldig", "sector_risicogroep", "52.4"),
    ("werkgevers", {"overheidswerkgever": "X"}, "boolean_ongeldig", "overheidswerkgever", "X"),
    ("werkgevers", {"sw_bedrijf": "2"}, "boolean_ongeldig", "sw_bedrijf", "2"),
    ("werkgevers", {"uren_sectorfonds_aandeel": "half"}, "getal_ongeldig", "uren_sectorfonds_aandeel", "half"),
    ("werkgevers", {"uren_sectorfonds_aandeel": "1,01"}, "aandeel_bereik", "uren_sectorfonds_aandeel", "1,01"),
    ("werkgevers", {"uren_sectorfonds_aandeel": "-0,1"}, "aandeel_bereik", "uren_sectorfonds_aandeel", "-0,1"),
    ("werkgevers", {"uren_sectorfonds_aandeel": "0.5"}, "getal_ongeldig", "uren_sectorfonds_aandeel", "0.5"),
    ("werkgevers", {"uren_sectorfonds_aandeel": "nan"}, "getal_ongeldig", "uren_sectorfonds_aandeel", "nan"),
    ("werkgevers", {"geldig_tot": "31-12-20"}, "datum_ongeldig", "geldig_tot", "31-12-20"),
    ("werkgevers", {"geldig_vanaf": "2015-01-01", "geldig_tot": "2014-12-31"}, "geldigheid_volgorde", "geldig_tot",
     "2014-12-31"),
    ("werkgevers", {"overheidssector": "Gemeente"}, "overheidssector_onbekend", "overheidssector", "Gemeente"),
    ("werkgevers", {"arbeidsmarktregio": "AMR36"}, "regio_onbekend", "arbeidsmarktregio", "AMR36"),
    ("werkgevers", {"arbeidsmarktregio": "AMR00"}, "regio_onbekend", "arbeidsmarktregio", "AMR00"),
    ("werkgevers", {"arbeidsmarktregio": "AMR1"}, "regio_onbekend", "arbeidsmarktregio", "AMR1"),
    # ---- doelgroepregister (EXTRACTS.md §3)
    *[("doelgroepregister", {c: ""}, "verplicht", c, None) for c in ("bsn", "grondslag", "datum_ingang", "woonregio")],
    ("doelgroepregister", {"bsn": "12345678"}, "bsn_formaat", "bsn", PSEUDONYM),
    ("doelgroepregister", {"bsn": "123456789"}, "bsn_elfproef", "bsn", PSEUDONYM),
    ("doelgroepregister", {"grondslag": "XYZ"}, "grondslag_onbekend", "grondslag", "XYZ"),
    ("doelgroepregister", {"grondslag": "ib"}, "grondslag_onbekend", "grondslag", "ib"),
    ("doelgroepregister", {"datum_ingang": "2016-02-30"}, "datum_ongeldig", "datum_ingang", "2016-02-30"),
    ("doelgroepregister", {"datum_einde": "morgen"}, "datum_ongeldig", "datum_einde", "morgen"),
    ("doelgroepregister", {"datum_ingang": "01-01-16"}, "datum_ongeldig", "datum_ingang", "01-01-16"),
    ("doelgroepregister", {"datum_ingang": "2016-01-01", "datum_einde": "2015-12-31"}, "register_datumvolgorde",
     "datum_einde", "2015-12-31"),
    ("doelgroepregister", {"woonregio": "AMR36"}, "regio_onbekend", "woonregio", "AMR36"),
    ("doelgroepregister", {"woonregio": "amr01"}, "regio_onbekend", "woonregio", "amr01"),
]


@pytest.mark.parametrize(
    "extract, overrides, regel, kolom, waarde", ROW_RULES,
    ids=[f"{e}-{r}-{k}-{'_'.join(v for v in o.values() if v.strip()) or 'leeg'}" for e, o, r, k, _ in ROW_RULES],
)
def test_row_rule(con, tmp_path, extract, overrides, regel, kolom, waarde):
    bad = {**GOOD[extract], **OTHER[extract], **overrides}
    write_csv(tmp_path / extract / "bestand.csv", COLUMNS[extract], [GOOD[extract], bad])
    if extract == "polis":
        write_register(tmp_path)
    ingest(con, tmp_path, extract)

    if waarde is PSEUDONYM:
        waarde = hmac_hex(bad["bsn"])
    bron = f"{extract}/bestand.csv"
    assert [v for v in verdict(con, extract) if v[0] == bron] == [
        (bron, 2, None, None, None),
        (bron, 3, regel, kolom, waarde),
    ]
    melding = con.execute(f"SELECT melding FROM ingest.{extract} WHERE regelnummer = 3 AND bron_bestand = ?",
                          [bron]).fetchone()[0]
    assert melding  # every rejected row says why, in words


def test_first_broken_rule_wins(con, tmp_path):
    bad = {**GOOD["polis"], "bsn": "123456789", "tijdvak_begin": "gisteren", "verloonde_uren": "veel"}
    write_csv(tmp_path / "polis" / "p.csv", POLIS_COLUMNS, [bad])
    write_register(tmp_path)
    ingest(con, tmp_path, "polis")
    assert verdict(con, "polis") == [("polis/p.csv", 2, "bsn_elfproef", "bsn", hmac_hex("123456789"))]


def test_polis_hours_boundaries_accepted(con, tmp_path):
    good = [
        {**GOOD["polis"], "ikv_id": "a", "verloonde_uren": "744"},                       # exactly 24 x 31
        {**GOOD["polis"], "ikv_id": "b", "verloonde_uren": "-744,5"},                    # negative correction
        {**GOOD["polis"], "ikv_id": "c", "tijdvak_begin": "2021-12-31", "tijdvak_einde": "2021-12-31",
         "verloonde_uren": "24"},                                                        # one-day period
    ]
    write_csv(tmp_path / "polis" / "p.csv", POLIS_COLUMNS, good)
    write_register(tmp_path)
    ingest(con, tmp_path, "polis")
    assert [tuple(r.values()) for r in rows(con, "SELECT ikv_id, verloonde_uren, regel FROM ingest.polis ORDER BY 1")] \
        == [("a", Decimal("744"), None), ("b", Decimal("-744.5"), None), ("c", Decimal("24"), None)]


def test_werkgevers_share_boundaries_and_one_day_registration_accepted(con, tmp_path):
    write_csv(tmp_path / "werkgevers" / "w.csv", WERKGEVER_COLUMNS, [
        {**GOOD["werkgevers"], "loonheffingennummer": "100000021L01", "uren_sectorfonds_aandeel": "0"},
        {**GOOD["werkgevers"], "loonheffingennummer": "100000022L01", "uren_sectorfonds_aandeel": "1",
         "overheidswerkgever": "J", "overheidssector": "Rechterlijke macht", "arbeidsmarktregio": "AMR35"},
    ])
    write_csv(tmp_path / "doelgroepregister" / "r.csv", REGISTER_COLUMNS, [
        {**GOOD["doelgroepregister"], "datum_ingang": "2021-12-31", "datum_einde": "2021-12-31"},
    ])
    ingest(con, tmp_path, "werkgevers")
    ingest(con, tmp_path, "doelgroepregister")
    assert rows(con, "SELECT loonheffingennummer, uren_sectorfonds_aandeel, overheidssector, regel "
                     "FROM ingest.werkgevers ORDER BY 1") == [
        dict(loonheffingennummer="100000021L01", uren_sectorfonds_aandeel=0.0, overheidssector=None, regel=None),
        dict(loonheffingennummer="100000022L01", uren_sectorfonds_aandeel=1.0, overheidssector="Rechterlijke macht",
             regel=None),
    ]
    assert rows(con, "SELECT datum_ingang, datum_einde, regel FROM ingest.doelgroepregister") == [
        dict(datum_ingang=D("2021-12-31"), datum_einde=D("2021-12-31"), regel=None)
    ]


# ---------------------------------------------------------------------------------------------
# rules across rows
# ---------------------------------------------------------------------------------------------

def test_werkgevers_versies_overlappen(con, tmp_path):
    base = GOOD["werkgevers"]
    write_csv(tmp_path / "werkgevers" / "w1.csv", WERKGEVER_COLUMNS, [
        {**base, "loonheffingennummer": "100000031L01", "geldig_vanaf": "2015-01-01", "geldig_tot": "2018-12-31"},
        {**base, "loonheffingennummer": "100000031L01", "geldig_vanaf": "2019-01-01", "geldig_tot": ""},  # adjacent
        {**base, "loonheffingennummer": "100000032L01", "geldig_vanaf": "2015-01-01", "geldig_tot": "2019-01-01"},
    ])
    write_csv(tmp_path / "werkgevers" / "w2.csv", WERKGEVER_COLUMNS, [
        # overlaps the first version of ...32 (one day, across files); an open end overlaps everything after it
        {**base, "loonheffingennummer": "100000032L01", "geldig_vanaf": "2019-01-01", "geldig_tot": ""},
        # a version that was rejected on its own does not make the others overlap
        {**base, "loonheffingennummer": "100000031L01", "geldig_vanaf": "2016-01-01", "arbeidsmarktregio": "AMR99"},
    ])
    ingest(con, tmp_path, "werkgevers")
    assert verdict(con, "werkgevers") == [
        ("werkgevers/w1.csv", 2, None, None, None),
        ("werkgevers/w1.csv", 3, None, None, None),
        ("werkgevers/w1.csv", 4, "versies_overlappen", "geldig_vanaf", "2015-01-01"),
        ("werkgevers/w2.csv", 2, "versies_overlappen", "geldig_vanaf", "2019-01-01"),
        ("werkgevers/w2.csv", 3, "regio_onbekend", "arbeidsmarktregio", "AMR99"),
    ]


def test_polis_dubbele_versie(con, tmp_path):
    base = GOOD["polis"]
    write_csv(tmp_path / "polis" / "p.csv", POLIS_COLUMNS, [
        {**base, "ikv_id": "ok"},                                                    # line 2: another record
        # record 'dup': the two latest versions before the cut-off share date and volgnummer -> all versions out
        {**base, "ikv_id": "dup", "aanleverdatum": "2022-01-10", "volgnummer": "1"},  # line 3: older version
        {**base, "ikv_id": "dup", "aanleverdatum": "2022-02-01", "volgnummer": "2"},  # line 4
        {**base, "ikv_id": "dup", "aanleverdatum": "2022-02-01", "volgnummer": "2", "verloonde_uren": "13"},  # 5
        # record 'laat': a duplicate only after the cut-off (1 May 2022) does not matter
        {**base, "ikv_id": "laat", "aanleverdatum": "2022-04-30", "volgnummer": "1"},  # line 6
        {**base, "ikv_id": "laat", "aanleverdatum": "2022-06-01", "volgnummer": "1"},  # line 7
        {**base, "ikv_id": "laat", "aanleverdatum": "2022-06-01", "volgnummer": "1"},  # line 8
        # record 'oud': an older duplicate below a unique latest version does not matter
        {**base, "ikv_id": "oud", "aanleverdatum": "2022-01-10", "volgnummer": "1"},  # line 9
        {**base, "ikv_id": "oud", "aanleverdatum": "2022-01-10", "volgnummer": "1"},  # line 10
        {**base, "ikv_id": "oud", "aanleverdatum": "2022-01-10", "volgnummer": "2"},  # line 11
    ])
    write_register(tmp_path)
    ingest(con, tmp_path, "polis")
    assert verdict(con, "polis") == [
        ("polis/p.csv", 2, None, None, None),
        ("polis/p.csv", 3, "dubbele_versie", "volgnummer", "1"),
        ("polis/p.csv", 4, "dubbele_versie", "volgnummer", "2"),
        ("polis/p.csv", 5, "dubbele_versie", "volgnummer", "2"),
        *[("polis/p.csv", n, None, None, None) for n in range(6, 12)],
    ]


def test_polis_keeps_rejected_rows_and_rows_that_can_be_counted(con, tmp_path):
    base = GOOD["polis"]
    write_csv(tmp_path / "polis" / "p.csv", POLIS_COLUMNS, [
        {**base, "ikv_id": "a"},                                                          # 2: December, registered
        {**base, "ikv_id": "b", "tijdvak_begin": "2021-11-01", "tijdvak_einde": "2021-11-30"},  # 3: November (quotum, R17)
        {**base, "ikv_id": "c", "bsn": BSN[5]},                                           # 4: not in the register
        {**base, "ikv_id": "d", "bsn": "123456789", "tijdvak_begin": "2021-11-01",
         "tijdvak_einde": "2021-11-30"},                                                  # 5: rejected: always kept
        {**base, "ikv_id": "e", "tijdvak_begin": "2012-11-05", "tijdvak_einde": "2012-12-02",
         "aanleverdatum": "2013-01-10"},                                                  # 6: window of its own year
    ])
    write_register(tmp_path, bsns=BSN[:5])
    counts = ingest(con, tmp_path, "polis")
    assert verdict(con, "polis") == [
        ("polis/p.csv", 2, None, None, None),
        ("polis/p.csv", 3, None, None, None),
        ("polis/p.csv", 5, "bsn_elfproef", "bsn", hmac_hex("123456789")),
        ("polis/p.csv", 6, None, None, None),
    ]
    assert counts == {"polis/p.csv": (5, 1)}  # read = kept (4) + accepted but not kept (1)


# ---------------------------------------------------------------------------------------------
# typing, pseudonymisation and file formats
# ---------------------------------------------------------------------------------------------

TYPED_POLIS = ("persoon_id, loonheffingennummer, ikv_id, tijdvak_begin, tijdvak_einde, verloonde_uren, "
               "code_aard_arbeidsverhouding, aanleverdatum, volgnummer, regel")


def test_polis_row_is_typed_and_pseudonymised(con, tmp_path):
    write_csv(tmp_path / "polis" / "p.csv", POLIS_COLUMNS, [
        {**GOOD["polis"], "verloonde_uren": "12,5"},
        {**GOOD["polis"], "bsn": f" {BSN[2]} ", "ikv_id": "2", "verloonde_uren": "-3,25",
         "code_aard_arbeidsverhouding": "82", "volgnummer": "12"},
    ])
    write_csv(tmp_path / "doelgroepregister" / "r.csv", REGISTER_COLUMNS,
              [GOOD_REGISTER, {**GOOD_REGISTER, "bsn": BSN[2], "grondslag": "WSW", "datum_einde": "2021-12-31"}])
    ingest(con, tmp_path, "polis")
    assert rows(con, f"SELECT bron_bestand, regelnummer, {TYPED_POLIS} FROM ingest.polis ORDER BY regelnummer") == [
        dict(bron_bestand="polis/p.csv", regelnummer=2, persoon_id=hmac_hex(BSN[0]), loonheffingennummer=LHN,
             ikv_id="1", tijdvak_begin=D("2021-12-01"), tijdvak_einde=D("2021-12-31"),
             verloonde_uren=Decimal("12.5"), code_aard_arbeidsverhouding=1, aanleverdatum=D("2022-01-15"),
             volgnummer=1, regel=None),
        dict(bron_bestand="polis/p.csv", regelnummer=3, persoon_id=hmac_hex(BSN[2]), loonheffingennummer=LHN,
             ikv_id="2", tijdvak_begin=D("2021-12-01"), tijdvak_einde=D("2021-12-31"),
             verloonde_uren=Decimal("-3.25"), code_aard_arbeidsverhouding=82, aanleverdatum=D("2022-01-15"),
             volgnummer=12, regel=None),
    ]
    # the same person in the register gets the same pseudonym (the measurement joins on it)
    ingest(con, tmp_path, "doelgroepregister")
    assert rows(con, "SELECT persoon_id, grondslag, datum_ingang, datum_einde, woonregio, regel "
                     "FROM ingest.doelgroepregister ORDER BY regelnummer") == [
        dict(persoon_id=hmac_hex(BSN[0]), grondslag="IB", datum_ingang=D("2016-01-01"), datum_einde=None,
             woonregio="AMR01", regel=None),
        dict(persoon_id=hmac_hex(BSN[2]), grondslag="WSW", datum_ingang=D("2016-01-01"), datum_einde=D("2021-12-31"),
             woonregio="AMR01", regel=None),
    ]


def test_pseudonym_is_hmac_sha256_also_for_long_keys(werkdb, tmp_path):
    long_key = "een-heel-lange-sleutel-" * 5  # > 64 bytes: HMAC hashes the key first
    write_csv(tmp_path / "doelgroepregister" / "r.csv", REGISTER_COLUMNS, [GOOD["doelgroepregister"]])
    ingest(werkdb, tmp_path, "doelgroepregister", key=long_key)
    assert rows(werkdb, "SELECT persoon_id FROM ingest.doelgroepregister") == [
        dict(persoon_id=hmac.new(long_key.encode(), BSN[0].encode(), hashlib.sha256).hexdigest())
    ]
    assert hmac_hex(BSN[0], long_key) != hmac_hex(BSN[0])


def test_no_raw_bsn_anywhere_in_the_ingest_tables(con, tmp_path):
    bad_bsns = ["123456789", "12345678", "1234567890", BSN[3]]
    write_csv(tmp_path / "polis" / "p.csv", POLIS_COLUMNS, [
        {**GOOD["polis"], "ikv_id": str(i), "bsn": b} for i, b in enumerate(bad_bsns)
    ] + [{**GOOD["polis"], "ikv_id": "x", "bsn": BSN[4], "volgnummer": "x"}])
    write_csv(tmp_path / "doelgroepregister" / "r.csv", REGISTER_COLUMNS, [
        {**GOOD["doelgroepregister"], "bsn": b} for b in bad_bsns
    ] + [{**GOOD["doelgroepregister"], "bsn": BSN[5], "grondslag": "?"}])
    ingest(con, tmp_path, "polis")
    ingest(con, tmp_path, "doelgroepregister")
    assert [r["regel"] for r in rows(con, "SELECT regel FROM ingest.polis ORDER BY regelnummer")] == [
        "bsn_elfproef", "bsn_formaat", "bsn_formaat", None, "geheel_getal_ongeldig"]
    for table in ("ingest.polis", "ingest.doelgroepregister", "kwaliteit.quarantaine"):
        text = con.execute(f"SELECT string_agg(CAST(t AS VARCHAR), '|') FROM {table} AS t").fetchone()[0]
        for bsn in bad_bsns + [BSN[4], BSN[5]]:
            assert bsn not in text, (table, bsn)
    assert con.execute("SELECT waarde FROM kwaliteit.quarantaine WHERE bron_bestand = 'polis/p.csv' "
                       "AND regelnummer = 2").fetchone()[0] == hmac_hex("123456789")


def test_werkgevers_booleans_and_decimal_comma(con, tmp_path):
    write_csv(tmp_path / "werkgevers" / "w.csv", WERKGEVER_COLUMNS, [
        {**GOOD["werkgevers"], "loonheffingennummer": "100000041L01", "overheidswerkgever": "J",
         "uren_sectorfonds_aandeel": "0,49", "overheidssector": "Gemeenten", "sw_bedrijf": "N",
         "geldig_tot": "2020-12-31", "sector_risicogroep": "63"},
        {**GOOD["werkgevers"], "loonheffingennummer": "100000042L01", "naam": "", "overheidswerkgever": "N",
         "uren_sectorfonds_aandeel": "0,5", "sw_bedrijf": "J"},
    ])
    ingest(con, tmp_path, "werkgevers")
    assert rows(con, "SELECT * EXCLUDE (kolom, waarde, melding) FROM ingest.werkgevers ORDER BY regelnummer") == [
        dict(bron_bestand="werkgevers/w.csv", regelnummer=2, loonheffingennummer="100000041L01", naam="Markt BV",
             geldig_vanaf=D("2015-01-01"), geldig_tot=D("2020-12-31"), sector_risicogroep=63,
             overheidswerkgever=True, uren_sectorfonds_aandeel=0.49, overheidssector="Gemeenten", sw_bedrijf=False,
             arbeidsmarktregio="AMR01", regel=None),
        dict(bron_bestand="werkgevers/w.csv", regelnummer=3, loonheffingennummer="100000042L01", naam=None,
             geldig_vanaf=D("2015-01-01"), geldig_tot=None, sector_risicogroep=10,
             overheidswerkgever=False, uren_sectorfonds_aandeel=0.5, overheidssector=None, sw_bedrijf=True,
             arbeidsmarktregio="AMR01", regel=None),
    ]


def _typed_polis(con, bron):
    return [r for r in rows(con, f"SELECT regelnummer, {TYPED_POLIS} FROM ingest.polis WHERE bron_bestand = ? "
                                 "ORDER BY regelnummer", [bron])]


POLIS_ROWS = [
    GOOD["polis"],
    {**GOOD["polis"], "bsn": BSN[1], "ikv_id": "2", "verloonde_uren": "-3,25", "code_aard_arbeidsverhouding": "11",
     "tijdvak_begin": "2021-11-05", "tijdvak_einde": "2021-12-02", "volgnummer": "3"},
]
POLIS_EXPECTED = [
    dict(persoon_id=hmac_hex(BSN[0]), loonheffingennummer=LHN, ikv_id="1", tijdvak_begin=D("2021-12-01"),
         tijdvak_einde=D("2021-12-31"), verloonde_uren=Decimal("12.5"), code_aard_arbeidsverhouding=1,
         aanleverdatum=D("2022-01-15"), volgnummer=1, regel=None),
    dict(persoon_id=hmac_hex(BSN[1]), loonheffingennummer=LHN, ikv_id="2", tijdvak_begin=D("2021-11-05"),
         tijdvak_einde=D("2021-12-02"), verloonde_uren=Decimal("-3.25"), code_aard_arbeidsverhouding=11,
         aanleverdatum=D("2022-01-15"), volgnummer=3, regel=None),
]


@pytest.mark.parametrize("variant", ["bom", "gzip", "kolomvolgorde"])
def test_bom_header_gzip_and_column_order_read_the_same(con, tmp_path, variant):
    if variant == "bom":  # the byte-order mark sits before 'bsn', the first column
        write_csv(tmp_path / "polis" / "p.csv", POLIS_COLUMNS, POLIS_ROWS, bom=True)
    elif variant == "gzip":
        write_csv(tmp_path / "polis" / "p.csv.gz", POLIS_COLUMNS, POLIS_ROWS, gz=True)
    else:  # any column order; an extra column is ignored
        shuffled = ["volgnummer", "extra_kolom", *reversed(POLIS_COLUMNS[:-1])]
        write_csv(tmp_path / "polis" / "p.csv", shuffled, [{**r, "extra_kolom": "genegeerd"} for r in POLIS_ROWS])
    write_register(tmp_path)
    ingest(con, tmp_path, "polis")
    bron = "polis/p.csv.gz" if variant == "gzip" else "polis/p.csv"
    assert _typed_polis(con, bron) == [{"regelnummer": 2, **POLIS_EXPECTED[0]},
                                       {"regelnummer": 3, **POLIS_EXPECTED[1]}]
    assert rows(con, "SELECT count(*) AS n FROM ingest.polis") == [dict(n=2)]


POLIS_PARQUET = pa.table({
    "volgnummer": pa.array([1, 3], pa.int32()),  # any column order
    "bsn": [BSN[0], BSN[1]],
    "loonheffingennummer": [LHN, LHN],
    "ikv_id": ["1", "2"],
    "tijdvak_begin": pa.array([D("2021-12-01"), D("2021-11-05")], pa.date32()),
    "tijdvak_einde": pa.array([dt.datetime(2021, 12, 31), dt.datetime(2021, 12, 2)], pa.timestamp("us")),
    "verloonde_uren": pa.array([Decimal("12.5"), Decimal("-3.25")], pa.decimal128(18, 6)),
    "code_aard_arbeidsverhouding": pa.array([1, 11], pa.int32()),
    "aanleverdatum": pa.array([D("2022-01-15"), D("2022-01-15")], pa.date32()),
    "extra": ["x", "y"],
})


def test_parquet_reads_like_the_equivalent_csv(con, tmp_path):
    (tmp_path / "pq" / "polis").mkdir(parents=True)
    pq.write_table(POLIS_PARQUET, tmp_path / "pq" / "polis" / "p.parquet")
    write_csv(tmp_path / "csv" / "polis" / "p.csv", POLIS_COLUMNS, POLIS_ROWS)
    write_register(tmp_path / "pq")
    write_register(tmp_path / "csv")

    ingest(con, tmp_path / "pq", "polis")
    parquet = _typed_polis(con, "polis/p.parquet")
    ingest(con, tmp_path / "csv", "polis")
    csv = _typed_polis(con, "polis/p.csv")

    assert [r.pop("regelnummer") for r in parquet] == [1, 2]  # Parquet: 1-based row number
    assert [r.pop("regelnummer") for r in csv] == [2, 3]      # CSV: physical line, header = 1
    assert parquet == csv == POLIS_EXPECTED


SCHOON_CASES = [  # (delivered text, as the rules see it)
    ("123456782", "123456782"), ("  123456782 ", "123456782"), ("", None), ("   ", None), (None, None),
    ("\u00a0AMR01", "AMR01"),        # no-break space: a Unicode space separator, stripped
    ("AMR01\u3000", "AMR01"),        # ideographic space, stripped
    ("\tIB", "\tIB"),                # a tab is not a space separator: kept, the rules reject it
    ("Café ", "Café"), ("Zoë", "Zoë"),  # non-ASCII inside takes the trimming route, same result
    ("a b", "a b"),                   # inner spaces stay
]


@pytest.mark.parametrize("text,expected", SCHOON_CASES)
def test_schoon_strips_outer_spaces_like_trim(werkdb, text, expected):
    """sql/schema/macros.sql schoon(x): the one cleaning of every ingest file; its fast route for
    plain ASCII must give exactly what nullif(trim(x), '') gives."""
    got, via_trim = werkdb.execute("SELECT schoon(CAST(? AS VARCHAR)), nullif(trim(CAST(? AS VARCHAR)), '')",
                                   [text, text]).fetchone()
    assert got == expected == via_trim


def test_werkgever_jaren_merges_versions_into_year_ranges(werkdb):
    """sql/ingest/werkgever_jaren.sql: the years with a register version, per employer, as ranges
    that neither overlap nor touch; a year in a gap has no version (EXTRACTS §1, polis rule)."""
    versions = [  # (employer, geldig_vanaf, geldig_tot)
        ("100000101L01", "2000-03-01", "2005-06-30"),
        ("100000101L01", "2005-07-01", "2010-12-31"),  # touches the first: one range 2000-2010
        ("100000101L01", "2013-01-01", None),          # after a gap of 2011-2012, open-ended
        ("100000102L01", "2010-01-01", "2012-12-31"),
        ("100000102L01", "2011-06-01", "2011-12-31"),  # inside the first (accepted rows only are read)
        ("100000102L01", "2014-11-01", "2015-01-31"),  # touches 2014 and 2015, not 2013
        ("100000103L01", "2020-05-05", "2020-05-05"),  # one day counts for its year
    ]
    insert(werkdb, "ingest.werkgevers", [
        dict(bron_bestand="werkgevers/w.csv", regelnummer=i, loonheffingennummer=lhn, geldig_vanaf=vanaf,
             geldig_tot=tot, sector_risicogroep=10, overheidswerkgever=False, uren_sectorfonds_aandeel=0.0,
             sw_bedrijf=False, arbeidsmarktregio="AMR01")
        for i, (lhn, vanaf, tot) in enumerate(versions, start=2)
    ] + [dict(bron_bestand="werkgevers/w.csv", regelnummer=99, loonheffingennummer="100000104L01",
              geldig_vanaf="2000-01-01", regel="verplicht")])  # rejected: no years
    run_sql(werkdb, "ingest/werkgever_jaren.sql")
    assert [tuple(r.values()) for r in rows(werkdb, "SELECT * FROM werkgever_jaren ORDER BY 1, 2")] == [
        ("100000101L01", 2000, 2010), ("100000101L01", 2013, 9999),
        ("100000102L01", 2010, 2012), ("100000102L01", 2014, 2015),
        ("100000103L01", 2020, 2020),
    ]


def test_parquet_typed_values_break_the_same_rules_as_text(con, tmp_path):
    """Typed Parquet columns skip the text round trip (reader.TYPED); the rules and the reported
    value stay those of the text form. Row 1 is good; every other row breaks one rule."""
    (tmp_path / "polis").mkdir()
    good = dict(bsn=BSN[0], loonheffingennummer=LHN, ikv_id="1", tijdvak_begin=D("2021-12-01"),
                tijdvak_einde=D("2021-12-31"), verloonde_uren=Decimal("12.50"), code_aard_arbeidsverhouding=1,
                aanleverdatum=D("2022-01-15"), volgnummer=1)
    bad = [
        dict(tijdvak_begin=None),                                              # verplicht
        dict(aanleverdatum=None),                                              # verplicht
        dict(tijdvak_einde=D("2021-11-30")),                                   # einde before begin
        dict(tijdvak_einde=D("2022-01-31")),                                   # crosses the year
        dict(tijdvak_begin=D("2021-12-31"), verloonde_uren=Decimal("24.01")),  # > 24 h in one day
        dict(tijdvak_begin=D("2020-12-01"), tijdvak_einde=D("2020-12-31"), loonheffingennummer=LHN_ENDED + "X"),
        dict(tijdvak_begin=D("2021-12-01"), loonheffingennummer=LHN_ENDED),     # no version in 2021
        dict(bsn=" " + BSN[0] + " "),                                          # outer spaces: trimmed, accepted
    ]
    records = [good] + [{**good, **change} for change in bad]
    table = pa.table({
        "bsn": [r["bsn"] for r in records],
        "loonheffingennummer": [r["loonheffingennummer"] for r in records],
        "ikv_id": [str(i) for i in range(len(records))],
        "tijdvak_begin": pa.array([r["tijdvak_begin"] for r in records], pa.date32()),
        "tijdvak_einde": pa.array([r["tijdvak_einde"] for r in records], pa.date32()),
        "verloonde_uren": pa.array([r["verloonde_uren"] for r in records], pa.decimal128(9, 2)),
        "code_aard_arbeidsverhouding": pa.array([r["code_aard_arbeidsverhouding"] for r in records], pa.int16()),
        "aanleverdatum": pa.array([r["aanleverdatum"] for r in records], pa.date32()),
        "volgnummer": pa.array([r["volgnummer"] for r in records], pa.int32()),
    })
    pq.write_table(table, tmp_path / "polis" / "getypt.parquet")
    write_register(tmp_path)
    ingest(con, tmp_path, "polis")
    assert verdict(con, "polis") == [
        ("polis/getypt.parquet", 1, None, None, None),
        ("polis/getypt.parquet", 2, "verplicht", "tijdvak_begin", None),
        ("polis/getypt.parquet", 3, "verplicht", "aanleverdatum", None),
        ("polis/getypt.parquet", 4, "tijdvak_volgorde", "tijdvak_einde", "2021-11-30"),
        ("polis/getypt.parquet", 5, "tijdvak_kalenderjaar", "tijdvak_einde", "2022-01-31"),
        ("polis/getypt.parquet", 6, "uren_maximum", "verloonde_uren", "24.01"),
        ("polis/getypt.parquet", 7, "loonheffingennummer_patroon", "loonheffingennummer", LHN_ENDED + "X"),
        ("polis/getypt.parquet", 8, "werkgever_onbekend", "loonheffingennummer", LHN_ENDED),
        ("polis/getypt.parquet", 9, None, None, None),
    ]
    assert rows(con, "SELECT DISTINCT verloonde_uren FROM ingest.polis WHERE regel IS NULL") == [
        dict(verloonde_uren=Decimal("12.5"))]


def test_parquet_types_that_could_change_a_value_are_read_as_text(con, tmp_path):
    """DOUBLE hours, BIGINT codes and dates stored as text go the text route: BIGINT values beyond
    INTEGER are rejected, not wrapped; DOUBLE hours are read as their decimal text."""
    (tmp_path / "polis").mkdir()
    n = 4
    pq.write_table(pa.table({
        "bsn": [BSN[0]] * n,
        "loonheffingennummer": [LHN] * n,
        "ikv_id": [str(i) for i in range(n)],
        "tijdvak_begin": ["2021-12-01", "2021-12-01", "2021-12-01", "2021-13-01"],
        "tijdvak_einde": pa.array([D("2021-12-31")] * n, pa.date32()),
        "verloonde_uren": pa.array([12.5, 12.5, 12.25, 12.5], pa.float64()),
        "code_aard_arbeidsverhouding": pa.array([2 ** 33, 1, 1, 1], pa.int64()),
        "aanleverdatum": pa.array([D("2022-01-15")] * n, pa.date32()),
        "volgnummer": pa.array([1, 2 ** 40, 1, 1], pa.int64()),
    }), tmp_path / "polis" / "tekst.parquet")
    write_register(tmp_path)
    ingest(con, tmp_path, "polis")
    assert verdict(con, "polis") == [
        ("polis/tekst.parquet", 1, "geheel_getal_ongeldig", "code_aard_arbeidsverhouding", str(2 ** 33)),
        ("polis/tekst.parquet", 2, "geheel_getal_ongeldig", "volgnummer", str(2 ** 40)),
        ("polis/tekst.parquet", 3, None, None, None),
        ("polis/tekst.parquet", 4, "datum_ongeldig", "tijdvak_begin", "2021-13-01"),
    ]
    assert rows(con, "SELECT verloonde_uren FROM ingest.polis WHERE regel IS NULL") == [
        dict(verloonde_uren=Decimal("12.25"))]


def test_folder_may_mix_parquet_and_csv(con, tmp_path):
    (tmp_path / "polis").mkdir()
    pq.write_table(POLIS_PARQUET, tmp_path / "polis" / "a.parquet")
    write_csv(tmp_path / "polis" / "b.csv", POLIS_COLUMNS, [{**r, "ikv_id": "csv" + r["ikv_id"]} for r in POLIS_ROWS])
    write_register(tmp_path)
    ingest(con, tmp_path, "polis")
    assert [tuple(r.values()) for r in rows(
        con, "SELECT bron_bestand, regelnummer, ikv_id, regel FROM ingest.polis ORDER BY 1, 2")] == [
        ("polis/a.parquet", 1, "1", None), ("polis/a.parquet", 2, "2", None),
        ("polis/b.csv", 2, "csv1", None), ("polis/b.csv", 3, "csv2", None),
    ]


def test_parquet_werkgevers_booleans_and_doubles(con, tmp_path):
    (tmp_path / "werkgevers").mkdir()
    pq.write_table(pa.table({
        "loonheffingennummer": ["100000051L01", "100000052L01"],
        "naam": ["Gemeente", None],
        "geldig_vanaf": pa.array([D("2015-01-01"), D("2016-01-01")], pa.date32()),
        "geldig_tot": pa.array([None, D("2020-12-31")], pa.date32()),
        "sector_risicogroep": pa.array([63, 52], pa.int64()),
        "overheidswerkgever": [True, False],
        "uren_sectorfonds_aandeel": [0.49, 0.1],
        "overheidssector": ["Gemeenten", None],
        "sw_bedrijf": [False, True],
        "arbeidsmarktregio": ["AMR10", "AMR35"],
    }), tmp_path / "werkgevers" / "w.parquet")
    ingest(con, tmp_path, "werkgevers")
    assert rows(con, "SELECT * EXCLUDE (bron_bestand, kolom, waarde, melding) FROM ingest.werkgevers "
                     "WHERE bron_bestand = 'werkgevers/w.parquet' ORDER BY regelnummer") == [
        dict(regelnummer=1, loonheffingennummer="100000051L01", naam="Gemeente", geldig_vanaf=D("2015-01-01"),
             geldig_tot=None, sector_risicogroep=63, overheidswerkgever=True, uren_sectorfonds_aandeel=0.49,
             overheidssector="Gemeenten", sw_bedrijf=False, arbeidsmarktregio="AMR10", regel=None),
        dict(regelnummer=2, loonheffingennummer="100000052L01", naam=None, geldig_vanaf=D("2016-01-01"),
             geldig_tot=D("2020-12-31"), sector_risicogroep=52, overheidswerkgever=False,
             uren_sectorfonds_aandeel=0.1, overheidssector=None, sw_bedrijf=True, arbeidsmarktregio="AMR35",
             regel=None),
    ]


def test_optional_columns_may_be_absent(con, tmp_path):
    required = [c for c in WERKGEVER_COLUMNS if c not in ("naam", "geldig_tot", "overheidssector")]
    write_csv(tmp_path / "werkgevers" / "w.csv", required, [GOOD["werkgevers"]])
    write_csv(tmp_path / "doelgroepregister" / "r.csv", [c for c in REGISTER_COLUMNS if c != "datum_einde"],
              [GOOD["doelgroepregister"]])
    ingest(con, tmp_path, "werkgevers")
    ingest(con, tmp_path, "doelgroepregister")
    assert rows(con, "SELECT naam, geldig_tot, overheidssector, regel FROM ingest.werkgevers") == [
        dict(naam=None, geldig_tot=None, overheidssector=None, regel=None)]
    assert rows(con, "SELECT datum_einde, regel FROM ingest.doelgroepregister") == [dict(datum_einde=None, regel=None)]


# ---------------------------------------------------------------------------------------------
# whole-file problems: the run stops with an error naming the file and the problem
# ---------------------------------------------------------------------------------------------

HEADER = ";".join(POLIS_COLUMNS)
LINE = ";".join(GOOD["polis"][c] for c in POLIS_COLUMNS)


def _put(tmp_path: Path, name: str, data: bytes) -> Path:
    """A raw polis file in a delivery that also has a (good) register."""
    write_register(tmp_path)
    (tmp_path / "polis").mkdir(exist_ok=True)
    path = tmp_path / "polis" / name
    path.write_bytes(data)
    return path


def test_file_wrong_separator(con, tmp_path):
    _put(tmp_path, "komma.csv", (HEADER + "\n" + LINE + "\n").replace(";", ",").encode())
    with pytest.raises(DeliveryError, match=r"^Bestand polis/komma\.csv: verplichte kolom\(men\) ontbreken: bsn, "
                                            r".*Het scheidingsteken is vermoedelijk niet ';'\.$"):
        ingest(con, tmp_path, "polis")


def test_file_missing_required_column(con, tmp_path):
    write_csv(tmp_path / "polis" / "zonder.csv", POLIS_COLUMNS[:-1], [GOOD["polis"]])
    write_register(tmp_path)
    with pytest.raises(DeliveryError, match=r"^Bestand polis/zonder\.csv: verplichte kolom\(men\) ontbreken: "
                                            r"volgnummer; gevonden kolommen: bsn, "):
        ingest(con, tmp_path, "polis")


def test_file_empty(con, tmp_path):
    _put(tmp_path, "leeg.csv", b"")
    with pytest.raises(DeliveryError, match=r"^Bestand polis/leeg\.csv: het bestand is leeg \(0 bytes\)\.$"):
        ingest(con, tmp_path, "polis")


def test_file_truncated_gzip(con, tmp_path):
    data = gzip.compress(("\n".join([HEADER] + [LINE] * 200) + "\n").encode())
    _put(tmp_path, "afgebroken.csv.gz", data[: len(data) // 2])
    with pytest.raises(DeliveryError, match=r"^Bestand polis/afgebroken\.csv\.gz: gzip-bestand is afgebroken"):
        ingest(con, tmp_path, "polis")


@pytest.mark.parametrize("where", ["vroeg", "laat"])
def test_file_not_utf8(con, tmp_path, where):
    # 'vroeg': the latin-1 byte is on line 2, seen while DuckDB sniffs the file (create_source_view);
    # 'laat': it lies beyond the sniffing sample and is found while the rows are read (the ingest SQL)
    body = ([] if where == "vroeg" else [LINE] * 25000) + [LINE.replace(";1;2021", ";Caf\xe9;2021")]
    _put(tmp_path, "latin1.csv", ("\n".join([HEADER] + body) + "\n").encode("latin-1"))
    with pytest.raises(DeliveryError, match=r"^Bestand polis/latin1\.csv: het bestand is geen geldige UTF-8"):
        ingest(con, tmp_path, "polis")


def test_file_unreadable_parquet(con, tmp_path):
    _put(tmp_path, "kapot.parquet", os.urandom(256))
    with pytest.raises(DeliveryError, match=r"^Bestand polis/kapot\.parquet: kan niet gelezen worden: "):
        ingest(con, tmp_path, "polis")


def test_file_unknown_extension(con, tmp_path):
    write_csv(tmp_path / "polis" / "goed.csv", POLIS_COLUMNS, [GOOD["polis"]])
    _put(tmp_path, "notities.txt", b"bsn;...\n")
    with pytest.raises(DeliveryError, match=r"^Bestand polis/notities\.txt: onbekend bestandstype; "
                                            r"verwacht \.csv, \.csv\.gz of \.parquet\.$"):
        discover(tmp_path, "polis")
    assert rows(con, "SELECT count(*) AS n FROM ingest.polis") == [dict(n=0)]


def test_missing_and_empty_extract_folder(tmp_path):
    with pytest.raises(DeliveryError, match=r"map 'polis/' ontbreekt"):
        discover(tmp_path, "polis")
    (tmp_path / "polis").mkdir()
    (tmp_path / "polis" / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")  # known litter is no data file
    with pytest.raises(DeliveryError, match=r"map 'polis/' bevat geen bestanden"):
        discover(tmp_path, "polis")
    (tmp_path / "polis" / ".verborgen").write_text("x")  # any other hidden file stops the run
    with pytest.raises(DeliveryError, match=r"^Bestand polis/\.verborgen: verborgen bestand"):
        discover(tmp_path, "polis")


MORE_BSN = ["300000005", "300000017", "300000029", "300000030"]  # elfproef-valid, not in the register


def test_polis_pass_totals_every_persons_final_hours_per_employer_year_and_caa(con, tmp_path):
    """METHOD R15 from the polis pass: all persons (registered or not), whole year, R1's final version
    over the files (cut-off 1 May of Y+1), an ambiguous final version counts for nothing, rejected rows
    never; persons counted with hours > 0 in the window of their year."""
    base = GOOD["polis"]
    nov = {"tijdvak_begin": "2021-11-01", "tijdvak_einde": "2021-11-30"}
    write_csv(tmp_path / "polis" / "p1.csv", POLIS_COLUMNS, [
        {**base, "ikv_id": "a", "verloonde_uren": "100"},                              # December, registered
        {**base, "ikv_id": "a", **nov, "verloonde_uren": "90"},                        # superseded in p2
        {**base, "ikv_id": "b", "bsn": BSN[5], "verloonde_uren": "40"},                # not registered: counts for A
        {**base, "ikv_id": "b", "bsn": BSN[5], "verloonde_uren": "45", "volgnummer": "2"},  # same day, higher volgnummer
        {**base, "ikv_id": "c", "bsn": MORE_BSN[0], "verloonde_uren": "10", "code_aard_arbeidsverhouding": "11"},
        {**base, "ikv_id": "c", "bsn": MORE_BSN[0], "verloonde_uren": "99", "code_aard_arbeidsverhouding": "11",
         "aanleverdatum": "2022-05-02"},                                               # after the cut-off
        {**base, "ikv_id": "d", "bsn": MORE_BSN[1], "verloonde_uren": "7", "aanleverdatum": "2022-02-01"},
        {**base, "ikv_id": "d", "bsn": MORE_BSN[1], "verloonde_uren": "8", "aanleverdatum": "2022-02-01"},  # tie: ambiguous
        {**base, "ikv_id": "e", "bsn": "123456789", "verloonde_uren": "1000"},         # rejected (elfproef)
        {**base, "ikv_id": "f", "bsn": MORE_BSN[2], "verloonde_uren": "-5"},                # reversal only: no person
        {**base, "ikv_id": "h", "bsn": MORE_BSN[1], "verloonde_uren": "3", "aanleverdatum": "2022-02-01"},  # tie with p2
        {**base, "ikv_id": "i", "bsn": MORE_BSN[1], "verloonde_uren": "5", "aanleverdatum": "2022-01-05"},
        {**base, "ikv_id": "i", "bsn": MORE_BSN[1], "verloonde_uren": "6", "aanleverdatum": "2022-01-05"},  # tied, superseded
    ])
    write_csv(tmp_path / "polis" / "p2.csv", POLIS_COLUMNS, [
        {**base, "ikv_id": "a", **nov, "verloonde_uren": "80", "aanleverdatum": "2022-03-01"},  # final November
        {**base, "ikv_id": "g", "bsn": MORE_BSN[3], "tijdvak_begin": "2020-06-01", "tijdvak_einde": "2020-06-30",
         "verloonde_uren": "30", "aanleverdatum": "2020-07-10"},                       # another year
        {**base, "ikv_id": "h", "bsn": MORE_BSN[1], "verloonde_uren": "4", "aanleverdatum": "2022-02-01"},  # tie across files
        {**base, "ikv_id": "i", "bsn": MORE_BSN[1], "verloonde_uren": "2", "aanleverdatum": "2022-01-06"},  # final: unique latest
    ])
    write_register(tmp_path, bsns=BSN[:5])
    ingest(con, tmp_path, "polis")
    uren = {(j, c): (float(u), n) for _, j, c, u, n in con.execute(
        "SELECT loonheffingennummer, jaar, code_aard_arbeidsverhouding, uren_jaar, tijdvakken "
        "FROM ingest.werkgever_uren").fetchall()}
    assert uren == {(2021, 1): (100 + 80 + 45 - 5 + 2, 5), (2021, 11): (10.0, 1), (2020, 1): (30.0, 1)}
    personen = sorted(con.execute("SELECT jaar, personen_venster FROM ingest.werkgever_personen").fetchall())
    assert personen == [(2021, 4)]  # a, b, c, i's person (d and h are ambiguous, f has -5 hours, e rejected)
