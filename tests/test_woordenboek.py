"""The data dictionary (data/woordenboek.csv): complete for the published file, applied as COMMENT ON,
the source of the README tables; and the region names of data/reference/arbeidsmarktregio.csv."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb
import pytest

from pipeline.paths import REFERENCE_DIR
from pipeline.publicatie.dictionary import (
    DICTIONARY_PATH, README_PATH, DictionaryError, Entry, apply_dictionary, check_dictionary, comment_statements,
    load_dictionary, objects_in, readme_blocks, render_readme,
)
from tests.published import published_warehouse

pytestmark = pytest.mark.slow  # reads the shared published run (tests/published.py)


@pytest.fixture(scope="module")
def commented(tmp_path_factory) -> Path:
    """A copy of the published file with the dictionary applied, as publication will do it."""
    copy = tmp_path_factory.mktemp("woordenboek") / "banenafspraak.duckdb"
    shutil.copyfile(published_warehouse(), copy)
    con = duckdb.connect(str(copy))
    try:
        con.execute("BEGIN TRANSACTION")
        check = apply_dictionary(con)
        con.execute("COMMIT")
    finally:
        con.close()
    assert check.ok, check.message()
    return copy


def test_every_object_of_a_freshly_published_file_has_an_entry_and_every_entry_an_object():
    """Fails naming each table, view or column that publication writes without a description, and
    each description of an object that no longer exists (then edit data/woordenboek.csv)."""
    con = duckdb.connect(str(published_warehouse()), read_only=True)
    try:
        check = check_dictionary(con, require_comments=False)
    finally:
        con.close()
    assert check.zonder_omschrijving == [], check.message()
    assert check.verkeerde_soort == [], check.message()
    # before apply_dictionary the file has no main.woordenboek; everything else must be in it
    assert [n for n in check.niet_in_bestand if not n.startswith("main")] == [], check.message()


def test_after_apply_every_table_view_and_column_carries_its_dutch_comment(commented):
    con = duckdb.connect(str(commented), read_only=True)
    try:
        check = check_dictionary(con)
        assert check.ok, check.message()
        comment = con.execute("SELECT comment FROM duckdb_columns() WHERE schema_name = 'meting' "
                              "AND table_name = 'banen' AND column_name = 'extra_banen'").fetchone()[0]
        assert comment.startswith("Extra banen tegenover de nulmeting") and "Eenheid: banen van 25,5 uur" in comment
        view = con.execute("SELECT comment FROM duckdb_views() WHERE view_name = 'tabel1'").fetchone()[0]
        assert "Tabel 1 van de Kamerbrief" in view
        # schemas cannot carry COMMENT ON in DuckDB: their descriptions are rows of main.woordenboek
        schemas = dict(con.execute("SELECT schema, omschrijving FROM main.woordenboek WHERE soort = 'schema'").fetchall())
        assert set(schemas) == {"main", "meting", "kwaliteit", "audit", "scenario", "quotum"}
        assert con.execute("SELECT count(*) FROM main.woordenboek").fetchone()[0] == len(objects_in(con))
    finally:
        con.close()


def test_apply_as_publication_will_call_it_with_the_working_database_attached(tmp_path):
    """pipeline/publicatie/publish.py: on the staging copy, werk_db attached read-only, inside the
    transaction, after views.sql and before COMMIT. Only the staging file's objects are described."""
    published = published_warehouse()
    staging = tmp_path / f".{published.name}.tmp"
    shutil.copyfile(published, staging)
    work = published.with_name(published.name + ".werk") / "werkruimte.duckdb"
    con = duckdb.connect(str(staging))
    try:
        con.execute(f"ATTACH '{work}' AS werk_db (READ_ONLY)")
        con.execute("BEGIN TRANSACTION")
        check = apply_dictionary(con)
        con.execute("COMMIT")
        con.execute("DETACH werk_db")
        assert check.ok, check.message()
    finally:
        con.close()


def test_applying_twice_and_after_views_are_recreated_gives_the_same_comments(commented, tmp_path):
    copy = tmp_path / "w.duckdb"
    shutil.copyfile(commented, copy)
    con = duckdb.connect(str(copy))
    try:
        con.execute("CREATE OR REPLACE VIEW meting.realisatie_afgerond AS SELECT * FROM meting.realisatie_afgerond")
        assert not check_dictionary(con).ok  # the recreated view lost its comments
        assert apply_dictionary(con).ok
        assert apply_dictionary(con).ok
    finally:
        con.close()


