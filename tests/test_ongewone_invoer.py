"""Odd but legal deliveries (EXTRACTS.md): each is read exactly as the contract says, or stops the
run with one Dutch paragraph naming the file. A published figure never changes silently.

1. a file is read as itself, and only itself: names are literal paths, never glob patterns;
2. the delivery is a boundary: links out of it, hidden files and subfolders stop the run; known
   system litter is ignored and listed;
3. a header that names a column twice stops the run;
4. Parquet dates are calendar dates as delivered, whatever the time zone of the machine;
5. numbers as the contract writes them (',' decimal mark) — the row rules are in test_ingest_rules.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.ingest.reader import DeliveryError, discover, ignored_files, record_ignored, sql_path
from tests.conftest import BSN, POLIS_COLUMNS, REGISTER_COLUMNS, rows, write_csv
from tests.test_ingest_rules import GOOD, con, hmac_hex, ingest, verdict, write_register  # noqa: F401

D = dt.date.fromisoformat
CORPUS = Path(__file__).resolve().parent / "corpus"


def polis_file(path: Path, ikv_ids: list[str], **overrides) -> Path:
    """A polis CSV of good rows, one per ikv_id (all of the registered person BSN[0])."""
    return write_csv(path, POLIS_COLUMNS, [{**GOOD["polis"], "ikv_id": ikv, **overrides} for ikv in ikv_ids])


def read_per_file(con) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for bron, ikv in con.execute("SELECT bron_bestand, ikv_id FROM ingest.polis ORDER BY 1, 2").fetchall():
        result.setdefault(bron, []).append(ikv)
    return result


# ---------------------------------------------------------------------------------------------
# 1. a file is read as itself, and only itself
# ---------------------------------------------------------------------------------------------

def test_glob_characters_in_file_names_are_literal(con, tmp_path):
    """DuckDB globs its path argument: 'polis[1].csv' would read polis1.csv, 'a*b.csv' also axb.csv
    and '?.csv' every one-letter name. Each file must give exactly its own rows."""
    names = {"polis1.csv": "p1", "polis[1].csv": "p[1]", "a*b.csv": "a*b", "axb.csv": "axb", "?.csv": "?",
             "x.csv": "x", "[ab].csv": "[ab]", "a.csv": "a"}
    for name, ikv in names.items():
        polis_file(tmp_path / "polis" / name, [ikv])
    pq.write_table(pa.table({c: [GOOD["polis"][c]] for c in POLIS_COLUMNS} | {"ikv_id": ["pq[1]"]}),
                   tmp_path / "polis" / "p[1].parquet")
    pq.write_table(pa.table({c: [GOOD["polis"][c]] for c in POLIS_COLUMNS} | {"ikv_id": ["pq1"]}),
                   tmp_path / "polis" / "p1.parquet")
    write_register(tmp_path)
    ingest(con, tmp_path, "polis")
    expected = {f"polis/{name}": [ikv] for name, ikv in names.items()}
    expected |= {"polis/p[1].parquet": ["pq[1]"], "polis/p1.parquet": ["pq1"]}
    assert read_per_file(con) == expected
    assert verdict(con, "polis") == [(b, r, None, None, None) for b, r, *_ in verdict(con, "polis")]


def test_glob_characters_in_the_delivery_path_are_literal(con, tmp_path):
    root = tmp_path / "levering[2021]*"
    polis_file(root / "polis" / "p.csv", ["echt"])
    polis_file(tmp_path / "levering2" / "polis" / "p.csv", ["ander"])  # what '[2021]' would match
    write_register(root)
    ingest(con, root, "polis")
    assert read_per_file(con) == {"polis/p.csv": ["echt"]}


def test_sql_path_names_exactly_one_file(tmp_path):
    for name in ("polis[1].csv", "polis1.csv", "a*b.csv", "axb.csv", "?.csv", "x.csv", "it's.csv", "~x.csv"):
        (tmp_path / name).write_text("a\n1\n")
    con = duckdb.connect()
    for name in ("polis[1].csv", "a*b.csv", "?.csv", "it's.csv", "~x.csv"):
        assert con.execute(f"SELECT file FROM glob({sql_path(tmp_path / name)})").fetchall() == [
            (str(tmp_path / name),)]


# ---------------------------------------------------------------------------------------------
# 2. the delivery is a boundary
# ---------------------------------------------------------------------------------------------

def test_symlink_out_of_the_delivery_stops_the_run(tmp_path):
    root = tmp_path / "levering"
    polis_file(root / "polis" / "p.csv", ["1"])
    polis_file(tmp_path / "elders" / "extra.csv", ["2"])
    (root / "polis" / "extra.csv").symlink_to(tmp_path / "elders" / "extra.csv")
    with pytest.raises(DeliveryError, match=r"^Bestand polis/extra\.csv: is een symbolische koppeling naar een "
                                            r"bestand buiten de levering; de pipeline volgt geen koppeling"):
        discover(root, "polis")


def test_extract_folder_linked_out_of_the_delivery_stops_the_run(tmp_path):
    root = tmp_path / "levering"
    root.mkdir()
    polis_file(tmp_path / "elders" / "polis" / "p.csv", ["1"])
    (root / "polis").symlink_to(tmp_path / "elders" / "polis", target_is_directory=True)
    with pytest.raises(DeliveryError, match=r"^Map polis/: is een symbolische koppeling naar een map buiten de levering"):
        discover(root, "polis")


def test_the_delivery_itself_may_be_a_link_and_links_within_it_are_read(con, tmp_path):
    real = tmp_path / "levering-2022-01"
    polis_file(real / "polis" / "p.csv", ["1"])
    polis_file(real / "archief" / "correctie.csv", ["2"])
    (real / "polis" / "correctie.csv").symlink_to(Path("..") / "archief" / "correctie.csv")
    write_register(real)
    (tmp_path / "laatste").symlink_to(real, target_is_directory=True)
    ingest(con, tmp_path / "laatste", "polis")
    assert read_per_file(con) == {"polis/correctie.csv": ["2"], "polis/p.csv": ["1"]}


@pytest.mark.parametrize("link", ["symbolisch", "hard"])
def test_two_names_for_one_file_stop_the_run(tmp_path, link):
    polis_file(tmp_path / "polis" / "a.csv", ["1"])
    if link == "symbolisch":
        (tmp_path / "polis" / "b.csv").symlink_to("a.csv")
    else:
        os.link(tmp_path / "polis" / "a.csv", tmp_path / "polis" / "b.csv")
    with pytest.raises(DeliveryError, match=r"^Bestand polis/b\.csv: is hetzelfde bestand als polis/a\.csv"):
        discover(tmp_path, "polis")


def test_broken_symlink_stops_the_run(tmp_path):
    polis_file(tmp_path / "polis" / "a.csv", ["1"])
    (tmp_path / "polis" / "weg.csv").symlink_to("bestaat_niet.csv")
    with pytest.raises(DeliveryError, match=r"^Bestand polis/weg\.csv: is een symbolische koppeling naar een "
                                            r"bestand dat niet bestaat"):
        discover(tmp_path, "polis")


@pytest.mark.parametrize("name", [".polis_2021.csv", ".polis.csv.a1B2c3", ".~lock.polis.csv#", "._polis.csv"])
def test_hidden_file_stops_the_run_naming_it(tmp_path, name):
    """A hidden file is never skipped in silence; '._polis.csv' without AppleDouble header is data."""
    polis_file(tmp_path / "polis" / "p.csv", ["1"])
    polis_file(tmp_path / "polis" / name, ["2"])
    with pytest.raises(DeliveryError, match=rf"^Bestand polis/{name.replace('.', '[.]')}: verborgen bestand"):
        discover(tmp_path, "polis")


def test_known_system_litter_is_ignored_and_listed(werkdb, tmp_path):
    polis_file(tmp_path / "polis" / "p.csv", ["1"])
    litter = {
        ".DS_Store": b"\x00\x00\x00\x01Bud1" + bytes(100),
        "._p.csv": b"\x00\x05\x16\x07\x00\x02\x00\x00" + bytes(100),  # AppleDouble
        "Thumbs.db": bytes.fromhex("d0cf11e0a1b11ae1") + bytes(100),
        "desktop.ini": b"[.ShellClassInfo]\r\n",
    }
    for name, data in litter.items():
        (tmp_path / "polis" / name).write_bytes(data)
    assert [f.relative for f in discover(tmp_path, "polis")] == ["polis/p.csv"]
    assert [f.relative for f in ignored_files(tmp_path, "polis")] == [
        "polis/.DS_Store", "polis/._p.csv", "polis/Thumbs.db", "polis/desktop.ini"]
    assert record_ignored(werkdb, tmp_path, "polis", "run-1") == [
        "polis/.DS_Store", "polis/._p.csv", "polis/Thumbs.db", "polis/desktop.ini"]
    listed = rows(werkdb, "SELECT * FROM ingest.genegeerde_bestanden ORDER BY bron_bestand")
    assert [(r["extract"], r["bron_bestand"], r["bytes"], r["inleesrun"]) for r in listed] == [
        ("polis", f"polis/{name}", len(data), "run-1") for name, data in sorted(litter.items())]
    assert all(r["reden"] and len(r["sha256"]) == 64 for r in listed)
    # listing again replaces the extract's list
    (tmp_path / "polis" / "Thumbs.db").unlink()
    record_ignored(werkdb, tmp_path, "polis", "run-2")
    assert werkdb.execute("SELECT count(*) FROM ingest.genegeerde_bestanden").fetchone()[0] == 3


def test_subfolder_stops_the_run(tmp_path):
    polis_file(tmp_path / "polis" / "p.csv", ["1"])
    polis_file(tmp_path / "polis" / "2020" / "p.csv", ["2"])
    with pytest.raises(DeliveryError, match=r"^Map polis/2020/: een extract bestaat uit bestanden direct in polis/"):
        discover(tmp_path, "polis")


def test_special_file_stops_the_run(tmp_path):
    polis_file(tmp_path / "polis" / "p.csv", ["1"])
    os.mkfifo(tmp_path / "polis" / "pijp.csv")
    with pytest.raises(DeliveryError, match=r"^Bestand polis/pijp\.csv: is geen gewoon bestand"):
        discover(tmp_path, "polis")


@pytest.mark.parametrize("name", ["polis.gz", "polis.parquet.gz", "polis.csv.zip", "polis.tsv"])
def test_other_compressions_and_types_stop_the_run(tmp_path, name):
    (tmp_path / "polis").mkdir()
    (tmp_path / "polis" / name).write_bytes(gzip.compress(b"bsn\n"))
    with pytest.raises(DeliveryError, match=rf"^Bestand polis/{name.replace('.', '[.]')}: onbekend bestandstype"):
        discover(tmp_path, "polis")


def test_gzip_under_a_plain_csv_name_stops_the_run(con, tmp_path):
    (tmp_path / "polis").mkdir()
    (tmp_path / "polis" / "p.csv").write_bytes(gzip.compress(polis_file(tmp_path / "p.csv", ["1"]).read_bytes()))
    write_register(tmp_path)
    with pytest.raises(DeliveryError, match=r"^Bestand polis/p\.csv: het bestand is gzip-gecomprimeerd, maar de "
                                            r"naam eindigt niet op \.csv\.gz\.$"):
        ingest(con, tmp_path, "polis")


@pytest.mark.parametrize("name", ["P.CSV", "p.Csv.Gz", "P.PARQUET"])
def test_upper_case_extensions_are_read(con, tmp_path, name):
    (tmp_path / "polis").mkdir()
    if name.lower().endswith(".parquet"):
        pq.write_table(pa.table({c: [GOOD["polis"][c]] for c in POLIS_COLUMNS}), tmp_path / "polis" / name)
    else:
        write_csv(tmp_path / "polis" / name, POLIS_COLUMNS, [GOOD["polis"]], gz=name.lower().endswith(".gz"))
    write_register(tmp_path)
    ingest(con, tmp_path, "polis")
    assert verdict(con, "polis") == [(f"polis/{name}", 2 if "csv" in name.lower() else 1, None, None, None)]


# ---------------------------------------------------------------------------------------------
# 3. a header that names a column twice
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("second", ["verloonde_uren", "Verloonde_Uren", " verloonde_uren ", "VERLOONDE_UREN\u00a0",
                                    '"verloonde_uren"'])
def test_csv_header_naming_a_column_twice_stops_the_run(con, tmp_path, second):
    """Before: DuckDB renamed an exact copy to 'verloonde_uren_1' (the first copy was used) and kept a
    copy that differs in spaces as a column of its own (the last copy was used): a copy of zeros halved
    a cell."""
    header = ";".join(POLIS_COLUMNS) + ";" + second
    line = ";".join(GOOD["polis"][c] for c in POLIS_COLUMNS) + ";0"
    (tmp_path / "polis").mkdir()
    (tmp_path / "polis" / "p.csv").write_text(header + "\n" + line + "\n", encoding="utf-8")
    write_register(tmp_path)
    with pytest.raises(DeliveryError, match=r"^Bestand polis/p\.csv: de kopregel noemt een kolom meer dan eens: "
                                            r"verloonde_uren \(2 keer: 'verloonde_uren' en .*\)\. Welke kopie"):
        ingest(con, tmp_path, "polis")


def test_header_with_byte_order_mark_and_a_second_copy_stops_the_run(con, tmp_path):
    write_csv(tmp_path / "doelgroepregister" / "r.csv", [*REGISTER_COLUMNS, "BSN"],
              [{**GOOD["doelgroepregister"], "BSN": BSN[1]}], bom=True)
    with pytest.raises(DeliveryError, match=r"^Bestand doelgroepregister/r\.csv: de kopregel noemt een kolom meer "
                                            r"dan eens: bsn \(2 keer"):
        ingest(con, tmp_path, "doelgroepregister")


@pytest.mark.parametrize("names", [("verloonde_uren", "verloonde_uren"), ("bsn", "BSN")])
def test_parquet_naming_a_column_twice_stops_the_run(con, tmp_path, names):
    first, second = names
    columns = [c for c in POLIS_COLUMNS if c != first]
    table = pa.Table.from_arrays([pa.array([GOOD["polis"][c]]) for c in columns] +
                                 [pa.array([GOOD["polis"][first]]), pa.array(["0"])],
                                 names=columns + [first, second])
    (tmp_path / "polis").mkdir()
    pq.write_table(table, tmp_path / "polis" / "p.parquet")
    write_register(tmp_path)
    with pytest.raises(DeliveryError, match=rf"^Bestand polis/p\.parquet: de kopregel noemt een kolom meer dan eens: "
                                            rf"{first.lower()} \(2 keer"):
        ingest(con, tmp_path, "polis")


def test_an_extra_column_named_twice_is_still_ignored(con, tmp_path):
    write_csv(tmp_path / "polis" / "p.csv", [*POLIS_COLUMNS, "opmerking", "Opmerking"], [GOOD["polis"]])
    write_register(tmp_path)
    ingest(con, tmp_path, "polis")
    assert verdict(con, "polis") == [("polis/p.csv", 2, None, None, None)]


# ---------------------------------------------------------------------------------------------
# 4. Parquet dates are calendar dates as delivered
# ---------------------------------------------------------------------------------------------

DATES = ["tijdvak_begin", "tijdvak_einde", "aanleverdatum"]


def _polis_parquet(path: Path, dates: dict[str, pa.Array], n: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = {c: [GOOD["polis"][c]] * n for c in POLIS_COLUMNS} | {"ikv_id": [f"{path.stem}{i}" for i in range(n)]}
    pq.write_table(pa.table(columns | dates), path)


def _amsterdam(*stamps: str) -> pa.Array:
    """As pandas writes tz-aware dates: local midnight in Europe/Amsterdam, stored as the UTC instant."""
    return pa.Array.from_pandas(pd.to_datetime(list(stamps), format="ISO8601").tz_localize("Europe/Amsterdam"))


@pytest.mark.parametrize("session_zone", ["UTC", "Europe/Amsterdam", "America/New_York", "Asia/Tokyo"])
def test_parquet_timestamps_give_the_date_as_written_whatever_the_session_zone(con, tmp_path, session_zone):
    """Before: CAST(timestamptz AS DATE) used the session's TimeZone (the machine's zone): under UTC,
    1 December 00:00 Amsterdam became 30 November and a January period crossed into December."""
    con.execute(f"SET TimeZone = '{session_zone}'")
    _polis_parquet(tmp_path / "polis" / "a.parquet", {
        "tijdvak_begin": _amsterdam("2021-12-01", "2022-01-01", "2021-07-01", "2021-12-01"),
        "tijdvak_einde": _amsterdam("2021-12-31", "2022-01-31", "2021-07-31", "2021-12-31"),
        "aanleverdatum": _amsterdam("2022-01-15", "2022-02-15", "2021-08-15", "2022-01-15 13:45"),
    }, 4)
    _polis_parquet(tmp_path / "polis" / "b.parquet", {  # a fixed offset, UTC, no zone, nanoseconds
        "tijdvak_begin": pa.array([dt.datetime(2021, 11, 30, 23)], pa.timestamp("us", tz="+01:00")),
        "tijdvak_einde": pa.array([dt.datetime(2021, 12, 31)], pa.timestamp("ms", tz="UTC")),
        "aanleverdatum": pa.array([pd.Timestamp("2022-01-15").value], pa.timestamp("ns")),
    }, 1)
    _polis_parquet(tmp_path / "polis" / "c.parquet", {  # a time of day is rejected, also a nanosecond
        "tijdvak_begin": pa.array([dt.datetime(2021, 12, 1)] * 2, pa.timestamp("us")),
        "tijdvak_einde": pa.array([dt.datetime(2021, 12, 31)] * 2, pa.timestamp("us")),
        "aanleverdatum": pa.array([pd.Timestamp("2022-01-15").value + 1, pd.Timestamp("2022-01-15 08:00").value],
                                  pa.timestamp("ns")),
    }, 2)
    write_register(tmp_path)
    ingest(con, tmp_path, "polis")
    kept = rows(con, "SELECT bron_bestand, ikv_id, tijdvak_begin, tijdvak_einde, aanleverdatum FROM ingest.polis "
                     "WHERE regel IS NULL ORDER BY 1, 2")
    assert [tuple(r.values()) for r in kept] == [
        ("polis/a.parquet", "a0", D("2021-12-01"), D("2021-12-31"), D("2022-01-15")),
        ("polis/a.parquet", "a1", D("2022-01-01"), D("2022-01-31"), D("2022-02-15")),
        ("polis/a.parquet", "a2", D("2021-07-01"), D("2021-07-31"), D("2021-08-15")),
        ("polis/b.parquet", "b0", D("2021-12-01"), D("2021-12-31"), D("2022-01-15")),
    ]  # every accepted row of a registered person is kept (the quotum needs the whole year, R17)
    assert verdict(con, "polis") == [
        ("polis/a.parquet", 1, None, None, None),
        ("polis/a.parquet", 2, None, None, None),
        ("polis/a.parquet", 3, None, None, None),
        ("polis/a.parquet", 4, "datum_ongeldig", "aanleverdatum", "2022-01-15 13:45:00"),
        ("polis/b.parquet", 1, None, None, None),
        ("polis/c.parquet", 1, "datum_ongeldig", "aanleverdatum", "2022-01-15 00:00:00.000000001"),
        ("polis/c.parquet", 2, "datum_ongeldig", "aanleverdatum", "2022-01-15 08:00:00"),
    ]


def test_parquet_timestamps_in_text_columns_of_the_other_extracts(con, tmp_path):
    (tmp_path / "doelgroepregister").mkdir()
    pq.write_table(pa.table({
        "bsn": [BSN[0], BSN[1]], "grondslag": ["IB", "IB"], "woonregio": ["AMR01", "AMR01"],
        "datum_ingang": _amsterdam("2016-01-01", "2016-01-01 12:00"),
        "datum_einde": _amsterdam("2021-12-31", "2021-12-31"),
    }), tmp_path / "doelgroepregister" / "r.parquet")
    con.execute("SET TimeZone = 'UTC'")
    ingest(con, tmp_path, "doelgroepregister")
    assert rows(con, "SELECT regelnummer, datum_ingang, datum_einde, regel, waarde FROM ingest.doelgroepregister "
                     "ORDER BY 1") == [
        dict(regelnummer=1, datum_ingang=D("2016-01-01"), datum_einde=D("2021-12-31"), regel=None, waarde=None),
        dict(regelnummer=2, datum_ingang=None, datum_einde=D("2021-12-31"), regel="datum_ongeldig",
             waarde="2016-01-01 12:00:00"),
    ]


def test_parquet_zone_unknown_to_duckdb_stops_the_run(con, tmp_path):
    _polis_parquet(tmp_path / "polis" / "p.parquet", {
        "tijdvak_begin": pa.array([dt.datetime(2021, 12, 1)], pa.timestamp("us", tz="Mars/Olympus"))}, 1)
    write_register(tmp_path)
    with pytest.raises(DeliveryError, match=r"^Bestand polis/p\.parquet: kolom tijdvak_begin heeft tijdzone "
                                            r"'Mars/Olympus', die DuckDB niet kent"):
        ingest(con, tmp_path, "polis")


VIEW_DATES = """
import json, sys
from pathlib import Path
import duckdb
from pipeline.ingest.reader import discover, create_source_view
con = duckdb.connect()
out = []
for source in discover(Path(sys.argv[1]), "polis"):
    create_source_view(con, source)
    out += [[source.relative, *map(str, r)] for r in con.execute(
        "SELECT regelnummer, tijdvak_begin_getypt, tijdvak_einde_getypt, aanleverdatum_getypt, aanleverdatum "
        "FROM bron ORDER BY regelnummer").fetchall()]
