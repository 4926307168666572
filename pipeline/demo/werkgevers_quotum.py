"""The employer population of the demo for participation (R16) and the quotum (R17), and inleen credits.

The demo's payroll otherwise holds only jobs of doelgroep members, mostly around December; the
quotum needs the hours of ALL employees over the whole year. This module adds, as a documented
sample of the workforce, rows of persons who are NOT in the doelgroepregister (so no figure of
R1–R14 changes: their hours never count for the banenafspraak), in a file of their own:

- `polis/polis_werknemers.csv` —
  * participation (R16): every demo employer with a register version in a demo year gets one
    employee with a monthly December period in that year (1 row per employer and year), so that
    "employers with at least one person with hours in December" is the whole employer population
    of the demo, not only the ones employing the doelgroep;
  * the quotum sample (R17): ~30 employers with one register version that covers 2014 onwards
    (market, government, uitzendbureaus, SW-bedrijven) get a full year of monthly payroll for
    10–60 employees in every year from 2014 (A of 2014 decides liability for 2015) up to the last
    demo year; some stay below the threshold of 40,575 hours, some cross it, an uitzendbureau's
    uitzendkrachten (CAA 11) and an SW-bedrijf's Wsw employees (CAA 21) are left out of A.
- `inleen/inleen.csv` — inleen credits (EXTRACTS §6) of uitzendkrachten and seconded Wsw employees
  from the doelgroep: lenders are the employers where the generator placed them (CAA 11 at an
  uitzendbureau, CAA 22), borrowers are government employers of the sample, in the years with a
  published quotumpercentage for overheid; about one in five credits asks for more hours than
  the person had at the lender (the cap of R17 applies).

Everything is drawn from its own random stream; the independent oracle of these rows is
`pipeline.demo.bookkeeping.quotum_oracle`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np
import polars as pl

from pipeline.demo.dates import OPEN, day
from pipeline.demo.writers import date_str
from pipeline.demo.employers import GOV, MKT, PAY, SW, UITZ, Employers
from pipeline.demo.people import People
from pipeline.paths import REFERENCE_DIR

__all__ = ["QuotumRows", "make_quotum_rows", "write_quotum_files"]

FIRST_YEAR = 2014
HOURS_PER_MONTH = 135.25  # 1,623 hours a year / 12: the average employee of Besluit Wfsv art. 2.20
SAMPLE = {MKT: 12, GOV: 10, UITZ: 3, SW: 3, PAY: 2}


@dataclass
class QuotumRows:
    """The added payroll rows (persons not in the register) and the inleen credits."""

    bsn: np.ndarray  # int64, per added person
    person: np.ndarray  # per row: index into bsn
    emp: np.ndarray
    ikv: np.ndarray  # str
    tb: np.ndarray
    te: np.ndarray
    uren: np.ndarray  # centi-hours
    caa: np.ndarray
    aanl: np.ndarray
    vol: np.ndarray
    sample: np.ndarray  # employer indices of the quotum sample
    # inleen credits: lender, borrower (employer indices), person (index into People), year, centi-hours
    inl_lender: np.ndarray
    inl_borrower: np.ndarray
    inl_person: np.ndarray
    inl_year: np.ndarray
    inl_uren: np.ndarray


def _bsns(rng: np.random.Generator, n: int, taken: np.ndarray) -> np.ndarray:
    """n distinct 9-digit numbers passing the elfproef, none of them in `taken`."""
    out = np.empty(0, dtype=np.int64)
    while len(out) < n:
        base = rng.integers(10**7, 10**8, size=2 * n + 100, dtype=np.int64)  # first eight digits
        digits = (base[:, None] // 10 ** np.arange(7, -1, -1)) % 10
        check = (digits * np.arange(9, 1, -1)).sum(axis=1) % 11  # 9·d1 + … + 2·d8 ≡ d9 (mod 11)
        ok = check < 10
        cand = base[ok] * 10 + check[ok]
        cand = cand[(cand >= 10**8) & ~np.isin(cand, taken)]
        out = np.unique(np.concatenate([out, cand]))
    return rng.permutation(out)[:n]


def _months(year: int) -> tuple[np.ndarray, np.ndarray]:
    begin = np.array([day(year, m, 1) for m in range(1, 13)], dtype=np.int64)
    end = np.append(begin[1:] - 1, day(year, 12, 31))
    return begin, end


def _covers(emp: Employers, years: Sequence[int]) -> np.ndarray:
    """Per employer: has a register version overlapping every year of `years` (the polis rule)."""
    out = np.ones(emp.n, dtype=bool)
    for y in years:
        has = np.zeros(emp.n, dtype=bool)
        v = (emp.v_from <= day(y, 12, 31)) & (emp.v_to >= day(y, 1, 1))
        has[emp.v_emp[v]] = True
        out &= has
    return out


def _quotum_percentage_years() -> list[int]:
    with (REFERENCE_DIR / "quotumpercentage.csv").open(encoding="utf-8") as handle:
        return sorted({int(r["jaar"]) for r in csv.DictReader(handle) if r["sector"] == "overheid"})


def make_quotum_rows(rng: np.random.Generator, years: Sequence[int], rows: dict, people: People,
                     emp: Employers) -> QuotumRows:
    years = sorted(years)
    last = years[-1]
    # ---- the quotum sample: employers with a single version covering FIRST_YEAR onwards
    single = np.bincount(emp.v_emp, minlength=emp.n) == 1
    usable = single & _covers(emp, range(FIRST_YEAR, last + 1))
    sample = np.concatenate([rng.permutation(np.flatnonzero(usable & (emp.kind == k)))[:n]
                             for k, n in SAMPLE.items()]).astype(np.int64)
    n_workers = rng.integers(10, 61, size=len(sample))  # 10–60 employees: 16k–97k hours a year
    # ---- persons: one December employee per employer, the sample's employees
    n_dec = emp.n
    n_persons = n_dec + int(n_workers.sum())
    bsn = _bsns(rng, n_persons, np.asarray(people.bsn, dtype=np.int64))
    parts: dict[str, list] = {k: [] for k in ("person", "emp", "ikv", "tb", "te", "uren", "caa")}

    def add(person, e, ikv, tb, te, uren, caa):
        for key, value in zip(parts, (person, e, ikv, tb, te, uren, caa)):
            parts[key].append(np.asarray(value))

    # participation: a December period for one employee of every employer with a version in Y
    for y in years:
        e = np.flatnonzero(_covers(emp, [y]))
        centi = rng.integers(60, 170, size=len(e)) * 100
        add(e, e, np.array([f"W{y}"] * len(e)), np.full(len(e), day(y, 12, 1)), np.full(len(e), day(y, 12, 31)),
            centi, np.ones(len(e), dtype=np.int64))
    # the sample: a full year of monthly periods, each employee with 80–120 % of the average hours
    first = n_dec + np.concatenate([[0], np.cumsum(n_workers)[:-1]])
    for y in range(FIRST_YEAR, last + 1):
        begin, end = _months(y)
        for s, e in enumerate(sample.tolist()):
            # the workforce changes a little from year to year: some employers cross the threshold
            n = int(np.clip(n_workers[s] + rng.integers(-3, 4), 1, n_workers[s]))
            w = first[s] + np.arange(n)
            kind = emp.kind[e]
            caa = np.where(rng.random(n) < {UITZ: 0.7, PAY: 0.8, SW: 0.5}.get(int(kind), 0.0),
                           {UITZ: 11, PAY: 82, SW: 21}.get(int(kind), 1), 1)
            caa = np.where((kind == GOV) & (caa == 1) & (rng.random(n) < 0.5), 18, caa)
            factor = 0.8 + 0.4 * rng.random(n)
            centi = np.round(HOURS_PER_MONTH * 100 * factor[:, None] * np.ones(12)).astype(np.int64)
            add(np.repeat(w, 12), np.full(12 * n, e), np.repeat([f"Q{p}" for p in w.tolist()], 12),
                np.tile(begin, n), np.tile(end, n), centi.ravel(), np.repeat(caa, 12))
    cat = {k: np.concatenate(v) for k, v in parts.items()}
    aanl = cat["te"] + 10
    # ---- inleen credits in the years with a published quotumpercentage for overheid
    gov_sample = sample[emp.kind[sample] == GOV]
    inl = {k: [] for k in ("lender", "borrower", "person", "year", "uren")}
    credit_years = [y for y in _quotum_percentage_years() if y in years]
    r_emp, r_caa, r_person, r_tb, r_uren = rows["emp"], rows["caa"], rows["person"], rows["tb"], rows["uren"]
    for y in credit_years:
        in_y = (r_tb >= day(y, 1, 1)) & (r_tb <= day(y, 12, 31))
        cand = np.flatnonzero(in_y & (((emp.kind[r_emp] == UITZ) & (r_caa == 11)) | (r_caa == 22)))
        if len(cand) == 0 or len(gov_sample) == 0:
            continue
        pairs = np.unique(np.stack([r_emp[cand], r_person[cand]], axis=1), axis=0)
        pairs = pairs[rng.permutation(len(pairs))[:40]]
        for lender, person in pairs.tolist():
            had = int(r_uren[in_y & (r_emp == lender) & (r_person == person)].clip(min=0).sum())
            ask = had * 10 if rng.random() < 0.2 else int(had * (0.3 + 0.5 * rng.random()))
            for borrower in rng.choice(gov_sample, size=1 + int(rng.random() < 0.3), replace=False).tolist():
                inl["lender"].append(lender)
                inl["borrower"].append(borrower)
                inl["person"].append(person)
                inl["year"].append(y)
                inl["uren"].append(max(ask, 0))
    arr = {k: np.asarray(v, dtype=np.int64) for k, v in inl.items()}
    return QuotumRows(
        bsn=bsn, person=cat["person"].astype(np.int64), emp=cat["emp"].astype(np.int64), ikv=cat["ikv"],
        tb=cat["tb"].astype(np.int64), te=cat["te"].astype(np.int64), uren=cat["uren"].astype(np.int64),
        caa=cat["caa"].astype(np.int64), aanl=aanl.astype(np.int64), vol=np.ones(len(aanl), dtype=np.int64),
        sample=sample, inl_lender=arr["lender"], inl_borrower=arr["borrower"], inl_person=arr["person"],
        inl_year=arr["year"], inl_uren=arr["uren"],
    )


def _decimal_comma(centi: np.ndarray) -> pl.Series:
    c = pl.Series(np.asarray(centi, dtype=np.int64))
    sign = pl.Series(np.where(np.asarray(centi) < 0, "-", ""))
    a = c.abs()
    return sign + (a // 100).cast(pl.String) + "," + (a % 100).cast(pl.String).str.pad_start(2, "0")


def write_quotum_files(out_dir: Path, q: QuotumRows, people_bsn: pl.Series, lhnr_s: pl.Series,
                       row_counts: dict) -> None:
    """polis/polis_werknemers.csv and inleen/inleen.csv (';', decimal comma, as EXTRACTS)."""
    bsn_s = pl.Series(q.bsn).cast(pl.String).str.pad_start(9, "0")
    polis = pl.DataFrame({
        "bsn": bsn_s.gather(q.person),
        "loonheffingennummer": lhnr_s.gather(q.emp),
        "ikv_id": pl.Series(q.ikv, dtype=pl.String),
        "tijdvak_begin": date_str(q.tb),
        "tijdvak_einde": date_str(q.te),
        "verloonde_uren": _decimal_comma(q.uren),
        "code_aard_arbeidsverhouding": q.caa,
        "aanleverdatum": date_str(q.aanl),
        "volgnummer": q.vol,
    })
    polis.write_csv(out_dir / "polis" / "polis_werknemers.csv", separator=";")
    row_counts["polis"]["polis/polis_werknemers.csv"] = polis.height
    folder = out_dir / "inleen"
    folder.mkdir(parents=True, exist_ok=True)
    for p in folder.iterdir():
        if p.is_file():
            p.unlink()
    inleen = pl.DataFrame({
        "uitlener_loonheffingennummer": lhnr_s.gather(q.inl_lender),
        "inlener_loonheffingennummer": lhnr_s.gather(q.inl_borrower),
        "bsn": people_bsn.gather(q.inl_person),
        "jaar": q.inl_year,
        "verloonde_uren": _decimal_comma(q.inl_uren),
    })
    inleen.write_csv(folder / "inleen.csv", separator=";")
    row_counts.setdefault("inleen", {})["inleen/inleen.csv"] = inleen.height
    assert OPEN not in q.te
