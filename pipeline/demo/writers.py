"""The files of a delivery: polis, werkgevers and doelgroepregister in the formats of docs/EXTRACTS.md.

Polis: one file per year in a mix of formats (CSV with a BOM, CSV with reordered columns, CSV with
short decimals, gzipped CSV, typed Parquet) plus `polis_correcties.csv` with the later versions of
all years. Werkgevers: one CSV with an extra, unused column. Doelgroepregister: the rows split at
random over a Parquet and a CSV file. CSV: `;`, decimal comma, J/N, empty = null. Rows are
shuffled and the planted bad rows are put at random positions.

`write_polis`, `write_werkgevers` and `write_register` make the random draws of their files (row
order, bad-row positions) in file order, record the rows per file and where each bad row ends up
(file and line number) for the bookkeeping, and hand building and writing each file to a thread
pool as a task; they return the tasks.
"""

from __future__ import annotations

import gzip
import io
from concurrent.futures import Executor, Future
from pathlib import Path
from typing import Sequence

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.demo.dates import OPEN
from pipeline.demo.employers import Employers
from pipeline.demo.people import GRONDSLAGEN, People
from pipeline.demo.polis import YearRows
from pipeline.demo.reference import Reference

__all__ = [
    "POLIS_COLUMNS",
    "REGISTER_COLUMNS",
    "WERKGEVERS_COLUMNS",
    "bsn_str",
    "centi_str",
    "clear",
    "polis_files",
    "write_polis",
    "write_register",
    "write_werkgevers",
]

# per year: (format, options); years not listed alternate parquet / csv
_POLIS_FORMAT = {
    2012: ("csv", {"bom": True}),
    2015: ("parquet", {}),
    2016: ("csv.gz", {}),
    2017: ("parquet", {}),
    2018: ("csv", {"reorder": True}),
    2019: ("parquet", {}),
    2020: ("csv.gz", {}),
    2021: ("parquet", {}),
    2022: ("csv", {"short_decimals": True}),
    2023: ("parquet", {}),
}
POLIS_COLUMNS = ["bsn", "loonheffingennummer", "ikv_id", "tijdvak_begin", "tijdvak_einde", "verloonde_uren",
                 "code_aard_arbeidsverhouding", "aanleverdatum", "volgnummer"]
_POLIS_REORDER = ["ikv_id", "tijdvak_einde", "verloonde_uren", "bsn", "aanleverdatum", "tijdvak_begin",
                  "loonheffingennummer", "volgnummer", "code_aard_arbeidsverhouding"]
WERKGEVERS_COLUMNS = ["loonheffingennummer", "naam", "geldig_vanaf", "geldig_tot", "sector_risicogroep",
                      "overheidswerkgever", "uren_sectorfonds_aandeel", "overheidssector", "sw_bedrijf",
                      "arbeidsmarktregio"]
REGISTER_COLUMNS = ["bsn", "grondslag", "datum_ingang", "datum_einde", "woonregio"]
_REGISTER_REORDER = ["woonregio", "datum_einde", "bsn", "grondslag", "datum_ingang"]


def polis_format(year: int) -> tuple[str, dict]:
    return _POLIS_FORMAT.get(year, ("parquet", {}) if year % 2 else ("csv", {}))


def date_str(days: np.ndarray) -> pl.Series:
    """Dates as YYYY-MM-DD text; the OPEN sentinel becomes null.

    Each day of the span is formatted once and the rows pick theirs from that table (a gather of
    short strings is much cheaper than formatting every row; the CSV writer formats dates slowly).
    """
    d = np.asarray(days, dtype=np.int64)
    is_open = d == OPEN
    real = d[~is_open]
    if len(real) == 0:
        return pl.Series([None] * len(d), dtype=pl.String)
    lo, hi = int(real.min()), int(real.max())
    table = pl.Series(np.arange(lo, hi + 1, dtype=np.int32)).cast(pl.Date).cast(pl.String)
    s = table.gather(np.where(is_open, 0, d - lo))
    if not is_open.any():
        return s
    return pl.select(pl.when(pl.lit(pl.Series(is_open))).then(None).otherwise(pl.lit(s))).to_series()


