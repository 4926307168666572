"""Table 1 as markdown, for Dagster materialization metadata and the CLI."""

from __future__ import annotations

import duckdb


def tabel1_rows(con: duckdb.DuckDBPyConnection, jaar: int) -> list[tuple]:
    return con.execute(
        "SELECT regel, markt, overheid, totaal FROM meting.tabel1 WHERE jaar = ? ORDER BY volgorde", [jaar]
    ).fetchall()


def tabel1_markdown(con: duckdb.DuckDBPyConnection, jaar: int) -> str:
    lines = ["| | markt | overheid | totaal |", "|---|---:|---:|---:|"]
    lines += [f"| {r} | {_cell(m)} | {_cell(o)} | {_cell(t)} |" for r, m, o, t in tabel1_rows(con, jaar)]
    return "\n".join(lines)


def _cell(value) -> str:
    """A Table 1 cell as printed: empty (–) where the line has no value (see meting.tabel1.toelichting)."""
    return "–" if value is None else str(value)
