"""The data dictionary of the analyst file: one Dutch description per schema, table, view and column.

`data/woordenboek.csv` is the only place these descriptions are written. From it come:

- the `COMMENT ON` of every table, view and column of the published file (`apply_dictionary`,
  called by publication on the staging copy, after the last CREATE and before the file is renamed
  into place — views and `CREATE OR REPLACE` tables lose their comments when they are recreated);
- the table `main.woordenboek` in that file: DuckDB cannot comment on a schema
  (`COMMENT ON SCHEMA` is not implemented), so the schema descriptions, like all the others, are
  there for any client to read with SQL;
- the field descriptions of an export's `datapackage.json` (pipeline/publicatie/export.py);
- the tables of analyst and audit objects in README.md (`render_readme`; run
  `python -m pipeline.publicatie.dictionary --readme` after changing the dictionary).

`check_dictionary` compares a DuckDB file with the dictionary: every object in the file has an
entry, every entry names an object in the file, tables are tables and views are views, and (after
`apply_dictionary`) every table, view and column carries its comment.
"""

from __future__ import annotations

import csv
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipeline.paths import PROJECT_ROOT

DICTIONARY_PATH = PROJECT_ROOT / "data" / "woordenboek.csv"
README_PATH = PROJECT_ROOT / "README.md"
COLUMNS = ("schema", "object", "kolom", "soort", "omschrijving", "eenheid")
KINDS = ("schema", "tabel", "view", "kolom")
DICTIONARY_TABLE = ("main", "woordenboek")

Key = tuple[str, str, str]  # (schema, object, kolom); '' where not applicable


class DictionaryError(Exception):
    """The dictionary file itself is malformed; the message is one Dutch paragraph."""


@dataclass(frozen=True)
class Entry:
    schema: str
    object: str
    kolom: str
    soort: str
    omschrijving: str
    eenheid: str = ""

    @property
    def key(self) -> Key:
        return (self.schema, self.object, self.kolom)

    @property
    def name(self) -> str:
        return name_of(self.key)

    @property
    def comment(self) -> str:
        """The text of COMMENT ON: the description, and the unit when there is one."""
        return self.omschrijving + (f" Eenheid: {self.eenheid}." if self.eenheid else "")


def name_of(key: Key) -> str:
    return ".".join(part for part in key if part)