print(json.dumps([r for r in out if r[0] != "polis/polis.csv"]))
"""


def test_the_corpus_time_zone_case_reads_the_same_under_every_machine_zone():
    """The process zone (TZ) is what DuckDB takes as its default TimeZone: run the reader in a fresh
    process under each zone."""
    results = {}
    for zone in ("UTC", "Europe/Amsterdam"):
        done = subprocess.run([sys.executable, "-c", VIEW_DATES, str(CORPUS / "parquet_tijdzone")],
                              capture_output=True, text=True, env={**os.environ, "TZ": zone}, timeout=120)
        assert done.returncode == 0, done.stderr
        results[zone] = json.loads(done.stdout)
    assert results["UTC"] == results["Europe/Amsterdam"] == [
        ["polis/extra_tijdzone.parquet", "1", "2021-12-01", "2021-12-31", "2022-01-15", "None"],
        ["polis/extra_tijdzone.parquet", "2", "2022-01-01", "2022-01-31", "2022-02-15", "None"],
        ["polis/extra_tijdzone.parquet", "3", "2021-12-01", "2021-12-31", "None", "2022-01-15 13:45:00"],
    ]


# ---------------------------------------------------------------------------------------------
# 5. numbers as the contract writes them (rejections: ROW_RULES in test_ingest_rules)
# ---------------------------------------------------------------------------------------------

def test_decimal_comma_forms_are_read_exactly(con, tmp_path):
    hours = {"a": ("12", "12"), "b": ("12,5", "12.5"), "c": (",5", "0.5"), "d": ("-3,25", "-3.25"),
             "e": ("+1,0", "1"), "f": ("0012,50", "12.5"), "g": ("7,", "7")}
    write_csv(tmp_path / "polis" / "p.csv", POLIS_COLUMNS,
              [{**GOOD["polis"], "ikv_id": k, "verloonde_uren": v} for k, (v, _) in hours.items()])
    write_register(tmp_path)
    ingest(con, tmp_path, "polis")
    assert rows(con, "SELECT ikv_id, verloonde_uren, regel FROM ingest.polis ORDER BY 1") == [
        dict(ikv_id=k, verloonde_uren=Decimal(n), regel=None) for k, (_, n) in hours.items()]


def test_parquet_numbers_in_decimal_columns_meet_the_contract_form(con, tmp_path):
    """Parquet DOUBLE and wide DECIMAL values go the text route written with ',' (they are typed values,
    not text with a '.'): 12.5 stays 12.5."""
    _polis_parquet(tmp_path / "polis" / "p.parquet", {
        "verloonde_uren": pa.array([12.5, -3.0, 0.25], pa.float64()),
    }, 3)
    _polis_parquet(tmp_path / "polis" / "q.parquet", {
        "verloonde_uren": pa.array([Decimal("12.5"), Decimal("-0.123456")], pa.decimal128(38, 10)),
    }, 2)
    (tmp_path / "werkgevers").mkdir()
    pq.write_table(pa.table({
        "loonheffingennummer": ["100000061L01", "100000062L01"], "geldig_vanaf": ["2015-01-01", "2015-01-01"],
        "sector_risicogroep": [10, 10], "overheidswerkgever": [False, False], "sw_bedrijf": ["N", "n"],
        "uren_sectorfonds_aandeel": pa.array([Decimal("0.49"), Decimal("1.00")], pa.decimal128(3, 2)),
        "arbeidsmarktregio": ["AMR01", "AMR02"],
    }), tmp_path / "werkgevers" / "w.parquet")
    write_register(tmp_path)
    ingest(con, tmp_path, "polis")
    ingest(con, tmp_path, "werkgevers")
    assert [tuple(r.values()) for r in rows(
        con, "SELECT bron_bestand, ikv_id, verloonde_uren, regel FROM ingest.polis ORDER BY 1, 2")] == [
        ("polis/p.parquet", "p0", Decimal("12.5"), None), ("polis/p.parquet", "p1", Decimal("-3"), None),
        ("polis/p.parquet", "p2", Decimal("0.25"), None),
        ("polis/q.parquet", "q0", Decimal("12.5"), None), ("polis/q.parquet", "q1", Decimal("-0.123456"), None),
    ]
    assert rows(con, "SELECT uren_sectorfonds_aandeel, sw_bedrijf, regel FROM ingest.werkgevers "
                     "WHERE bron_bestand = 'werkgevers/w.parquet' ORDER BY regelnummer") == [
        dict(uren_sectorfonds_aandeel=0.49, sw_bedrijf=False, regel=None),
        dict(uren_sectorfonds_aandeel=1.0, sw_bedrijf=False, regel=None),
    ]


# ---------------------------------------------------------------------------------------------
# more odd but legal CSV: what extract tools write
# ---------------------------------------------------------------------------------------------

def test_hash_at_the_start_of_a_value_is_not_a_comment(con, tmp_path):
    """DuckDB's sniffer may take '#' for a comment mark and drop such lines without a word."""
    write_csv(tmp_path / "polis" / "p.csv", POLIS_COLUMNS, [
        {**GOOD["polis"], "ikv_id": "1"}, {**GOOD["polis"], "bsn": "#" + BSN[0][1:], "ikv_id": "2"},
        {**GOOD["polis"], "ikv_id": "3"}])
    write_register(tmp_path)
    counts = ingest(con, tmp_path, "polis")
    assert counts == {"polis/p.csv": (3, 0)}
    assert verdict(con, "polis") == [
        ("polis/p.csv", 2, None, None, None),
        ("polis/p.csv", 3, "bsn_formaat", "bsn", hmac_hex("#" + BSN[0][1:])),
        ("polis/p.csv", 4, None, None, None),
    ]


