"""Day arithmetic shared by the demo generator and its bookkeeping.

Dates are int64 days since 1970-01-01 throughout; `OPEN` is the sentinel for an open end date
(written as null). Also METHOD R3 (`december_hours`) and the seeded random streams (`random_stream`).
"""

from __future__ import annotations

import datetime as _dt

import numpy as np

__all__ = [
    "OPEN",
    "as_days",
    "day",
    "december_hours",
    "jan1",
    "rand_day",
    "rand_day_in_year",
    "random_stream",
    "year_of",
]

_EPOCH_ORD = _dt.date(1970, 1, 1).toordinal()


def day(y: int, m: int, d: int) -> int:
    """Days since 1970-01-01."""
    return _dt.date(y, m, d).toordinal() - _EPOCH_ORD


OPEN = day(9999, 12, 31)  # internal sentinel for an open end date (written as null)
_JAN1 = np.array([day(y, 1, 1) for y in range(1960, 2041)], dtype=np.int64)


def jan1(years: np.ndarray) -> np.ndarray:
    return _JAN1[np.asarray(years, dtype=np.int64) - 1960]


_YEAR_OF_DAY = np.repeat(np.arange(1960, 2040, dtype=np.int64), np.diff(_JAN1))  # 1960-01-01 .. 2039-12-31


def year_of(days: np.ndarray) -> np.ndarray:
    """The calendar year of each day (a table look-up within 1960-2039)."""
    d = np.asarray(days, dtype=np.int64)
    i = d - _JAN1[0]
    if d.size and i.min() >= 0 and i.max() < len(_YEAR_OF_DAY):
        return _YEAR_OF_DAY[i]
    return d.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def rand_day(rng: np.random.Generator, lo, hi) -> np.ndarray:
    """Uniform day in [lo, hi] (inclusive); lo/hi scalars or arrays."""
    lo = np.asarray(lo, dtype=np.int64)
    hi = np.asarray(hi, dtype=np.int64)
    size = np.broadcast(lo, hi).shape
    return lo + np.floor(rng.random(size) * (hi - lo + 1)).astype(np.int64)


def rand_day_in_year(rng: np.random.Generator, years: np.ndarray) -> np.ndarray:
    years = np.asarray(years, dtype=np.int64)
    return rand_day(rng, jan1(years), jan1(years + 1) - 1)


def as_days(a) -> np.ndarray:
    a = np.asarray(a)
    if a.dtype.kind == "M":
        return a.astype("datetime64[D]").astype(np.int64)
    if a.dtype == object:
        return np.array([(_dt.date.toordinal(x) - _EPOCH_ORD) for x in a], dtype=np.int64)
    return a.astype(np.int64)


def december_hours(begin: np.ndarray, einde: np.ndarray, uren: np.ndarray, year: int) -> np.ndarray:
    """METHOD R3: the hours of each payroll period that fall in 1-31 December of `year`.

    `verloonde_uren x (days of the period inside December) / (days of the period)`. begin/einde
    are inclusive dates as datetime64 or as integer days since 1970-01-01.
    """
    b = as_days(begin)
    e = as_days(einde)
    u = np.asarray(uren, dtype=np.float64)
    dec1, dec31 = day(year, 12, 1), day(year, 12, 31)
    inside = np.clip(np.minimum(e, dec31) - np.maximum(b, dec1) + 1, 0, None)
    days = e - b + 1
    return np.where(inside > 0, u * inside / np.where(days > 0, days, 1), 0.0)


def random_stream(seed: int, *stream: int) -> np.random.Generator:
    """The random stream `stream` of a seed (independent streams per part of the delivery)."""
    return np.random.Generator(np.random.PCG64([int(seed), *stream]))
