"""The provisional verdeelsleutels the demo passes explicitly for years without a published key."""

from __future__ import annotations

import csv

from pipeline.paths import DEMO_DATA_DIR


def demo_provisional_keys() -> dict[int, float]:
    with (DEMO_DATA_DIR / "kalibratie.csv").open(encoding="utf-8") as handle:
        return {
            int(row["jaar"]): float(row["aandeel_markt"])
            for row in csv.DictReader(handle)
            if row["sleutel"] == "voorlopig"
        }
