"""Property-based tests (hypothesis): well-formed payroll rows are never quarantined, and a row
with one corruption is always quarantined with the rule that corruption breaks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.ingest.assets import polis_file_counts, prepare_polis_lookups
from pipeline.ingest.reader import SourceFile, create_source_view
from pipeline.resources import PseudonymKeyResource, ensure_work_schema, load_reference
from pipeline.sqlfiles import run_sql
from tests.conftest import POLIS_COLUMNS, TEST_KEY, insert

EMPLOYER = "100000001L01"
WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2)


@st.composite
def bsns(draw) -> str:
    """A 9-digit BSN that passes the elfproef (built digit by digit, independent of the SQL)."""
    while True:
        digits = draw(st.lists(st.integers(0, 9), min_size=8, max_size=8))
        check = sum(w * d for w, d in zip(WEIGHTS, digits)) % 11
        if check < 10:
            return "".join(map(str, digits)) + str(check)


@st.composite
def periods(draw) -> tuple[dt.date, dt.date]:
    year = draw(st.integers(2012, 2025))
    begin = dt.date(year, 1, 1) + dt.timedelta(days=draw(st.integers(0, 364)))
    kind = draw(st.sampled_from(["month", "four_weeks", "week", "day"]))
    length = {"month": 30, "four_weeks": 27, "week": 6, "day": 0}[kind]
    end = min(begin + dt.timedelta(days=length), dt.date(year, 12, 31))
    return begin, end


@st.composite
def polis_rows(draw) -> dict:
    begin, end = draw(periods())
    days = (end - begin).days + 1
    hours = draw(st.decimals(min_value=-24 * days, max_value=24 * days, places=2, allow_nan=False))
    return {
        "bsn": draw(bsns()),
        "loonheffingennummer": EMPLOYER,
        "ikv_id": str(draw(st.integers(1, 10**6))),
        "tijdvak_begin": begin.isoformat(),
        "tijdvak_einde": end.isoformat(),
        "verloonde_uren": str(hours).replace(".", ","),
        "code_aard_arbeidsverhouding": str(draw(st.sampled_from([1, 11, 18, 21, 22, 23, 24, 82, 99]))),
        "aanleverdatum": (end + dt.timedelta(days=draw(st.integers(0, 400)))).isoformat(),
        "volgnummer": str(draw(st.integers(0, 9))),
    }


def corrupt_elfproef(row):
    last = int(row["bsn"][-1])
    row["bsn"] = row["bsn"][:-1] + str((last + 1) % 10)  # one digit off: sum changes by 1 mod 11
    return "bsn_elfproef", "bsn"


def corrupt_bsn_format(row):
    row["bsn"] = row["bsn"][:8]
    return "bsn_formaat", "bsn"


def corrupt_employer_number(row):
    row["loonheffingennummer"] = row["loonheffingennummer"].replace("L", "X")
    return "loonheffingennummer_patroon", "loonheffingennummer"


def corrupt_period_order(row):
    begin = dt.date.fromisoformat(row["tijdvak_begin"])
    row["tijdvak_einde"] = (begin - dt.timedelta(days=1)).isoformat()  # on 1 Jan also a year back: order rule first
    return "tijdvak_volgorde", "tijdvak_einde"


def corrupt_year_crossing(row):
    year = int(row["tijdvak_begin"][:4])
    row["tijdvak_einde"] = f"{year + 1}-01-03"
    return "tijdvak_kalenderjaar", "tijdvak_einde"


def corrupt_hours(row):
    begin, end = (dt.date.fromisoformat(row[c]) for c in ("tijdvak_begin", "tijdvak_einde"))
    row["verloonde_uren"] = str(24 * ((end - begin).days + 1)) + ",01"
    return "uren_maximum", "verloonde_uren"


def corrupt_date(row):
    row["aanleverdatum"] = row["aanleverdatum"].replace("-", "/")
    return "datum_ongeldig", "aanleverdatum"


def corrupt_missing(row):
    row["ikv_id"] = ""
    return "verplicht", "ikv_id"


def corrupt_decimal_point(row):
    row["verloonde_uren"] = row["verloonde_uren"].replace(",", ".")  # ',' is the decimal mark, '.' is not
    return "getal_ongeldig", "verloonde_uren"


def corrupt_short_year(row):
    year, month, day = row["aanleverdatum"].split("-")
    row["aanleverdatum"] = f"{day}-{month}-{year[2:]}"  # DD-MM-YY: never a date of the year DD
    return "datum_ongeldig", "aanleverdatum"


CORRUPTIONS = [corrupt_elfproef, corrupt_bsn_format, corrupt_employer_number, corrupt_period_order,
               corrupt_year_crossing, corrupt_hours, corrupt_date, corrupt_missing, corrupt_decimal_point,
               corrupt_short_year]


def ingest(tmp: Path, rows: list[dict]) -> list[tuple]:
    """Ingest one CSV file of `rows` exactly as the polis asset does; return (regelnummer, regel, kolom)."""
    path = tmp / "polis.csv"
    path.write_text("\n".join([";".join(POLIS_COLUMNS)] + [";".join(r[c] for c in POLIS_COLUMNS) for r in rows]) + "\n")
    con = duckdb.connect()
    try:
        ensure_work_schema(con)  # tables, macros and rule views, as every step's connection
        load_reference(con)
        insert(con, "ingest.werkgevers", [dict(bron_bestand="w", regelnummer=2, loonheffingennummer=EMPLOYER,
                                               geldig_vanaf=dt.date(2000, 1, 1), sector_risicogroep=10,
                                               overheidswerkgever=False, uren_sectorfonds_aandeel=0.0,
                                               sw_bedrijf=False, arbeidsmarktregio="AMR01")])
        con.execute("CREATE TEMP TABLE register_bsn AS SELECT DISTINCT bsn FROM (VALUES ('123456782')) AS t(bsn)")
        pads = PseudonymKeyResource(key=TEST_KEY).pads()
        prepare_polis_lookups(con, pads)
        create_source_view(con, SourceFile("polis", path, "polis/polis.csv", "csv"))
        params = {**pads, "bron_bestand": "polis/polis.csv",
                  "venster_begin_maand": 12, "venster_begin_dag": 1, "venster_einde_maand": 12, "venster_einde_dag": 31,
                  "afsluitdatum_maand_dag": "05-01"}
        run_sql(con, "ingest/polis.sql", params)
        kept = con.execute("SELECT regelnummer, regel, kolom FROM ingest.polis ORDER BY regelnummer").fetchall()
        total, _ = polis_file_counts(con)
        assert total == len(rows)  # every row read is counted, kept or not
        return kept
    finally:
        con.close()


SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(rows=st.lists(polis_rows(), min_size=1, max_size=20))
def test_well_formed_rows_are_never_quarantined(tmp_path_factory, rows):
    kept = ingest(tmp_path_factory.mktemp("p"), rows)
    assert [r for r in kept if r[1] is not None] == []


@SETTINGS
@given(rows=st.lists(polis_rows(), min_size=1, max_size=10), data=st.data())
def test_a_corrupted_row_is_always_quarantined_with_its_rule(tmp_path_factory, rows, data):
    index = data.draw(st.integers(0, len(rows) - 1))
    corruption = data.draw(st.sampled_from(CORRUPTIONS))
    rule, column = corruption(rows[index])
    kept = ingest(tmp_path_factory.mktemp("p"), rows)
    rejected = [(line, r, c) for line, r, c in kept if r is not None]
    assert rejected == [(index + 2, rule, column)]  # header is line 1
