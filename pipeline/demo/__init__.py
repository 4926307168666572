"""Synthetic demo delivery and its bookkeeping (see pipeline.demo.generator)."""

from pipeline.demo.generator import DEMO_YEARS, Bookkeeping, december_hours, elfproef_ok, generate_delivery

__all__ = ["DEMO_YEARS", "Bookkeeping", "december_hours", "elfproef_ok", "generate_delivery"]
