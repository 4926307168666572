"""`banenafspraak export`: Parquet and CSV of every analyst table and view, and a datapackage.json that
the Frictionless validator accepts (types, row counts, sha256), with values that read back unchanged."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from frictionless import validate

from pipeline.publicatie.dictionary import apply_dictionary, load_dictionary
from pipeline.publicatie.export import ExportError, export, frictionless_type
from tests.published import banenafspraak, published_warehouse

pytestmark = pytest.mark.slow  # reads the shared published run (tests/published.py)


def _read_back(con: duckdb.DuckDBPyConnection, csv_path: Path, columns: list[tuple[str, str]]) -> str:
    """SQL that reads an exported CSV back into the column types of the table it came from."""
    types = "{" + ", ".join(f"'{c}': '{t}'" for c, t in columns) + "}"
    return (f"SELECT * FROM read_csv('{csv_path}', delim = ';', quote = '\"', escape = '\"', header = true, "
            f"decimal_separator = ',', allow_quoted_nulls = false, columns = {types})")


def _same_rows(con: duckdb.DuckDBPyConnection, left: str, right: str) -> bool:
    differ = con.execute(f"SELECT (SELECT count(*) FROM ({left} EXCEPT ALL {right})) "
                         f"+ (SELECT count(*) FROM ({right} EXCEPT ALL {left}))").fetchone()[0]
    return differ == 0


def _columns(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> list[tuple[str, str]]:
    return con.execute("SELECT column_name, data_type FROM duckdb_columns() WHERE schema_name = ? "
                       "AND table_name = ? ORDER BY column_index", [schema, name]).fetchall()


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> tuple[Path, Path]:
    """The published file with its dictionary applied, exported with the command itself."""
    root = tmp_path_factory.mktemp("export")
    warehouse = root / "banenafspraak.duckdb"
    shutil.copyfile(published_warehouse(), warehouse)
    con = duckdb.connect(str(warehouse))
    try:
        assert apply_dictionary(con).ok
    finally:
        con.close()
    out = root / "uit"
    before = warehouse.read_bytes()
    result = banenafspraak("export", "--warehouse", str(warehouse), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "datapackage.json" in result.stdout
    assert warehouse.read_bytes() == before  # opened read-only: not a byte changed
    return warehouse, out


def test_datapackage_is_valid_frictionless_with_types_row_counts_and_descriptions(exported):
    warehouse, out = exported
    report = validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["taskName", "rowNumber", "fieldName", "type", "note"])[:20]
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        objects = con.execute(
            "SELECT schema_name || '.' || table_name FROM duckdb_tables() UNION ALL "
            "SELECT schema_name || '.' || view_name FROM duckdb_views() WHERE NOT internal").fetchall()
        assert sorted(r["name"] for r in package["resources"]) == sorted(name for (name,) in objects)
        described = {e.key: e for e in load_dictionary()}
        for resource in package["resources"]:
            schema, name = resource["name"].split(".", 1)
            rows = con.execute(f'SELECT count(*) FROM "{schema}"."{name}"').fetchone()[0]
            assert resource["rows"] == rows, resource["name"]  # checked again by the validator above
            assert resource["description"] == described[(schema, name, "")].omschrijving
            assert resource["dialect"]["delimiter"] == ";" and resource["encoding"] == "utf-8-sig"
            columns = _columns(con, schema, name)
            fields = resource["schema"]["fields"]
            assert [(f["name"], f["type"]) for f in fields] == [(c, frictionless_type(t)) for c, t in columns]
            for field in fields:
                assert field["description"].startswith(described[(schema, name, field["name"])].omschrijving)
            assert (out / resource["parquet"]["path"]).exists()
    finally:
        con.close()
    types = {f["name"]: f["type"] for r in package["resources"] if r["name"] == "meting.banen"
             for f in r["schema"]["fields"]}
    assert types == {"jaar": "integer", "sector": "string", "vorm": "string", "uren": "number", "banen": "number",
                     "banen_nulmeting": "number", "extra_banen": "number", "voorlopig": "boolean", "regeling": "string"}


def test_every_csv_and_parquet_reads_back_equal_to_its_table(exported):
    warehouse, out = exported
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        names = con.execute(
            "SELECT schema_name, table_name FROM duckdb_tables() UNION ALL "
            "SELECT schema_name, view_name FROM duckdb_views() WHERE NOT internal").fetchall()
        assert len(names) >= 20
        for schema, name in names:
            table = f'SELECT * FROM "{schema}"."{name}"'
            csv_path = out / "csv" / f"{schema}.{name}.csv"
            assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf" + _columns(con, schema, name)[0][0].encode())
            assert _same_rows(con, table, _read_back(con, csv_path, _columns(con, schema, name))), f"{schema}.{name}"
            parquet = f"SELECT * FROM read_parquet('{out / 'parquet' / f'{schema}.{name}.parquet'}')"
            assert _same_rows(con, table, parquet), f"{schema}.{name} (parquet)"
        # 1 − 0.7 is published as 0.3 (no float noise) and written with a decimal comma
        text = (out / "csv" / "meting.verdeelsleutel.csv").read_text(encoding="utf-8-sig")
        assert "2022;0,7;0,3;true;" in text
        # full precision survives the trip: every unrounded banen value, all its digits, with a comma
        banen = (out / "csv" / "meting.banen.csv").read_text(encoding="utf-8-sig")
        values = [v for (v,) in con.execute("SELECT banen FROM meting.banen WHERE banen <> round(banen)").fetchall()]
        assert values and all(repr(v).replace(".", ",") in banen for v in values)
    finally:
        con.close()


def test_awkward_values_survive_csv_and_validate(tmp_path):
    """Separators, quotes and line breaks in text, empty text against NULL, exponents, decimals,
    dates and times: the CSV is valid for Frictionless and reads back to the same values."""
    warehouse = tmp_path / "lastig.duckdb"
    con = duckdb.connect(str(warehouse))
    try:
        con.execute("CREATE SCHEMA meting")
        con.execute("CREATE TABLE meting.banen AS SELECT 2021 AS jaar, 1.5::DOUBLE AS banen")
        con.execute("""CREATE TABLE meting.lastig AS SELECT * FROM (VALUES
            (1, 'a;b "c"' || chr(10) || 'd', '', 3.364958886780518e-05::DOUBLE, 123.4500::DECIMAL(18, 4),
             true, DATE '2021-12-01', TIMESTAMP '2026-12-02 04:20:00.123456', -70000.78810879191::DOUBLE),
            (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 1e22::DOUBLE),
            (3, 'één, twee', '=1+1', -0.0::DOUBLE, -1.0000::DECIMAL(18, 4), false, DATE '2012-12-31',
             TIMESTAMP '2013-01-01 00:00:00', 0.1::DOUBLE)
        ) AS t(nr, tekst, leeg_of_niet, klein, decimaal, waar, datum, tijdstip, groot)""")
        con.execute("CREATE VIEW meting.lastig_view AS SELECT nr, tekst FROM meting.lastig")
    finally:
        con.close()
    result = export(warehouse, tmp_path / "uit")
    assert {o.name: o.rows for o in result.objects} == {"meting.banen": 1, "meting.lastig": 3,
                                                       "meting.lastig_view": 3}
    report = validate(str(result.datapackage))
    assert report.valid, report.flatten(["taskName", "rowNumber", "fieldName", "type", "note"])
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        columns = _columns(con, "meting", "lastig")
        back = _read_back(con, tmp_path / "uit" / "csv" / "meting.lastig.csv", columns)
        assert _same_rows(con, "SELECT * FROM meting.lastig", back)
        assert con.execute(f"SELECT leeg_of_niet FROM ({back}) ORDER BY nr").fetchall() == [("",), (None,), ("=1+1",)]
    finally:
        con.close()
    package = json.loads(result.datapackage.read_text(encoding="utf-8"))
    lastig = next(r for r in package["resources"] if r["name"] == "meting.lastig")
    assert "description" not in lastig  # not in the dictionary: exported all the same, without a text


@pytest.mark.parametrize("case", ["ontbreekt", "geen_duckdb", "geen_warehouse", "out_onder_bestand"])
def test_failures_are_one_dutch_paragraph_and_exit_1(tmp_path, case):
    warehouse, out = tmp_path / "w.duckdb", tmp_path / "uit"
    if case == "geen_duckdb":
        warehouse.write_text("dit is geen database\n")
    elif case == "geen_warehouse":
        duckdb.connect(str(warehouse)).execute("CREATE TABLE iets AS SELECT 1 AS x").close()
    elif case == "out_onder_bestand":
        con = duckdb.connect(str(warehouse))
        con.execute("CREATE SCHEMA meting; CREATE TABLE meting.banen AS SELECT 1 AS jaar")
        con.close()
        (tmp_path / "een_bestand").write_text("x")
        out = tmp_path / "een_bestand" / "uit"
    result = banenafspraak("export", "--warehouse", str(warehouse), "--out", str(out))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    message = result.stderr.strip()
    assert message.startswith("banenafspraak: ") and "\n" not in message
    expected = {"ontbreekt": "bestaat niet", "geen_duckdb": "kan niet als DuckDB-bestand geopend worden",
                "geen_warehouse": "geen gepubliceerd banenafspraak-bestand",
                "out_onder_bestand": "kan niet geschreven worden"}[case]
    assert expected in message
    assert not (out / "datapackage.json").exists()


def test_export_error_is_raised_by_the_function_too(tmp_path):
    with pytest.raises(ExportError, match="bestaat niet"):
        export(tmp_path / "nergens.duckdb", tmp_path / "uit")
