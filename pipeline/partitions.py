"""Measurement years as Dagster partitions.

A run measures its partition (or range of partitions) together with the nulmeting, set-based
(pipeline/meting/assets.py), so no partition depends on another run's nulmeting.
"""

from __future__ import annotations

import csv
import datetime as dt

from dagster import StaticPartitionsDefinition

from pipeline.paths import REFERENCE_DIR


def _nulmeting_year() -> int:
    with (REFERENCE_DIR / "parameters.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["naam"] == "nulmeting_jaar":
                return int(row["waarde"])
    raise RuntimeError("data/reference/parameters.csv has no nulmeting_jaar")


NULMETING_YEAR = _nulmeting_year()


def measurement_years(today: dt.date | None = None) -> list[str]:
    """Every finished year from the nulmeting on (a year is measured after its 1 May cut-off)."""
    today = today or dt.date.today()
    return [str(year) for year in range(NULMETING_YEAR, today.year)]


YEARS = StaticPartitionsDefinition(measurement_years())
