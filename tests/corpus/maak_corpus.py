"""Writes the corpus of bad deliveries (one folder per failure class) beside this script.

Each folder is a complete delivery that differs from `goed/` in one defect, plus `verwacht.json`:
either {"fout": [fragments the error message must contain]} for a file that cannot be read as a
whole, or {"quarantaine": [[bron_bestand, regelnummer, regel, kolom], ...]} for rows that break a
rule, optionally with {"rijen_gelezen": {bron_bestand: rows}} (each file read as itself, no more and
no less) and {"genegeerd": [bron_bestand, ...]} (known system litter: not read, listed as ignored).
Run `python tests/corpus/maak_corpus.py` to regenerate; the files are committed.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import shutil
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent

POLIS_HEADER = "bsn;loonheffingennummer;ikv_id;tijdvak_begin;tijdvak_einde;verloonde_uren;code_aard_arbeidsverhouding;aanleverdatum;volgnummer"
WERKGEVERS_HEADER = ("loonheffingennummer;naam;geldig_vanaf;geldig_tot;sector_risicogroep;overheidswerkgever;"
                     "uren_sectorfonds_aandeel;overheidssector;sw_bedrijf;arbeidsmarktregio")
REGISTER_HEADER = "bsn;grondslag;datum_ingang;datum_einde;woonregio"

# 200 good payroll rows (so a handful of bad ones stays under the 1 % quarantine threshold)
GOED_POLIS = [
    "123456782;100000001L01;1;2012-12-01;2012-12-31;100,5;1;2013-01-15;1",
    "123456782;100000001L01;1;2021-12-01;2021-12-31;120;1;2022-01-15;1",
    "111222333;100000002L01;7;2021-12-01;2021-12-31;80;18;2022-01-15;1",
    "999999990;100000003L01;3;2021-11-29;2021-12-05;35;11;2021-12-10;1",
] + [f"100000009;100000001L01;x{i};2021-12-01;2021-12-31;30;1;2022-01-15;1" for i in range(196)]
GOED_WERKGEVERS = [
    "100000001L01;Markt BV;2000-01-01;;10;N;0;;N;AMR01",
    "100000002L01;Gemeente;2000-01-01;;63;J;0,1;Gemeenten;N;AMR02",
    "100000003L01;Uitzend BV;2000-01-01;;52;N;0;;N;AMR03",
] + [f"2{i:08d}L01;Werkgever {i};2000-01-01;;10;N;0;;N;AMR{i % 35 + 1:02d}" for i in range(300)]
# persons registered but not working (so one bad registration stays under the threshold)
GOED_REGISTER = [
    "123456782;WAJONG;2010-01-01;;AMR01",
    "111222333;IB;2016-01-01;;AMR02",
    "999999990;IB;2010-01-01;2021-12-01;AMR03",
] + [f"{n};IB;2015-01-01;;AMR05" for n in (
    str(300000000 + i) for i in range(2000)) if (sum((9 - k) * int(n[k]) for k in range(8)) - int(n[8])) % 11 == 0][:150]


def write(folder: Path, polis=None, werkgevers=None, register=None, expected=None) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    for sub, header, rows in (("polis", POLIS_HEADER, polis or GOED_POLIS),
                              ("werkgevers", WERKGEVERS_HEADER, werkgevers or GOED_WERKGEVERS),
                              ("doelgroepregister", REGISTER_HEADER, register or GOED_REGISTER)):
        (folder / sub).mkdir(parents=True)
        (folder / sub / f"{sub}.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    if expected is not None:
        (folder / "verwacht.json").write_text(json.dumps(expected, indent=2, ensure_ascii=False) + "\n")


def extra_polis(path: Path, ikv_ids: list[str]) -> None:
    """A small polis file of good December 2021 rows of a registered person, one per ikv_id."""
    path.write_text("\n".join([POLIS_HEADER] + [
        f"123456782;100000001L01;{ikv};2021-12-01;2021-12-31;10;1;2022-01-15;1" for ikv in ikv_ids]) + "\n")


def excel(lines: list[str], name_column: int | None = None) -> bytes:
    """Lines as Excel writes a CSV: UTF-8 with BOM, CRLF, every field quoted, a trailing separator.
    Column `name_column` may hold ';' itself (data lines are split on the other columns)."""
    out = []
    for number, line in enumerate(lines):
        fields = line.split(";")
        if name_column is not None and number > 0 and len(fields) > 10:  # the name held a ';'
            extra = len(fields) - 10
            fields[name_column:name_column + extra + 1] = [";".join(fields[name_column:name_column + extra + 1])]
        out.append(";".join(f'"{f}"' for f in fields) + ";")
    return ("\ufeff" + "\r\n".join(out) + "\r\n").encode("utf-8")


def main() -> None:
    write(HERE / "goed", expected={"quarantaine": []})

    # --- whole-file problems: the run stops, naming the file and the problem
    d = HERE / "scheidingsteken"
    write(d, expected={"fout": ["werkgevers/werkgevers.csv", "scheidingsteken"]})
    (d / "werkgevers" / "werkgevers.csv").write_text(
        "\n".join([WERKGEVERS_HEADER.replace(";", ","), *(r.replace(";", ",") for r in GOED_WERKGEVERS)]) + "\n")

    d = HERE / "kolom_ontbreekt"
    write(d, expected={"fout": ["polis/polis.csv", "verplichte kolom(men) ontbreken: aanleverdatum"]})
    (d / "polis" / "polis.csv").write_text("\n".join(
        [POLIS_HEADER.replace(";aanleverdatum", "")] +
        [";".join(p for i, p in enumerate(r.split(";")) if i != 7) for r in GOED_POLIS]) + "\n")

    d = HERE / "geen_utf8"
    write(d, expected={"fout": ["werkgevers/werkgevers.csv", "UTF-8"]})
    text = "\n".join([WERKGEVERS_HEADER, *GOED_WERKGEVERS, "100000004L01;Café Zoë;2000-01-01;;10;N;0;;N;AMR04"]) + "\n"
    (d / "werkgevers" / "werkgevers.csv").write_bytes(text.encode("latin-1"))

    d = HERE / "gzip_afgebroken"
    write(d, expected={"fout": ["polis/polis.csv.gz", "gzip"]})
    data = gzip.compress((d / "polis" / "polis.csv").read_bytes(), mtime=0)
    (d / "polis" / "polis.csv").unlink()
    (d / "polis" / "polis.csv.gz").write_bytes(data[: len(data) // 2])

    d = HERE / "leeg_bestand"
    write(d, expected={"fout": ["doelgroepregister/extra.csv", "leeg"]})
    (d / "doelgroepregister" / "extra.csv").write_bytes(b"")

    d = HERE / "parquet_onleesbaar"
    write(d, expected={"fout": ["polis/extra.parquet", "kan niet gelezen worden"]})
    (d / "polis" / "extra.parquet").write_bytes(b"PAR1 dit is geen parquet-bestand" * 10)

    d = HERE / "onbekend_bestandstype"
    write(d, expected={"fout": ["polis/lees_mij.txt", "onbekend bestandstype"]})
    (d / "polis" / "lees_mij.txt").write_text("geen extract\n")

    # --- row rules: the rows go to the quarantine with their rule; the run goes on
    bad_polis = [
        ("123456789;100000001L01;b1;2021-12-01;2021-12-31;10;1;2022-01-15;1", "bsn_elfproef", "bsn"),
        ("12345678;100000001L01;b2;2021-12-01;2021-12-31;10;1;2022-01-15;1", "bsn_formaat", "bsn"),
    ]
    write(HERE / "rij_bsn", polis=GOED_POLIS + [r for r, _, _ in bad_polis], expected={"quarantaine": [
        ["polis/polis.csv", len(GOED_POLIS) + 2 + i, rule, col] for i, (_, rule, col) in enumerate(bad_polis)]})

    cases = {
        "rij_loonheffingennummer": ("123456782;10000001L01;b;2021-12-01;2021-12-31;10;1;2022-01-15;1",
                                    "loonheffingennummer_patroon", "loonheffingennummer"),
        "rij_tijdvak_volgorde": ("123456782;100000001L01;b;2021-12-31;2021-12-01;10;1;2022-01-15;1",
                                 "tijdvak_volgorde", "tijdvak_einde"),
        "rij_tijdvak_jaargrens": ("123456782;100000001L01;b;2021-12-27;2022-01-02;10;1;2022-01-15;1",
                                  "tijdvak_kalenderjaar", "tijdvak_einde"),
        "rij_uren_maximum": ("123456782;100000001L01;b;2021-12-01;2021-12-01;24,5;1;2022-01-15;1",
                             "uren_maximum", "verloonde_uren"),
        "rij_datum": ("123456782;100000001L01;b;2021-12-01;2021-12-31;10;1;15-01-2022;1",
                      "datum_ongeldig", "aanleverdatum"),
        "rij_getal": ("123456782;100000001L01;b;2021-12-01;2021-12-31;tien;1;2022-01-15;1",
                      "getal_ongeldig", "verloonde_uren"),
        "rij_verplicht": ("123456782;100000001L01;;2021-12-01;2021-12-31;10;1;2022-01-15;1",
                          "verplicht", "ikv_id"),
        "rij_werkgever_onbekend": ("123456782;100000099L01;b;2021-12-01;2021-12-31;10;1;2022-01-15;1",
                                   "werkgever_onbekend", "loonheffingennummer"),
        # ',' is the decimal mark: '1.234' is not 1.234 hours (nor 1234)
        "rij_getal_punt": ("123456782;100000001L01;b;2021-12-01;2021-12-31;1.234;1;2022-01-15;1",
                           "getal_ongeldig", "verloonde_uren"),
        # dates are YYYY-MM-DD: '15-01-22' is not 22 January of the year 15
        "rij_datum_kort_jaar": ("123456782;100000001L01;b;2021-12-01;2021-12-31;10;1;15-01-22;1",
                                "datum_ongeldig", "aanleverdatum"),
        # a value starting with '#' is a value, not a comment line to drop
        "rij_hekje": ("#23456782;100000001L01;b;2021-12-01;2021-12-31;10;1;2022-01-15;1",
                      "bsn_formaat", "bsn"),
    }
    for name, (row, rule, col) in cases.items():
        write(HERE / name, polis=GOED_POLIS + [row],
              expected={"quarantaine": [["polis/polis.csv", len(GOED_POLIS) + 2, rule, col]]})

    write(HERE / "rij_dubbele_versie",
          polis=GOED_POLIS + ["123456782;100000001L01;1;2021-12-01;2021-12-31;121;1;2022-01-15;1"],
          expected={"quarantaine": [["polis/polis.csv", 3, "dubbele_versie", "volgnummer"],
                                    ["polis/polis.csv", len(GOED_POLIS) + 2, "dubbele_versie", "volgnummer"]]})

    last_register = len(GOED_REGISTER) + 2
    write(HERE / "rij_grondslag", register=GOED_REGISTER + ["200000007;ONBEKEND;2010-01-01;;AMR01"],
          expected={"quarantaine": [["doelgroepregister/doelgroepregister.csv", last_register, "grondslag_onbekend",
                                     "grondslag"]]})
    write(HERE / "rij_register_datumvolgorde", register=GOED_REGISTER + ["200000007;IB;2010-01-01;2009-01-01;AMR01"],
          expected={"quarantaine": [["doelgroepregister/doelgroepregister.csv", last_register, "register_datumvolgorde",
                                     "datum_einde"]]})
    write(HERE / "rij_regio", register=GOED_REGISTER + ["200000007;IB;2010-01-01;;AMR36"],
          expected={"quarantaine": [["doelgroepregister/doelgroepregister.csv", last_register, "regio_onbekend",
                                     "woonregio"]]})
    last_employer = len(GOED_WERKGEVERS) + 2
    write(HERE / "rij_werkgever_versies_overlappen",
          werkgevers=GOED_WERKGEVERS + ["100000003L01;Uitzend BV;2020-01-01;;52;N;0;;N;AMR03"],
          polis=[r for r in GOED_POLIS if "100000003L01" not in r],
          expected={"quarantaine": [["werkgevers/werkgevers.csv", 4, "versies_overlappen", "geldig_vanaf"],
                                    ["werkgevers/werkgevers.csv", last_employer, "versies_overlappen", "geldig_vanaf"]]})
    write(HERE / "rij_aandeel", werkgevers=GOED_WERKGEVERS + ["100000004L01;X;2000-01-01;;10;N;1,5;;N;AMR01"],
          expected={"quarantaine": [["werkgevers/werkgevers.csv", last_employer, "aandeel_bereik",
                                     "uren_sectorfonds_aandeel"]]})
    write(HERE / "rij_overheidssector", werkgevers=GOED_WERKGEVERS + ["100000004L01;X;2000-01-01;;63;J;0;Ministerie;N;AMR01"],
          expected={"quarantaine": [["werkgevers/werkgevers.csv", last_employer, "overheidssector_onbekend",
                                     "overheidssector"]]})
    write(HERE / "rij_boolean", werkgevers=GOED_WERKGEVERS + ["100000004L01;X;2000-01-01;;10;Ja;0;;N;AMR01"],
          expected={"quarantaine": [["werkgevers/werkgevers.csv", last_employer, "boolean_ongeldig",
                                     "overheidswerkgever"]]})

    # --- a file is read as itself, and only itself (names are literal paths, never patterns)
    d = HERE / "glob_tekens"
    write(d, expected={"quarantaine": [], "rijen_gelezen": {
        "polis/polis.csv": len(GOED_POLIS), "polis/polis1.csv": 2, "polis/polis[1].csv": 1}})
    extra_polis(d / "polis" / "polis1.csv", ["g1", "g2"])
    extra_polis(d / "polis" / "polis[1].csv", ["g3"])  # a glob would read polis1.csv instead

    # --- the delivery is a boundary
    buiten = HERE / "_buiten"  # not a delivery (no verwacht.json): a place outside the one below
    shutil.rmtree(buiten, ignore_errors=True)
    buiten.mkdir()
    extra_polis(buiten / "polis_extra.csv", ["s1", "s2"])
    d = HERE / "symlink_buiten"
    write(d, expected={"fout": ["polis/extra.csv", "buiten de levering"]})
    os.symlink("../../_buiten/polis_extra.csv", d / "polis" / "extra.csv")

    d = HERE / "verborgen_bestand"
    write(d, expected={"fout": ["polis/.polis_correctie.csv", "verborgen bestand"]})
    extra_polis(d / "polis" / ".polis_correctie.csv", ["v1"])

    d = HERE / "submap"
    write(d, expected={"fout": ["polis/oud/", "submap"]})
    (d / "polis" / "oud").mkdir()
    extra_polis(d / "polis" / "oud" / "polis_2020.csv", ["o1"])

    d = HERE / "systeembestanden"  # known system litter is ignored, and listed
    write(d, expected={"quarantaine": [], "genegeerd": [
        "doelgroepregister/.DS_Store", "polis/.DS_Store", "polis/._polis.csv", "polis/Thumbs.db",
        "werkgevers/desktop.ini"]})
    ds_store = b"\x00\x00\x00\x01Bud1" + bytes(2040)
    (d / "polis" / ".DS_Store").write_bytes(ds_store)
    (d / "doelgroepregister" / ".DS_Store").write_bytes(ds_store)
    (d / "polis" / "._polis.csv").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        " + bytes(4000))
    (d / "polis" / "Thumbs.db").write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(1016))
    (d / "werkgevers" / "desktop.ini").write_bytes(b"[.ShellClassInfo]\r\nIconResource=C:\\icoon.ico,0\r\n")

    # --- a header that names a column twice stops the run (the second copy holds zeros)
    d = HERE / "kolom_dubbel"
    write(d, expected={"fout": ["polis/polis.csv", "verloonde_uren", "meer dan eens"]})
    (d / "polis" / "polis.csv").write_text("\n".join([POLIS_HEADER + ";verloonde_uren"] +
                                                    [r + ";0" for r in GOED_POLIS]) + "\n")

    # --- Parquet dates are the calendar dates as delivered, whatever the machine's time zone:
    # pandas writes a tz-aware date as local midnight, stored as the UTC instant 23:00 the day before
    d = HERE / "parquet_tijdzone"
    write(d, expected={"quarantaine": [["polis/extra_tijdzone.parquet", 3, "datum_ongeldig", "aanleverdatum"]]})
    amsterdam = "Europe/Amsterdam"
    pd.DataFrame({
        "bsn": ["123456782"] * 3,
        "loonheffingennummer": ["100000001L01"] * 3,
        "ikv_id": ["tz1", "tz2", "tz3"],
        "tijdvak_begin": pd.to_datetime(["2021-12-01", "2022-01-01", "2021-12-01"]).tz_localize(amsterdam),
        "tijdvak_einde": pd.to_datetime(["2021-12-31", "2022-01-31", "2021-12-31"]).tz_localize(amsterdam),
        "verloonde_uren": [40.0, 40.0, 40.0],
        "code_aard_arbeidsverhouding": [1, 1, 1],
        "aanleverdatum": pd.to_datetime(["2022-01-15 00:00", "2022-02-15 00:00", "2022-01-15 13:45"]
                                        ).tz_localize(amsterdam),  # row 3: a time of day is not a date
        "volgnummer": [1, 1, 1],
    }).to_parquet(d / "polis" / "extra_tijdzone.parquet", index=False)

    # --- odd but legal: what extract tools write, read exactly as the plain files of goed/
    d = HERE / "excel_csv"  # Excel-style CSV: everything quoted, BOM + CRLF, a trailing separator,
    write(d, expected={"quarantaine": [], "rijen_gelezen": {  # ';' inside a quoted name, j/n, .CSV
        "polis/POLIS.CSV": len(GOED_POLIS), "werkgevers/werkgevers.CSV.GZ": len(GOED_WERKGEVERS) + 1,
        "doelgroepregister/doelgroepregister.csv": len(GOED_REGISTER)}})
    (d / "polis" / "polis.csv").unlink()
    (d / "polis" / "POLIS.CSV").write_bytes(excel([POLIS_HEADER, *GOED_POLIS]))
    (d / "werkgevers" / "werkgevers.csv").unlink()
    employers = [WERKGEVERS_HEADER, *(r.replace(";N;", ";n;") for r in GOED_WERKGEVERS),
                 "100000004L01;Bakkerij Jansen; Zonen & Co;2000-01-01;;10;j;0;;N;AMR04"]
    (d / "werkgevers" / "werkgevers.CSV.GZ").write_bytes(gzip.compress(excel(employers, name_column=1), mtime=0))

    d = HERE / "parquet_typen"  # dictionary-encoded strings, DATE and text dates, DECIMAL(p,s), an empty file
    write(d, expected={"quarantaine": [], "rijen_gelezen": {
        "polis/polis.csv": len(GOED_POLIS), "polis/getypt.parquet": 2, "polis/TEKST.PARQUET": 2,
        "polis/leeg.parquet": 0}})
    typed = pa.table({
        "bsn": pa.array(["123456782", "123456782"]).dictionary_encode(),
        "loonheffingennummer": pa.array(["100000001L01", "100000001L01"]).dictionary_encode(),
        "ikv_id": ["pq1", "pq2"],
        "tijdvak_begin": pa.array([dt.date(2021, 12, 1)] * 2, pa.date32()),
        "tijdvak_einde": pa.array([dt.date(2021, 12, 31)] * 2, pa.date32()),
        "verloonde_uren": pa.array([Decimal("40.25"), Decimal("-3.50")], pa.decimal128(5, 2)),
        "code_aard_arbeidsverhouding": pa.array([1, 11], pa.int8()),
        "aanleverdatum": pa.array([dt.date(2022, 1, 15)] * 2, pa.date32()),
        "volgnummer": pa.array([1, 2], pa.int16()),
    })
    pq.write_table(typed, d / "polis" / "getypt.parquet")
    pq.write_table(typed.slice(0, 0), d / "polis" / "leeg.parquet")
    pq.write_table(pa.table({
        "bsn": ["123456782", "123456782"],
        "loonheffingennummer": ["100000001L01", "100000001L01"],
        "ikv_id": ["pq3", "pq4"],
        "tijdvak_begin": ["2021-12-01", "2021-12-01"],
        "tijdvak_einde": ["2021-12-31", "2021-12-31"],
        "verloonde_uren": pa.array([Decimal("12.5"), Decimal("0.1234567890")], pa.decimal128(38, 10)),
        "code_aard_arbeidsverhouding": ["1", "82"],
        "aanleverdatum": ["2022-01-15", "2022-01-15"],
        "volgnummer": pa.array([1, 1], pa.int64()),
    }), d / "polis" / "TEKST.PARQUET", use_dictionary=False)

    # --- a year over the quarantine threshold stops the run
    write(HERE / "boven_drempel",
          polis=GOED_POLIS + [f"123456789;100000001L01;q{i};2021-12-01;2021-12-31;1;1;2022-01-15;1" for i in range(5)],
          expected={"fout": ["quarantaine_onder_drempel", "ingest/polis"]})


if __name__ == "__main__":
    main()
