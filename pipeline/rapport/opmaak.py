"""Numbers, dates and years written the Dutch way, for the yearly report.

Thousands are separated by '.', decimals by ',' and a negative number starts with a real minus
sign (U+2212), as in the Kamerbrief: 74.031, −5.969, 92,5%. Rounding is half away from zero, the
rule of the published tables (docs/METHOD.md R8).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

MIN = "\u2212"  # the minus sign; a hyphen would break across lines and reads as a dash
LEEG = "\u2013"  # an empty cell: an en dash
MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
           "oktober", "november", "december")


def _rond(value: float | int | Decimal, decimals: int) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def getal(value: float | int | Decimal | None, decimals: int = 0, teken: bool = False) -> str:
    """74031 → '74.031'; -5969 → '−5.969'; (92.47, 1) → '92,5'; teken=True gives '+4.548' for a change."""
    if value is None:
        return LEEG
    rounded = _rond(value, decimals)
    if rounded == 0:
        rounded = abs(rounded)  # never '−0'
    whole, _, fraction = f"{abs(rounded):,.{decimals}f}".partition(".")
    text = whole.replace(",", ".") + ("," + fraction if fraction else "")
    if rounded < 0:
        return MIN + text
    return ("+" + text) if teken and rounded > 0 else text


def procent(value: float | None, decimals: int = 1) -> str:
    """92.47 → '92,5%' (a share of 100)."""
    return LEEG if value is None else getal(value, decimals) + "%"


def aandeel(value: float | None, decimals: int = 1) -> str:
    """0.675 → '67,5%' (a fraction of 1)."""
    return LEEG if value is None else procent(float(_rond(value * 100, decimals)), decimals)


def datum(value: dt.date | str | None) -> str:
    """2024-05-01 → '1 mei 2024'."""
    if value is None:
        return LEEG
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return f"{value.day} {MAANDEN[value.month - 1]} {value.year}"


def tijdstip(value: dt.datetime | None) -> str:
    """A UTC time of audit.runs → '2 december 2026, 05:23 UTC'."""
    if value is None:
        return LEEG
    return f"{datum(value.date())}, {value:%H:%M} UTC"


def bytes_(value: int | None) -> str:
    """23015232 → '21,9 MB' (binary megabytes, as file managers show them)."""
    if value is None:
        return LEEG
    for unit, size in (("GB", 1 << 30), ("MB", 1 << 20), ("kB", 1 << 10)):
        if value >= size:
            return f"{getal(value / size, 1)} {unit}"
    return f"{getal(value)} bytes"


def lees_getal(text: str) -> int | None:
    """The inverse of getal() for whole numbers, used by the tests that read the page back."""
    text = text.strip().replace(MIN, "-").replace(".", "").replace("+", "")
    return None if text in ("", LEEG) else int(text)
