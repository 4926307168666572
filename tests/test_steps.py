"""The rulebook's headers tell the truth: every SQL step's header names exactly the table its SQL
writes and the tables it reads, so the Dagster graph derived from them (pipeline/steps.py) is the
real data flow; and every shared predicate or formula is stated once (sql/schema/regels.sql)."""

from __future__ import annotations

import re

import pytest

from pipeline.paths import SQL_DIR
from pipeline.sqlfiles import sql_text
from pipeline.steps import Step, StepHeaderError, rule_views, steps, topological

TABLE = re.compile(r"\b(werk|staging|ref|meting|ingest|kwaliteit|audit|quotum)\.([a-z_0-9]+)\b")
STEP_FILES = [s for folder in ("meting", "audit") for s in steps(folder)]


def _body(step: Step) -> str:
    """The SQL without comments and string literals (one pass: a string may hold '--')."""
    return re.sub(r"'(?:[^']|'')*'|--[^\n]*", lambda m: "''" if m.group().startswith("'") else "",
                  sql_text(step.sql))


@pytest.mark.parametrize("step", STEP_FILES, ids=lambda s: s.sql)
def test_header_names_what_the_sql_writes_and_reads(step):
    body = _body(step)
    written = set(re.findall(r"\b(?:INSERT INTO|DELETE FROM)\s+(\w+\.\w+)", body))
    assert written == {step.table}, f"sql/{step.sql} schrijft {written}, de kop zegt {step.table}"
    read = {f"{s}.{t}" for s, t in TABLE.findall(body)} - {step.table}
    for name, tables in rule_views().items():  # a rule macro reads its tables on the step's behalf
        if "." not in name and re.search(rf"\b{name}\(", body):
            read |= set(tables)
    assert read == set(step.reads), f"sql/{step.sql} leest {sorted(read)}, de kop zegt {sorted(step.reads)}"


def test_every_sql_file_of_a_step_folder_is_a_step_and_one_table_is_written_once():
    for folder in ("meting", "audit"):
        files = {p.name for p in (SQL_DIR / folder).glob("*.sql")}
        assert {s.sql.split("/")[1] for s in steps(folder)} == files
    tables = [s.table for s in STEP_FILES]
    assert len(tables) == len(set(tables))


def test_a_step_comes_after_every_step_it_reads():
    for folder in ("meting", "audit"):
        seen: set[str] = set()
        found = steps(folder)
        written = {s.table for s in found}
        for step in found:
            from pipeline.steps import tables_read

            assert {t for t in tables_read(step) if t in written} <= seen | {step.table}, step.sql
            seen.add(step.table)


def test_a_cycle_in_the_headers_is_an_error():
    a = Step("werk.a", "x/a.sql", "R0", ("werk.b",))
    b = Step("werk.b", "x/b.sql", "R0", ("werk.a",))
    with pytest.raises(StepHeaderError, match="kringverwijzing"):
        topological([a, b])


def test_rule_views_name_the_tables_behind_them():
    views = rule_views()
    assert views["werk.toegerekende_uren"] == ("werk.telbare_uren", "meting.verdeelsleutel")


SHARED = {
    # predicate or formula -> the one file allowed to spell it out
    r"(?:AND|WHERE|ON)\s+\w+\.telt_mee": "schema/regels.sql",  # R4 counting registration
    r"datum_einde\s*>\s*\w*\.?datum_ingang": "schema/regels.sql",  # R4 one-day registrations
    r"'markt',\s*(?:CAST\()?\w+\.aandeel_markt": "schema/regels.sql",  # R7 split over the sectors
    r"\*\s*31\s*/\s*7|/\s*7\.0": "schema/macros.sql",  # R8 divisor
    r"overheidswerkgever\s+AND\s+\w*\.?uren_sectorfonds_aandeel\s*<": "schema/regels.sql",  # R6 sector
}


@pytest.mark.parametrize("pattern", SHARED)
def test_shared_rules_are_stated_once(pattern):
    owners = sorted(
        str(path.relative_to(SQL_DIR)) for path in SQL_DIR.rglob("*.sql")
        if path.parent.name not in ("bench", "demo")  # the bench floor and the demo are independent on purpose
        and re.search(pattern, re.sub(r"--[^\n]*", "", path.read_text(encoding="utf-8")))
    )
    assert owners == [SHARED[pattern]]
