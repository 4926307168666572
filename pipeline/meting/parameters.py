"""The parameters of one measurement year, resolved from reference data (and run overrides)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb

from pipeline.resources import reference_parameters


def _month_day(year: int, month_day: str) -> dt.date:
    month, day = (int(part) for part in month_day.split("-"))
    return dt.date(year, month, day)


def year_parameters(
    con: duckdb.DuckDBPyConnection,
    jaar: int,
    afsluitdatum: str | None = None,
    voorlopig_aandeel_markt: float | None = None,
) -> dict[str, Any]:
    """Every SQL parameter of the meting/ steps for year `jaar`. Recorded as run metadata."""
    ref = reference_parameters(con)
    return {
        "jaar": jaar,
        "nulmeting_jaar": int(ref["nulmeting_jaar"]),
        "venster_begin": _month_day(jaar, ref["meetperiode_begin_maand_dag"]),
        "venster_einde": _month_day(jaar, ref["meetperiode_einde_maand_dag"]),
        "afsluitdatum": (
            dt.date.fromisoformat(afsluitdatum)
            if afsluitdatum
            else _month_day(jaar + 1, ref["afsluitdatum_maand_dag"])
        ),
        "sectorfonds_drempel": float(ref["sectorfonds_drempel"]),
        "uren_per_baan_per_week": float(ref["uren_per_baan_per_week"]),
        "voorlopig_aandeel_markt": voorlopig_aandeel_markt,
    }
