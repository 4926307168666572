"""The payroll records of one measurement year (the rows of the polis extract), with every version.

`make_year` makes the jobs of a year (members in the counted cells, excluded jobs, jobs of
non-members), their payroll periods (monthly, four-weekly, weekly: the periods overlapping December
and one or two before), calibrates the hours of each cell to its target (centi-hours, residual on one
balancing December record) and writes out the R1 versions of each record (corrections, same-day
volgnummers, reversals, late and too-late deliveries). `number_jobs` gives the jobs of all years
their ikv_id (a sequence number per employer).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from pipeline.demo.arrays import distinct, lexsort_int, smallest_stable
from pipeline.demo.dates import OPEN, day, december_hours, rand_day
from pipeline.demo.employers import FOURWEEK, MONTH, WEEK, Employers, cells
from pipeline.demo.jobs import assign_employers, fit_working_persons
from pipeline.demo.people import COH, ENT, NONCOUNT, NONREG, ONEDAY, PRE, People, member_in_period
from pipeline.demo.reference import CELLS, EXCL, FM, FO, INL, Reference
from pipeline.demo.voorwerk import terugboekingen, voorwerk_cells

__all__ = ["ROW_FIELDS", "YearRows", "make_year", "number_jobs", "period_table"]


def period_table(year: int, kind: int) -> tuple[np.ndarray, np.ndarray, int]:
    """All payroll periods of a year: begin, end (inclusive), index of the first one overlapping December."""
    jan1, dec1, dec31 = day(year, 1, 1), day(year, 12, 1), day(year, 12, 31)
    if kind == MONTH:
        b = np.array([day(year, m, 1) for m in range(1, 13)], dtype=np.int64)
        e = np.append(b[1:] - 1, dec31)
    elif kind == FOURWEEK:
        b = jan1 + 28 * np.arange(13, dtype=np.int64)
        e = b + 27
        e[12] = dec31
    else:
        weekday = (jan1 + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
        mondays = np.arange(jan1 - weekday, dec31 + 1, 7, dtype=np.int64)
        b = np.maximum(mondays, jan1)
        e = np.minimum(mondays + 6, dec31)
    d0 = int(np.flatnonzero(e >= dec1)[0])
    return b, e, d0


# version types of a payroll record (R1)
PLAIN, CORR, SAMEDAY, LATE, ZERO, NEGINT, LATEONLY = range(7)
_VT_P = np.array([0.923, 0.045, 0.010, 0.012, 0.002, 0.004, 0.004])

_MEAN_COUNTED_HOURS_PER_JOB = 28.0 * 31 / 7 * 0.96


@dataclass
class YearRows:
    """All written polis rows (every version) of one year, plus what the bad rows need."""

    job: np.ndarray
    person: np.ndarray
    emp: np.ndarray
    caa: np.ndarray
    tb: np.ndarray
    te: np.ndarray
    uren: np.ndarray  # centi-hours
    aanl: np.ndarray
    vol: np.ndarray
    in_year_file: np.ndarray
    n_jobs: int
    factor: dict
    templates: np.ndarray  # row indexes: counted, single version, monthly December
    nonmember_persons: np.ndarray  # NONREG persons with a December record this year
    ikv_in_year: np.ndarray  # per row: rank of its job among its employer's jobs of this year
    emp_jobs: np.ndarray  # per employer: its jobs of this year (with rows)
    ikv: np.ndarray = None  # ikv_id number per row (set once all years are generated)


def make_year(rng, year: int, people: People, emp: Employers, ref: Reference, targets: dict, s: float,
              persons_rng: np.random.Generator | None = None) -> YearRows:
    """Every polis row of `year`: its jobs, their payroll periods calibrated to `targets` (the hours
    per cell) and every version of each record. `persons_rng`: the stream of the R10 person fit."""
    dec31 = day(year, 12, 31)
    cutoff = ref.cutoff(year)
    P = people.n

    # who is a member around December (counting registration overlapping 1 Nov - 31 Dec)
    elig = ((people.cnt_ing <= dec31) & (people.cnt_end >= day(year, 11, 1))).any(axis=0)
    elig_idx = np.flatnonzero(elig)

    # counted-intent jobs: numbers per cell from the targets
    n_c = {c: max(4, round(targets[CELLS[c]] / _MEAN_COUNTED_HOURS_PER_JOB)) for c in (FM, FO, INL)}
    n_jobs = sum(n_c.values())
    n_workers = min(len(elig_idx), max(1, round(n_jobs / 1.09)))
    score = people.latent[elig_idx] + 0.6 * rng.standard_normal(len(elig_idx))
    workers = elig_idx[smallest_stable(-score, n_workers)]  # = np.argsort(-score, kind="stable")[:n_workers]
    extra = workers[rng.integers(0, n_workers, n_jobs - n_workers)]
    j_person = [workers, extra]
    j_cell = [rng.permutation(np.repeat([FM, FO, INL], [n_c[FM], n_c[FO], n_c[INL]]))]

    # excluded jobs of members (Wsw beschut, beschut werk, Wsw inside the SW-bedrijf)
    not_working = elig.copy()
    not_working[workers] = False
    rest = np.flatnonzero(not_working)  # members without a counted-intent job (np.setdiff1d, faster)
    n_ex = min(len(rest), max(2, round(s * 22_000 * 0.96 ** (year - 2012))))
    j_person.append(rng.choice(rest, size=n_ex, replace=False))
    j_cell.append(np.full(n_ex, EXCL))

    # jobs of non-members: not in the register, only non-counting grondslagen, ex- and future
    # members, persons with only a one-day registration around December of this year
    def nonmember_cells(m):
        return rng.choice(np.array([FM, FO, INL, EXCL]), size=m, p=[0.50, 0.12, 0.30, 0.08])

    nonreg = np.flatnonzero(people.group == NONREG)
    m = min(len(nonreg), max(5, round(s * (9_000 + 500 * (year - 2012)))))
    j_person.append(rng.choice(nonreg, size=m, replace=False))
    j_cell.append(nonmember_cells(m))
    nc_reg = np.zeros(P, dtype=bool)
    nc_reg[people.reg_person[people.reg_ingang <= dec31]] = True
    nc = np.flatnonzero((people.group == NONCOUNT) & nc_reg)
    m = min(len(nc), max(3, round(s * 2_500)))
    j_person.append(rng.choice(nc, size=m, replace=False))
    j_cell.append(nonmember_cells(m))
    exf = np.flatnonzero(~elig & np.isin(people.group, [COH, PRE, ENT]))
    m = min(len(exf), max(3, round(s * 1_500)))
    j_person.append(rng.choice(exf, size=m, replace=False))
    j_cell.append(nonmember_cells(m))
    od = np.flatnonzero((people.group == ONEDAY) & (people.oneday_year == year))
    j_person.append(od)
    j_cell.append(np.where(rng.random(len(od)) < 0.8, FM, INL))
    # persons who already work before they are registered (METHOD §5 registratie_effect)
    pw, pw_cell = voorwerk_cells(rng, people, year)
    j_person.append(pw)
    j_cell.append(pw_cell)

    person = np.concatenate(j_person).astype(np.int64)
    cell = np.concatenate(j_cell).astype(np.int64)
    J = len(person)
    j_emp, j_caa, eff = assign_employers(rng, cell, year, emp, ref)
    j_ver = eff[j_emp]
    assert (j_ver >= 0).all()
    rule_cell = cells(j_caa, j_ver, emp, ref)
    assert (rule_cell == cell).all(), "generator picked an employer/CAA outside the intended cell"
    j_kind = emp.pkind[j_emp]
    # one-day persons: monthly payroll, so their registration day lies inside the December period
    j_kind = np.where(people.group[person] == ONEDAY, np.where(rng.random(J) < 0.7, MONTH, FOURWEEK), j_kind)

    # job interval, periods before December, weekly hours
    u = rng.random(J)
    js = np.where(u < 0.04, rand_day(rng, np.full(J, day(year, 10, 1)), dec31), day(year - 3, 1, 1))
    je = np.where(u > 0.97, rand_day(rng, np.full(J, day(year, 10, 15)), dec31 - 1), OPEN)
    nb = np.where(rng.random(J) < 0.6, 1, 2)
    weekly = np.round((4.0 + 36.0 * rng.beta(2.6, 1.3, J)) * 2) / 2

    # payroll records: the periods overlapping December and one or two before
    rj, rb, re_ = [], [], []
    for kind in (MONTH, FOURWEEK, WEEK):
        b, e, d0 = period_table(year, kind)
        jobs = np.flatnonzero(j_kind == kind)
        cand = np.arange(d0 - 2, len(b))
        jj = np.repeat(jobs, len(cand))
        pp = np.tile(cand, len(jobs))
        keep = (pp >= d0 - nb[jj]) & (e[pp] >= js[jj]) & (b[pp] <= je[jj])
        rj.append(jj[keep])
        rb.append(b[pp[keep]])
        re_.append(e[pp[keep]])
    r_job = np.concatenate(rj)
    tb = np.concatenate(rb)
    te = np.concatenate(re_)
    days = te - tb + 1
    worked = np.minimum(te, je[r_job]) - np.maximum(tb, js[r_job]) + 1
    k = np.round(weekly[r_job] / 7.0 * worked * rng.uniform(0.93, 1.07, len(r_job)) * 100).astype(np.int64)
    k = np.maximum(k, 1)
    r_person = person[r_job]
    r_cell = cell[r_job]
    R = len(r_job)

    # version type of each record (R1)
    vt = rng.choice(len(_VT_P), size=R, p=_VT_P / _VT_P.sum())
    frac = december_hours(tb, te, np.ones(R), year)
    member = np.zeros(R, dtype=bool)
    w = frac > 0
    member[w] = member_in_period(people, r_person[w], tb[w], te[w])

    # R10: where a national count of working persons is published (the nulmeting), hit s x it
    if year in ref.werkzame_personen and persons_rng is not None:
        person = fit_working_persons(persons_rng, year, round(s * ref.werkzame_personen[year]), people,
                                     person, cell, r_job, w, (vt != LATEONLY) & (vt != ZERO), tb, te)
        r_person = person[r_job]
        member[:] = False
        member[w] = member_in_period(people, r_person[w], tb[w], te[w])
    counted = w & member & (vt != LATEONLY) & (r_cell != EXCL)

    # calibration per cell: scale, round to centi-hours, put the residual on one December record
    # a few December reversals: the person's only counted record has negative hours (METHOD §5
    # saldo_overig), never in a year whose person count is published (the fit above counts records)
    neg = terugboekingen(rng, year, ref, counted, counted & (vt == PLAIN) & (frac == 1.0), r_person, P, s)
    k[neg] = -k[neg]
    factors = {}
    for c in (FM, FO, INL):
        target = targets[CELLS[c]]
        in_cell = r_cell == c
        cm = counted & in_cell
        kf = np.where(vt == ZERO, 0, k)
        h = float(np.sum(kf[cm] * frac[cm])) / 100.0
        assert h > 0, f"no counted hours in cell {CELLS[c]} in {year}"
        f = target / h
        factors[CELLS[c]] = f
        k[in_cell] = np.round(k[in_cell] * f).astype(np.int64)
        k[in_cell] = np.where(neg[in_cell], k[in_cell], np.maximum(k[in_cell], 1))
        kf = np.where(vt == ZERO, 0, k)
        bal_cand = np.flatnonzero(cm & (vt == PLAIN) & (frac == 1.0) & (days == 31) & ~neg)
        if len(bal_cand) == 0:
            bal_cand = np.flatnonzero(cm & (vt == PLAIN) & (frac == 1.0) & ~neg)
        assert len(bal_cand) > 0, f"no balancing record in cell {CELLS[c]} in {year}"
        bal = bal_cand[np.argmax(k[bal_cand])]
        residual = target - float(np.sum(kf[cm] * frac[cm])) / 100.0
        k[bal] += int(round(residual * 100))
        assert 0 < k[bal] <= 2400 * days[bal]
    assert (k <= 2400 * days).all()
    kfin = np.where(vt == ZERO, 0, k)

    # versions: (record, aanleverdatum, volgnummer, centi-hours, in the year file)
    a0 = te + rng.integers(3, 36, R)
    gap = rng.integers(5, 101, R)
    a1 = np.minimum(a0 + gap, cutoff)
    a1 = np.where(rng.random(R) < 0.10, cutoff, a1)  # exactly on the cut-off date: counts
    a_late = cutoff + rng.integers(1, 201, R)
    a_late = np.where(rng.random(R) < 0.2, cutoff + 1, a_late)  # the day after: does not count
    k_orig = np.clip(np.round(k * rng.uniform(0.5, 1.3, R)).astype(np.int64), 0, 2400 * days)
    k_orig = np.where(k_orig == kfin, k_orig + 100, k_orig)
    k_orig = np.minimum(k_orig, 2400 * days)
    k_late = np.where(rng.random(R) < 0.5, -kfin, np.round(kfin * rng.uniform(0.3, 1.6, R)).astype(np.int64))
    k_late = np.minimum(k_late, 2400 * days)
    rev_gap = rng.integers(2, 21, R)
    a_neg_final = np.minimum(a0 + rev_gap + rng.integers(5, 61, R), cutoff)
    swap = rng.random(R) < 0.3  # later date with a lower volgnummer
    three = rng.random(R) < 0.3

    # (which records, aanleverdatum, volgnummer, centi-hours, in the year file), in the order in which
    # the versions of one record are written
    versions = [
        (vt == PLAIN, a0, 1, kfin, True),
        (vt == CORR, a0, np.where(swap, 2, 1), k_orig, True),
        (vt == CORR, a1, 1, kfin, False),
        (vt == SAMEDAY, a0, 1, k_orig, True),
        ((vt == SAMEDAY) & three, a0, 2, np.minimum(np.round(k_orig * 0.9).astype(np.int64), 2400 * days), True),
        (vt == SAMEDAY, a0, np.where(three, 3, 2), kfin, True),
        (vt == LATE, a0, 1, kfin, True),
        (vt == LATE, a_late, 1, k_late, False),
        (vt == ZERO, a0, 1, np.maximum(k, 1), True),
        (vt == ZERO, a1, 1, 0, False),
        (vt == NEGINT, a0, 1, k_orig, True),
        (vt == NEGINT, a0 + rev_gap, 1, -k_orig, False),
        (vt == NEGINT, a_neg_final, 1, kfin, False),
        (vt == LATEONLY, a_late, 1, kfin, False),
    ]
    # rows ordered by record, a record's versions in the order above (a counting sort: each
    # record's versions get consecutive rows from its first one on)
    n_versions = np.zeros(R, dtype=np.int64)
    for mask, *_ in versions:
        n_versions += mask
    next_row = np.cumsum(n_versions) - n_versions
    V = int(n_versions.sum())
    v_rec = np.repeat(np.arange(R), n_versions)
    v_a = np.empty(V, dtype=np.int32)  # the written rows are int32 (days, hours, codes fit): half the
    v_v = np.empty(V, dtype=np.int32)  # memory traffic in the oracle and the writers
    v_k = np.empty(V, dtype=np.int32)
    v_f = np.empty(V, dtype=bool)
    for mask, a, v, kk, in_file in versions:
        idx = np.flatnonzero(mask)
        at = next_row[idx]
        next_row[idx] += 1
        v_a[at] = a[idx] if np.ndim(a) else a
        v_v[at] = v[idx] if np.ndim(v) else v
        v_k[at] = kk[idx] if np.ndim(kk) else kk
        v_f[at] = in_file

    rec_job = r_job[v_rec]
    templates = np.flatnonzero(
        counted[v_rec] & (vt[v_rec] == PLAIN) & (days[v_rec] == 31) & (r_cell[v_rec] == FM) & (kfin[v_rec] > 0)
    )
    nonmember = distinct(r_person[w & (people.group[r_person] == NONREG) & (r_cell == FM)], P)
    ikv_in_year, emp_jobs = _ikv_in_year(rec_job, j_emp, J, emp.n)
    i32 = np.int32
    return YearRows(
        job=rec_job.astype(i32), person=person.astype(i32)[rec_job], emp=j_emp.astype(i32)[rec_job],
        caa=j_caa.astype(i32)[rec_job], tb=tb.astype(i32)[v_rec], te=te.astype(i32)[v_rec], uren=v_k, aanl=v_a,
        vol=v_v, in_year_file=v_f, n_jobs=J, factor=factors, templates=templates, nonmember_persons=nonmember,
        ikv_in_year=ikv_in_year, emp_jobs=emp_jobs,
    )



ROW_FIELDS = ("job", "person", "emp", "caa", "tb", "te", "uren", "aanl", "vol", "in_year_file")


def number_jobs(yr: dict[int, YearRows], years: Sequence[int]) -> tuple[dict[str, np.ndarray], dict[int, int]]:
    """Global job ids and ikv_id (a sequence number per employer over all years), set on `yr`.

    A job's ikv_id is its rank among the employer's jobs (those with a written row) ordered by
    year and job: the employer's jobs of the earlier years plus its rank within the year
    (`YearRows.ikv_in_year`, made with the year). Returns every written row of all years as one
    set of arrays (ROW_FIELDS and ikv) and, per employer, the last ikv_id used (the bad rows
    continue from it).
    """
    offset = 0
    earlier = np.zeros(len(yr[years[0]].emp_jobs), dtype=np.int64)  # jobs per employer in earlier years
    for y in years:
        yr[y].job = yr[y].job + offset
        offset += yr[y].n_jobs
        yr[y].ikv = earlier[yr[y].emp] + yr[y].ikv_in_year
        earlier += yr[y].emp_jobs
    rows = {name: np.concatenate([getattr(yr[y], name) for y in years]) for name in (*ROW_FIELDS, "ikv")}
    ikv_next = {e: int(earlier[e]) for e in np.flatnonzero(earlier).tolist()}
    return rows, ikv_next


def _ikv_in_year(rec_job: np.ndarray, j_emp: np.ndarray, n_jobs: int, n_emp: int) -> tuple[np.ndarray, np.ndarray]:
    """Per row the rank (1, 2, ...) of its job among its employer's jobs of the year that have
    rows, by job number; and per employer the number of such jobs."""
    seen = distinct(rec_job, n_jobs)
    emp_of = j_emp[seen]
    emp_jobs = np.bincount(emp_of, minlength=n_emp)
    o = lexsort_int((seen, emp_of))
    first = np.cumsum(emp_jobs) - emp_jobs  # first position of each employer in the order
    rank = np.zeros(n_jobs, dtype=np.int64)
    rank[seen[o]] = np.arange(len(o)) - first[emp_of[o]] + 1
    return rank[rec_job], emp_jobs