def test_check_names_what_is_missing_unknown_or_of_the_wrong_kind(tmp_path):
    con = duckdb.connect(str(tmp_path / "klein.duckdb"))
    try:
        con.execute("CREATE SCHEMA meting")
        con.execute("CREATE TABLE meting.banen (jaar INTEGER, nieuwe_kolom DOUBLE)")
        con.execute("CREATE VIEW meting.tabel1 AS SELECT jaar FROM meting.banen")
        entries = [
            Entry("meting", "", "", "schema", "Uitkomsten."),
            Entry("meting", "banen", "", "tabel", "Banen."),
            Entry("meting", "banen", "jaar", "kolom", "Meetjaar.", "jaar"),
            Entry("meting", "banen", "weg", "kolom", "Bestaat niet meer."),
            Entry("meting", "tabel1", "", "tabel", "Is een view."),
            Entry("meting", "tabel1", "jaar", "kolom", "Meetjaar met 'aanhalingstekens'."),
        ]
        check = apply_dictionary(con, entries)
        # (these entries leave out main.woordenboek itself, which apply_dictionary created)
        assert [n for n in check.zonder_omschrijving if not n.startswith("main")] == ["meting.banen.nieuwe_kolom"]
        assert check.niet_in_bestand == ["meting.banen.weg"]
        assert check.verkeerde_soort == ["meting.tabel1 (tabel, is view)"]
        message = check.message()
        assert "meting.banen.nieuwe_kolom" in message and "meting.banen.weg" in message and "\n" not in message
        assert con.execute("SELECT comment FROM duckdb_columns() WHERE table_name = 'tabel1'").fetchone()[0] \
            == "Meetjaar met 'aanhalingstekens'."
        assert any(s.startswith('COMMENT ON COLUMN "meting"."banen"."jaar" IS') for s in comment_statements(con, entries))
    finally:
        con.close()


def test_the_dictionary_file_is_well_formed_and_a_broken_one_is_named(tmp_path):
    entries = load_dictionary()
    assert len({e.key for e in entries}) == len(entries)
    for entry in entries:
        if entry.soort in ("tabel", "view"):
            assert any(e.object == entry.object and e.schema == entry.schema and e.kolom for e in entries), entry.name
    broken = tmp_path / "woordenboek.csv"
    broken.write_text("schema,object,kolom,soort,omschrijving,eenheid\n"
                      "meting,banen,jaar,kolom,Meetjaar,\n"
                      "meting,banen,jaar,kolom,,\n", encoding="utf-8")
    with pytest.raises(DictionaryError) as error:
        load_dictionary(broken)
    text = str(error.value)
    assert "twee keer" in text and "geen omschrijving" in text and "meting.banen, dat zelf geen regel heeft" in text


def test_the_readme_tables_are_generated_from_the_dictionary():
    text = README_PATH.read_text(encoding="utf-8")
    assert [s.replace(" ", "") for s in readme_blocks(text)] == ["meting,scenario,quotum,kwaliteit,main", "audit"]
    assert render_readme(text) == text, (
        "README.md differs from data/woordenboek.csv: run `uv run --frozen python -m pipeline.publicatie.dictionary "
        "--readme` and commit the result")
    for entry in load_dictionary():
        if entry.soort in ("tabel", "view"):
            assert f"`{entry.schema}.{entry.object}`" in text


def test_region_codes_have_official_names_with_a_source_and_still_load(werkdb):
    with (REFERENCE_DIR / "arbeidsmarktregio.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["arbeidsmarktregio"] for r in rows] == [f"AMR{n:02d}" for n in range(1, 36)]
    names = [r["naam"] for r in rows]
    assert all(names) and len(set(names)) == 35
    assert all("Besluit werkgebieden UWV 2015" in r["bron"] for r in rows)
    assert (names[0], names[9], names[21], names[34]) == ("Groningen", "Groot Amsterdam", "Rijnmond", "Zuid-Limburg")
    # sql/schema/referentie.sql reads the columns by name: the extra column does not disturb it
    assert werkdb.execute("SELECT count(*), min(arbeidsmarktregio), max(arbeidsmarktregio) "
                          "FROM ref.arbeidsmarktregio").fetchone() == (35, "AMR01", "AMR35")


def test_nothing_in_the_dictionary_points_outside_the_repository():
    text = DICTIONARY_PATH.read_text(encoding="utf-8")
    assert "shared/spec" not in text and "../" not in text
