"""Synthetic demo delivery and its bookkeeping (the independent oracle of the end-to-end tests).

One module per part of the delivery:

- `reference`   data/reference and data/demo/kalibratie.csv (parameters, R4/R5 rules, targets)
- `dates`       day arithmetic, R3 December hours, the seeded random streams
- `arrays`      np.unique / np.lexsort / stable argsort equivalents that are faster at this size
- `people`      persons and their doelgroepregister registrations
- `employers`   employers and their werkgevers register versions (R5/R6 on them)
- `jobs`        each year's jobs: employer and CAA per cell, the R10 person fit
- `polis`       each year's payroll records with every version (R1/R3), ikv_id numbering
- `bad_rows`    the planted rows that break an EXTRACTS rule
- `writers`     the files: CSV / CSV.gz / Parquet variants, shuffling, bad rows placed
- `werkgevers_quotum` employees outside the register (December for every employer, a full-year
                sample of ~30 employers from 2014) and inleen credits, for R15–R17
- `bookkeeping` the oracle (R1-R6, R10 and R15-R17 on the generator's arrays) and `Bookkeeping`
- `delivery`    `generate_delivery`, tying it together
- `keys`, `national`: the demo's provisional keys and the national-size bench generator

Imports are lazy: `pipeline.demo.keys` or `pipeline.demo.national` do not load the generator.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "DEMO_YEARS": "pipeline.demo.delivery",
    "generate_delivery": "pipeline.demo.delivery",
    "Bookkeeping": "pipeline.demo.bookkeeping",
    "bookkeeping_path": "pipeline.demo.bookkeeping",
    "CELLS": "pipeline.demo.reference",
    "december_hours": "pipeline.demo.dates",
    "elfproef_ok": "pipeline.demo.people",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'pipeline.demo' has no attribute {name!r}")
