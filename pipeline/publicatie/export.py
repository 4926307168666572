"""`banenafspraak export`: every analyst table and view of a published file as Parquet and as CSV.

The published DuckDB file is opened read-only; nothing in it changes. Into DIR go

    DIR/parquet/<schema>.<object>.parquet   typed columns, as in the DuckDB file
    DIR/csv/<schema>.<object>.csv           the Dutch Excel dialect below
    DIR/datapackage.json                    Frictionless Data Package: one resource per table or view
                                            (the CSV file, with field types, the Dutch descriptions of
                                            data/woordenboek.csv, row count, bytes and sha256; the
                                            Parquet file of the same rows under the key "parquet")

The CSV dialect is the one Excel opens correctly on a Dutch-language Windows by double-clicking,
and the one the source extracts use (docs/EXTRACTS.md): UTF-8 with a byte-order mark, `;` between
fields, `"` around a field that holds `;`, `"` or a line break (a `"` inside is doubled), `,` as the
decimal mark and no thousands separator, one header row with the column names, `\\n` line ends,
an empty field for NULL, `true`/`false` for booleans, dates as `JJJJ-MM-DD`, times as
`JJJJ-MM-DD UU:MM:SS[.ffffff]` (UTC for audit.runs). Numbers are written in full precision (the
shortest text that reads back as the same double), so a CSV read back gives the same values as the
table; they can be written with an exponent (`3,4e-05`). datapackage.json states the same dialect.

Every file is written under a temporary name and then renamed, datapackage.json last: a
datapackage.json in DIR describes a complete export.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipeline.paths import file_sha256
from pipeline.publicatie.dictionary import Entry, load_dictionary

CSV_ENCODING = "utf-8-sig"  # UTF-8 with a byte-order mark: Excel then reads the file as UTF-8
CSV_DIALECT = {"delimiter": ";", "quoteChar": '"', "doubleQuote": True, "lineTerminator": "\n", "header": True}
DECIMAL_CHAR = ","
TRUE_VALUES, FALSE_VALUES = ["true"], ["false"]
PARQUET_MEDIATYPE = "application/vnd.apache.parquet"
REQUIRED = ("meting", "banen")  # a file without this table is not a published banenafspraak file

_INTEGER = re.compile(r"^U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)$")
_NUMBER = re.compile(r"^(FLOAT|DOUBLE|DECIMAL\(\d+,\s*\d+\))$")


class ExportError(Exception):
    """The export cannot be made; the message is one Dutch paragraph for the person who asked."""


@dataclass(frozen=True)
class Exported:
    schema: str
    object: str
    soort: str
    rows: int

    @property
    def name(self) -> str:
        return f"{self.schema}.{self.object}"


@dataclass(frozen=True)
class ExportResult:
    out: Path
    datapackage: Path
    objects: list[Exported]


def frictionless_type(duckdb_type: str) -> str:
    """The Table Schema type of a DuckDB column type ('string' for anything without a better one)."""
    if _INTEGER.match(duckdb_type):
        return "integer"
    if _NUMBER.match(duckdb_type):
        return "number"
    if duckdb_type == "BOOLEAN":
        return "boolean"
    if duckdb_type == "DATE":
        return "date"
    if duckdb_type.startswith("TIMESTAMP"):
        return "datetime"
    if duckdb_type.startswith("TIME"):
        return "time"
    return "string"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _path_literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _csv_expression(column: str, duckdb_type: str) -> str:
    """The column as it goes into the CSV: numbers with a decimal comma, other types as DuckDB writes them."""
    kind = frictionless_type(duckdb_type)
    ident = _ident(column)
    if kind == "number":
        return f"replace(CAST({ident} AS VARCHAR), '.', '{DECIMAL_CHAR}') AS {ident}"
    if kind == "string" and duckdb_type != "VARCHAR":
        return f"CAST({ident} AS VARCHAR) AS {ident}"
    return ident


def _field(column: str, duckdb_type: str, entry: Entry | None) -> dict:
    """The Table Schema field of a CSV column: type, Dutch description (with unit), CSV notation."""
    kind = frictionless_type(duckdb_type)
    field = {"name": column, "type": kind}
    if entry is not None:
        field["description"] = entry.comment
    if kind == "number":
        field["decimalChar"] = DECIMAL_CHAR
        field["groupChar"] = ""
    if kind == "boolean":
        field["trueValues"], field["falseValues"] = TRUE_VALUES, FALSE_VALUES
    field["duckdbType"] = duckdb_type
    return field


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-._") or "banenafspraak"


def _open(warehouse: Path) -> duckdb.DuckDBPyConnection:
    if not warehouse.exists():
        raise ExportError(
            f"Het bestand {warehouse} bestaat niet. Geef met --warehouse het gepubliceerde DuckDB-bestand op "
            "dat banenafspraak run of demo heeft geschreven (bijvoorbeeld demo/banenafspraak.duckdb).")
    if not warehouse.is_file():
        raise ExportError(f"{warehouse} is geen bestand maar een map. Geef met --warehouse het gepubliceerde "
                          "DuckDB-bestand op, niet de map waarin het staat.")
    try:
        return duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error as exc:
        raise ExportError(
            f"{warehouse} kan niet als DuckDB-bestand geopend worden ({_first_line(exc)}). Is het wel het "
            f"gepubliceerde bestand van banenafspraak run, en geschreven door een DuckDB die versie "
            f"{duckdb.__version__} kan lezen? Er is niets geëxporteerd.") from exc


def _objects(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    return con.execute(
        """SELECT schema_name, table_name, 'tabel' FROM duckdb_tables()
           WHERE database_name = current_database() AND NOT internal AND NOT temporary
           UNION ALL
           SELECT schema_name, view_name, 'view' FROM duckdb_views()
           WHERE database_name = current_database() AND NOT internal AND NOT temporary
           ORDER BY 1, 2"""
    ).fetchall()


def _columns(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> list[tuple[str, str]]:
    return con.execute(
        """SELECT column_name, data_type FROM duckdb_columns()
           WHERE database_name = current_database() AND schema_name = ? AND table_name = ?
           ORDER BY column_index""", [schema, name]).fetchall()


def _prepare(out: Path) -> None:
    try:
        for folder in (out, out / "csv", out / "parquet"):
            folder.mkdir(parents=True, exist_ok=True)
        probe = out / f".schrijftest-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise ExportError(
            f"In de map {out} kan niet geschreven worden ({exc.strerror or _first_line(exc)}). Kies met --out een "
            "map waarin u mag schrijven; die wordt aangemaakt als hij nog niet bestaat. Er is niets geëxporteerd."
        ) from exc


def export(warehouse: Path, out: Path, entries: list[Entry] | None = None) -> ExportResult:
    """Export every table and view of the published file `warehouse` into `out` (see the module docstring)."""
    warehouse = Path(warehouse).expanduser()
    out = Path(out).expanduser()
    entries = load_dictionary() if entries is None else entries
    by_key = {e.key: e for e in entries}
    con = _open(warehouse)
    try:
        objects = _objects(con)
        if not any((s, o) == REQUIRED for s, o, _ in objects):
            raise ExportError(
                f"{warehouse} is wel een DuckDB-bestand, maar geen gepubliceerd banenafspraak-bestand: de tabel "
                f"{'.'.join(REQUIRED)} ontbreekt. Geef met --warehouse het bestand op dat banenafspraak run of demo "
                "heeft geschreven (niet de werkruimte <warehouse>.werk/werkruimte.duckdb). Er is niets geëxporteerd.")
        _prepare(out)
        resources, exported = [], []
        for schema, name, soort in objects:
            columns = _columns(con, schema, name)
            relation = f"{_ident(schema)}.{_ident(name)}"
            stem = f"{schema}.{name}"
            try:
                rows = con.execute(f"SELECT count(*) FROM {relation}").fetchone()[0]
            except duckdb.Error as exc:
                raise ExportError(
                    f"{stem} in {warehouse} kan niet gelezen worden ({_first_line(exc)}); de export is onvolledig "
                    "en heeft geen datapackage.json.") from exc
            parquet = out / "parquet" / f"{stem}.parquet"
            csv_path = out / "csv" / f"{stem}.csv"
            try:
                _copy_parquet(con, relation, parquet)
                _copy_csv(con, relation, columns, csv_path)
            except OSError as exc:
                raise ExportError(
                    f"Schrijven van {stem} naar {out} is mislukt ({exc.strerror or _first_line(exc)}); de export is "
                    "onvolledig en heeft geen datapackage.json. Maak ruimte of kies een andere map met --out."
                ) from exc
            entry = by_key.get((schema, name, ""))
            common = {"title": stem, **({"description": entry.omschrijving} if entry else {})}
            resources.append({
                "name": stem, "path": f"csv/{stem}.csv", "profile": "tabular-data-resource", **common,
                "format": "csv", "mediatype": "text/csv", "encoding": CSV_ENCODING, "dialect": dict(CSV_DIALECT),
                "schema": {"fields": [_field(c, t, by_key.get((schema, name, c))) for c, t in columns],
                           "missingValues": [""]},
                "bytes": csv_path.stat().st_size, "hash": f"sha256:{file_sha256(csv_path)}", "rows": rows,
                # The same rows, typed, as Parquet. Not a resource of its own: Frictionless reads Parquet
                # through pandas, which turns an integer column with NULLs into floats and fails it.
                "parquet": {"path": f"parquet/{stem}.parquet", "mediatype": PARQUET_MEDIATYPE,
                            "bytes": parquet.stat().st_size, "hash": f"sha256:{file_sha256(parquet)}"},
            })
            exported.append(Exported(schema, name, soort, rows))
    finally:
        con.close()
    package = {
        "profile": "tabular-data-package",
        "name": _slug(warehouse.stem),
        "title": f"Banenafspraak: export van {warehouse.name}",
        "description": (
            "Alle tabellen en views van het gepubliceerde analistenbestand van de jaarmeting banenafspraak, "
            "elk als CSV (csv/) en als Parquet (parquet/). De omschrijvingen komen uit het woordenboek "
            "data/woordenboek.csv van het project. CSV: UTF-8 met byte-order mark, ';' tussen velden, ',' als "
            "decimaalteken zonder duizendtalscheiding, een kopregel, leeg veld = NULL, true/false, datums als "
            "JJJJ-MM-DD. De methode staat in docs/METHOD.md van het project."),
        "created": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "sources": [{"title": warehouse.name, "path": str(warehouse.resolve())}],
        "resources": resources,
    }
    target = out / "datapackage.json"
    staging = out / f".datapackage.json.{os.getpid()}.tmp"
    try:
        staging.write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        os.replace(staging, target)
    except OSError as exc:
        staging.unlink(missing_ok=True)
        raise ExportError(f"datapackage.json kan niet in {out} geschreven worden ({exc.strerror}).") from exc
    return ExportResult(out=out, datapackage=target, objects=exported)


def _copy_parquet(con: duckdb.DuckDBPyConnection, relation: str, target: Path) -> None:
    staging = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        con.execute(f"COPY (SELECT * FROM {relation}) TO {_path_literal(staging)} (FORMAT parquet, COMPRESSION zstd)")
        os.replace(staging, target)
    except duckdb.Error as exc:
        raise OSError(_first_line(exc)) from exc
    finally:
        staging.unlink(missing_ok=True)


def _copy_csv(con: duckdb.DuckDBPyConnection, relation: str, columns: list[tuple[str, str]], target: Path) -> None:
    body = target.with_name(f".{target.name}.{os.getpid()}.body")
    staging = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    select = ", ".join(_csv_expression(c, t) for c, t in columns)
    try:
        con.execute(
            f"COPY (SELECT {select} FROM {relation}) TO {_path_literal(body)} "
            "(FORMAT csv, HEADER true, DELIMITER ';', QUOTE '\"', ESCAPE '\"', NULLSTR '')")
        with staging.open("wb") as handle, body.open("rb") as source:
            handle.write("\ufeff".encode())
            shutil.copyfileobj(source, handle, 1 << 20)
        os.replace(staging, target)
    except duckdb.Error as exc:
        raise OSError(_first_line(exc)) from exc
    finally:
        body.unlink(missing_ok=True)
        staging.unlink(missing_ok=True)
