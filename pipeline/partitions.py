"""Measurement years as Dagster partitions, and the dependency of every year on the nulmeting."""

from __future__ import annotations

import csv
import datetime as dt

from dagster import StaticPartitionMapping, StaticPartitionsDefinition

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

# Year Y of a per-year step depends on the same step for Y and for the nulmeting year.
NULMETING_MAPPING = StaticPartitionMapping(
    {
        key: (YEARS.get_partition_keys() if key == str(NULMETING_YEAR) else [key])
        for key in YEARS.get_partition_keys()
    }
)
