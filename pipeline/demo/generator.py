"""Compatibility name for the demo generator, which is now the package `pipeline.demo`.

The code lives in the per-extract modules (see pipeline/demo/__init__.py); this module only
re-exports the public API for callers that still import `pipeline.demo.generator`.
"""

from pipeline.demo.bookkeeping import Bookkeeping, bookkeeping_path
from pipeline.demo.dates import december_hours
from pipeline.demo.delivery import DEMO_YEARS, generate_delivery
from pipeline.demo.people import elfproef_ok
from pipeline.demo.reference import CELLS

__all__ = [
    "CELLS",
    "DEMO_YEARS",
    "Bookkeeping",
    "bookkeeping_path",
    "december_hours",
    "elfproef_ok",
    "generate_delivery",
]
