"""Reading and running the SQL files in sql/.

Each transform step is one SQL file, readable on its own, with DuckDB named parameters
(`$jaar`). Python only fills the parameters a file uses; the SQL text's hash is the Dagster
code version of the asset that runs it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from typing import Any

import duckdb

from pipeline.paths import SQL_DIR

_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")


def sql_text(name: str) -> str:
    """The text of sql/<name> (e.g. 'meting/01_definitieve_versies.sql')."""
    return (SQL_DIR / name).read_text(encoding="utf-8")


def sql_hash(names: Iterable[str]) -> str:
    """A short, stable hash of the SQL files' text: the code version of the asset running them."""
    digest = hashlib.sha256()
    for name in names:
        digest.update(name.encode())
        digest.update(b"\0")
        digest.update((SQL_DIR / name).read_bytes())
    return digest.hexdigest()[:16]


def parameters_used(text: str) -> set[str]:
    return set(_PARAM.findall(_strip_comments_and_strings(text)))


def _strip_comments_and_strings(text: str) -> str:
    text = re.sub(r"--[^\n]*", "", text)
    return re.sub(r"'(?:[^']|'')*'", "''", text)


def split_statements(text: str) -> list[str]:
    """Split SQL text on the semicolons that end statements (not inside strings or comments)."""
    statements, current, i = [], [], 0
    in_string = in_comment = False
    while i < len(text):
        char = text[i]
        if in_comment:
            in_comment = char != "\n"
        elif in_string:
            in_string = char != "'"
        elif char == "'":
            in_string = True
        elif text.startswith("--", i):
            in_comment = True
        elif char == ";":
            statements.append("".join(current))
            current = []
            i += 1
            continue
        current.append(char)
        i += 1
    statements.append("".join(current))
    return [s for s in statements if _strip_comments_and_strings(s).strip()]


def run_sql(con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any] | None = None) -> None:
    """Run every statement of sql/<name> with the parameters it uses (a missing one is an error)."""
    text = sql_text(name)
    params = dict(params or {})
    missing = parameters_used(text) - params.keys()
    if missing:
        raise KeyError(f"sql/{name} needs parameters {sorted(missing)}")
    for statement in split_statements(text):
        wanted = parameters_used(statement)
        con.execute(statement, {k: params[k] for k in sorted(wanted)} or None)
