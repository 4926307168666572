"""Employers and their register versions (the rows of the werkgevers extract), and R5/R6 on them.

`make_employers` draws the employers of the demo by kind (market, uitzend, payroll, government,
privatised government, SW-bedrijf) with Zipf weights, a payroll period kind, a
loonheffingennummer, names and a version history carrying the R6 traps (status changes on
1 January and mid-year, two versions in the first year, a gap year, ceased employers).
`effective` is R6 (the version that applies in a year), `cells` is R5 + R6 (the cell of a job).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl

from pipeline.demo.dates import OPEN, day, jan1, rand_day, rand_day_in_year
from pipeline.demo.people import AMR_W
from pipeline.demo.reference import EXCL, FM, FO, INL, Reference

__all__ = [
    "FOURWEEK",
    "GOV",
    "MKT",
    "MONTH",
    "PAY",
    "PRIV",
    "SW",
    "UITZ",
    "WEEK",
    "Employers",
    "cells",
    "effective",
    "make_employers",
]

MKT, UITZ, PAY, GOV, PRIV, SW = range(6)  # employer kinds
_FORMEEL = -1  # R5 vorm 'formeel': the cell follows from R6 (FM or FO)
_VORM_CELL = {"inleen": INL, "uitgesloten": EXCL}
MONTH, FOURWEEK, WEEK = range(3)  # payroll period kinds
_MARKET_SECTORS = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 16, 17, 18, 19, 20, 22, 23, 24, 26,
                            28, 29, 30, 31, 32, 33, 34, 35, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48,
                            49, 50, 51, 53, 54, 55, 56, 57, 58, 59, 67, 68, 69])
_OSEC_WEIGHT = {
    "Rijk": 5, "Gemeenten": 17, "Provincies": 2, "Waterschappen": 1.5, "Primair onderwijs": 38,
    "Voortgezet onderwijs": 14, "MBO": 3, "HBO": 2, "WO": 1, "UMC": 0.6, "Defensie": 0.3,
    "Politie": 0.3, "Rechterlijke macht": 0.3, "Overig": 12,
}
_OSEC_SRG = {
    "Rijk": 61, "Politie": 61, "Rechterlijke macht": 61, "Defensie": 62, "Gemeenten": 63,
    "Provincies": 63, "Waterschappen": 63, "Overig": 64, "Primair onderwijs": 65,
    "Voortgezet onderwijs": 65, "MBO": 65, "HBO": 65, "WO": 65, "UMC": 66,
}
_OSEC_PREFIX = {
    "Rijk": "Rijksdienst", "Gemeenten": "Gemeente", "Provincies": "Provincie", "Waterschappen": "Waterschap",
    "Primair onderwijs": "Stichting Primair Onderwijs", "Voortgezet onderwijs": "Scholengroep", "MBO": "ROC",
    "HBO": "Hogeschool", "WO": "Universiteit", "UMC": "UMC", "Defensie": "Defensie-eenheid",
    "Politie": "Politie-eenheid", "Rechterlijke macht": "Rechtbank", "Overig": "Overheidsstichting",
}
_PLACES = np.array([
    "Amsterdam", "Rotterdam", "Utrecht", "Eindhoven", "Groningen", "Tilburg", "Almere", "Breda", "Nijmegen",
    "Apeldoorn", "Arnhem", "Haarlem", "Enschede", "Amersfoort", "Zaanstad", "Zwolle", "Leiden", "Maastricht",
    "Dordrecht", "Ede", "Emmen", "Venlo", "Deventer", "Delft", "Sittard", "Helmond", "Oss", "Hengelo",
    "Leeuwarden", "Assen", "Heerlen", "Roosendaal", "Middelburg", "Gouda", "Den Helder", "Alkmaar",
    "Lelystad", "Hoorn", "Doetinchem", "Terneuzen",
])
_TRADES = np.array([
    "Bakkerij", "Installatiebedrijf", "Transport", "Hoveniersbedrijf", "Schoonmaakbedrijf", "Zorggroep",
    "Supermarkt", "Drukkerij", "Garage", "Logistiek", "Metaalbewerking", "Horeca", "Kwekerij", "Bouwbedrijf",
    "Adviesbureau", "Recycling", "Catering", "Groothandel", "Facilitair Bedrijf", "Autobedrijf",
])
_SURNAMES = np.array([
    "De Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "De Boer", "Mulder", "De Groot", "Bos", "Vos",
    "Peters", "Hendriks", "Van Leeuwen", "Dekker", "Brouwer", "De Wit", "Dijkstra", "Smits", "De Graaf",
])
_LEGAL = np.array(["B.V.", "B.V.", "B.V.", "V.O.F.", "N.V.", "Holding B.V."])


@dataclass
class Employers:
    kind: np.ndarray
    pkind: np.ndarray  # payroll period kind
    weight: np.ndarray
    lhnr: np.ndarray  # str
    region: np.ndarray  # 1..35
    kvk: np.ndarray  # str
    # versions
    v_emp: np.ndarray
    v_from: np.ndarray
    v_to: np.ndarray  # OPEN = null
    v_srg: np.ndarray
    v_owg: np.ndarray  # bool
    v_aandeel: np.ndarray  # hundredths (int)
    v_osec: np.ndarray  # index into overheidssectoren, -1 = null
    v_sw: np.ndarray  # bool
    v_naam: np.ndarray  # str
    spare_bases: np.ndarray = None  # unused 9-digit numbers for the bad werkgevers rows
    _eff_cache: dict = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.kind)


def make_employers(rng: np.random.Generator, s: float, ref: Reference) -> Employers:
    E = max(600, round(35_000 * s))
    n_uitz = max(6, round(0.025 * E))
    n_pay = max(3, round(0.005 * E))
    n_sw = max(4, round(90 * s))
    n_gov = max(30, round(0.06 * E))
    n_priv = max(2, round(0.002 * E))
    n_mkt = E - n_uitz - n_pay - n_sw - n_gov - n_priv
    kind = rng.permutation(np.repeat([MKT, UITZ, PAY, GOV, PRIV, SW], [n_mkt, n_uitz, n_pay, n_gov, n_priv, n_sw]))

    # weights: Zipf within kind, rank 1 = biggest
    alpha = np.array([0.6, 1.1, 0.8, 0.7, 0.5, 0.4])
    rank = np.zeros(E, dtype=np.int64)
    for k in range(6):
        idx = np.flatnonzero(kind == k)
        rank[idx] = rng.permutation(len(idx)) + 1
    weight = 1.0 / rank ** alpha[kind]

    # payroll period kind
    u = rng.random(E)
    pk = np.select([u < 0.72, u < 0.92], [MONTH, FOURWEEK], WEEK)
    pk = np.where(kind == UITZ, np.select([u < 0.25, u < 0.65], [MONTH, FOURWEEK], WEEK), pk)
    pk = np.where(kind == PAY, np.select([u < 0.5, u < 0.8], [MONTH, FOURWEEK], WEEK), pk)
    pk = np.where(kind == GOV, np.where(u < 0.95, MONTH, FOURWEEK), pk)
    pk = np.where(kind == SW, np.where(u < 0.8, MONTH, FOURWEEK), pk)

    # loonheffingennummer: unique 9-digit base + 'L' + subnummer
    base = np.unique(rng.integers(10**8, 10**9, size=E + E // 5 + 50, dtype=np.int64))
    base = rng.permutation(base)[: E + 3]  # +3 spare bases for bad rows
    u = rng.random(E)
    sub = np.select([u < 0.90, u < 0.97], [1, 2], rng.integers(3, 13, E))
    lhnr = (pl.Series(base[:E]).cast(pl.String) + "L" + pl.Series(sub).cast(pl.String).str.pad_start(2, "0")).to_numpy()
    region = rng.choice(35, size=E, p=AMR_W) + 1
    kvk = pl.Series(rng.integers(10**7, 10**8, E)).cast(pl.String).to_numpy()

    # base attributes
    osecs = ref.overheidssectoren
    ow = np.array([_OSEC_WEIGHT.get(o, 1.0) for o in osecs])
    osec = np.where(kind == GOV, rng.choice(len(osecs), size=E, p=ow / ow.sum()), -1)
    srg_map = np.array([_OSEC_SRG.get(o, 64) for o in osecs])
    srg = rng.choice(_MARKET_SECTORS, size=E)
    srg = np.where(kind == UITZ, 52, srg)
    srg = np.where(kind == PAY, np.where(rng.random(E) < 0.7, 44, 45), srg)
    srg = np.where(kind == GOV, srg_map[np.maximum(osec, 0)], srg)
    srg = np.where(kind == PRIV, rng.integers(61, 67, E), srg)
    sw_owg = (kind == SW) & (rng.random(E) < 0.6)
    srg = np.where(kind == SW, np.where(sw_owg, 63, 45), srg)
    gemeenten = osecs.index("Gemeenten")
    osec = np.where(sw_owg, gemeenten, osec)
    owg = (kind == GOV) | sw_owg
    sw = kind == SW
    u = rng.random(E)
    onderwijs = np.isin(osec, [osecs.index(o) for o in ("Primair onderwijs", "Voortgezet onderwijs", "MBO", "HBO", "WO")])
    hi_share = np.where(onderwijs, 0.22, 0.06)
    aandeel = np.select(
        [u < 0.76, u < 0.84, u < 0.86, u < 0.88],
        [0, rng.integers(5, 46, E), 49, 50],
        rng.integers(55, 101, E),
    )
    aandeel = np.where((kind == GOV) & (u >= 0.88) & (rng.random(E) > hi_share / 0.12), 0, aandeel)
    aandeel = np.where(kind == GOV, aandeel, np.where(rng.random(E) < 0.12, rng.integers(0, 101, E), 0))
    aandeel = np.where(kind == SW, 0, aandeel)
    # the biggest employers of every kind are plain (single version, from long ago) so that every
    # pool is non-empty in every year; the biggest government employers are plain overheid
    top = rank <= 3
    aandeel = np.where(top & (kind == GOV), 0, aandeel)

    # names
    place = _PLACES[rng.integers(0, len(_PLACES), E)]
    trade = _TRADES[rng.integers(0, len(_TRADES), E)]
    sur = _SURNAMES[rng.integers(0, len(_SURNAMES), E)]
    legal = _LEGAL[rng.integers(0, len(_LEGAL), E)]
    prefix = np.array([_OSEC_PREFIX.get(o, "Overheidsorganisatie") for o in osecs])[np.maximum(osec, 0)]
    naam = pl.select(
        pl.when(pl.lit(pl.Series(kind)) == UITZ).then(pl.lit(pl.Series(sur)) + " Uitzendgroep " + pl.lit(pl.Series(legal)))
        .when(pl.lit(pl.Series(kind)) == PAY).then(pl.lit(pl.Series(sur)) + " Payroll " + pl.lit(pl.Series(legal)))
        .when(pl.lit(pl.Series(kind)) == GOV).then(pl.lit(pl.Series(prefix)) + " " + pl.lit(pl.Series(place)))
        .when(pl.lit(pl.Series(kind)) == SW).then(pl.lit(pl.Series(place)) + " Werkt (SW-bedrijf)")
        .when(pl.lit(pl.Series(kind)) == PRIV).then(pl.lit(pl.Series(place)) + " Diensten " + pl.lit(pl.Series(legal)))
        .otherwise(pl.lit(pl.Series(trade)) + " " + pl.lit(pl.Series(sur)) + " " + pl.lit(pl.Series(legal)))
        .alias("naam")
    ).to_series().to_numpy()

    # version histories: A plain, B change, C new in y0, D two versions in y0, E gap, F ceased
    A, B, C, D, EGAP, F = range(6)
    u = rng.random(E)
    hist = np.select([u < 0.82, u < 0.87, u < 0.94, u < 0.95, u < 0.96], [A, B, C, D, EGAP], F)
    ug = rng.random(E)
    hist_gov = np.select([ug < 0.68, ug < 0.84, ug < 0.88, ug < 0.92, ug < 0.96], [A, B, C, D, EGAP], F)
    hist = np.where(kind == GOV, hist_gov, hist)
    hist = np.where(top, A, hist)

    start0 = rand_day(rng, np.full(E, day(1970, 1, 1)), day(2011, 12, 31))
    y0 = rng.integers(2012, 2024, E)
    jan1_y0 = jan1(y0)
    # new employers start by the end of August, before the first payroll period written for them
    c_start = np.where(rng.random(E) < 0.15, jan1_y0, rand_day(rng, jan1_y0, jan1_y0 + 239))
    d_a = rand_day(rng, jan1_y0, jan1_y0 + 119)
    d_b = rand_day(rng, jan1_y0 + 121, jan1_y0 + 239)
    yc = rng.integers(2013, 2024, E)
    b_change = np.where(rng.random(E) < 0.5, jan1(yc), rand_day(rng, jan1(yc) + 31, jan1(yc + 1) - 1))
    e_g1 = rand_day(rng, jan1(yc - 1), jan1(yc) - 2)
    e_g2 = rand_day(rng, jan1(yc), jan1(yc) + 239)
    f_end = np.where(rng.random(E) < 0.5, jan1(yc + 1) - 1, rand_day_in_year(rng, yc))

    v1_from = np.select([hist == C, hist == D], [c_start, d_a], start0)
    v1_to = np.select([hist == B, hist == D, hist == EGAP, hist == F], [b_change - 1, d_b - 1, e_g1, f_end], OPEN)
    has_v2 = np.isin(hist, [B, D, EGAP])
    v2_from = np.select([hist == B, hist == D, hist == EGAP], [b_change, d_b, e_g2], OPEN)

    # what changes in the second version: government employers flip sector status
    gov_v1_overheid = owg & (aandeel < round(ref.sectorfonds_drempel * 100))
    flip = has_v2 & (kind == GOV) & ((hist != B) | (rng.random(E) < 0.7))
    weight = np.where(flip, weight * 4.0, weight)  # make these traps material
    uf = rng.random(E)
    privatise = flip & gov_v1_overheid & (hist == B) & (uf < 0.35)
    to_fonds = flip & gov_v1_overheid & ~privatise
    from_fonds = flip & ~gov_v1_overheid
    a2 = np.where(to_fonds, np.where(uf > 0.8, 50, rng.integers(55, 101, E)), aandeel)
    a2 = np.where(from_fonds, rng.integers(0, 46, E), a2)
    owg2 = np.where(privatise, False, owg)
    osec2 = np.where(privatise, -1, osec)
    naam2 = np.where(has_v2 & ~flip, pl.Series(naam).str.replace(r"( B\.V\.| N\.V\.| V\.O\.F\.)?$", " Groep$1").to_numpy(), naam)

    e1 = np.arange(E)
    e2 = e1[has_v2]
    v_emp = np.concatenate([e1, e2])
    emp = Employers(
        kind=kind, pkind=pk, weight=weight, lhnr=lhnr, region=region, kvk=kvk,
        v_emp=v_emp,
        v_from=np.concatenate([v1_from, v2_from[has_v2]]),
        v_to=np.concatenate([v1_to, np.full(len(e2), OPEN)]),
        v_srg=np.concatenate([srg, srg[has_v2]]),
        v_owg=np.concatenate([owg, owg2[has_v2]]),
        v_aandeel=np.concatenate([aandeel, a2[has_v2]]),
        v_osec=np.concatenate([osec, osec2[has_v2]]),
        v_sw=np.concatenate([sw, sw[has_v2]]),
        v_naam=np.concatenate([naam, naam2[has_v2]]),
    )
    emp.spare_bases = base[E:E + 3]
    order = np.lexsort((emp.v_from, emp.v_emp))
    for name in ("v_emp", "v_from", "v_to", "v_srg", "v_owg", "v_aandeel", "v_osec", "v_sw", "v_naam"):
        setattr(emp, name, getattr(emp, name)[order])
    # versions of one employer never overlap
    same = emp.v_emp[1:] == emp.v_emp[:-1]
    assert (emp.v_from[1:][same] > emp.v_to[:-1][same]).all()
    assert (emp.v_to >= emp.v_from).all()
    return emp


def effective(emp: Employers, year: int) -> tuple[np.ndarray, np.ndarray]:
    """R6: per employer the register version that applies in `year` (-1 = none), and whether the
    employer is usable for December jobs (it also has a version covering 31 December)."""
    if year in emp._eff_cache:
        return emp._eff_cache[year]
    peil = day(year - 1, 12, 31)
    y0, y1 = day(year, 1, 1), day(year, 12, 31)
    idx = np.arange(len(emp.v_emp))
    eff = np.full(emp.n, -1, dtype=np.int64)
    valid = (emp.v_from <= peil) & (emp.v_to >= peil)
    assert len(np.unique(emp.v_emp[valid])) == int(valid.sum())
    eff[emp.v_emp[valid]] = idx[valid]
    cand = idx[(emp.v_from >= y0) & (emp.v_from <= y1)]
    cand = cand[eff[emp.v_emp[cand]] == -1]
    cand = cand[np.lexsort((emp.v_from[cand], emp.v_emp[cand]))]
    firsts, pos = np.unique(emp.v_emp[cand], return_index=True)
    eff[firsts] = cand[pos]
    active = np.zeros(emp.n, dtype=bool)
    m = (emp.v_from <= y1) & (emp.v_to >= y1)
    active[emp.v_emp[m]] = True
    out = (eff, (eff >= 0) & active)
    emp._eff_cache[year] = out
    return out


def cells(caa: np.ndarray, version: np.ndarray, emp: Employers, ref: Reference) -> np.ndarray:
    """R5 (first matching rule of caa_vorm.csv) and R6 (sector) -> cell code FM/FO/INL/EXCL."""
    srg = emp.v_srg[version]
    sw = emp.v_sw[version]
    cell = np.full(len(caa), _FORMEEL, dtype=np.int64)
    done = np.zeros(len(caa), dtype=bool)
    for rule in ref.caa_rules:
        m = ~done
        if rule.caa is not None:
            m &= caa == rule.caa
        if rule.srg is not None:
            m &= srg == rule.srg
        if rule.sw is not None:
            m &= sw == rule.sw
        cell[m] = _VORM_CELL.get(rule.cell_vorm, _FORMEEL)
        done |= m
    assert done.all(), "caa_vorm.csv has no catch-all rule"
    overheid = emp.v_owg[version] & (emp.v_aandeel[version] / 100.0 < ref.sectorfonds_drempel)
    return np.where(cell == _FORMEEL, np.where(overheid, FO, FM), cell).astype(np.int64)