def date_typed(days: np.ndarray) -> pl.Series:
    """Dates as a Date column; the OPEN sentinel becomes null."""
    d = np.asarray(days, dtype=np.int64)
    is_open = d == OPEN
    if not is_open.any():
        return pl.Series(d.astype(np.int32)).cast(pl.Date)
    s = pl.Series(np.where(is_open, 0, d).astype(np.int32)).cast(pl.Date)
    return pl.select(pl.when(pl.lit(pl.Series(is_open))).then(None).otherwise(pl.lit(s))).to_series()


def centi_str(k: np.ndarray, short: bool = False) -> pl.Series:
    """Centi-hours as decimal-comma text: 1234 -> '12,34', -5 -> '-0,05' (short: '12,3', '12')."""
    k = np.asarray(k, dtype=np.int64)
    a = np.abs(k)
    df = pl.DataFrame({"neg": k < 0, "i": a // 100, "c": a % 100})
    frac = pl.col("c").cast(pl.String).str.pad_start(2, "0")
    if short:
        frac_expr = (
            pl.when(pl.col("c") == 0).then(pl.lit(""))
            .when(pl.col("c") % 10 == 0).then(pl.lit(",") + frac.str.slice(0, 1))
            .otherwise(pl.lit(",") + frac)
        )
    else:
        frac_expr = pl.lit(",") + frac
    return df.select(
        (pl.when(pl.col("neg")).then(pl.lit("-")).otherwise(pl.lit("")) + pl.col("i").cast(pl.String) + frac_expr)
        .alias("v")
    ).to_series()


def share_str(hundredths: np.ndarray) -> pl.Series:
    return centi_str(hundredths)


_CSV = {"separator": ";", "null_value": "", "line_terminator": "\n",
        "float_precision": 2, "decimal_comma": True}  # floats (hours) as 12,34
_BOM = b"\xef\xbb\xbf"


def spliced(good: pl.DataFrame, bad: pl.DataFrame, pos: np.ndarray) -> list[pl.DataFrame]:
    """Slices of `good` with the rows of `bad` between them, so that bad row j is row pos[j]."""
    parts, start = [], 0
    for j, p in enumerate(pos.tolist()):
        parts += [good.slice(start, p - j - start), bad.slice(j, 1)]
        start = p - j
    parts.append(good.slice(start))
    return parts


def write_csv_with(good: pl.DataFrame, bad: pl.DataFrame, pos: np.ndarray, path: Path, bom: bool = False,
                   gz: bool = False) -> None:
    """Write `good` as CSV with the rows of `bad` at 0-based data rows `pos` (see bad_positions).

    The good rows keep their types (dates, integers and hours are formatted by the CSV writer), the
    bad rows are text; each slice is written after the other, the header once.
    """
    buf = io.BytesIO()
    for i, part in enumerate(spliced(good, bad, pos)):
        part.write_csv(buf, include_header=i == 0, include_bom=bom and i == 0, **_CSV)
    data = buf.getvalue()
    if bom and not data.startswith(_BOM):
        data = _BOM + data
    if gz:
        data = gzip.compress(data, compresslevel=6, mtime=0)
    path.write_bytes(data)


def write_parquet(df: pl.DataFrame, path: Path, schema: pa.Schema) -> None:
    table = df.to_arrow().cast(schema)
    pq.write_table(table, path, compression="zstd", row_group_size=1 << 20)


_POLIS_SCHEMA = pa.schema([
    ("bsn", pa.string()), ("loonheffingennummer", pa.string()), ("ikv_id", pa.string()),
    ("tijdvak_begin", pa.date32()), ("tijdvak_einde", pa.date32()), ("verloonde_uren", pa.float64()),
    ("code_aard_arbeidsverhouding", pa.int32()), ("aanleverdatum", pa.date32()), ("volgnummer", pa.int32()),
])
_REGISTER_SCHEMA = pa.schema([
    ("bsn", pa.string()), ("grondslag", pa.string()), ("datum_ingang", pa.date32()),
    ("datum_einde", pa.date32()), ("woonregio", pa.string()),
])


def bsn_str(bsn: np.ndarray) -> pl.Series:
    return pl.Series(np.asarray(bsn, dtype=np.int64)).cast(pl.String).str.pad_start(9, "0")


def amr_str(region: np.ndarray) -> pl.Series:
    return "AMR" + pl.Series(np.asarray(region, dtype=np.int64)).cast(pl.String).str.pad_start(2, "0")


def bad_positions(rng, n: int, m: int) -> np.ndarray:
    """Where m bad rows go among n good ones: their sorted 0-based row numbers in the n + m rows."""
    if m == 0:
        return np.zeros(0, dtype=np.int64)
    return np.sort(rng.choice(n + m, size=m, replace=False))


def clear(folder: Path) -> None:
    """Create `folder`, removing the data files a previous delivery left in it."""
    folder.mkdir(parents=True, exist_ok=True)
    for p in folder.iterdir():
        if p.is_file() and p.name.endswith((".csv", ".csv.gz", ".parquet")):
            p.unlink()


def polis_files(years: Sequence[int]) -> list[dict]:
    """The polis files of a delivery: one per year (in its format) and the corrections file."""
    files = []
    for y in years:
        fmt, opts = polis_format(y)
        files.append({"name": f"polis/polis_{y}.{fmt}", "format": fmt, "opts": opts, "year": y})
    files.append({"name": "polis/polis_correcties.csv", "format": "csv", "opts": {}, "year": None})
    return files


def write_polis(out_dir: Path, files: list[dict], yr: dict[int, YearRows], years: Sequence[int],
                rows: dict[str, np.ndarray], polis_bad: dict, bsn_s: pl.Series, lhnr_s: pl.Series,
                wrng: np.random.Generator, pool: Executor, row_counts: dict, bad_list: list) -> list[Future]:
    """Write the polis files: the year's first versions in its file, later versions in the
    corrections file, shuffled, with the bad rows of `polis_bad` at random positions.

    `rows` are the rows of all years (polis.number_jobs). The random draws (row order, bad-row
    positions) are made here, in file order; building and writing each file is a task on `pool`,
    the gzipped files (the slowest: zlib) first.
    """
    first_row, n_rows = {}, 0
    for y in years:
        first_row[y] = n_rows
        n_rows += len(yr[y].tb)
    jobs = []
    for f in files:
        if f["year"] is not None:
            idx = first_row[f["year"]] + np.flatnonzero(yr[f["year"]].in_year_file)
        else:
            idx = np.flatnonzero(~rows["in_year_file"])
        n = len(idx)
        idx = idx[wrng.permutation(n)]
        bads = polis_bad.get(f["name"], [])
        pos = bad_positions(wrng, n, len(bads))
        jobs.append((out_dir / f["name"], f, rows, idx, bads, pos, bsn_s, lhnr_s))
        row_counts["polis"][f["name"]] = n + len(bads)
        line_of = pos + (1 if f["format"] == "parquet" else 2)
        for b, line in zip(bads, line_of.tolist()):
            bad_list.append({"extract": "polis", "bron_bestand": f["name"], "regelnummer": int(line),
                             "regel": b["regel"], "kolom": b["kolom"], "waarde": b["waarde"]})
    jobs.sort(key=lambda job: job[1]["format"] != "csv.gz")  # stable: otherwise in file order
    return [pool.submit(_polis_file, *job) for job in jobs]


def _polis_file(path: Path, f: dict, rows: dict[str, np.ndarray], idx: np.ndarray, bads: list, pos: np.ndarray,
                bsn_s: pl.Series, lhnr_s: pl.Series) -> None:
    """One polis file: rows `idx` of `rows` in that order, the bad rows inserted at `pos`."""
    bad = pl.DataFrame([b["row"] for b in bads], schema={c: pl.String for c in POLIS_COLUMNS})
    common = {
        "bsn": bsn_s.gather(rows["person"][idx]),
        "loonheffingennummer": lhnr_s.gather(rows["emp"][idx]),
    }
    if f["format"] != "parquet":
        uren = rows["uren"][idx]
        short = f["opts"].get("short_decimals", False)
        good = pl.DataFrame({
            **common,
            "ikv_id": rows["ikv"][idx],
            "tijdvak_begin": date_str(rows["tb"][idx]),
            "tijdvak_einde": date_str(rows["te"][idx]),
            # written with two decimals and a decimal comma (write_csv below), or as text (short)
            "verloonde_uren": centi_str(uren, short=True) if short else uren / 100.0,
            "code_aard_arbeidsverhouding": rows["caa"][idx],
            "aanleverdatum": date_str(rows["aanl"][idx]),
            "volgnummer": rows["vol"][idx],
        })
        if f["opts"].get("reorder"):
            good, bad = good.select(_POLIS_REORDER), bad.select(_POLIS_REORDER)
        write_csv_with(good, bad, pos, path, bom=f["opts"].get("bom", False), gz=f["format"] == "csv.gz")
        return
    good = pl.DataFrame({
        **common,
        "ikv_id": pl.Series(rows["ikv"][idx]).cast(pl.String),
        "tijdvak_begin": date_typed(rows["tb"][idx]),
        "tijdvak_einde": date_typed(rows["te"][idx]),
        "verloonde_uren": pl.Series(rows["uren"][idx] / 100.0),
        "code_aard_arbeidsverhouding": pl.Series(rows["caa"][idx].astype(np.int32)),
        "aanleverdatum": date_typed(rows["aanl"][idx]),
        "volgnummer": pl.Series(rows["vol"][idx].astype(np.int32)),
    })
    bad = bad.select(
        pl.col("bsn"), pl.col("loonheffingennummer"), pl.col("ikv_id"),
        pl.col("tijdvak_begin").str.to_date("%Y-%m-%d"), pl.col("tijdvak_einde").str.to_date("%Y-%m-%d"),
        pl.col("verloonde_uren").str.replace(",", ".", literal=True).cast(pl.Float64),
        pl.col("code_aard_arbeidsverhouding").cast(pl.Int32),
        pl.col("aanleverdatum").str.to_date("%Y-%m-%d"), pl.col("volgnummer").cast(pl.Int32),
    )
    write_parquet(pl.concat(spliced(good, bad, pos), rechunk=True), path, _POLIS_SCHEMA)


def write_werkgevers(out_dir: Path, emp: Employers, ref: Reference, lhnr_s: pl.Series, wg_bads: list,
                     wrng: np.random.Generator, pool: Executor, row_counts: dict, bad_list: list) -> list[Future]:
    """Write werkgevers/werkgevers.csv: every register version, with an extra column (kvk_nummer)."""
    name = "werkgevers/werkgevers.csv"
    n = len(emp.v_emp)
    pos = bad_positions(wrng, n, len(wg_bads))
    row_counts["werkgevers"][name] = n + len(wg_bads)
    for b, p in zip(wg_bads, pos.tolist()):
        bad_list.append({"extract": "werkgevers", "bron_bestand": name, "regelnummer": p + 2,
                         "regel": b["regel"], "kolom": b["kolom"], "waarde": b["waarde"]})
    return [pool.submit(_werkgevers_file, out_dir / name, emp, ref, lhnr_s, wg_bads, pos)]


def _werkgevers_file(path: Path, v: Employers, ref: Reference, lhnr_s: pl.Series, wg_bads: list,
                     pos: np.ndarray) -> None:
    wg = pl.DataFrame({
        "loonheffingennummer": lhnr_s.gather(v.v_emp),
        "naam": pl.Series(v.v_naam, dtype=pl.String),
        "geldig_vanaf": date_str(v.v_from),
        "geldig_tot": date_str(v.v_to),
        "sector_risicogroep": pl.Series(v.v_srg).cast(pl.String),
        "overheidswerkgever": pl.Series(np.where(v.v_owg, "J", "N")),
        "uren_sectorfonds_aandeel": share_str(v.v_aandeel),
        "overheidssector": pl.Series(list(ref.overheidssectoren), dtype=pl.String).gather(np.maximum(v.v_osec, 0))
        .zip_with(pl.Series(v.v_osec >= 0), pl.Series([None] * len(v.v_osec), dtype=pl.String)),
        "sw_bedrijf": pl.Series(np.where(v.v_sw, "J", "N")),
        "arbeidsmarktregio": amr_str(v.region[v.v_emp]),
        "kvk_nummer": pl.Series(v.kvk[v.v_emp], dtype=pl.String),
    })
    wg = wg.sort("loonheffingennummer", "geldig_vanaf", maintain_order=True)
    bad = pl.DataFrame([b["row"] for b in wg_bads], schema={c: pl.String for c in wg.columns})
    write_csv_with(wg, bad, pos, path)


def write_register(out_dir: Path, people: People, bsn_s: pl.Series, reg_bad: dict, wrng: np.random.Generator,
                   pool: Executor, row_counts: dict, bad_list: list) -> list[Future]:
    """Write the doelgroepregister: its rows split at random over a Parquet and a CSV file."""
    nreg = len(people.reg_person)
    rperm = wrng.permutation(nreg)
    in_first = wrng.random(nreg) < 0.6
    tasks = []
    for part, name, fmt in (("deel1", "doelgroepregister/doelgroepregister_deel1.parquet", "parquet"),
                            ("deel2", "doelgroepregister/doelgroepregister_deel2.csv", "csv")):
        ix = rperm[in_first[rperm]] if part == "deel1" else rperm[~in_first[rperm]]
        bads = reg_bad[part]
        pos = bad_positions(wrng, len(ix), len(bads))
        tasks.append(pool.submit(_register_file, out_dir / name, fmt, people, ix, bsn_s, bads, pos))
        row_counts["doelgroepregister"][name] = len(ix) + len(bads)
        lines = pos + (1 if fmt == "parquet" else 2)
        for b, line in zip(bads, lines.tolist()):
            bad_list.append({"extract": "doelgroepregister", "bron_bestand": name, "regelnummer": int(line),
                             "regel": b["regel"], "kolom": b["kolom"], "waarde": b["waarde"]})
    return tasks


def _register_file(path: Path, fmt: str, people: People, ix: np.ndarray, bsn_s: pl.Series, bads: list,
                   pos: np.ndarray) -> None:
    good = pl.DataFrame({
        "bsn": bsn_s.gather(people.reg_person[ix]),
        "grondslag": pl.Series(list(GRONDSLAGEN), dtype=pl.String).gather(people.reg_grondslag[ix]),
        "woonregio": amr_str(people.woonregio[people.reg_person[ix]]),
    })
    date = date_typed if fmt == "parquet" else date_str
    good = good.with_columns(datum_ingang=date(people.reg_ingang[ix]), datum_einde=date(people.reg_einde[ix]))
    good = good.select(REGISTER_COLUMNS)
    bad = pl.DataFrame([b["row"] for b in bads], schema={c: pl.String for c in REGISTER_COLUMNS})
    if fmt == "parquet":
        bad = bad.with_columns(pl.col("datum_ingang").str.to_date("%Y-%m-%d"),
                               pl.col("datum_einde").str.to_date("%Y-%m-%d"))
        write_parquet(pl.concat(spliced(good, bad, pos), rechunk=True), path, _REGISTER_SCHEMA)
    else:
        write_csv_with(good.select(_REGISTER_REORDER), bad.select(_REGISTER_REORDER), pos, path)
