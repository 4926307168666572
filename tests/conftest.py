"""Shared test fixtures: a working database with reference data, hand-made rows, small deliveries.

Rule tests follow the SQLMesh 'sushi' idea: hand-written input rows go into the tables a SQL step
reads, the step runs for one year, and its output rows are compared with hand-computed rows.
"""

from __future__ import annotations

import csv
import gzip
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import duckdb
import pytest

from pipeline.resources import MeetopdrachtResource, PseudonymKeyResource, load_reference
from pipeline.sqlfiles import run_sql

TEST_KEY = "test-sleutel"

os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "1")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Make `xdist_group` marks work under pytest 9: pytest-xdist 3.8 (`--dist=loadgroup`) groups tests
    by a suffix `@group` it writes into `item._nodeid`, which pytest 9 no longer reads (the node id
    is `item._id`), so every test of the demo ran wherever it landed and the demo was built twice.
    This writes the same suffix where pytest 9 keeps it (a no-op when xdist already added it)."""
    if not getattr(config.option, "loadgroup", False):
        return
    from _pytest.nodeid import coerce_node_id

    for item in items:
        mark = item.get_closest_marker("xdist_group")
        if mark is not None and "@" not in item.nodeid:
            item._id = coerce_node_id(f"{item.nodeid}@{mark.args[0] if mark.args else mark.kwargs['name']}")


def pytest_configure(config: pytest.Config) -> None:
    """Under pytest-xdist (`-n`), every worker's base temporary folder lies in the run's own one:
    tests/published.py builds its shared run there once for all workers."""
    if hasattr(config, "workerinput") and config.option.basetemp:
        os.environ["BANENAFSPRAAK_TEST_GEDEELD"] = str(Path(config.option.basetemp).parent)


@pytest.fixture
def werkdb(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    """An empty working database with schema, macros and the reference data of data/reference."""
    con = duckdb.connect(str(tmp_path / "werkruimte.duckdb"))
    run_sql(con, "schema/werk.sql")
    run_sql(con, "schema/macros.sql")
    run_sql(con, "schema/regels.sql")
    load_reference(con)
    run_sql(con, "publicatie/tabel1.sql")
    run_sql(con, "publicatie/views.sql")
    yield con
    con.close()


def insert(con: duckdb.DuckDBPyConnection, table: str, rows: Iterable[Mapping[str, Any]]) -> None:
    """Insert hand-made rows (dicts; missing columns are NULL) into a table."""
    for row in rows:
        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        con.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(row.values()))


def set_years(con: duckdb.DuckDBPyConnection, jaren: list[int], afsluitdatum: str | None = None,
              voorlopig_aandeel_markt: float | None = None, regeling: str | None = None) -> dict[int, dict[str, Any]]:
    """Write werk.meetjaren as a run of `jaren` would (options apply to every year; regeling: a
    scenario's regime, METHOD R14); returns its rows."""
    opdracht = MeetopdrachtResource(
        jaren=jaren,
        regeling=regeling,
        voorlopige_sleutels={str(j): voorlopig_aandeel_markt for j in jaren} if voorlopig_aandeel_markt is not None else {},
        afsluitdatums={str(j): afsluitdatum for j in jaren} if afsluitdatum else {},
    )
    run_sql(con, "schema/meetjaren.sql", opdracht.meetjaren_params(sorted(jaren)))
    return {r["jaar"]: r for r in rows(con, "SELECT * FROM werk.meetjaren")}


def run_step(con: duckdb.DuckDBPyConnection, sql_files: str | tuple[str, ...], jaar: int | list[int],
             **options: Any) -> dict[str, Any]:
    """Run sql/meting step file(s) for year(s) `jaar` as a run would: werk.meetjaren first (with
    the run options afsluitdatum / voorlopig_aandeel_markt), then the step. Returns the meetjaren
    row of the (first) year: its window, cut-off date and parameters."""
    jaren = [jaar] if isinstance(jaar, int) else list(jaar)
    years = set_years(con, jaren, **options)
    for sql_file in (sql_files,) if isinstance(sql_files, str) else sql_files:
        run_sql(con, sql_file, {})
    return years[jaren[0]]


def rows(con: duckdb.DuckDBPyConnection, query: str, params: list | None = None) -> list[dict[str, Any]]:
    result = con.execute(query, params or [])
    names = [d[0] for d in result.description]
    return [dict(zip(names, values)) for values in result.fetchall()]


def pseudonym(bsn: str, key: str = TEST_KEY) -> str:
    return PseudonymKeyResource(key=key).pseudonym(bsn)


POLIS_COLUMNS = [
    "bsn", "loonheffingennummer", "ikv_id", "tijdvak_begin", "tijdvak_einde", "verloonde_uren",
    "code_aard_arbeidsverhouding", "aanleverdatum", "volgnummer",
]
WERKGEVER_COLUMNS = [
    "loonheffingennummer", "naam", "geldig_vanaf", "geldig_tot", "sector_risicogroep",
    "overheidswerkgever", "uren_sectorfonds_aandeel", "overheidssector", "sw_bedrijf", "arbeidsmarktregio",
]
REGISTER_COLUMNS = ["bsn", "grondslag", "datum_ingang", "datum_einde", "woonregio"]


def write_csv(path: Path, columns: list[str], records: Iterable[Mapping[str, Any]], *, bom: bool = False,
              gz: bool = False) -> Path:
    """Write a CSV as the source systems do: ';', decimal comma, J/N, empty = null."""
    path.parent.mkdir(parents=True, exist_ok=True)

    def text(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "J" if value else "N"
        if isinstance(value, float):
            return repr(value).replace(".", ",")
        return str(value)

    lines = [";".join(columns)] + [";".join(text(r.get(c)) for c in columns) for r in records]
    data = ("\ufeff" if bom else "") + "\n".join(lines) + "\n"
    if gz:
        with gzip.open(path, "wt", encoding="utf-8", newline="") as handle:
            handle.write(data)
    else:
        path.write_text(data, encoding="utf-8", newline="")
    return path


def write_delivery(root: Path, polis: list[dict], werkgevers: list[dict], register: list[dict]) -> Path:
    write_csv(root / "polis" / "polis.csv", POLIS_COLUMNS, polis)
    write_csv(root / "werkgevers" / "werkgevers.csv", WERKGEVER_COLUMNS, werkgevers)
    write_csv(root / "doelgroepregister" / "register.csv", REGISTER_COLUMNS, register)
    return root


# Valid BSNs (elfproef) for hand-made rows.
BSN = ["123456782", "111222333", "999999990", "100000009", "200000007", "200000019"]
