"""The corpus of bad deliveries (tests/corpus, one folder per failure class): each gives exactly
the expected outcome — which rows, which rule — or stops with a message naming the file and the
problem, leaving the previously published warehouse byte for byte as it was."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest
from dagster import DagsterInstance
from dagster._core.instance.ref import InstanceRef

from tests.conftest import TEST_KEY
from tests.test_cli import banenafspraak

pytestmark = pytest.mark.slow  # runs the pipeline (a Dagster run) end to end

CORPUS = Path(__file__).resolve().parent / "corpus"
CASES = sorted(p.name for p in CORPUS.iterdir() if (p / "verwacht.json").exists())
FILE_ERRORS = [c for c in CASES if "fout" in json.loads((CORPUS / c / "verwacht.json").read_text())]
ROW_CASES = [c for c in CASES if c not in FILE_ERRORS]


def delivery_bsns(delivery: Path) -> set[str]:
    """Every value of a bsn column in the delivery's files (CSV, CSV.gz, Parquet), valid or not."""
    import csv
    import gzip
    import io

    found: set[str] = set()
    for path in delivery.rglob("*"):
        name = path.name.lower()
        if not path.is_file() or path.is_symlink():
            continue
        if name.endswith(".parquet"):
            try:
                con = duckdb.connect()
                columns = [c for (c,) in con.execute(
                    "SELECT name FROM parquet_schema(?) WHERE lower(name) = 'bsn'", [str(path)]).fetchall()]
                if columns:
                    found |= {str(v) for (v,) in con.execute(
                        f'SELECT DISTINCT CAST("{columns[0]}" AS VARCHAR) FROM read_parquet(?)', [str(path)]).fetchall()
                              if v}
                con.close()
            except duckdb.Error:
                pass  # an unreadable Parquet file: its bytes are searched below
            continue
        try:
            raw = gzip.decompress(path.read_bytes()) if name.endswith(".gz") else path.read_bytes()
        except (OSError, EOFError):
            raw = path.read_bytes()
        text = raw.decode("utf-8", errors="replace").lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        try:
            rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
        except csv.Error:  # a broken file: take its lines as they are
            rows = [line.split(";") for line in text.split("\n")]
        if not rows:
            continue
        header = [h.strip().lower() for h in rows[0]]
        if "bsn" in header:
            index = header.index("bsn")
            found |= {r[index].strip() for r in rows[1:] if len(r) > index and r[index].strip()}
    return {b for b in found if len(b) >= 8}


def assert_no_bsn_anywhere(bsns: set[str], stderr: str, dagster_home: Path | None, databases: list[Path]) -> None:
    """No raw BSN of the delivery in the messages, in Dagster's run storage (its SQLite files and
    logs, searched as bytes) or in any text column of the working database and the analyst file."""
    assert bsns
    # A BSN as a value of its own, not as part of a longer code: an employer's loonheffingennummer
    # (9 digits + 'L' + 2 digits) may start with the same digits, and is not personal data here.
    pattern = re.compile(rb"(?<![0-9A-Za-z])(?:" + b"|".join(re.escape(b.encode()) for b in sorted(bsns))
                         + rb")(?![0-9A-Za-z])")
    assert not pattern.search(stderr.encode())
    if dagster_home is not None and dagster_home.exists():
        for path in dagster_home.rglob("*"):
            if path.is_file():
                assert not pattern.search(path.read_bytes()), f"{path} bevat een BSN"
    for database in databases:
        if not database.exists():
            continue
        con = duckdb.connect(str(database), read_only=True)
        try:
            con.execute("CREATE TEMP TABLE bsns AS SELECT unnest(?) AS bsn", [sorted(bsns)])
            columns: dict[tuple[str, str], list[str]] = {}
            for schema, table, column in con.execute(
                    "SELECT schema_name, table_name, column_name FROM duckdb_columns() WHERE database_name = current_database() "
                    "AND data_type = 'VARCHAR' AND schema_name <> 'temp' ORDER BY ALL").fetchall():
                columns.setdefault((schema, table), []).append(column)
            # every text value of every table, as (table, column, value), searched in one query
            values = " UNION ALL ".join(
                f"SELECT '{schema}.{table}' AS tabel, kolom, waarde FROM (UNPIVOT (SELECT "
                + ", ".join(f'CAST("{c}" AS VARCHAR) AS "{c}"' for c in cols)
                + f' FROM "{schema}"."{table}") ON ' + ", ".join(f'"{c}"' for c in cols)
                + " INTO NAME kolom VALUE waarde)"
                for (schema, table), cols in columns.items())
            # the cheap substring test first (materialized), the word-boundary regex on its few hits only:
            # a regex built per row from b.bsn, evaluated for every (value, bsn) pair, took ~13 s here
            hits = con.execute(
                f"WITH kandidaten AS MATERIALIZED (SELECT t.tabel, t.kolom, t.waarde, b.bsn FROM ({values}) AS t "
                "JOIN bsns AS b ON contains(t.waarde, b.bsn)) "
                "SELECT DISTINCT tabel || '.' || kolom FROM kandidaten WHERE regexp_matches(waarde, "
                "'(^|[^0-9A-Za-z])' || bsn || '($|[^0-9A-Za-z])') ORDER BY 1").fetchall() if values else []
            assert not hits, f"{database.name}: {', '.join(h for (h,) in hits)} bevat een BSN"
        finally:
            con.close()


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """A warehouse published from the good delivery."""
    warehouse = tmp_path_factory.mktemp("goed") / "w.duckdb"
    result = banenafspraak("run", "--delivery", str(CORPUS / "goed"), "--warehouse", str(warehouse), "--year", "2021")
    assert result.returncode == 0, result.stderr
    return warehouse