def load_dictionary(path: Path = DICTIONARY_PATH) -> list[Entry]:
    """The entries of the dictionary file, in file order, after checking its own consistency."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if tuple(reader.fieldnames or ()) != COLUMNS:
                raise DictionaryError(
                    f"Woordenboek {path}: de kolommen moeten {', '.join(COLUMNS)} zijn, niet "
                    f"{', '.join(reader.fieldnames or ())}.")
            entries = [Entry(**{c: (row[c] or "").strip() for c in COLUMNS}) for row in reader]
    except OSError as exc:
        raise DictionaryError(f"Woordenboek {path} kan niet gelezen worden: {exc.strerror or exc}.") from exc
    problems = []
    seen: set[Key] = set()
    for number, entry in enumerate(entries, start=2):
        expected = "schema" if not entry.object else ("kolom" if entry.kolom else None)
        if entry.soort not in KINDS:
            problems.append(f"regel {number}: soort '{entry.soort}' is geen {', '.join(KINDS)}")
        elif (expected and entry.soort != expected) or (not expected and entry.soort not in ("tabel", "view")):
            problems.append(f"regel {number}: soort '{entry.soort}' past niet bij {entry.name or '(leeg)'}")
        if not entry.schema or (entry.kolom and not entry.object):
            problems.append(f"regel {number}: schema en object moeten ingevuld zijn")
        if not entry.omschrijving:
            problems.append(f"regel {number}: {entry.name} heeft geen omschrijving")
        if entry.key in seen:
            problems.append(f"regel {number}: {entry.name} staat er twee keer in")
        seen.add(entry.key)
    for entry in entries:
        parent = (entry.schema, entry.object, "") if entry.kolom else (entry.schema, "", "")
        if entry.object and parent not in seen:
            problems.append(f"{entry.name} hoort bij {name_of(parent)}, dat zelf geen regel heeft")
    if problems:
        raise DictionaryError(f"Woordenboek {path} klopt niet: " + "; ".join(problems) + ".")
    return entries


# --------------------------------------------------------------------------- the objects of a file


def objects_in(con: duckdb.DuckDBPyConnection) -> dict[Key, str]:
    """Every schema, table, view and column of the connection's current database, with its soort.

    A schema counts when it is a user schema or holds a table or view (DuckDB's `main` is marked
    internal but holds main.woordenboek). Temporary and internal objects do not count.
    """
    found: dict[Key, str] = {}
    relations = con.execute(
        """SELECT schema_name, table_name, 'tabel' FROM duckdb_tables()
           WHERE database_name = current_database() AND NOT internal AND NOT temporary
           UNION ALL
           SELECT schema_name, view_name, 'view' FROM duckdb_views()
           WHERE database_name = current_database() AND NOT internal"""
    ).fetchall()
    schemas = {s for (s,) in con.execute(
        "SELECT schema_name FROM duckdb_schemas() WHERE database_name = current_database() AND NOT internal"
    ).fetchall()} | {schema for schema, _, _ in relations}
    for schema in sorted(schemas):
        found[(schema, "", "")] = "schema"
    for schema, name, kind in relations:
        found[(schema, name, "")] = kind
    for schema, name, column in con.execute(
        """SELECT c.schema_name, c.table_name, c.column_name FROM duckdb_columns() AS c
           WHERE c.database_name = current_database() AND NOT c.internal
           ORDER BY c.schema_name, c.table_name, c.column_index"""
    ).fetchall():
        if (schema, name, "") in found:
            found[(schema, name, column)] = "kolom"
    return found


def _comments_in(con: duckdb.DuckDBPyConnection) -> dict[Key, str | None]:
    rows = con.execute(
        """SELECT schema_name, table_name, '', comment FROM duckdb_tables()
           WHERE database_name = current_database() AND NOT internal AND NOT temporary
           UNION ALL
           SELECT schema_name, view_name, '', comment FROM duckdb_views()
           WHERE database_name = current_database() AND NOT internal AND NOT temporary
           UNION ALL
           SELECT schema_name, table_name, column_name, comment FROM duckdb_columns()
           WHERE database_name = current_database() AND NOT internal"""
    ).fetchall()
    return {(s, o, k): comment for s, o, k, comment in rows}


# --------------------------------------------------------------------------- applying it


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def comment_statements(con: duckdb.DuckDBPyConnection, entries: Sequence[Entry] | None = None) -> list[str]:
    """COMMENT ON statements for every table, view and column of `con`'s current database that has
    an entry in the dictionary, in file order. Schemas get none: DuckDB cannot comment on a schema
    (their descriptions go into main.woordenboek, see apply_dictionary)."""
    entries = load_dictionary() if entries is None else entries
    present = objects_in(con)
    statements = []
    for entry in entries:
        kind = present.get(entry.key)
        if kind in ("tabel", "view"):
            keyword = "TABLE" if kind == "tabel" else "VIEW"
            statements.append(
                f"COMMENT ON {keyword} {_ident(entry.schema)}.{_ident(entry.object)} IS {_literal(entry.comment)}")
        elif kind == "kolom":
            statements.append(
                f"COMMENT ON COLUMN {_ident(entry.schema)}.{_ident(entry.object)}.{_ident(entry.kolom)} "
                f"IS {_literal(entry.comment)}")
    return statements


def apply_dictionary(con: duckdb.DuckDBPyConnection, entries: Sequence[Entry] | None = None) -> DictionaryCheck:
    """Write the dictionary into the open analyst file `con` and return the completeness check.

    (Re)creates main.woordenboek with the entries of the objects present in the file, then issues
    COMMENT ON for every table, view and column that has an entry. Runs inside the caller's
    transaction, if any (it does not BEGIN or COMMIT). Call it after every CREATE of publication:
    a view or table that is created again loses its comment. It does not fail on an object without
    an entry — `check_dictionary` (and the test that uses it) names those.
    """
    entries = load_dictionary() if entries is None else entries
    schema, table = DICTIONARY_TABLE
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {_ident(schema)}")
    con.execute(
        f"CREATE OR REPLACE TABLE {_ident(schema)}.{_ident(table)} ("
        + ", ".join(f"{_ident(c)} VARCHAR" for c in COLUMNS) + ")")
    present = objects_in(con)
    rows = [[getattr(e, c) or None for c in COLUMNS] for e in entries if e.key in present]
    if rows:
        con.executemany(
            f"INSERT INTO {_ident(schema)}.{_ident(table)} VALUES ({', '.join('?' for _ in COLUMNS)})", rows)
    for statement in comment_statements(con, entries):
        con.execute(statement)
    return check_dictionary(con, entries)


# --------------------------------------------------------------------------- checking it


@dataclass
class DictionaryCheck:
    """How a DuckDB file and the dictionary differ; empty lists mean they agree."""

    zonder_omschrijving: list[str] = field(default_factory=list)  # in the file, not in the dictionary
    niet_in_bestand: list[str] = field(default_factory=list)  # in the dictionary, not in the file
    verkeerde_soort: list[str] = field(default_factory=list)  # a table described as a view or back
    zonder_commentaar: list[str] = field(default_factory=list)  # has an entry but no COMMENT ON

    @property
    def ok(self) -> bool:
        return not (self.zonder_omschrijving or self.niet_in_bestand or self.verkeerde_soort
                    or self.zonder_commentaar)

    def message(self) -> str:
        parts = []
        if self.zonder_omschrijving:
            parts.append("zonder regel in data/woordenboek.csv: " + ", ".join(self.zonder_omschrijving))
        if self.niet_in_bestand:
            parts.append("in data/woordenboek.csv maar niet in het bestand: " + ", ".join(self.niet_in_bestand))
        if self.verkeerde_soort:
            parts.append("met de verkeerde soort in data/woordenboek.csv: " + ", ".join(self.verkeerde_soort))
        if self.zonder_commentaar:
            parts.append("zonder COMMENT ON in het bestand: " + ", ".join(self.zonder_commentaar))
        if not parts:
            return "Het woordenboek en het bestand komen overeen."
        return ("Het woordenboek en het bestand verschillen. " + "; ".join(parts) + ". Vul data/woordenboek.csv "
                "aan of haal de verouderde regels weg, en publiceer opnieuw.")


def check_dictionary(con: duckdb.DuckDBPyConnection, entries: Sequence[Entry] | None = None,
                     require_comments: bool = True) -> DictionaryCheck:
    """Compare the objects of `con`'s current database with the dictionary.

    require_comments: also name every table, view and column whose comment is missing or differs
    from its entry (true once apply_dictionary has run on the file)."""
    entries = load_dictionary() if entries is None else entries
    by_key = {e.key: e for e in entries}
    present = objects_in(con)
    check = DictionaryCheck(
        zonder_omschrijving=[name_of(k) for k in present if k not in by_key],
        niet_in_bestand=[e.name for e in entries if e.key not in present],
        verkeerde_soort=[f"{e.name} ({e.soort}, is {present[e.key]})" for e in entries
                         if e.key in present and present[e.key] != e.soort],
    )
    if require_comments:
        comments = _comments_in(con)
        check.zonder_commentaar = [e.name for e in entries if e.key in comments and comments[e.key] != e.comment]
    return check


# --------------------------------------------------------------------------- README tables

_BLOCK = re.compile(r"(<!-- woordenboek: (?P<schemas>[a-z_, ]+) -->\n)(?P<body>.*?)(<!-- /woordenboek -->)", re.S)


def readme_table(entries: Iterable[Entry], schemas: Sequence[str]) -> str:
    """A Markdown table of the tables and views of `schemas` (in that order) with their descriptions
    and column names, as README.md shows them."""
    entries = list(entries)
    lines = ["| tabel / view | soort | omschrijving (uit `data/woordenboek.csv`) | kolommen |", "|---|---|---|---|"]
    for schema in schemas:
        for entry in entries:
            if entry.schema == schema and entry.soort in ("tabel", "view"):
                columns = [e.kolom for e in entries if e.schema == schema and e.object == entry.object and e.kolom]
                text = entry.omschrijving.replace("|", "\\|")
                lines.append(f"| `{entry.schema}.{entry.object}` | {entry.soort} | {text} | "
                             + ", ".join(f"`{c}`" for c in columns) + " |")
    return "\n".join(lines) + "\n"


def render_readme(text: str, entries: Sequence[Entry] | None = None) -> str:
    """`text` with every block between `<!-- woordenboek: schema, … -->` and `<!-- /woordenboek -->`
    replaced by the table of those schemas."""
    entries = load_dictionary() if entries is None else entries

    def block(match: re.Match) -> str:
        schemas = [s.strip() for s in match.group("schemas").split(",") if s.strip()]
        return match.group(1) + readme_table(entries, schemas) + match.group(4)

    return _BLOCK.sub(block, text)


def readme_blocks(text: str) -> list[str]:
    """The schema lists of the dictionary blocks in `text` (to check that README has them)."""
    return [m.group("schemas") for m in _BLOCK.finditer(text)]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args != ["--readme"]:
        print("gebruik: python -m pipeline.publicatie.dictionary --readme  (werkt de tabellen in README.md bij)",
              file=sys.stderr)
        return 2
    text = README_PATH.read_text(encoding="utf-8")
    README_PATH.write_text(render_readme(text), encoding="utf-8")
    print(f"{README_PATH}: {len(readme_blocks(text))} tabel(len) bijgewerkt uit {DICTIONARY_PATH.name}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