def test_excel_style_csv_reads_like_the_plain_file(con, tmp_path):
    """Every field quoted, BOM + CRLF, a trailing separator, ';' and '"' inside a quoted field."""
    def excel(columns, records):
        lines = [";".join(f'"{c}"' for c in columns) + ";"]
        lines += [";".join('"' + str(r[c]).replace('"', '""') + '"' for c in columns) + ";" for r in records]
        return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")

    (tmp_path / "werkgevers").mkdir()
    (tmp_path / "werkgevers" / "w.csv").write_bytes(excel(list(GOOD["werkgevers"]), [
        {**GOOD["werkgevers"], "naam": 'Bakkerij "De Zon"; Jansen & Zn', "overheidswerkgever": "n",
         "sw_bedrijf": "j"}]))
    ingest(con, tmp_path, "werkgevers")
    assert rows(con, "SELECT regelnummer, naam, overheidswerkgever, sw_bedrijf, uren_sectorfonds_aandeel, "
                     "arbeidsmarktregio, regel FROM ingest.werkgevers") == [
        dict(regelnummer=2, naam='Bakkerij "De Zon"; Jansen & Zn', overheidswerkgever=False, sw_bedrijf=True,
             uren_sectorfonds_aandeel=0.25, arbeidsmarktregio="AMR01", regel=None)]


