"""Persons and their doelgroepregister registrations (the rows of the doelgroepregister extract).

`make_people` draws every person of the demo (BSNs passing the elfproef, woonregio, a latent
'works a lot' score) in six groups: the cohort registered at the nulmeting, registrations ended
before it, entrants per year, persons with only non-counting grondslagen, persons whose only
counting registration lasts one day, and persons not in the register. Their registrations carry
the R4 traps (re-entries, overlapping grounds, one-day and non-counting registrations).
`member_in_period` is the R4 whole-period rule on the padded counting registrations.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipeline.demo.dates import OPEN, day, jan1, rand_day, rand_day_in_year, year_of
from pipeline.demo.reference import Reference

__all__ = [
    "AMR_W",
    "COH",
    "ENT",
    "GRONDSLAGEN",
    "NONCOUNT",
    "NONREG",
    "ONEDAY",
    "PRE",
    "People",
    "counting_mask",
    "elfproef_ok",
    "make_people",
    "member_in_period",
]

GRONDSLAGEN = ("IB", "PR", "VSO_PRO", "WSW", "WAJONG", "WIW_ID", "GELIJK_78D", "VOORZIENING", "BESCHUT")
_G = {g: i for i, g in enumerate(GRONDSLAGEN)}
COH, PRE, ENT, NONCOUNT, ONEDAY, NONREG = range(6)  # person groups
AMR_W = np.linspace(2.0, 0.6, 35)  # weights of the 35 arbeidsmarktregio's (woonregio, employer region)
AMR_W = AMR_W / AMR_W.sum()


def elfproef_ok(bsn: np.ndarray) -> np.ndarray:
    """True where the BSN is 9 digits passing the elfproef (9*d1 + ... + 2*d8 - d9 = 0 mod 11).

    Accepts strings (exactly 9 digits, leading zeros kept) or non-negative integers.
    """
    a = np.asarray(bsn)
    if a.dtype.kind in "iu":
        n = a.astype(np.int64)
        ok = (n >= 0) & (n < 10**9)
    else:
        s = a.astype(str)
        ok = (np.char.str_len(s) == 9) & np.char.isdigit(s)
        n = np.zeros(s.shape, dtype=np.int64)
        if ok.any():
            n[ok] = s[ok].astype(np.int64)
    digits = (n[..., None] // (10 ** np.arange(8, -1, -1, dtype=np.int64))) % 10
    weights = np.array([9, 8, 7, 6, 5, 4, 3, 2, -1], dtype=np.int64)
    return ok & ((digits @ weights) % 11 == 0)


def _make_bsns(rng: np.random.Generator, n: int) -> np.ndarray:
    """n unique 9-digit BSNs (int64) passing the elfproef, in random order (vectorised)."""
    m = int(n * 1.2) + 64
    weights = np.arange(9, 1, -1, dtype=np.int64)
    powers = 10 ** np.arange(7, -1, -1, dtype=np.int64)
    while True:
        pre = rng.integers(1, 10**8, size=m, dtype=np.int64)
        check = (((pre[:, None] // powers) % 10) @ weights) % 11
        ok = check < 10
        bsn = pre[ok] * 10 + check[ok]
        _, first = np.unique(bsn, return_index=True)
        bsn = bsn[np.sort(first)]
        if len(bsn) >= n:
            return bsn[:n]
        m *= 2


def _grondslag_draw(rng, n, year_arr) -> np.ndarray:
    """Counting grondslag of a new registration, by the year it starts."""
    year_arr = np.broadcast_to(np.asarray(year_arr), (n,))
    u = rng.random(n)
    early = np.select([u < 0.75, u < 0.95], [_G["WAJONG"], _G["WSW"]], _G["WIW_ID"])
    late = np.select(
        [u < 0.33, u < 0.57, u < 0.75, u < 0.80, u < 0.82],
        [_G["IB"], _G["VSO_PRO"], _G["WAJONG"], _G["GELIJK_78D"], _G["WIW_ID"]],
        _G["IB"],
    )
    pr = (year_arr >= 2021) & (u >= 0.90)
    late = np.where(pr, _G["PR"], late)
    return np.where(year_arr < 2015, early, late).astype(np.int64)


@dataclass
class People:
    bsn: np.ndarray  # int64
    group: np.ndarray
    woonregio: np.ndarray  # 1..35
    latent: np.ndarray
    oneday_year: np.ndarray  # year of the one-day registration for ONEDAY persons, else 0
    reg_person: np.ndarray
    reg_grondslag: np.ndarray  # index into GRONDSLAGEN
    reg_ingang: np.ndarray
    reg_einde: np.ndarray  # OPEN = null
    # counting registrations (telt_mee, not one day), padded: [k, person] (row c: each person's c-th)
    cnt_ing: np.ndarray = None
    cnt_end: np.ndarray = None
    cnt_n: np.ndarray = None  # number of counting registrations per person

    @property
    def n(self) -> int:
        return len(self.bsn)


def make_people(rng: np.random.Generator, s: float, ref: Reference) -> People:
    n12 = round(247_739 * s)
    n_pre = max(20, round(4_000 * s))
    ent_years = np.arange(2013, 2024)
    ent_base = {2013: 3_000, 2014: 3_000, 2015: 9_000, 2016: 8_000}
    n_ent = np.array([max(5, round(ent_base.get(int(y), 5_000) * s)) for y in ent_years])
    n_nc = max(20, round(8_000 * s))
    n_od = max(60, round(500 * s))
    n_nr = max(100, round(30_000 * s))
    sizes = [n12, n_pre, int(n_ent.sum()), n_nc, n_od, n_nr]
    group = np.repeat(np.arange(6), sizes)
    P = len(group)
    bsn = _make_bsns(rng, P)
    woon = rng.choice(35, size=P, p=AMR_W) + 1
    latent = rng.standard_normal(P)
    starts = np.concatenate([[0], np.cumsum(sizes)])
    ids = [np.arange(starts[i], starts[i + 1]) for i in range(6)]

    rp, rg, ri, re_ = [], [], [], []

    def add(p, g, i, e):
        rp.append(np.asarray(p, np.int64))
        rg.append(np.broadcast_to(np.asarray(g, np.int64), np.shape(p)).copy())
        ri.append(np.asarray(i, np.int64))
        re_.append(np.asarray(e, np.int64))

    last_day = day(2023, 12, 31)
    # cohort: a counting registration valid on 31-12-2012
    coh = ids[COH]
    c_ing = rand_day(rng, np.full(n12, day(1998, 1, 1)), day(2012, 12, 31))
    u = rng.random(n12)
    c_g = np.select([u < 0.55, u < 0.93], [_G["WAJONG"], _G["WSW"]], _G["WIW_ID"])
    leave_y = 2012 + rng.geometric(0.012, n12)
    c_end = np.where(leave_y <= 2023, rand_day_in_year(rng, np.minimum(leave_y, 2023)), OPEN)
    add(coh, c_g, c_ing, c_end)

    # ended before the nulmeting (35% in Nov/Dec 2012: whole-period rule in the nulmeting)
    pre = ids[PRE]
    p_ing = rand_day(rng, np.full(n_pre, day(1998, 1, 1)), day(2012, 6, 30))
    late_end = rng.random(n_pre) < 0.35
    p_end = np.where(
        late_end,
        rand_day(rng, np.full(n_pre, day(2012, 11, 1)), day(2012, 12, 30)),
        rand_day(rng, p_ing + 30, day(2012, 12, 30)),
    )
    p_g = np.where(rng.random(n_pre) < 0.6, _G["WAJONG"], _G["WSW"])
    add(pre, p_g, p_ing, p_end)
    reenter = rng.random(n_pre) < 0.20
    r_ing = rand_day(rng, np.full(int(reenter.sum()), day(2013, 1, 1)), day(2023, 6, 30))
    add(pre[reenter], _grondslag_draw(rng, int(reenter.sum()), year_of(r_ing)), r_ing,
        np.full(int(reenter.sum()), OPEN))

    # entrants per year
    ent = ids[ENT]
    e_year = np.repeat(ent_years, n_ent)
    e_ing = rand_day_in_year(rng, e_year)
    e_g = _grondslag_draw(rng, len(ent), e_year)
    leave_y = e_year + rng.geometric(0.012, len(ent))
    e_end = np.where(leave_y <= 2023, rand_day_in_year(rng, np.minimum(leave_y, 2023)), OPEN)
    short = rng.random(len(ent)) < 0.03
    e_end = np.where(short, e_ing + rng.integers(1, 401, len(ent)), e_end)
    add(ent, e_g, e_ing, e_end)

    # re-entry of leavers (cohort and entrants)
    main_p = np.concatenate([coh, ent])
    main_end = np.concatenate([c_end, e_end])
    main_ing = np.concatenate([c_ing, e_ing])
    main_g = np.concatenate([c_g, e_g])
    left = (main_end != OPEN) & (rng.random(len(main_p)) < 0.15)
    r_ing = main_end[left] + rng.integers(60, 901, int(left.sum()))
    ok = r_ing <= last_day
    add(main_p[left][ok], _grondslag_draw(rng, int(ok.sum()), year_of(r_ing[ok])), r_ing[ok],
        np.full(int(ok.sum()), OPEN))

    # a second, overlapping counting registration on another ground
    sec = rng.random(len(main_p)) < 0.06
    s_ing = np.minimum(main_ing[sec] + rng.integers(0, 1501, int(sec.sum())), last_day)
    s_end = np.where(rng.random(int(sec.sum())) < 0.6, OPEN, s_ing + rng.integers(30, 1501, int(sec.sum())))
    s_g = _grondslag_draw(rng, int(sec.sum()), year_of(s_ing))
    s_g = np.where(s_g == main_g[sec], np.where(s_g == _G["WAJONG"], _G["WSW"], _G["WAJONG"]), s_g)
    add(main_p[sec], s_g, s_ing, s_end)

    # an extra non-counting registration, and an extra one-day counting one
    vz = rng.random(len(main_p)) < 0.02
    add(main_p[vz], _G["VOORZIENING"], rand_day(rng, np.full(int(vz.sum()), day(2017, 1, 1)), day(2023, 6, 30)),
        np.full(int(vz.sum()), OPEN))
    od = rng.random(len(main_p)) < 0.01
    od_day = rand_day(rng, np.full(int(od.sum()), day(2010, 1, 1)), last_day)
    add(main_p[od], _grondslag_draw(rng, int(od.sum()), year_of(od_day)), od_day, od_day)

    # persons with only non-counting grondslagen (several of them work)
    nc = ids[NONCOUNT]
    nc_g = np.where(rng.random(n_nc) < 0.55, _G["VOORZIENING"], _G["BESCHUT"])
    nc_ing = rand_day(rng, np.full(n_nc, day(2015, 1, 1)), day(2023, 6, 30))
    nc_end = np.where(rng.random(n_nc) < 0.10, nc_ing + rng.integers(100, 1501, n_nc), OPEN)
    add(nc, nc_g, nc_ing, nc_end)

    # persons whose only counting registration lasts one day, in or just before December
    odp = ids[ONEDAY]
    od_year = rng.integers(2012, 2024, n_od)
    u = rng.random(n_od)
    dec31 = jan1(od_year + 1) - 1
    od_day = np.select(
        [u < 0.25, u < 0.80],
        [dec31, rand_day(rng, dec31 - 30, dec31 - 1)],  # 31 Dec; 1-30 Dec
        rand_day(rng, dec31 - 56, dec31 - 31),  # 5-30 Nov (four-weekly period 12)
    )
    od_g = _grondslag_draw(rng, n_od, od_year)
    add(odp, od_g, od_day, od_day)
    oneday_year = np.zeros(P, dtype=np.int64)
    oneday_year[odp] = od_year

    people = People(
        bsn=bsn, group=group, woonregio=woon, latent=latent, oneday_year=oneday_year,
        reg_person=np.concatenate(rp), reg_grondslag=np.concatenate(rg),
        reg_ingang=np.concatenate(ri), reg_einde=np.concatenate(re_),
    )
    assert (people.reg_einde >= people.reg_ingang).all()
    people.cnt_ing, people.cnt_end, people.cnt_n = _pad_counting(
        people.reg_person, people.reg_grondslag, people.reg_ingang, people.reg_einde, P, ref)
    return people


def counting_mask(grondslag_idx: np.ndarray, ingang, einde, ref: Reference) -> np.ndarray:
    """R4: registrations on a grondslag that telt_mee, one-day registrations excepted."""
    telt = np.array([ref.telt_mee.get(g, False) for g in GRONDSLAGEN])
    return telt[grondslag_idx] & (einde != ingang)  # R4: a one-day registration is ignored


def _pad_counting(person, grondslag, ingang, einde, n_persons, ref):
    """Counting registrations (R4) per person as padded [k, person] arrays of ingang / einde
    (int32, padding that never overlaps) and the number of them per person."""
    m = counting_mask(grondslag, ingang, einde, ref)
    p, i, e = person[m], ingang[m], einde[m]
    order = np.argsort(p, kind="stable")
    p, i, e = p[order], i[order], e[order]
    counts = np.bincount(p, minlength=n_persons)
    k = max(1, int(counts.max()) if len(counts) else 1)
    start = np.concatenate([[0], np.cumsum(counts)[:-1]])
    rank = np.arange(len(p)) - start[p]
    ing = np.full((k, n_persons), np.iinfo(np.int32).max, dtype=np.int32)
    end = np.full((k, n_persons), np.iinfo(np.int32).min, dtype=np.int32)
    ing[rank, p] = i
    end[rank, p] = e
    return ing, end, counts


def member_in_period(people: People, person: np.ndarray, begin: np.ndarray, end: np.ndarray) -> np.ndarray:
    """R4 whole-period rule: a counting registration overlaps [begin, end] on at least one day.

    Each person's first registration is tried for every row, the c-th only for the rows still not
    covered of persons with more than c (most persons have one).
    """
    ing, ein = people.cnt_ing, people.cnt_end
    out = (ing[0][person] <= end) & (ein[0][person] >= begin)
    if len(ing) > 1:
        n_reg = people.cnt_n[person]
        for c in range(1, len(ing)):
            todo = np.flatnonzero(~out & (n_reg > c))
            if len(todo) == 0:
                break
            p = person[todo]
            out[todo] = (ing[c][p] <= end[todo]) & (ein[c][p] >= begin[todo])
    return out
