"""Synthetic national delivery for the demo and the end-to-end tests.

`generate_delivery(out_dir, years, scale, seed, bad_rows)` writes a delivery folder in the
formats of docs/EXTRACTS.md (`polis/`, `werkgevers/`, `doelgroepregister/`) and returns a
`Bookkeeping`. The bookkeeping is the independent oracle for the pipeline: per year it holds the
December hours per cell (formeel_markt, formeel_overheid, inleen; before the verdeelsleutel), the
number of working persons and the size of the doelgroep. They come from the generator's own
arrays (numpy), through a separate implementation of METHOD R1-R6 and R10 (`_oracle`), never by
reading the files back. The bookkeeping is also written as JSON next to the delivery folder
(`<out_dir>.boekhouding.json`), never inside it.

Calibration: at scale s the three cells of year Y hit s x the banen of data/demo/kalibratie.csv
times 25.5 x 31 / 7 hours (25.5 from data/reference/parameters.csv) to within 0.05 hours. Jobs
get random realistic hours; the hours of each cell are then scaled to the target, written with two
decimals (internally integer centi-hours, so the files and the oracle hold the same numbers), and
the rounding residual is put on one balancing December record of the cell.
Where data/reference/gepubliceerde_cijfers.csv publishes werkzame_personen (R10; the nulmeting:
63,837 persons in 2012), the number of distinct working persons of that year is round(s x it): before
calibration, jobs are moved between members (persons with several jobs absorb the rest), see
`_fit_working_persons`. Other years are not touched.

What the data contains on purpose (the traps a correct pipeline must get right):

- R1: corrections on a later date (in `polis/polis_correcties.csv`, a file holding several years),
  same-day corrections told apart by volgnummer (sometimes a later date with a lower volgnummer),
  reversals with negative hours that are superseded, corrections on exactly the cut-off date
  (count) and the day after (do not count), records delivered only after the cut-off (never
  count), a few final versions of 0 hours.
- R3: monthly, four-weekly (13th period to 31 Dec; 12th period 5 Nov-2 Dec or 4 Nov-1 Dec in leap
  years) and weekly periods (cut at the year boundary, e.g. a one-day week on 31 Dec 2012), each
  job with one or two periods before December; jobs that start or end around December.
- R4: registrations that start or end inside a period overlapping December (the whole period
  counts), one-day registrations (ignored; some on 31 December), non-counting grondslagen
  (VOORZIENING, BESCHUT) for working persons, workers not in the register, persons with several
  registrations spread over the two register files.
- R5: CAA 11/82/22 and CAA 1 at sector 52 are inleen; CAA 21 at a sector-52 employer and CAA 24
  anywhere are excluded; any other CAA at an SW-bedrijf is excluded but CAA 22 there is inleen;
  CAA 23 at a regular employer and CAA 18 at government employers are formeel.
- R6: government employers under a sectorfonds (aandeel >= 0.5, some exactly 0.50) count as
  markt; market employers with a low aandeel stay markt; employers in sector 61-66 that are no
  overheidswerkgever are markt; status changes by a new version starting on 1 January (the old
  version still applies that year), mid-year, two versions starting in the same (first) year
  (the earliest applies), and a gap year (the earliest version starting in Y applies).
  `sector_risicogroep` 52 and `sw_bedrijf` never change between versions of one employer.
- Bad rows (bad_rows=True): about 30 rows breaking one EXTRACTS rule each, several of them
  'shadowing' a real record (same key, later aanleverdatum) or making a non-member look like a
  member, so that not quarantining them would change the figures.
"""

from __future__ import annotations

import csv
import datetime as _dt
import gzip
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

__all__ = [
    "DEMO_YEARS",
    "Bookkeeping",
    "generate_delivery",
    "december_hours",
    "elfproef_ok",
    "bookkeeping_path",
]

DEMO_YEARS = (2012, 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023)

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
REFERENCE_DIR = DATA_DIR / "reference"
KALIBRATIE_CSV = DATA_DIR / "demo" / "kalibratie.csv"

CELLS = ("formeel_markt", "formeel_overheid", "inleen")
FM, FO, INL, EXCL = 0, 1, 2, 3  # cell codes; EXCL = vorm 'uitgesloten'
BAD_RULES = (
    "bsn_elfproef",
    "loonheffingennummer_patroon",
    "tijdvak_volgorde",
    "tijdvak_kalenderjaar",
    "uren_maximum",
    "grondslag_onbekend",
    "datum_ongeldig",
    "register_datumvolgorde",
)

_EPOCH_ORD = _dt.date(1970, 1, 1).toordinal()


def _day(y: int, m: int, d: int) -> int:
    """Days since 1970-01-01."""
    return _dt.date(y, m, d).toordinal() - _EPOCH_ORD


OPEN = _day(9999, 12, 31)  # internal sentinel for an open end date (written as null)
_JAN1 = np.array([_day(y, 1, 1) for y in range(1960, 2041)], dtype=np.int64)


def _jan1(years: np.ndarray) -> np.ndarray:
    return _JAN1[np.asarray(years, dtype=np.int64) - 1960]


def _year_of(days: np.ndarray) -> np.ndarray:
    return np.asarray(days, dtype=np.int64).astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def _rand_day(rng: np.random.Generator, lo, hi) -> np.ndarray:
    """Uniform day in [lo, hi] (inclusive); lo/hi scalars or arrays."""
    lo = np.asarray(lo, dtype=np.int64)
    hi = np.asarray(hi, dtype=np.int64)
    size = np.broadcast(lo, hi).shape
    return lo + np.floor(rng.random(size) * (hi - lo + 1)).astype(np.int64)


def _rand_day_in_year(rng: np.random.Generator, years: np.ndarray) -> np.ndarray:
    years = np.asarray(years, dtype=np.int64)
    return _rand_day(rng, _jan1(years), _jan1(years + 1) - 1)


def _as_days(a) -> np.ndarray:
    a = np.asarray(a)
    if a.dtype.kind == "M":
        return a.astype("datetime64[D]").astype(np.int64)
    if a.dtype == object:
        return np.array([(_dt.date.toordinal(x) - _EPOCH_ORD) for x in a], dtype=np.int64)
    return a.astype(np.int64)


# ----------------------------------------------------------------------------------------------
# Public helpers
# ----------------------------------------------------------------------------------------------


def december_hours(begin: np.ndarray, einde: np.ndarray, uren: np.ndarray, year: int) -> np.ndarray:
    """METHOD R3: the hours of each payroll period that fall in 1-31 December of `year`.

    `verloonde_uren x (days of the period inside December) / (days of the period)`. begin/einde
    are inclusive dates as datetime64 or as integer days since 1970-01-01.
    """
    b = _as_days(begin)
    e = _as_days(einde)
    u = np.asarray(uren, dtype=np.float64)
    dec1, dec31 = _day(year, 12, 1), _day(year, 12, 31)
    inside = np.clip(np.minimum(e, dec31) - np.maximum(b, dec1) + 1, 0, None)
    days = e - b + 1
    return np.where(inside > 0, u * inside / np.where(days > 0, days, 1), 0.0)


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


def bookkeeping_path(out_dir: Path) -> Path:
    out_dir = Path(out_dir)
    return out_dir.parent / (out_dir.name + ".boekhouding.json")


# ----------------------------------------------------------------------------------------------
# Bookkeeping
# ----------------------------------------------------------------------------------------------


