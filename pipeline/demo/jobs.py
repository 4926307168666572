"""The jobs of one measurement year: their employer and CAA code (R5/R6 by recipe), and the R10 fit.

`assign_employers` gives every job of an intended cell an employer and a code_aard_arbeidsverhouding
from the cell's recipes (e.g. inleen: CAA 11/82/22 at an uitzendbureau, a payroll company or an
SW-bedrijf), only among employers usable in that year. `fit_working_persons` moves jobs between
members so that the number of working persons hits the published count (the nulmeting).
"""

from __future__ import annotations

import numpy as np

from pipeline.demo.arrays import distinct
from pipeline.demo.dates import day
from pipeline.demo.employers import GOV, MKT, PAY, PRIV, SW, UITZ, Employers, effective
from pipeline.demo.people import People, member_in_period
from pipeline.demo.reference import EXCL, FM, FO, INL, Reference

__all__ = ["assign_employers", "fit_working_persons"]

_RECIPES = {
    FM: [(1.0, "FM", (1, 23, 13, 15), (0.94, 0.03, 0.015, 0.015))],
    FO: [(1.0, "FO", (18, 1, 23), (0.60, 0.38, 0.02))],
    INL: [
        (0.55, "52", (11, 1, 82), (0.85, 0.10, 0.05)),
        (0.12, "PAY", (82,), (1.0,)),
        (0.03, "MKT", (11,), (1.0,)),
        (0.30, "SW", (22,), (1.0,)),
    ],
    EXCL: [
        (0.02, "52", (21,), (1.0,)),
        (0.53, "SW", (21,), (1.0,)),
        (0.15, "SW", (1,), (1.0,)),
        (0.05, "SW", (23,), (1.0,)),
        (0.10, "FO", (24,), (1.0,)),
        (0.07, "SW", (24,), (1.0,)),
        (0.08, "MKT", (24,), (1.0,)),
    ],
}
_RECIPES_PRE2015_EXCL = [
    (0.02, "52", (21,), (1.0,)),
    (0.68, "SW", (21,), (1.0,)),
    (0.22, "SW", (1,), (1.0,)),
    (0.08, "SW", (23,), (1.0,)),
]
_FALLBACK = {"PAY": "52", "MKT": "FM"}


def _pick(rng, pool: np.ndarray, weight: np.ndarray, m: int) -> np.ndarray:
    if m == 0:
        return np.zeros(0, dtype=np.int64)
    p = weight[pool]
    return rng.choice(pool, size=m, p=p / p.sum())


def assign_employers(rng, cell, year, emp: Employers, ref: Reference):
    eff, usable = effective(emp, year)
    ver = np.maximum(eff, 0)
    overheid = emp.v_owg[ver] & (emp.v_aandeel[ver] / 100.0 < ref.sectorfonds_drempel)
    k = emp.kind
    pools = {
        "FM": np.flatnonzero(usable & np.isin(k, [MKT, GOV, PRIV]) & ~overheid),
        "FO": np.flatnonzero(usable & (k == GOV) & overheid),
        "52": np.flatnonzero(usable & (k == UITZ)),
        "PAY": np.flatnonzero(usable & (k == PAY)),
        "MKT": np.flatnonzero(usable & (k == MKT)),
        "SW": np.flatnonzero(usable & (k == SW)),
    }
    for name, fb in _FALLBACK.items():
        if len(pools[name]) == 0:
            pools[name] = pools[fb]
    for name in ("FM", "FO", "52", "SW"):
        assert len(pools[name]) > 0, f"no usable employers of type {name} in {year}"
    n = len(cell)
    out_emp = np.zeros(n, dtype=np.int64)
    out_caa = np.zeros(n, dtype=np.int64)
    for c in (FM, FO, INL, EXCL):
        recipes = _RECIPES_PRE2015_EXCL if (c == EXCL and year < 2015) else _RECIPES[c]
        jobs = np.flatnonzero(cell == c)
        if len(jobs) == 0:
            continue
        cum = np.cumsum([r[0] for r in recipes])
        which = np.minimum(np.searchsorted(cum / cum[-1], rng.random(len(jobs)), side="right"), len(recipes) - 1)
        for r, (_, pool, codes, probs) in enumerate(recipes):
            j = jobs[which == r]
            out_emp[j] = _pick(rng, pools[pool], emp.weight, len(j))
            out_caa[j] = rng.choice(np.array(codes), size=len(j), p=np.array(probs))
        if c == FM:  # publiekrechtelijke aanstelling at (former) government employers
            owg = emp.v_owg[eff[out_emp[jobs]]]
            out_caa[jobs] = np.where(owg & (rng.random(len(jobs)) < 0.6), 18, out_caa[jobs])
    return out_emp, out_caa, eff


def fit_working_persons(rng, year: int, target: int, people: People, person: np.ndarray, cell: np.ndarray,
                        r_job: np.ndarray, w: np.ndarray, final_hours: np.ndarray, tb: np.ndarray, te: np.ndarray,
                        ) -> np.ndarray:
    """Move jobs between members so that exactly `target` distinct persons have counted hours > 0
    (METHOD R10) in December of `year`, where feasible. Returns the new person of each job.

    A record ends up with counted hours > 0 when it overlaps December (w), its person is a member in
    the period (R4), its cell is not excluded (R5) and its final version before the cut-off has
    hours > 0 (`final_hours`: every version type but LATEONLY and ZERO; calibration keeps every
    other record at >= 1 centi-hour). Jobs only move to persons with one counting registration covering 1 November -
    31 December, so a moved job that counted still counts (and the hours are calibrated afterwards):
    - too many persons: every job of d working persons goes to another working person;
    - too few: d extra counting jobs of persons with several counting jobs go to d members
      without any job this year.
    """
    J = len(person)

    def counting_jobs(pj: np.ndarray) -> np.ndarray:
        rp = pj[r_job]
        member = np.zeros(len(r_job), dtype=bool)
        member[w] = member_in_period(people, rp[w], tb[w], te[w])
        rec = w & member & final_hours & (cell[r_job] != EXCL)
        ok = np.zeros(J, dtype=bool)
        ok[r_job[rec]] = True
        return ok

    ok = counting_jobs(person)
    working = distinct(person[ok], people.n)
    d = len(working) - target
    if d == 0:
        return person
    full = ((people.cnt_ing <= day(year, 11, 1)) & (people.cnt_end >= day(year, 12, 31))).any(axis=0)
    new = person.copy()
    if d > 0:
        d = min(d, len(working) - 1)
        src = rng.choice(working, size=d, replace=False)
        pool = working[full[working] & ~np.isin(working, src)]
        if len(pool) == 0:
            return person
        dst = rng.choice(pool, size=d, replace=len(pool) < d)
        to = np.arange(people.n, dtype=np.int64)
        to[src] = dst
        new = to[person]
    else:
        d = -d
        jobs = np.flatnonzero(ok)
        jobs = jobs[np.lexsort((rng.random(len(jobs)), person[jobs]))]  # random order within a person
        p_sorted = person[jobs]
        first = np.r_[True, p_sorted[1:] != p_sorted[:-1]]
        movable = jobs[~first]  # every counting job but one of each person
        has_job = np.zeros(people.n, dtype=bool)
        has_job[person] = True
        pool = np.flatnonzero(full & ~has_job)
        d = min(d, len(movable), len(pool))
        new[rng.choice(movable, size=d, replace=False)] = rng.choice(pool, size=d, replace=False)
    got = len(distinct(new[counting_jobs(new)], people.n))
    assert got == len(working) + (d if len(working) < target else -d), "person fit did not move as planned"
    return new