def test_every_failure_class_is_in_the_corpus():
    assert len(FILE_ERRORS) >= 8 and len(ROW_CASES) >= 15


@pytest.mark.parametrize("case", FILE_ERRORS)
def test_a_bad_file_stops_the_run_and_leaves_the_warehouse_as_it_was(case, published, tmp_path):
    expected = json.loads((CORPUS / case / "verwacht.json").read_text())
    warehouse = tmp_path / "w.duckdb"
    shutil.copyfile(published, warehouse)
    before = warehouse.read_bytes()
    result = banenafspraak("run", "--delivery", str(CORPUS / case), "--warehouse", str(warehouse), "--year", "2021")
    assert result.returncode == 1
    for fragment in expected["fout"]:
        assert fragment in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1  # one paragraph
    assert not re.search(r"(?<![0-9A-Za-z])[0-9]{9}(?![0-9A-Za-z])", result.stderr)  # never a BSN (9 digits)
    assert warehouse.read_bytes() == before
    assert_no_bsn_anywhere(delivery_bsns(CORPUS / case), result.stderr, warehouse.with_name("w.duckdb.dagster"),
                           [warehouse, warehouse.with_name("w.duckdb.werk") / "werkruimte.duckdb"])


@pytest.mark.parametrize("case", ROW_CASES)
def test_bad_rows_go_to_the_quarantine_with_their_rule(case, tmp_path, monkeypatch):
    """Row rules through the ingestion assets and their blocking checks (in process, no publication)."""
    expected = json.loads((CORPUS / case / "verwacht.json").read_text())
    warehouse = tmp_path / "w.duckdb"
    monkeypatch.setenv("BANENAFSPRAAK_PSEUDONIEM_SLEUTEL", TEST_KEY)
    monkeypatch.setenv("BANENAFSPRAAK_DELIVERY", str(CORPUS / case))
    monkeypatch.setenv("BANENAFSPRAAK_WAREHOUSE", str(warehouse))
    from pipeline.definitions import defs
    from pipeline.ingest.assets import ASSETS

    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    with DagsterInstance.from_ref(InstanceRef.from_dir(str(home))) as instance:
        result = defs.resolve_job_def("jaarmeting").execute_in_process(
            partition_key="2021", asset_selection=[key for a in ASSETS for key in a.keys], raise_on_error=False,
            instance=instance)
    assert result.success
    assert_no_bsn_anywhere(delivery_bsns(CORPUS / case), "", home,
                           [warehouse.with_name("w.duckdb.werk") / "werkruimte.duckdb"])
    con = duckdb.connect(str(warehouse.with_name("w.duckdb.werk") / "werkruimte.duckdb"), read_only=True)
    got = sorted(list(r) for r in con.execute(
        "SELECT bron_bestand, regelnummer, regel, kolom FROM kwaliteit.quarantaine").fetchall())
    assert got == sorted(expected["quarantaine"])
    # every file read as itself: its own rows, no more and no less
    read = dict(con.execute("SELECT bron_bestand, rijen_gelezen FROM kwaliteit.bestanden").fetchall())
    for bron, rows in expected.get("rijen_gelezen", {}).items():
        assert read.get(bron) == rows, (bron, read)
    # known system litter is not read, and listed as ignored
    ignored = con.execute("SELECT bron_bestand FROM ingest.genegeerde_bestanden ORDER BY 1").fetchall()
    assert [b for (b,) in ignored] == sorted(expected.get("genegeerd", []))
    assert not set(expected.get("genegeerd", [])) & set(read)
    # nothing is lost: per file, rows read = accepted + quarantined
    for bron, read, accepted, rejected in con.execute(
            "SELECT bron_bestand, rijen_gelezen, rijen_geaccepteerd, rijen_quarantaine FROM kwaliteit.bestanden").fetchall():
        assert read == accepted + rejected, bron
    con.close()


def test_the_bsn_search_finds_a_bsn_wherever_it_is(tmp_path):
    """The search above can fail: a BSN in a message, a Dagster file or any text column is found."""
    bsns = {"123456782"}
    database = tmp_path / "x.duckdb"
    con = duckdb.connect(str(database))
    con.execute("CREATE SCHEMA kwaliteit; CREATE TABLE kwaliteit.q (melding VARCHAR)")
    con.execute("INSERT INTO kwaliteit.q VALUES ('regel 3: 123456782;100000001L01;...')")
    con.close()
    home = tmp_path / "home"
    home.mkdir()
    assert_no_bsn_anywhere(bsns, "", home, [])
    with pytest.raises(AssertionError, match="kwaliteit.q.melding"):
        assert_no_bsn_anywhere(bsns, "", home, [database])
    (home / "lhn.db").write_bytes(b"werkgever 123456782L01")  # part of a longer code: not a BSN
    assert_no_bsn_anywhere(bsns, "", home, [])
    (home / "runs.db").write_bytes(b"...fout in regel 123456782;...")
    with pytest.raises(AssertionError, match="runs.db"):
        assert_no_bsn_anywhere(bsns, "", home, [])
    with pytest.raises(AssertionError):
        assert_no_bsn_anywhere(bsns, "melding met 123456782", None, [])