def test_header_only_csv_and_schema_only_parquet_hold_no_rows(con, tmp_path):
    polis_file(tmp_path / "polis" / "a.csv", ["1"])
    write_csv(tmp_path / "polis" / "b.csv", POLIS_COLUMNS, [])
    pq.write_table(pa.table({c: pa.array([], pa.string()) for c in POLIS_COLUMNS}), tmp_path / "polis" / "c.parquet")
    pd.DataFrame({c: pd.Series([], dtype=object) for c in POLIS_COLUMNS}).to_parquet(tmp_path / "polis" / "d.parquet")
    write_register(tmp_path)
    counts = ingest(con, tmp_path, "polis")
    assert counts == {"polis/a.csv": (1, 0), "polis/b.csv": (0, 0), "polis/c.parquet": (0, 0),
                      "polis/d.parquet": (0, 0)}


HEADER = ";".join(POLIS_COLUMNS)


def _line(**overrides) -> str:
    return ";".join({**GOOD["polis"], **overrides}[c] for c in POLIS_COLUMNS)


@pytest.mark.parametrize("case", ["samengevoegd", "titelregel"])
def test_lines_before_the_real_header_are_never_skipped(con, tmp_path, case):
    """Left to its sniffer, DuckDB skipped the header and the first rows when later lines had another
    number of fields (two exports glued together): those rows vanished without a word."""
    if case == "samengevoegd":
        lines = [HEADER, _line(ikv_id="a1"), HEADER + ";opmerking",
                 *(_line(ikv_id=f"b{i}") + ";x" for i in range(20))]
    else:
        lines = ["Export polis december 2021", HEADER, _line(ikv_id="1")]
    (tmp_path / "polis").mkdir()
    (tmp_path / "polis" / "p.csv").write_text("\n".join(lines) + "\n")
    write_register(tmp_path)
    with pytest.raises(DeliveryError, match=r"^Bestand polis/p\.csv: kan niet gelezen worden als CSV volgens het "
                                            r"contract .*de regels passen niet bij de kopregel"):
        ingest(con, tmp_path, "polis")


def test_a_file_without_header_is_named_without_showing_its_first_line(con, tmp_path):
    (tmp_path / "polis").mkdir()
    (tmp_path / "polis" / "p.csv").write_text(_line(bsn=BSN[2]) + "\n" + _line(bsn=BSN[3]) + "\n")
    write_register(tmp_path)
    with pytest.raises(DeliveryError) as raised:
        ingest(con, tmp_path, "polis")
    message = str(raised.value)
    assert message.startswith("Bestand polis/p.csv: verplichte kolom(men) ontbreken: bsn, ")
    assert "ontbreekt de kopregel?" in message
    assert BSN[2] not in message and GOOD["polis"]["aanleverdatum"] not in message and "\n" not in message