@dataclass
class Bookkeeping:
    """What a correct measurement of the generated delivery finds (the test oracle)."""

    seed: int
    scale: float
    years: list[int]
    uren_per_baan_per_week: float
    uren_per_baan_venster: float  # 25.5 x 31 / 7
    uren: dict[int, dict[str, float]]  # December hours per cell, before the verdeelsleutel
    doel_uren: dict[int, dict[str, float]]  # calibration targets the cells were fitted to
    werkzame_personen: dict[int, int]
    doelgroep_omvang: dict[int, int]
    aandeel_markt: dict[int, float]
    sleutel: dict[int, str]
    bad_rows: list[dict] = field(default_factory=list)
    rows: dict[str, dict[str, int]] = field(default_factory=dict)  # extract -> file -> rows written
    kalibratie_factor: dict[int, dict[str, float]] = field(default_factory=dict)  # diagnostics

    def banen(self, year: int) -> dict[str, float]:
        return {cell: hours / self.uren_per_baan_venster for cell, hours in self.uren[year].items()}

    def to_dict(self) -> dict:
        d = asdict(self)
        for name in ("uren", "doel_uren", "werkzame_personen", "doelgroep_omvang", "aandeel_markt",
                     "sleutel", "kalibratie_factor"):
            d[name] = {str(k): v for k, v in d[name].items()}
        return d

    def write(self, path: Path) -> None:
        Path(path).write_text(json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    @classmethod
    def from_dict(cls, d: dict) -> "Bookkeeping":
        d = dict(d)
        for name in ("uren", "doel_uren", "werkzame_personen", "doelgroep_omvang", "aandeel_markt",
                     "sleutel", "kalibratie_factor"):
            d[name] = {int(k): v for k, v in d.get(name, {}).items()}
        return cls(**d)

    @classmethod
    def from_json(cls, path: Path) -> "Bookkeeping":
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


# ----------------------------------------------------------------------------------------------
# Reference data
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _CaaRule:
    caa: int | None
    srg: int | None
    sw: bool | None
    cell_vorm: str  # formeel / inleen / uitgesloten


@dataclass(frozen=True)
class _Reference:
    uren_per_baan_per_week: float
    sectorfonds_drempel: float
    afsluit_maand: int
    afsluit_dag: int
    caa_rules: tuple[_CaaRule, ...]
    telt_mee: dict[str, bool]
    overheidssectoren: tuple[str, ...]
    kalibratie: dict[int, dict]
    werkzame_personen: dict[int, int] = field(default_factory=dict)  # published R10 counts (national)

    def cutoff(self, year: int) -> int:
        return _day(year + 1, self.afsluit_maand, self.afsluit_dag)


def _read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _load_reference() -> _Reference:
    params = {r["naam"]: r["waarde"] for r in _read_csv(REFERENCE_DIR / "parameters.csv")}
    maand, dag = (int(x) for x in params["afsluitdatum_maand_dag"].split("-"))
    rules = []
    for r in sorted(_read_csv(REFERENCE_DIR / "caa_vorm.csv"), key=lambda r: int(r["volgorde"])):
        rules.append(_CaaRule(
            caa=int(r["code_aard_arbeidsverhouding"]) if r["code_aard_arbeidsverhouding"] else None,
            srg=int(r["sector_risicogroep"]) if r["sector_risicogroep"] else None,
            sw=(r["sw_bedrijf"] == "J") if r["sw_bedrijf"] else None,
            cell_vorm=r["vorm"],
        ))
    telt = {r["grondslag"]: r["telt_mee"] == "J" for r in _read_csv(REFERENCE_DIR / "grondslag.csv")}
    osec = tuple(r["overheidssector"] for r in _read_csv(REFERENCE_DIR / "overheidssector.csv"))
    kal = {}
    for r in _read_csv(KALIBRATIE_CSV):
        kal[int(r["jaar"])] = {
            "formeel_markt": float(r["formeel_markt_banen"]),
            "formeel_overheid": float(r["formeel_overheid_banen"]),
            "inleen": float(r["inleen_banen"]),
            "aandeel_markt": float(r["aandeel_markt"]),
            "sleutel": r["sleutel"],
        }
    return _Reference(
        uren_per_baan_per_week=float(params["uren_per_baan_per_week"]),
        sectorfonds_drempel=float(params["sectorfonds_drempel"]),
        afsluit_maand=maand,
        afsluit_dag=dag,
        caa_rules=tuple(rules),
        telt_mee=telt,
        overheidssectoren=osec,
        kalibratie=kal,
        werkzame_personen=_published_persons(),
    )


def _published_persons() -> dict[int, int]:
    """Published werkzame_personen (R10) per year from gepubliceerde_cijfers.csv (the nulmeting)."""
    path = REFERENCE_DIR / "gepubliceerde_cijfers.csv"
    if not path.is_file():
        return {}
    return {int(r["jaar"]): int(r["waarde"]) for r in _read_csv(path)
            if r["grootheid"] == "werkzame_personen" and r["sector"] == "totaal" and r["vorm"] == "totaal"}


# ----------------------------------------------------------------------------------------------
# Persons and the doelgroepregister
# ----------------------------------------------------------------------------------------------

GRONDSLAGEN = ("IB", "PR", "VSO_PRO", "WSW", "WAJONG", "WIW_ID", "GELIJK_78D", "VOORZIENING", "BESCHUT")
_G = {g: i for i, g in enumerate(GRONDSLAGEN)}
COH, PRE, ENT, NONCOUNT, ONEDAY, NONREG = range(6)  # person groups
_AMR_W = np.linspace(2.0, 0.6, 35)
_AMR_W = _AMR_W / _AMR_W.sum()


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
class _People:
    bsn: np.ndarray  # int64
    group: np.ndarray
    woonregio: np.ndarray  # 1..35
    latent: np.ndarray
    oneday_year: np.ndarray  # year of the one-day registration for ONEDAY persons, else 0
    reg_person: np.ndarray
    reg_grondslag: np.ndarray  # index into GRONDSLAGEN
    reg_ingang: np.ndarray
    reg_einde: np.ndarray  # OPEN = null
    # padded counting registrations (telt_mee, not one day): [person, k]
    cnt_ing: np.ndarray = None
    cnt_end: np.ndarray = None

    @property
    def n(self) -> int:
        return len(self.bsn)


def _make_people(rng: np.random.Generator, s: float, ref: _Reference) -> _People:
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
    woon = rng.choice(35, size=P, p=_AMR_W) + 1
    latent = rng.standard_normal(P)
    starts = np.concatenate([[0], np.cumsum(sizes)])
    ids = [np.arange(starts[i], starts[i + 1]) for i in range(6)]

    rp, rg, ri, re_ = [], [], [], []

    def add(p, g, i, e):
        rp.append(np.asarray(p, np.int64))
        rg.append(np.broadcast_to(np.asarray(g, np.int64), np.shape(p)).copy())
        ri.append(np.asarray(i, np.int64))
        re_.append(np.asarray(e, np.int64))

    last_day = _day(2023, 12, 31)
    # cohort: a counting registration valid on 31-12-2012
    coh = ids[COH]
    c_ing = _rand_day(rng, np.full(n12, _day(1998, 1, 1)), _day(2012, 12, 31))
    u = rng.random(n12)
    c_g = np.select([u < 0.55, u < 0.93], [_G["WAJONG"], _G["WSW"]], _G["WIW_ID"])
    leave_y = 2012 + rng.geometric(0.012, n12)
    c_end = np.where(leave_y <= 2023, _rand_day_in_year(rng, np.minimum(leave_y, 2023)), OPEN)
    add(coh, c_g, c_ing, c_end)

    # ended before the nulmeting (35% in Nov/Dec 2012: whole-period rule in the nulmeting)
    pre = ids[PRE]
    p_ing = _rand_day(rng, np.full(n_pre, _day(1998, 1, 1)), _day(2012, 6, 30))
    late_end = rng.random(n_pre) < 0.35
    p_end = np.where(
        late_end,
        _rand_day(rng, np.full(n_pre, _day(2012, 11, 1)), _day(2012, 12, 30)),
        _rand_day(rng, p_ing + 30, _day(2012, 12, 30)),
    )
    p_g = np.where(rng.random(n_pre) < 0.6, _G["WAJONG"], _G["WSW"])
    add(pre, p_g, p_ing, p_end)
    reenter = rng.random(n_pre) < 0.20
    r_ing = _rand_day(rng, np.full(int(reenter.sum()), _day(2013, 1, 1)), _day(2023, 6, 30))
    add(pre[reenter], _grondslag_draw(rng, int(reenter.sum()), _year_of(r_ing)), r_ing,
        np.full(int(reenter.sum()), OPEN))

    # entrants per year
    ent = ids[ENT]
    e_year = np.repeat(ent_years, n_ent)
    e_ing = _rand_day_in_year(rng, e_year)
    e_g = _grondslag_draw(rng, len(ent), e_year)
    leave_y = e_year + rng.geometric(0.012, len(ent))
    e_end = np.where(leave_y <= 2023, _rand_day_in_year(rng, np.minimum(leave_y, 2023)), OPEN)
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
    add(main_p[left][ok], _grondslag_draw(rng, int(ok.sum()), _year_of(r_ing[ok])), r_ing[ok],
        np.full(int(ok.sum()), OPEN))

    # a second, overlapping counting registration on another ground
    sec = rng.random(len(main_p)) < 0.06
    s_ing = np.minimum(main_ing[sec] + rng.integers(0, 1501, int(sec.sum())), last_day)
    s_end = np.where(rng.random(int(sec.sum())) < 0.6, OPEN, s_ing + rng.integers(30, 1501, int(sec.sum())))
    s_g = _grondslag_draw(rng, int(sec.sum()), _year_of(s_ing))
    s_g = np.where(s_g == main_g[sec], np.where(s_g == _G["WAJONG"], _G["WSW"], _G["WAJONG"]), s_g)
    add(main_p[sec], s_g, s_ing, s_end)

    # an extra non-counting registration, and an extra one-day counting one
    vz = rng.random(len(main_p)) < 0.02
    add(main_p[vz], _G["VOORZIENING"], _rand_day(rng, np.full(int(vz.sum()), _day(2017, 1, 1)), _day(2023, 6, 30)),
        np.full(int(vz.sum()), OPEN))
    od = rng.random(len(main_p)) < 0.01
    od_day = _rand_day(rng, np.full(int(od.sum()), _day(2010, 1, 1)), last_day)
    add(main_p[od], _grondslag_draw(rng, int(od.sum()), _year_of(od_day)), od_day, od_day)

    # persons with only non-counting grondslagen (several of them work)
    nc = ids[NONCOUNT]
    nc_g = np.where(rng.random(n_nc) < 0.55, _G["VOORZIENING"], _G["BESCHUT"])
    nc_ing = _rand_day(rng, np.full(n_nc, _day(2015, 1, 1)), _day(2023, 6, 30))
    nc_end = np.where(rng.random(n_nc) < 0.10, nc_ing + rng.integers(100, 1501, n_nc), OPEN)
    add(nc, nc_g, nc_ing, nc_end)

    # persons whose only counting registration lasts one day, in or just before December
    odp = ids[ONEDAY]
    od_year = rng.integers(2012, 2024, n_od)
    u = rng.random(n_od)
    dec31 = _jan1(od_year + 1) - 1
    od_day = np.select(
        [u < 0.25, u < 0.80],
        [dec31, _rand_day(rng, dec31 - 30, dec31 - 1)],  # 31 Dec; 1-30 Dec
        _rand_day(rng, dec31 - 56, dec31 - 31),  # 5-30 Nov (four-weekly period 12)
    )
    od_g = _grondslag_draw(rng, n_od, od_year)
    add(odp, od_g, od_day, od_day)
    oneday_year = np.zeros(P, dtype=np.int64)
    oneday_year[odp] = od_year

    people = _People(
        bsn=bsn, group=group, woonregio=woon, latent=latent, oneday_year=oneday_year,
        reg_person=np.concatenate(rp), reg_grondslag=np.concatenate(rg),
        reg_ingang=np.concatenate(ri), reg_einde=np.concatenate(re_),
    )
    assert (people.reg_einde >= people.reg_ingang).all()
    people.cnt_ing, people.cnt_end = _pad_counting(
        people.reg_person, people.reg_grondslag, people.reg_ingang, people.reg_einde, P, ref)
    return people


def _counting_mask(grondslag_idx: np.ndarray, ingang, einde, ref: _Reference) -> np.ndarray:
    telt = np.array([ref.telt_mee.get(g, False) for g in GRONDSLAGEN])
    return telt[grondslag_idx] & (einde != ingang)  # R4: a one-day registration is ignored


def _pad_counting(person, grondslag, ingang, einde, n_persons, ref):
    """Counting registrations (R4) per person as padded [person, k] arrays of ingang / einde."""
    m = _counting_mask(grondslag, ingang, einde, ref)
    p, i, e = person[m], ingang[m], einde[m]
    order = np.argsort(p, kind="stable")
    p, i, e = p[order], i[order], e[order]
    counts = np.bincount(p, minlength=n_persons)
    k = max(1, int(counts.max()) if len(counts) else 1)
    start = np.concatenate([[0], np.cumsum(counts)[:-1]])
    rank = np.arange(len(p)) - start[p]
    ing = np.full((n_persons, k), np.iinfo(np.int64).max, dtype=np.int64)
    end = np.full((n_persons, k), np.iinfo(np.int64).min, dtype=np.int64)
    ing[p, rank] = i
    end[p, rank] = e
    return ing, end


def _member_in_period(people: _People, person: np.ndarray, begin: np.ndarray, end: np.ndarray) -> np.ndarray:
    """R4 whole-period rule: a counting registration overlaps [begin, end] on at least one day."""
    ing = people.cnt_ing[person]
    ein = people.cnt_end[person]
    return ((ing <= end[:, None]) & (ein >= begin[:, None])).any(axis=1)


# ----------------------------------------------------------------------------------------------
# Employers
# ----------------------------------------------------------------------------------------------

MKT, UITZ, PAY, GOV, PRIV, SW = range(6)  # employer kinds
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
class _Employers:
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


def _make_employers(rng: np.random.Generator, s: float, ref: _Reference) -> _Employers:
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
    region = rng.choice(35, size=E, p=_AMR_W) + 1
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

    start0 = _rand_day(rng, np.full(E, _day(1970, 1, 1)), _day(2011, 12, 31))
    y0 = rng.integers(2012, 2024, E)
    jan1_y0 = _jan1(y0)
    # new employers start by the end of August, before the first payroll period written for them
    c_start = np.where(rng.random(E) < 0.15, jan1_y0, _rand_day(rng, jan1_y0, jan1_y0 + 239))
    d_a = _rand_day(rng, jan1_y0, jan1_y0 + 119)
    d_b = _rand_day(rng, jan1_y0 + 121, jan1_y0 + 239)
    yc = rng.integers(2013, 2024, E)
    b_change = np.where(rng.random(E) < 0.5, _jan1(yc), _rand_day(rng, _jan1(yc) + 31, _jan1(yc + 1) - 1))
    e_g1 = _rand_day(rng, _jan1(yc - 1), _jan1(yc) - 2)
    e_g2 = _rand_day(rng, _jan1(yc), _jan1(yc) + 239)
    f_end = np.where(rng.random(E) < 0.5, _jan1(yc + 1) - 1, _rand_day_in_year(rng, yc))

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
    emp = _Employers(
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


def _effective(emp: _Employers, year: int) -> tuple[np.ndarray, np.ndarray]:
    """R6: per employer the register version that applies in `year` (-1 = none), and whether the
    employer is usable for December jobs (it also has a version covering 31 December)."""
    if year in emp._eff_cache:
        return emp._eff_cache[year]
    peil = _day(year - 1, 12, 31)
    y0, y1 = _day(year, 1, 1), _day(year, 12, 31)
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


def _cells(caa: np.ndarray, version: np.ndarray, emp: _Employers, ref: _Reference) -> np.ndarray:
    """R5 (first matching rule of caa_vorm.csv) and R6 (sector) -> cell code FM/FO/INL/EXCL."""
    srg = emp.v_srg[version]
    sw = emp.v_sw[version]
    vorm = np.full(len(caa), "", dtype=object)
    done = np.zeros(len(caa), dtype=bool)
    for rule in ref.caa_rules:
        m = ~done
        if rule.caa is not None:
            m &= caa == rule.caa
        if rule.srg is not None:
            m &= srg == rule.srg
        if rule.sw is not None:
            m &= sw == rule.sw
        vorm[m] = rule.cell_vorm
        done |= m
    assert done.all(), "caa_vorm.csv has no catch-all rule"
    overheid = emp.v_owg[version] & (emp.v_aandeel[version] / 100.0 < ref.sectorfonds_drempel)
    return np.select(
        [vorm == "inleen", vorm == "uitgesloten", overheid],
        [INL, EXCL, FO],
        FM,
    ).astype(np.int64)


# ----------------------------------------------------------------------------------------------
# Payroll periods
# ----------------------------------------------------------------------------------------------


def _period_table(year: int, kind: int) -> tuple[np.ndarray, np.ndarray, int]:
    """All payroll periods of a year: begin, end (inclusive), index of the first one overlapping December."""
    jan1, dec1, dec31 = _day(year, 1, 1), _day(year, 12, 1), _day(year, 12, 31)
    if kind == MONTH:
        b = np.array([_day(year, m, 1) for m in range(1, 13)], dtype=np.int64)
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


# ----------------------------------------------------------------------------------------------
# One measurement year: jobs, payroll records, calibration, versions
# ----------------------------------------------------------------------------------------------

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

# version types of a payroll record (R1)
PLAIN, CORR, SAMEDAY, LATE, ZERO, NEGINT, LATEONLY = range(7)
_VT_P = np.array([0.923, 0.045, 0.010, 0.012, 0.002, 0.004, 0.004])

_MEAN_COUNTED_HOURS_PER_JOB = 28.0 * 31 / 7 * 0.96


@dataclass
class _YearRows:
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
    kind: np.ndarray  # payroll period kind
    n_jobs: int
    factor: dict
    templates: np.ndarray  # row indexes: counted, single version, monthly December
    nonmember_persons: np.ndarray  # NONREG persons with a December record this year
    ikv: np.ndarray = None  # ikv_id number per row (set once all years are generated)


def _pick(rng, pool: np.ndarray, weight: np.ndarray, m: int) -> np.ndarray:
    if m == 0:
        return np.zeros(0, dtype=np.int64)
    p = weight[pool]
    return rng.choice(pool, size=m, p=p / p.sum())


def _assign_employers(rng, cell, year, emp: _Employers, ref: _Reference):
    eff, usable = _effective(emp, year)
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


def _fit_working_persons(rng, year: int, target: int, people: _People, person: np.ndarray, cell: np.ndarray,
                         r_job: np.ndarray, w: np.ndarray, vt: np.ndarray, tb: np.ndarray, te: np.ndarray,
                         ) -> np.ndarray:
    """Move jobs between members so that exactly `target` distinct persons have counted hours > 0
    (METHOD R10) in December of `year`, where feasible. Returns the new person of each job.

    A record ends up with counted hours > 0 when it overlaps December (w), its person is a member in
    the period (R4), its cell is not excluded (R5) and its final version before the cut-off has
    hours > 0 (every version type but LATEONLY and ZERO; calibration keeps every other record at
    >= 1 centi-hour). Jobs only move to persons with one counting registration covering 1 November -
    31 December, so a moved job that counted still counts (and the hours are calibrated afterwards):
    - too many persons: every job of d working persons goes to another working person;
    - too few: d extra counting jobs of persons with several counting jobs go to d members
      without any job this year.
    """
    J = len(person)

    def counting_jobs(pj: np.ndarray) -> np.ndarray:
        rp = pj[r_job]
        member = np.zeros(len(r_job), dtype=bool)
        member[w] = _member_in_period(people, rp[w], tb[w], te[w])
        rec = w & member & (vt != LATEONLY) & (vt != ZERO) & (cell[r_job] != EXCL)
        ok = np.zeros(J, dtype=bool)
        ok[r_job[rec]] = True
        return ok

    ok = counting_jobs(person)
    working = np.unique(person[ok])
    d = len(working) - target
    if d == 0:
        return person
    full = ((people.cnt_ing <= _day(year, 11, 1)) & (people.cnt_end >= _day(year, 12, 31))).any(axis=1)
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
    got = len(np.unique(new[counting_jobs(new)]))
    assert got == len(working) + (d if len(working) < target else -d), "person fit did not move as planned"
    return new


def _make_year(rng, year: int, people: _People, emp: _Employers, ref: _Reference, targets: dict, s: float,
               persons_rng: np.random.Generator | None = None) -> _YearRows:
    dec1, dec31 = _day(year, 12, 1), _day(year, 12, 31)
    cutoff = ref.cutoff(year)
    P = people.n

    # who is a member around December (counting registration overlapping 1 Nov - 31 Dec)
    elig = ((people.cnt_ing <= dec31) & (people.cnt_end >= _day(year, 11, 1))).any(axis=1)
    elig_idx = np.flatnonzero(elig)

    # counted-intent jobs: numbers per cell from the targets
    n_c = {c: max(4, round(targets[CELLS[c]] / _MEAN_COUNTED_HOURS_PER_JOB)) for c in (FM, FO, INL)}
    n_jobs = sum(n_c.values())
    n_workers = min(len(elig_idx), max(1, round(n_jobs / 1.09)))
    score = people.latent[elig_idx] + 0.6 * rng.standard_normal(len(elig_idx))
    workers = elig_idx[np.argsort(-score, kind="stable")[:n_workers]]
    extra = workers[rng.integers(0, n_workers, n_jobs - n_workers)]
    j_person = [workers, extra]
    j_cell = [rng.permutation(np.repeat([FM, FO, INL], [n_c[FM], n_c[FO], n_c[INL]]))]

    # excluded jobs of members (Wsw beschut, beschut werk, Wsw inside the SW-bedrijf)
    rest = np.setdiff1d(elig_idx, workers)
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

    person = np.concatenate(j_person).astype(np.int64)
    cell = np.concatenate(j_cell).astype(np.int64)
    J = len(person)
    j_emp, j_caa, eff = _assign_employers(rng, cell, year, emp, ref)
    j_ver = eff[j_emp]
    assert (j_ver >= 0).all()
    rule_cell = _cells(j_caa, j_ver, emp, ref)
    assert (rule_cell == cell).all(), "generator picked an employer/CAA outside the intended cell"
    j_kind = emp.pkind[j_emp]
    # one-day persons: monthly payroll, so their registration day lies inside the December period
    j_kind = np.where(people.group[person] == ONEDAY, np.where(rng.random(J) < 0.7, MONTH, FOURWEEK), j_kind)

    # job interval, periods before December, weekly hours
    u = rng.random(J)
    js = np.where(u < 0.04, _rand_day(rng, np.full(J, _day(year, 10, 1)), dec31), _day(year - 3, 1, 1))
    je = np.where(u > 0.97, _rand_day(rng, np.full(J, _day(year, 10, 15)), dec31 - 1), OPEN)
    nb = np.where(rng.random(J) < 0.6, 1, 2)
    weekly = np.round((4.0 + 36.0 * rng.beta(2.6, 1.3, J)) * 2) / 2

    # payroll records: the periods overlapping December and one or two before
    rj, rb, re_ = [], [], []
    for kind in (MONTH, FOURWEEK, WEEK):
        b, e, d0 = _period_table(year, kind)
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
    member[w] = _member_in_period(people, r_person[w], tb[w], te[w])

    # R10: where a national count of working persons is published (the nulmeting), hit s x it
    if year in ref.werkzame_personen and persons_rng is not None:
        person = _fit_working_persons(persons_rng, year, round(s * ref.werkzame_personen[year]), people,
                                      person, cell, r_job, w, vt, tb, te)
        r_person = person[r_job]
        member[:] = False
        member[w] = _member_in_period(people, r_person[w], tb[w], te[w])
    counted = w & member & (vt != LATEONLY) & (r_cell != EXCL)

    # calibration per cell: scale, round to centi-hours, put the residual on one December record
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
        k[in_cell] = np.maximum(k[in_cell], 1)
        kf = np.where(vt == ZERO, 0, k)
        bal_cand = np.flatnonzero(cm & (vt == PLAIN) & (frac == 1.0) & (days == 31))
        if len(bal_cand) == 0:
            bal_cand = np.flatnonzero(cm & (vt == PLAIN) & (frac == 1.0))
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

    vr, va, vv, vk, vf = [], [], [], [], []

    def add(mask, a, v, kk, in_file):
        idx = np.flatnonzero(mask)
        vr.append(idx)
        va.append(np.broadcast_to(a, (R,))[idx] if np.ndim(a) else np.full(len(idx), a))
        vv.append(np.broadcast_to(v, (R,))[idx] if np.ndim(v) else np.full(len(idx), v))
        vk.append(np.broadcast_to(kk, (R,))[idx] if np.ndim(kk) else np.full(len(idx), kk))
        vf.append(np.full(len(idx), in_file))

    add(vt == PLAIN, a0, 1, kfin, True)
    add(vt == CORR, a0, np.where(swap, 2, 1), k_orig, True)
    add(vt == CORR, a1, 1, kfin, False)
    add(vt == SAMEDAY, a0, 1, k_orig, True)
    add((vt == SAMEDAY) & three, a0, 2, np.minimum(np.round(k_orig * 0.9).astype(np.int64), 2400 * days), True)
    add(vt == SAMEDAY, a0, np.where(three, 3, 2), kfin, True)
    add(vt == LATE, a0, 1, kfin, True)
    add(vt == LATE, a_late, 1, k_late, False)
    add(vt == ZERO, a0, 1, np.maximum(k, 1), True)
    add(vt == ZERO, a1, 1, 0, False)
    add(vt == NEGINT, a0, 1, k_orig, True)
    add(vt == NEGINT, a0 + rev_gap, 1, -k_orig, False)
    add(vt == NEGINT, a_neg_final, 1, kfin, False)
    add(vt == LATEONLY, a_late, 1, kfin, False)
    v_rec = np.concatenate(vr)
    v_a = np.concatenate(va).astype(np.int64)
    v_v = np.concatenate(vv).astype(np.int64)
    v_k = np.concatenate(vk).astype(np.int64)
    v_f = np.concatenate(vf).astype(bool)
    order = np.argsort(v_rec, kind="stable")
    v_rec, v_a, v_v, v_k, v_f = v_rec[order], v_a[order], v_v[order], v_k[order], v_f[order]

    rec_job = r_job[v_rec]
    templates = np.flatnonzero(
        counted[v_rec] & (vt[v_rec] == PLAIN) & (days[v_rec] == 31) & (r_cell[v_rec] == FM) & (kfin[v_rec] > 0)
    )
    nonmember = np.unique(r_person[w & (people.group[r_person] == NONREG) & (r_cell == FM)])
    return _YearRows(
        job=rec_job, person=person[rec_job], emp=j_emp[rec_job], caa=j_caa[rec_job],
        tb=tb[v_rec], te=te[v_rec], uren=v_k, aanl=v_a, vol=v_v, in_year_file=v_f,
        kind=j_kind[rec_job], n_jobs=J, factor=factors, templates=templates, nonmember_persons=nonmember,
    )


# ----------------------------------------------------------------------------------------------
# The oracle: METHOD R1-R6 and R10 on the generated arrays
# ----------------------------------------------------------------------------------------------


def _oracle(rows: dict, people: _People, emp: _Employers, ref: _Reference, years: Sequence[int]) -> dict:
    job, person, emp_i, caa = rows["job"], rows["person"], rows["emp"], rows["caa"]
    tb, te, uren, aanl, vol = rows["tb"], rows["te"], rows["uren"], rows["aanl"], rows["vol"]
    year = _year_of(tb)
    assert (_year_of(te) == year).all() and (te >= tb).all()
    cutoffs = np.array([ref.cutoff(int(y)) for y in range(1960, 2041)])
    ok = aanl <= cutoffs[year - 1960]
    # R1: per (employer, ikv, tijdvak_begin) the latest aanleverdatum <= cut-off, then volgnummer
    idx = np.flatnonzero(ok)
    idx = idx[np.lexsort((vol[idx], aanl[idx], tb[idx], job[idx]))]
    last = np.ones(len(idx), dtype=bool)
    last[:-1] = (job[idx][1:] != job[idx][:-1]) | (tb[idx][1:] != tb[idx][:-1])
    tie = ~last[:-1] & (aanl[idx][1:] == aanl[idx][:-1]) & (vol[idx][1:] == vol[idx][:-1]) & last[1:]
    assert not tie.any(), "two final versions with the same aanleverdatum and volgnummer"
    final = idx[last]
    result = {"uren": {}, "werkzame_personen": {}, "doelgroep_omvang": {}}
    reg_ok = _counting_mask(people.reg_grondslag, people.reg_ingang, people.reg_einde, ref)
    for y in years:
        f = final[year[final] == y]
        h = december_hours(tb[f], te[f], uren[f] / 100.0, y)  # R2/R3
        f, h = f[h != 0], h[h != 0]
        member = _member_in_period(people, person[f], tb[f], te[f])  # R4
        eff, _ = _effective(emp, y)  # R6 version (also used for R5)
        ver = eff[emp_i[f]]
        assert (ver >= 0).all(), f"payroll record of {y} at an employer without a version for {y}"
        cell = _cells(caa[f], ver, emp, ref)  # R5 + R6
        counted = member & (cell != EXCL)
        result["uren"][y] = {CELLS[c]: float(np.sum(h[counted & (cell == c)])) for c in (FM, FO, INL)}
        assert (h[counted] >= 0).all()
        result["werkzame_personen"][y] = int(len(np.unique(person[f][counted & (h > 0)])))  # R10
        dec31 = _day(y, 12, 31)
        valid = reg_ok & (people.reg_ingang <= dec31) & (people.reg_einde >= dec31)
        result["doelgroep_omvang"][y] = int(len(np.unique(people.reg_person[valid])))
    return result


# ----------------------------------------------------------------------------------------------
# Writing
# ----------------------------------------------------------------------------------------------

# per year: (format, options); years not listed alternate parquet / csv
_POLIS_FORMAT = {
    2012: ("csv", {"bom": True}),
    2015: ("parquet", {}),
    2016: ("csv.gz", {}),
    2017: ("parquet", {}),
    2018: ("csv", {"reorder": True}),
    2019: ("parquet", {}),
    2020: ("csv.gz", {}),
    2021: ("parquet", {}),
    2022: ("csv", {"short_decimals": True}),
    2023: ("parquet", {}),
}
POLIS_COLUMNS = ["bsn", "loonheffingennummer", "ikv_id", "tijdvak_begin", "tijdvak_einde", "verloonde_uren",
                 "code_aard_arbeidsverhouding", "aanleverdatum", "volgnummer"]
_POLIS_REORDER = ["ikv_id", "tijdvak_einde", "verloonde_uren", "bsn", "aanleverdatum", "tijdvak_begin",
                  "loonheffingennummer", "volgnummer", "code_aard_arbeidsverhouding"]
WERKGEVERS_COLUMNS = ["loonheffingennummer", "naam", "geldig_vanaf", "geldig_tot", "sector_risicogroep",
                      "overheidswerkgever", "uren_sectorfonds_aandeel", "overheidssector", "sw_bedrijf",
                      "arbeidsmarktregio"]
REGISTER_COLUMNS = ["bsn", "grondslag", "datum_ingang", "datum_einde", "woonregio"]
_REGISTER_REORDER = ["woonregio", "datum_einde", "bsn", "grondslag", "datum_ingang"]


def _polis_format(year: int) -> tuple[str, dict]:
    return _POLIS_FORMAT.get(year, ("parquet", {}) if year % 2 else ("csv", {}))


def _date_str(days: np.ndarray) -> pl.Series:
    """Dates as YYYY-MM-DD text; the OPEN sentinel becomes null."""
    d = np.asarray(days, dtype=np.int64)
    s = pl.Series(np.where(d == OPEN, 0, d).astype(np.int32)).cast(pl.Date).cast(pl.String)
    return pl.select(pl.when(pl.lit(pl.Series(d == OPEN))).then(None).otherwise(pl.lit(s))).to_series()


def _date_typed(days: np.ndarray) -> pl.Series:
    d = np.asarray(days, dtype=np.int64)
    s = pl.Series(np.where(d == OPEN, 0, d).astype(np.int32)).cast(pl.Date)
    return pl.select(pl.when(pl.lit(pl.Series(d == OPEN))).then(None).otherwise(pl.lit(s))).to_series()


def _centi_str(k: np.ndarray, short: bool = False) -> pl.Series:
    """Centi-hours as decimal-comma text: 1234 -> '12,34', -5 -> '-0,05' (short: '12,3', '12')."""
    k = np.asarray(k, dtype=np.int64)
    a = np.abs(k)
    df = pl.DataFrame({"neg": k < 0, "i": a // 100, "c": a % 100})
    frac = pl.col("c").cast(pl.String).str.pad_start(2, "0")
    if short:
        frac_expr = (
            pl.when(pl.col("c") == 0).then(pl.lit(""))
            .when(pl.col("c") % 10 == 0).then(pl.lit(",") + frac.str.slice(0, 1))
            .otherwise(pl.lit(",") + frac)
        )
    else:
        frac_expr = pl.lit(",") + frac
    return df.select(
        (pl.when(pl.col("neg")).then(pl.lit("-")).otherwise(pl.lit("")) + pl.col("i").cast(pl.String) + frac_expr)
        .alias("v")
    ).to_series()


def _share_str(hundredths: np.ndarray) -> pl.Series:
    return _centi_str(hundredths)


def _write_csv(df: pl.DataFrame, path: Path, bom: bool = False, gz: bool = False) -> None:
    text = df.write_csv(separator=";", include_bom=bom, null_value="", line_terminator="\n")
    data = text.encode("utf-8") if isinstance(text, str) else text
    if bom and not data.startswith(b"\xef\xbb\xbf"):
        data = b"\xef\xbb\xbf" + data
    if gz:
        data = gzip.compress(data, compresslevel=6, mtime=0)
    path.write_bytes(data)


def _write_parquet(df: pl.DataFrame, path: Path, schema: pa.Schema) -> None:
    table = df.to_arrow().cast(schema)
    pq.write_table(table, path, compression="zstd", row_group_size=1 << 20)


_POLIS_SCHEMA = pa.schema([
    ("bsn", pa.string()), ("loonheffingennummer", pa.string()), ("ikv_id", pa.string()),
    ("tijdvak_begin", pa.date32()), ("tijdvak_einde", pa.date32()), ("verloonde_uren", pa.float64()),
    ("code_aard_arbeidsverhouding", pa.int32()), ("aanleverdatum", pa.date32()), ("volgnummer", pa.int32()),
])
_REGISTER_SCHEMA = pa.schema([
    ("bsn", pa.string()), ("grondslag", pa.string()), ("datum_ingang", pa.date32()),
    ("datum_einde", pa.date32()), ("woonregio", pa.string()),
])


def _bsn_str(bsn: np.ndarray) -> pl.Series:
    return pl.Series(np.asarray(bsn, dtype=np.int64)).cast(pl.String).str.pad_start(9, "0")


def _amr_str(region: np.ndarray) -> pl.Series:
    return "AMR" + pl.Series(np.asarray(region, dtype=np.int64)).cast(pl.String).str.pad_start(2, "0")


def _insert_rows(rng, n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Order for n normal rows followed by m bad rows, with the bad rows at random positions.
    Returns (gather index, 0-based positions of the bad rows)."""
    if m == 0:
        return np.arange(n), np.zeros(0, dtype=np.int64)
    pos = np.sort(rng.choice(n + m, size=m, replace=False))
    order = np.empty(n + m, dtype=np.int64)
    is_bad = np.zeros(n + m, dtype=bool)
    is_bad[pos] = True
    order[is_bad] = n + np.arange(m)
    order[~is_bad] = np.arange(n)
    return order, pos


# ----------------------------------------------------------------------------------------------
# Bad rows
# ----------------------------------------------------------------------------------------------


def _break_elfproef(bsn: int) -> str:
    s = f"{int(bsn):09d}"
    return s[:8] + str((int(s[8]) + 1) % 10)


def _polis_bad_rows(rng, years, yr: dict, people, emp, ikv_next: dict, polis_files: list) -> dict:
    """Bad polis rows per file, as lists of dicts of text values (and the rule / column)."""
    csv_files = [f for f in polis_files if f["format"] != "parquet"]
    plan = (
        [("bsn_elfproef", "bsn")] * 4
        + [("loonheffingennummer_patroon", "loonheffingennummer")] * 3
        + [("tijdvak_volgorde", "tijdvak_einde")] * 3
        + [("tijdvak_kalenderjaar", "tijdvak_einde")] * 3
        + [("uren_maximum", "verloonde_uren")] * 3
    )
    out = {f["name"]: [] for f in polis_files}
    assignments = [(rule, col, polis_files[i % len(polis_files)]) for i, (rule, col) in enumerate(plan)]
    for i, col in enumerate(("tijdvak_begin", "tijdvak_einde", "aanleverdatum")):
        assignments.append(("datum_ongeldig", col, csv_files[i % len(csv_files)]))
    used_templates: dict[int, set] = {y: set() for y in years}
    spare = iter(emp.spare_bases)
    bad_lhnr_werkgever = f"{next(spare) // 10:08d}L01"  # 8 digits; also in the werkgevers file
    for n, (rule, col, f) in enumerate(assignments):
        y = f["year"] if f["year"] is not None else years[n % len(years)]
        r = yr[y]
        avail = [t for t in r.templates if int(t) not in used_templates[y]]
        t = int(avail[int(rng.integers(0, min(len(avail), 50)))]) if avail else int(r.templates[0])
        used_templates[y].add(t)
        e = int(r.emp[t])
        row = {
            "bsn": f"{int(people.bsn[r.person[t]]):09d}",
            "loonheffingennummer": str(emp.lhnr[e]),
            "ikv_id": None,
            "tijdvak_begin": f"{y}-12-01",
            "tijdvak_einde": f"{y}-12-31",
            "verloonde_uren": 14000,
            "code_aard_arbeidsverhouding": "1",
            "aanleverdatum": f"{y + 1}-01-20",
            "volgnummer": "1",
        }
        shadow = False
        if rule == "bsn_elfproef":
            row["bsn"] = _break_elfproef(people.bsn[r.person[t]])
        elif rule == "loonheffingennummer_patroon":
            variants = [bad_lhnr_werkgever, str(emp.lhnr[e])[:10] + str(emp.lhnr[e])[11:], str(emp.lhnr[e]).replace("L", "X")]
            row["loonheffingennummer"] = variants[n % 3]
        elif rule == "tijdvak_volgorde":
            row.update(tijdvak_begin=f"{y}-12-20", tijdvak_einde=f"{y}-12-06", verloonde_uren=6000)
        elif rule == "tijdvak_kalenderjaar":
            shadow = True
            row.update(tijdvak_einde=f"{y + 1}-01-31", verloonde_uren=int(2 * r.uren[t]))
        elif rule == "uren_maximum":
            shadow = True
            row.update(verloonde_uren=80000)  # 800 hours in 31 days (max 744)
        elif rule == "datum_ongeldig":
            if col == "tijdvak_begin":
                row["tijdvak_begin"] = f"01-12-{y}"
            elif col == "tijdvak_einde":
                row["tijdvak_einde"] = f"{y}-12-32"
            else:
                shadow = True
                row["aanleverdatum"] = f"{y + 1}-02-30"
        if shadow:  # same key as a real counted record, delivered later (before the cut-off)
            row["ikv_id"] = str(r.ikv[t])
            row["code_aard_arbeidsverhouding"] = str(int(r.caa[t]))
            if rule != "datum_ongeldig":
                row["aanleverdatum"] = f"{y + 1}-03-15"
        else:
            ikv_next[e] = ikv_next.get(e, 0) + 1
            row["ikv_id"] = str(ikv_next[e])
        value = row[col] if col != "verloonde_uren" else None
        row["verloonde_uren"] = _centi_str(np.array([row["verloonde_uren"]]))[0]
        if value is None:
            value = row["verloonde_uren"]
        out[f["name"]].append({"row": row, "regel": rule, "kolom": col, "waarde": value})
    return out, bad_lhnr_werkgever


def _register_bad_rows(rng, years, yr: dict, people) -> dict:
    """Bad register rows: (part, row dict, rule, column). Persons: non-members working that year."""
    plan = [
        ("deel1", "bsn_elfproef", "bsn"), ("deel2", "bsn_elfproef", "bsn"),
        ("deel1", "grondslag_onbekend", "grondslag"), ("deel1", "grondslag_onbekend", "grondslag"),
        ("deel2", "grondslag_onbekend", "grondslag"),
        ("deel1", "register_datumvolgorde", "datum_einde"), ("deel2", "register_datumvolgorde", "datum_einde"),
        ("deel2", "register_datumvolgorde", "datum_einde"),
        ("deel2", "datum_ongeldig", "datum_ingang"), ("deel2", "datum_ongeldig", "datum_einde"),
    ]
    unknown = ["WAJONG_OUD", "IB2", "ONBEKEND"]
    out = {"deel1": [], "deel2": []}
    for n, (part, rule, col) in enumerate(plan):
        y = years[n % len(years)]
        pool = yr[y].nonmember_persons
        p = int(pool[int(rng.integers(0, len(pool)))]) if len(pool) else int(np.flatnonzero(people.group == NONREG)[0])
        row = {
            "bsn": f"{int(people.bsn[p]):09d}", "grondslag": "IB", "datum_ingang": f"{y - 1}-01-01",
            "datum_einde": None, "woonregio": f"AMR{int(people.woonregio[p]):02d}",
        }
        if rule == "bsn_elfproef":
            row.update(bsn=_break_elfproef(people.bsn[p]), datum_ingang="2014-03-01")
        elif rule == "grondslag_onbekend":
            row["grondslag"] = unknown[n % 3]
        elif rule == "register_datumvolgorde":
            row.update(datum_ingang=f"{y}-12-20", datum_einde=f"{y}-12-05")
        elif rule == "datum_ongeldig":
            if col == "datum_ingang":
                row.update(grondslag="WAJONG", datum_ingang="2015-02-29")
            else:
                row.update(datum_ingang=f"{y}-01-01", datum_einde=f"{y}-13-01")
        out[part].append({"row": row, "regel": rule, "kolom": col, "waarde": row[col]})
    return out


# ----------------------------------------------------------------------------------------------
# Main entry point
# ----------------------------------------------------------------------------------------------


def _rng(seed: int, *stream: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64([int(seed), *stream]))


def _clear(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for p in folder.iterdir():
        if p.is_file() and p.name.endswith((".csv", ".csv.gz", ".parquet")):
            p.unlink()


def generate_delivery(
    out_dir: Path,
    years: Sequence[int] = DEMO_YEARS,
    scale: float = 1.0,
    seed: int = 2013,
    bad_rows: bool = True,
) -> Bookkeeping:
    """Write a synthetic delivery to out_dir and return (and write) its bookkeeping."""
    out_dir = Path(out_dir)
    years = tuple(sorted({int(y) for y in years}))
    if not years:
        raise ValueError("generate_delivery: no years")
    if not scale > 0:
        raise ValueError("generate_delivery: scale must be positive")
    ref = _load_reference()
    missing = [y for y in years if y not in ref.kalibratie]
    if missing:
        raise ValueError(f"generate_delivery: no calibration targets for {missing} in {KALIBRATIE_CSV}")
    upb = ref.uren_per_baan_per_week * 31 / 7
    targets = {y: {c: scale * ref.kalibratie[y][c] * upb for c in CELLS} for y in years}

    people = _make_people(_rng(seed, 1), scale, ref)
    emp = _make_employers(_rng(seed, 2), scale, ref)
    yr = {y: _make_year(_rng(seed, 3, y), y, people, emp, ref, targets[y], scale, _rng(seed, 7, y)) for y in years}

    # global job ids and ikv_id: a sequence number per employer over all years
    offset = 0
    for y in years:
        yr[y].job = yr[y].job + offset
        offset += yr[y].n_jobs
    rows = {name: np.concatenate([getattr(yr[y], name) for y in years])
            for name in ("job", "person", "emp", "caa", "tb", "te", "uren", "aanl", "vol", "in_year_file")}
    job_emp = np.zeros(offset, dtype=np.int64)
    job_emp[rows["job"]] = rows["emp"]
    jobs_seen = np.zeros(offset, dtype=bool)
    jobs_seen[rows["job"]] = True
    jid = np.flatnonzero(jobs_seen)
    o = jid[np.lexsort((jid, job_emp[jid]))]
    e_sorted = job_emp[o]
    group_start = np.r_[0, np.flatnonzero(e_sorted[1:] != e_sorted[:-1]) + 1]
    starts = np.repeat(group_start, np.diff(np.r_[group_start, len(o)]))
    ikv_of_job = np.zeros(offset, dtype=np.int64)
    ikv_of_job[o] = np.arange(len(o)) - starts + 1
    ikv_next = {}
    if len(o):
        last = np.r_[group_start[1:] - 1, len(o) - 1]
        ikv_next = dict(zip(e_sorted[last].tolist(), ikv_of_job[o[last]].tolist()))
    for y in years:
        yr[y].ikv = ikv_of_job[yr[y].job]

    # the oracle (R1-R6, R10) on everything written except the bad rows
    truth = _oracle(rows, people, emp, ref, years)
    for y in years:
        for c in CELLS:
            diff = truth["uren"][y][c] - targets[y][c]
            assert abs(diff) < 0.05, f"calibration {y} {c}: {truth['uren'][y][c]} vs {targets[y][c]}"

    # ---- files
    polis_dir, wg_dir, reg_dir = out_dir / "polis", out_dir / "werkgevers", out_dir / "doelgroepregister"
    for d in (polis_dir, wg_dir, reg_dir):
        _clear(d)
    bsn_s = _bsn_str(people.bsn)
    lhnr_s = pl.Series(emp.lhnr, dtype=pl.String)
    wrng = _rng(seed, 4)

    polis_files = []
    for y in years:
        fmt, opts = _polis_format(y)
        polis_files.append({"name": f"polis/polis_{y}.{fmt}", "format": fmt, "opts": opts, "year": y})
    polis_files.append({"name": "polis/polis_correcties.csv", "format": "csv", "opts": {}, "year": None})

    bad_list: list[dict] = []
    polis_bad, bad_lhnr_werkgever = ({}, None)
    reg_bad = {"deel1": [], "deel2": []}
    if bad_rows:
        polis_bad, bad_lhnr_werkgever = _polis_bad_rows(_rng(seed, 5), years, yr, people, emp, ikv_next, polis_files)
        reg_bad = _register_bad_rows(_rng(seed, 6), years, yr, people)

    row_counts: dict[str, dict[str, int]] = {"polis": {}, "werkgevers": {}, "doelgroepregister": {}}
    for f in polis_files:
        if f["year"] is not None:
            parts = [(yr[f["year"]], yr[f["year"]].in_year_file)]
        else:
            parts = [(yr[y], ~yr[y].in_year_file) for y in years]
        sel = {name: np.concatenate([getattr(r, name)[m] for r, m in parts])
               for name in ("person", "emp", "ikv", "caa", "tb", "te", "uren", "aanl", "vol")}
        n = len(sel["tb"])
        perm = wrng.permutation(n)
        sel = {k: v[perm] for k, v in sel.items()}
        bads = polis_bad.get(f["name"], [])
        order, pos = _insert_rows(wrng, n, len(bads))
        is_csv = f["format"] != "parquet"
        if is_csv:
            df = pl.DataFrame({
                "bsn": bsn_s.gather(sel["person"]),
                "loonheffingennummer": lhnr_s.gather(sel["emp"]),
                "ikv_id": pl.Series(sel["ikv"]).cast(pl.String),
                "tijdvak_begin": _date_str(sel["tb"]),
                "tijdvak_einde": _date_str(sel["te"]),
                "verloonde_uren": _centi_str(sel["uren"], short=f["opts"].get("short_decimals", False)),
                "code_aard_arbeidsverhouding": pl.Series(sel["caa"]).cast(pl.String),
                "aanleverdatum": _date_str(sel["aanl"]),
                "volgnummer": pl.Series(sel["vol"]).cast(pl.String),
            })
            if bads:
                df = pl.concat([df, pl.DataFrame([b["row"] for b in bads], schema={c: pl.String for c in POLIS_COLUMNS})])
                df = df[order]
            if f["opts"].get("reorder"):
                df = df.select(_POLIS_REORDER)
            _write_csv(df, out_dir / f["name"], bom=f["opts"].get("bom", False), gz=f["format"] == "csv.gz")
            line_of = pos + 2
        else:
            df = pl.DataFrame({
                "bsn": bsn_s.gather(sel["person"]),
                "loonheffingennummer": lhnr_s.gather(sel["emp"]),
                "ikv_id": pl.Series(sel["ikv"]).cast(pl.String),
                "tijdvak_begin": _date_typed(sel["tb"]),
                "tijdvak_einde": _date_typed(sel["te"]),
                "verloonde_uren": pl.Series(sel["uren"] / 100.0),
                "code_aard_arbeidsverhouding": pl.Series(sel["caa"].astype(np.int32)),
                "aanleverdatum": _date_typed(sel["aanl"]),
                "volgnummer": pl.Series(sel["vol"].astype(np.int32)),
            })
            if bads:
                typed = pl.DataFrame([b["row"] for b in bads], schema={c: pl.String for c in POLIS_COLUMNS}).select(
                    pl.col("bsn"), pl.col("loonheffingennummer"), pl.col("ikv_id"),
                    pl.col("tijdvak_begin").str.to_date("%Y-%m-%d"), pl.col("tijdvak_einde").str.to_date("%Y-%m-%d"),
                    pl.col("verloonde_uren").str.replace(",", ".", literal=True).cast(pl.Float64),
                    pl.col("code_aard_arbeidsverhouding").cast(pl.Int32),
                    pl.col("aanleverdatum").str.to_date("%Y-%m-%d"), pl.col("volgnummer").cast(pl.Int32),
                )
                df = pl.concat([df, typed])[order]
            _write_parquet(df, out_dir / f["name"], _POLIS_SCHEMA)
            line_of = pos + 1
        row_counts["polis"][f["name"]] = df.height
        for b, line in zip(bads, line_of.tolist()):
            bad_list.append({"extract": "polis", "bron_bestand": f["name"], "regelnummer": int(line),
                             "regel": b["regel"], "kolom": b["kolom"], "waarde": b["waarde"]})

    # werkgevers: one CSV, with an extra column (kvk_nummer)
    v = emp
    wg = pl.DataFrame({
        "loonheffingennummer": lhnr_s.gather(v.v_emp),
        "naam": pl.Series(v.v_naam, dtype=pl.String),
        "geldig_vanaf": _date_str(v.v_from),
        "geldig_tot": _date_str(v.v_to),
        "sector_risicogroep": pl.Series(v.v_srg).cast(pl.String),
        "overheidswerkgever": pl.Series(np.where(v.v_owg, "J", "N")),
        "uren_sectorfonds_aandeel": _share_str(v.v_aandeel),
        "overheidssector": pl.Series(list(ref.overheidssectoren), dtype=pl.String).gather(np.maximum(v.v_osec, 0))
        .zip_with(pl.Series(v.v_osec >= 0), pl.Series([None] * len(v.v_osec), dtype=pl.String)),
        "sw_bedrijf": pl.Series(np.where(v.v_sw, "J", "N")),
        "arbeidsmarktregio": _amr_str(v.region[v.v_emp]),
        "kvk_nummer": pl.Series(v.kvk[v.v_emp], dtype=pl.String),
    })
    wg = wg.sort("loonheffingennummer", "geldig_vanaf", maintain_order=True)
    wg_bads = []
    if bad_rows:
        spare = [int(b) for b in emp.spare_bases]
        base_row = {"naam": "Nieuw Bedrijf B.V.", "geldig_vanaf": "2014-01-01", "geldig_tot": None,
                    "sector_risicogroep": "44", "overheidswerkgever": "N", "uren_sectorfonds_aandeel": "0,00",
                    "overheidssector": None, "sw_bedrijf": "N", "arbeidsmarktregio": "AMR12", "kvk_nummer": "12345678"}
        wg_bads = [
            {"row": {**base_row, "loonheffingennummer": bad_lhnr_werkgever},
             "regel": "loonheffingennummer_patroon", "kolom": "loonheffingennummer", "waarde": bad_lhnr_werkgever},
            {"row": {**base_row, "loonheffingennummer": f"{spare[1]:09d}L1"},
             "regel": "loonheffingennummer_patroon", "kolom": "loonheffingennummer", "waarde": f"{spare[1]:09d}L1"},
            {"row": {**base_row, "loonheffingennummer": f"{spare[2]:09d}L01", "geldig_vanaf": "2015-02-29"},
             "regel": "datum_ongeldig", "kolom": "geldig_vanaf", "waarde": "2015-02-29"},
        ]
    order, pos = _insert_rows(wrng, wg.height, len(wg_bads))
    if wg_bads:
        wg = pl.concat([wg, pl.DataFrame([b["row"] for b in wg_bads], schema={c: pl.String for c in wg.columns})])[order]
    _write_csv(wg, wg_dir / "werkgevers.csv")
    row_counts["werkgevers"]["werkgevers/werkgevers.csv"] = wg.height
    for b, p in zip(wg_bads, pos.tolist()):
        bad_list.append({"extract": "werkgevers", "bron_bestand": "werkgevers/werkgevers.csv", "regelnummer": p + 2,
                         "regel": b["regel"], "kolom": b["kolom"], "waarde": b["waarde"]})

    # doelgroepregister: rows split at random over a Parquet and a CSV file
    nreg = len(people.reg_person)
    rperm = wrng.permutation(nreg)
    in_first = wrng.random(nreg) < 0.6
    for part, name, fmt in (("deel1", "doelgroepregister/doelgroepregister_deel1.parquet", "parquet"),
                            ("deel2", "doelgroepregister/doelgroepregister_deel2.csv", "csv")):
        ix = rperm[in_first[rperm]] if part == "deel1" else rperm[~in_first[rperm]]
        bads = reg_bad[part]
        order, pos = _insert_rows(wrng, len(ix), len(bads))
        gr = pl.Series(list(GRONDSLAGEN), dtype=pl.String).gather(people.reg_grondslag[ix])
        base = {
            "bsn": bsn_s.gather(people.reg_person[ix]),
            "grondslag": gr,
            "woonregio": _amr_str(people.woonregio[people.reg_person[ix]]),
        }
        bad_df = pl.DataFrame([b["row"] for b in bads], schema={c: pl.String for c in REGISTER_COLUMNS})
        if fmt == "parquet":
            df = pl.DataFrame({**base, "datum_ingang": _date_typed(people.reg_ingang[ix]),
                               "datum_einde": _date_typed(people.reg_einde[ix])}).select(REGISTER_COLUMNS)
            if bads:
                bad_df = bad_df.with_columns(pl.col("datum_ingang").str.to_date("%Y-%m-%d"),
                                             pl.col("datum_einde").str.to_date("%Y-%m-%d"))
                df = pl.concat([df, bad_df])[order]
            _write_parquet(df, out_dir / name, _REGISTER_SCHEMA)
            lines = pos + 1
        else:
            df = pl.DataFrame({**base, "datum_ingang": _date_str(people.reg_ingang[ix]),
                               "datum_einde": _date_str(people.reg_einde[ix])}).select(REGISTER_COLUMNS)
            if bads:
                df = pl.concat([df, bad_df])[order]
            _write_csv(df.select(_REGISTER_REORDER), out_dir / name)
            lines = pos + 2
        row_counts["doelgroepregister"][name] = df.height
        for b, line in zip(bads, lines.tolist()):
            bad_list.append({"extract": "doelgroepregister", "bron_bestand": name, "regelnummer": int(line),
                             "regel": b["regel"], "kolom": b["kolom"], "waarde": b["waarde"]})

    kal = ref.kalibratie
    book = Bookkeeping(
        seed=int(seed),
        scale=float(scale),
        years=list(years),
        uren_per_baan_per_week=ref.uren_per_baan_per_week,
        uren_per_baan_venster=upb,
        uren=truth["uren"],
        doel_uren=targets,
        werkzame_personen=truth["werkzame_personen"],
        doelgroep_omvang=truth["doelgroep_omvang"],
        aandeel_markt={y: kal[y]["aandeel_markt"] for y in years},
        sleutel={y: kal[y]["sleutel"] for y in years},
        bad_rows=bad_list,
        rows=row_counts,
        kalibratie_factor={y: yr[y].factor for y in years},
    )
    book.write(bookkeeping_path(out_dir))
    return book
