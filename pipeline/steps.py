"""The steps of the rulebook, read from the headers of the SQL files (sql/meting, sql/audit).

Every step file starts with a header that names what it writes, its rule and what it reads:

    -- step: werk.definitieve_versies
    -- rule: R1 — Final version of each payroll record
    -- reads: staging.polis, werk.meetjaren

One file = one step = one table. The Dagster assets, their dependencies and the order in which a
run executes them are derived from these headers alone, so adding a rule means adding one SQL file
(and its test). tests/test_steps.py checks that every header matches the tables its SQL really
reads and writes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pipeline.paths import SQL_DIR
from pipeline.sqlfiles import sql_text

_HEADER = re.compile(r"^--\s*(step|rule|reads):\s*(.*?)\s*$", re.MULTILINE)
_VIEW = re.compile(r"^--\s*(?:view|macro):\s*(\S+)\s*\n--\s*reads:\s*(.*?)\s*$", re.MULTILINE)
RULE_VIEWS = "schema/regels.sql"  # the views of the rulebook, each with a view/reads header


class StepHeaderError(ValueError):
    pass


@dataclass(frozen=True)
class Step:
    table: str  # schema.table the step writes (also its Dagster asset key)
    sql: str  # file under sql/
    rule: str
    reads: tuple[str, ...]

    @property
    def key_path(self) -> list[str]:
        return self.table.split(".")

    @property
    def description(self) -> str:
        return f"METHOD {self.rule} (sql/{self.sql})"


def parse_step(name: str) -> Step:
    """The step of sql/<name>, from its header."""
    fields: dict[str, str] = {}
    for key, value in _HEADER.findall(sql_text(name)):
        fields.setdefault(key, value)
    missing = {"step", "rule", "reads"} - fields.keys()
    if missing:
        raise StepHeaderError(f"sql/{name}: header mist {', '.join(sorted(missing))}")
    reads = tuple(r.strip() for r in fields["reads"].split(",") if r.strip())
    return Step(table=fields["step"], sql=name, rule=fields["rule"], reads=reads)


@cache
def rule_views() -> dict[str, tuple[str, ...]]:
    """The views and macros of sql/schema/regels.sql and the tables each reads (their headers)."""
    return {
        view: tuple(r.strip() for r in reads.split(",") if r.strip())
        for view, reads in _VIEW.findall(sql_text(RULE_VIEWS))
    }


def tables_read(step: Step) -> tuple[str, ...]:
    """What a step reads, with every rule view replaced by the tables behind it."""
    views = rule_views()
    out: list[str] = []
    for read in step.reads:
        out.extend(views.get(read, (read,)))
    return tuple(dict.fromkeys(out))


@cache
def steps(folder: str) -> tuple[Step, ...]:
    """Every step of sql/<folder>, in an order where each step comes after the steps it reads."""
    found = [parse_step(f"{folder}/{path.name}") for path in sorted((SQL_DIR / folder).glob("*.sql"))]
    return tuple(topological(found))


def topological(found: list[Step]) -> list[Step]:
    by_table = {step.table: step for step in found}
    if len(by_table) != len(found):
        raise StepHeaderError("twee stappen schrijven dezelfde tabel")
    ordered: list[Step] = []
    state: dict[str, int] = {}

    def visit(step: Step, trail: tuple[str, ...]) -> None:
        if state.get(step.table) == 2:
            return
        if state.get(step.table) == 1:
            raise StepHeaderError("kringverwijzing tussen stappen: " + " → ".join((*trail, step.table)))
        state[step.table] = 1
        for read in tables_read(step):
            if read in by_table and read != step.table:
                visit(by_table[read], (*trail, step.table))
        state[step.table] = 2
        ordered.append(step)

    for step in found:
        visit(step, ())
    return ordered
