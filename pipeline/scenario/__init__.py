"""Scenario runs (METHOD R14): a year and its nulmeting measured under another regime."""
