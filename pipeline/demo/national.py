"""A national-size synthetic delivery, generated set-based in DuckDB (for `banenafspraak bench`).

`generate_national(out_dir, scale, year, fmt, seed)` writes a delivery folder in the formats of
docs/EXTRACTS.md and returns row counts. Scale 1.0 is the size of the Netherlands: ≈ 8 M employees,
≈ 10 M employment relations (IKV), ≈ 130 M payroll rows of year Y (every IKV has its periods for the
whole year), ≈ 300 k doelgroepregister members (≈ 150 k of them work), ≈ 400 k employers; plus a
small polis file of the nulmeting year (December 2012 rows of the doelgroep members only), so that
the pipeline can measure Y against it.

Every row is made by the SQL in sql/demo/ (one file per extract, plus the population of persons and
IKVs): `range()` for the rows, a seeded hash for every random choice, no Python row loops. Python
only computes the sizes and a few permutation constants, and writes the files with COPY.

Files: `werkgevers/werkgevers.<ext>`, `doelgroepregister/doelgroepregister.<ext>`,
`polis/polis_<Y>_<nn>.<ext>` (IKV ranges of ≈ 10 M rows each, at least two files) and
`polis/polis_2012.<ext>`. Parquet: typed columns; CSV: `;`, decimal comma, J/N, empty = null, made
from the Parquet files (`parquet_to_csv`), so both forms hold the same rows in the same order.

Memory and spill: DuckDB's memory_limit / threads / temp_directory come from the same environment
variables as the pipeline (BANENAFSPRAAK_DUCKDB_MEMORY_LIMIT, default 6GB; _THREADS, default 2;
_TEMP_DIRECTORY, default a folder beside out_dir).
"""

from __future__ import annotations

import math
import shutil
import tempfile
from pathlib import Path

import duckdb

from pipeline.paths import REFERENCE_DIR, duckdb_limits
from pipeline.sqlfiles import run_sql

__all__ = ["generate_national", "parquet_to_csv", "national_sizes", "duckdb_settings", "connect"]

NULMETING_YEAR = 2012
EXTRACTS = ("werkgevers", "doelgroepregister", "polis")
ROWS_PER_POLIS_FILE = 10_000_000
ROWS_PER_IKV = 12.9  # 92 % × 12 + 6 % × 13 + 2 % × 53, plus ~2 % corrections
ROW_GROUP_SIZE = 500_000

# Sizes at scale 1.0
PER_SCALE = {
    "werknemers": 8_000_000,
    "ikv": 10_000_000,
    "werkgevers": 400_000,
    "doelgroep_werkend": 150_000,
    "doelgroep_niet_werkend": 150_000,
}


def duckdb_settings(temp_directory: Path) -> dict[str, str]:
    """DuckDB limits from the pipeline's environment variables (README: DuckDB limits)."""
    return duckdb_limits(temp_directory)


