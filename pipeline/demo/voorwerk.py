"""The demo's person dynamics for METHOD §5 (R11): persons who already work before they are
registered ('registratie_effect'), and December reversals ('saldo_overig').

The Cedris/Capeladvies critique (2020) estimated that about 41,000 of the 62,000 extra banen of
2019 came from people who already worked and were registered later (and from definition
changes). The demo makes that dynamic explicit, synthetically: `add_voorwerk` adds a group of
persons who are not in the register at the nulmeting, hold a regular job in December of every
year before their registration (school leavers of VSO/praktijkonderwijs with a first job, Wajong
recipients with a job, Wsw workers seconded to a regular employer), are registered between 2013
and 2019 (most in 2015–2016, when the register was built up for the banenafspraak) and keep
working afterwards (a high 'works a lot' score). Their jobs before registration do not count (R4),
so the published figures do not change: every counted cell is calibrated to its target anyway,
and the nulmeting's persons and register size do not include them.

Sizes (scale 1, persons registered per year) are calibrated so that the cumulative
registratie_effect of 2019 against the nulmeting comes out near 41,000 banen; the generator's
bookkeeping (`bookkeeping.flows`) reports the exact figure.

The group draws from its own random stream, and is appended after every other person, so the
draws of the other persons are unchanged.

`terugboekingen` picks, in a year whose person count is not published, a few December records
that are a person's only counted record and makes their final hours negative (a reversal of
earlier pay): net hours ≤ 0, the R11 category saldo_overig when the person did not work in the base
year either. The calibration of the cells absorbs them.
"""

from __future__ import annotations

import numpy as np

from pipeline.demo.dates import OPEN, day, rand_day_in_year
from pipeline.demo.people import AMR_W, GRONDSLAGEN, People, _make_bsns, _pad_counting
from pipeline.demo.reference import FM, FO, INL, Reference

__all__ = ["VOORWERK", "REGISTRATIE_PER_JAAR", "TERUGBOEKINGEN", "add_voorwerk", "terugboekingen", "voorwerk_cells"]

VOORWERK = 6  # person group (after COH, PRE, ENT, NONCOUNT, ONEDAY, NONREG of pipeline.demo.people)
# persons registered per year at scale 1 (calibration: cumulative registratie_effect 2019 ≈ 41,000)
REGISTRATIE_PER_JAAR = {2013: 1_600, 2014: 1_600, 2015: 14_000, 2016: 11_300, 2017: 5_900, 2018: 3_750,
                        2019: 3_250}
# grondslag at registration: school leavers, Wajong, seconded Wsw workers, indicatie banenafspraak
_GRONDSLAG = (("VSO_PRO", 0.30), ("WAJONG", 0.30), ("WSW", 0.15), ("IB", 0.25))
TERUGBOEKINGEN = 30  # December reversals per year at scale 1
_SCORE = 2.5  # added to the 'works a lot' score: they keep working once registered
_G = {g: i for i, g in enumerate(GRONDSLAGEN)}


def add_voorwerk(people: People, rng: np.random.Generator, s: float, ref: Reference) -> People:
    """People with the voorwerk group appended (new persons and their one registration)."""
    years = np.array(sorted(REGISTRATIE_PER_JAAR))
    n_year = np.array([max(1, round(REGISTRATIE_PER_JAAR[int(y)] * s)) for y in years])
    n = int(n_year.sum())
    existing = set(people.bsn.tolist())
    bsn = np.array([b for b in _make_bsns(rng, n + len(existing) // 50 + 64).tolist() if b not in existing][:n],
                   dtype=np.int64)
    assert len(bsn) == n, "not enough new BSNs for the voorwerk group"
    ids = people.n + np.arange(n)
    reg_year = np.repeat(years, n_year)
    ingang = rand_day_in_year(rng, reg_year)
    u = rng.random(n)
    cum = np.cumsum([p for _, p in _GRONDSLAG])
    grondslag = np.array([_G[g] for g, _ in _GRONDSLAG])[np.minimum(np.searchsorted(cum, u * cum[-1]), len(cum) - 1)]
    leave_y = reg_year + rng.geometric(0.03, n)
    einde = np.where(leave_y <= 2023, rand_day_in_year(rng, np.minimum(leave_y, 2023)), OPEN)
    einde = np.maximum(einde, ingang + 1)  # never a one-day registration
    woon = rng.choice(35, size=n, p=AMR_W) + 1
    latent = rng.standard_normal(n) + _SCORE

    out = People(
        bsn=np.concatenate([people.bsn, bsn]),
        group=np.concatenate([people.group, np.full(n, VOORWERK)]),
        woonregio=np.concatenate([people.woonregio, woon]),
        latent=np.concatenate([people.latent, latent]),
        oneday_year=np.concatenate([people.oneday_year, np.zeros(n, dtype=np.int64)]),
        reg_person=np.concatenate([people.reg_person, ids]),
        reg_grondslag=np.concatenate([people.reg_grondslag, grondslag]),
        reg_ingang=np.concatenate([people.reg_ingang, ingang]),
        reg_einde=np.concatenate([people.reg_einde, einde]),
    )
    out.cnt_ing, out.cnt_end, out.cnt_n = _pad_counting(out.reg_person, out.reg_grondslag, out.reg_ingang,
                                                        out.reg_einde, out.n, ref)
    return out


def voorwerk_cells(rng: np.random.Generator, people: People, year: int) -> tuple[np.ndarray, np.ndarray]:
    """The jobs of the voorwerk persons not yet registered in December of `year` (one each): the
    person and the intended cell (seconded Wsw workers: inleen, via CAA 22 at an SW-bedrijf or
    another inleen recipe; the others mostly a formal job at a market employer)."""
    dec31 = day(year, 12, 31)
    pw = np.flatnonzero((people.group == VOORWERK) & (people.cnt_ing[0] > dec31))
    wsw = people.reg_grondslag[_registration_of(people, pw)] == _G["WSW"]
    other = rng.choice(np.array([FM, FO, INL]), size=len(pw), p=[0.75, 0.10, 0.15])
    return pw, np.where(wsw, INL, other).astype(np.int64)


def _registration_of(people: People, persons: np.ndarray) -> np.ndarray:
    """The index of the (only) registration of each voorwerk person."""
    first = np.full(people.n, -1, dtype=np.int64)
    idx = np.flatnonzero(people.group[people.reg_person] == VOORWERK)
    first[people.reg_person[idx]] = idx
    return first[persons]



def terugboekingen(rng: np.random.Generator, year: int, ref: Reference, counted: np.ndarray, candidate: np.ndarray,
                   person: np.ndarray, n_persons: int, s: float) -> np.ndarray:
    """Per payroll record: whether its hours become a reversal (negative). Only `candidate` records
    (counted, single version, a whole December month) that are their person's only counted record,
    and none in a year whose number of working persons is published."""
    out = np.zeros(len(candidate), dtype=bool)
    if year in ref.werkzame_personen:
        return out
    per_person = np.bincount(person[counted], minlength=n_persons)
    pool = np.flatnonzero(candidate & (per_person[person] == 1))
    m = min(len(pool), max(3, round(TERUGBOEKINGEN * s)))
    out[rng.choice(pool, size=m, replace=False)] = True
    return out