def connect(temp_directory: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the pipeline's limits and spill folder, without a progress bar."""
    con = duckdb.connect(":memory:", config=duckdb_settings(temp_directory))
    con.execute("SET enable_progress_bar = false")
    return con


def national_sizes(scale: float) -> dict[str, int]:
    """Population sizes at `scale` (a few minimums keep tiny scales meaningful)."""
    if scale <= 0:
        raise ValueError(f"scale moet groter dan 0 zijn, niet {scale}")
    n = {key: round(value * scale) for key, value in PER_SCALE.items()}
    n["werknemers"] = max(n["werknemers"], 200)
    n["ikv"] = max(n["ikv"], n["werknemers"])
    n["werkgevers"] = max(n["werkgevers"], 20)
    n["doelgroep_werkend"] = min(max(n["doelgroep_werkend"], 10), n["werknemers"])
    n["doelgroep_niet_werkend"] = max(n["doelgroep_niet_werkend"], 10)
    n["personen"] = n["werknemers"] + n["doelgroep_niet_werkend"]
    return n


def _coprime(n: int, start: int) -> int:
    """The first number from `start` on (mod n, at least 1) that shares no factor with n."""
    candidate = start % n or 1
    while math.gcd(candidate, n) != 1:
        candidate = candidate % n + 1
    return candidate


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _copy(con: duckdb.DuckDBPyConnection, query: str, target: Path, fmt: str) -> int:
    if fmt == "parquet":
        options = f"FORMAT parquet, ROW_GROUP_SIZE {ROW_GROUP_SIZE}"
    else:
        options = "FORMAT csv, DELIMITER ';', HEADER true, QUOTE '\"'"
    row = con.execute(f"COPY ({query}) TO {_quote(target)} ({options})").fetchone()
    return int(row[0]) if row else -1


def _prepare(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for extract in EXTRACTS:
        folder = out_dir / extract
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir()


def _generate_parquet(out_dir: Path, scale: float, year: int, seed: int, tmp: Path) -> dict:
    n = national_sizes(scale)
    if year <= NULMETING_YEAR:
        raise ValueError(f"meetjaar {year} moet na de nulmeting ({NULMETING_YEAR}) liggen")
    bsn_modulus, lhn_modulus = 90_000_000, 900_000_000
    params = {
        "seed": seed,
        "jaar": year,
        "n_werkgevers": n["werkgevers"],
        "lhn_factor": _coprime(lhn_modulus, 1_000_003),
        "lhn_offset": (seed * 2_654_435_761) % lhn_modulus,
        "n_personen": n["personen"],
        "n_werknemers": n["werknemers"],
        "n_dg_werkend": n["doelgroep_werkend"],
        "n_ikv": n["ikv"],
        "bsn_kandidaten": min(bsn_modulus, math.ceil(n["personen"] * 1.12) + 1000),
        "bsn_factor": _coprime(bsn_modulus, 7_368_787),
        "bsn_offset": (seed * 40_503) % bsn_modulus,
        "wg_factor": _coprime(n["werkgevers"], 2_654_435_761),
        "wg_offset": (seed * 97) % n["werkgevers"],
        "grondslag_csv": str(REFERENCE_DIR / "grondslag.csv"),
    }
    _prepare(out_dir)
    con = connect(tmp)
    try:
        run_sql(con, "demo/national_werkgevers.sql", params)
        run_sql(con, "demo/national_personen.sql", params)
        persons = con.execute("SELECT count(*) FROM persoon").fetchone()[0]
        if persons != n["personen"]:
            raise RuntimeError(f"te weinig BSN-kandidaten: {persons} van {n['personen']} personen")
        run_sql(con, "demo/national_doelgroepregister.sql", params)
        run_sql(con, "demo/national_polis.sql", params)

        counts: dict = {"schaal": scale, "jaar": year, "seed": seed, **{f"n_{k}": v for k, v in n.items()}}
        files: list[str] = []
        counts["werkgevers"] = _copy(con, "FROM werkgevers_extract()", out_dir / "werkgevers" / "werkgevers.parquet",
                                     "parquet")
        files.append("werkgevers/werkgevers.parquet")
        counts["doelgroepregister"] = _copy(con, "FROM doelgroepregister_extract()",
                                            out_dir / "doelgroepregister" / "doelgroepregister.parquet", "parquet")
        files.append("doelgroepregister/doelgroepregister.parquet")

        n_files = max(2, math.ceil(n["ikv"] * ROWS_PER_IKV / ROWS_PER_POLIS_FILE))
        bounds = [round(k * n["ikv"] / n_files) for k in range(n_files + 1)]
        counts["polis_jaar"] = 0
        for k in range(n_files):
            name = f"polis/polis_{year}_{k + 1:02d}.parquet"
            counts["polis_jaar"] += _copy(
                con, f"FROM polis_extract({year}, {seed}, {bounds[k]}, {bounds[k + 1]}, false)", out_dir / name,
                "parquet")
            files.append(name)
        name = f"polis/polis_{NULMETING_YEAR}.parquet"
        counts["polis_nulmeting"] = _copy(
            con, f"FROM polis_extract({NULMETING_YEAR}, {seed}, 0, {n['ikv']}, true)", out_dir / name, "parquet")
        files.append(name)
        counts["polis"] = counts["polis_jaar"] + counts["polis_nulmeting"]
        counts["bestanden"] = files
    finally:
        con.close()
    return counts


def parquet_to_csv(parquet_dir: Path, csv_dir: Path, temp_directory: Path | None = None) -> list[str]:
    """Write the CSV form of a Parquet delivery made by generate_national: same rows, same order,
    same file split; `;`, decimal comma, J/N booleans, empty = null (docs/EXTRACTS.md)."""
    parquet_dir, csv_dir = Path(parquet_dir), Path(csv_dir)
    _prepare(csv_dir)
    tmp = temp_directory or csv_dir.parent / f".{csv_dir.name}.tmp"
    con = connect(tmp)
    written = []
    try:
        # Only the *_csv macros are needed: define them without building any tables.
        for extract in EXTRACTS:
            _define_csv_macro(con, extract)
        for extract in EXTRACTS:
            for source in sorted((parquet_dir / extract).glob("*.parquet")):
                target = csv_dir / extract / (source.stem + ".csv")
                _copy(con, f"FROM {extract}_csv({_quote(source)})", target, "csv")
                written.append(f"{extract}/{target.name}")
    finally:
        con.close()
    return written


def _define_csv_macro(con: duckdb.DuckDBPyConnection, extract: str) -> None:
    """Run only the `CREATE OR REPLACE MACRO <extract>_csv` statement of sql/demo/national_<extract>.sql."""
    from pipeline.sqlfiles import split_statements, sql_text

    for statement in split_statements(sql_text(f"demo/national_{extract}.sql")):
        if f"MACRO {extract}_csv(" in statement:
            con.execute(statement)
            return
    raise RuntimeError(f"sql/demo/national_{extract}.sql has no macro {extract}_csv")


def generate_national(out_dir: Path, scale: float, year: int = 2023, fmt: str = "parquet", seed: int = 1) -> dict:
    """Generate the national delivery at `scale` into `out_dir` (Parquet or CSV); returns row counts."""
    out_dir = Path(out_dir).expanduser().resolve()
    if fmt not in ("parquet", "csv"):
        raise ValueError(f"fmt moet 'parquet' of 'csv' zijn, niet {fmt!r}")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{out_dir.name}.", dir=out_dir.parent) as scratch:
        scratch_dir = Path(scratch)
        if fmt == "parquet":
            return _generate_parquet(out_dir, scale, year, seed, scratch_dir / "spill")
        counts = _generate_parquet(scratch_dir / "parquet", scale, year, seed, scratch_dir / "spill")
        counts["bestanden"] = parquet_to_csv(scratch_dir / "parquet", out_dir, scratch_dir / "spill")
        return counts
