"""The bookkeeping of a generated delivery: the independent oracle the pipeline is tested against.

`oracle` computes, per year, the December hours per cell (before the verdeelsleutel), the number of
working persons (R10) and the size of the doelgroep from the generator's own arrays (numpy), by a
separate implementation of METHOD R1-R6 and R10 — never from the pipeline's SQL and never by
reading the files back. From the same per-person arrays `flows` computes METHOD §5: the R11
categories per cel between every measured year and its base years, R12's durability totals and
R13's register flows per grondslag. `Bookkeeping` holds those figures with the calibration targets, the
planted bad rows (the expected quarantine) and the rows written per file, and is written as JSON
next to the delivery folder (`bookkeeping_path`).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Sequence

import numpy as np

from pipeline.demo.arrays import distinct, lexsort_int
from pipeline.demo.dates import day, december_hours, year_of
from pipeline.demo.employers import Employers, cells, effective
from pipeline.demo.people import GRONDSLAGEN, People, _pad_counting, counting_mask, member_in_period
from pipeline.demo.reference import CELLS, EXCL, FM, FO, INL, Reference

__all__ = ["CATEGORIES", "Bookkeeping", "bookkeeping_path", "flows", "oracle"]

CATEGORIES = ("blijver", "nieuw_werk", "registratie_effect", "nieuw_geregistreerd_en_werk", "werk_verloren",
              "uit_register", "saldo_overig")
_NONZERO = 1e-6  # hours: the oracle sums floats where the pipeline sums exact decimals


def bookkeeping_path(out_dir: Path) -> Path:
    out_dir = Path(out_dir)
    return out_dir.parent / (out_dir.name + ".boekhouding.json")


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
    # R14: per regime that is not the official one of every year, the same figures with every year
    # under that regime: {regeling: {"uren": {jaar: {cel: uren}}, "werkzame_personen": ..., "doelgroep_omvang": ...}}
    scenario: dict[str, dict[str, dict]] = field(default_factory=dict)
    # METHOD §5, keyed "Y/X" (measured year / base year):
    stromen: dict[str, dict[str, dict[str, list]]] = field(default_factory=dict)  # categorie -> cel -> [personen, banen]
    banen_ongeteld: dict[str, dict[str, float]] = field(default_factory=dict)  # registratie_effect: cel -> banen
    duurzaamheid: dict[str, list[int]] = field(default_factory=dict)  # [personen_basisjaar, werkt_nog]
    register_stromen: dict[str, dict[str, list[int]]] = field(default_factory=dict)  # grondslag -> [in, uit]

    def banen(self, year: int) -> dict[str, float]:
        return {cell: hours / self.uren_per_baan_venster for cell, hours in self.uren[year].items()}

    def scenario_banen(self, regeling: str, year: int) -> dict[str, float]:
        return {cell: hours / self.uren_per_baan_venster for cell, hours in self.scenario[regeling]["uren"][year].items()}

    def to_dict(self) -> dict:
        d = asdict(self)
        for name in ("uren", "doel_uren", "werkzame_personen", "doelgroep_omvang", "aandeel_markt",
                     "sleutel", "kalibratie_factor"):
            d[name] = {str(k): v for k, v in d[name].items()}
        d["scenario"] = {r: {n: {str(k): v for k, v in per.items()} for n, per in figures.items()}
                         for r, figures in self.scenario.items()}
        return d

    def write(self, path: Path) -> None:
        Path(path).write_text(json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    @classmethod
    def from_dict(cls, d: dict) -> "Bookkeeping":
        d = dict(d)
        for name in ("uren", "doel_uren", "werkzame_personen", "doelgroep_omvang", "aandeel_markt",
                     "sleutel", "kalibratie_factor"):
            d[name] = {int(k): v for k, v in d.get(name, {}).items()}
        d["scenario"] = {r: {n: {int(k): v for k, v in per.items()} for n, per in figures.items()}
                         for r, figures in d.get("scenario", {}).items()}
        return cls(**d)

    @classmethod
    def from_json(cls, path: Path) -> "Bookkeeping":
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


def oracle(rows: dict, people: People, emp: Employers, ref: Reference, years: Sequence[int],
           regeling: str | None = None) -> dict:
    """METHOD R1-R6 and R10 on every written polis row (`rows`, bad rows excluded) and the register:
    per year the December hours per cell, the working persons and the doelgroep size. R14: each year
    under its official regime, or under `regeling` (a scenario) when given."""
    counting: dict[str, tuple[People, np.ndarray]] = {}

    def under(name: str) -> tuple[People, np.ndarray]:
        """The persons with their counting registrations (R4) and the counting-registration mask
        under regime `name` (the generator's own arrays when it is the generator's regime)."""
        if name not in counting:
            telt = ref.telt_per_regeling[name]
            ref_r = ref if telt == ref.telt_mee else replace(ref, telt_mee=telt)
            p = people
            if ref_r is not ref:
                ing, end, n = _pad_counting(people.reg_person, people.reg_grondslag, people.reg_ingang,
                                            people.reg_einde, people.n, ref_r)
                p = replace(people, cnt_ing=ing, cnt_end=end, cnt_n=n)
            counting[name] = (p, counting_mask(people.reg_grondslag, people.reg_ingang, people.reg_einde, ref_r))
        return counting[name]

    job, person, emp_i, caa = rows["job"], rows["person"], rows["emp"], rows["caa"]
    tb, te, uren, aanl, vol = rows["tb"], rows["te"], rows["uren"], rows["aanl"], rows["vol"]
    year = year_of(tb)
    assert (year_of(te) == year).all() and (te >= tb).all()
    cutoffs = np.array([ref.cutoff(int(y)) for y in range(1960, 2041)])
    ok = aanl <= cutoffs[year - 1960]
    # R1: per (employer, ikv, tijdvak_begin) the latest aanleverdatum <= cut-off, then volgnummer
    idx = np.flatnonzero(ok)
    idx = idx[lexsort_int((vol[idx], aanl[idx], tb[idx], job[idx]))]
    last = np.ones(len(idx), dtype=bool)
    last[:-1] = (job[idx][1:] != job[idx][:-1]) | (tb[idx][1:] != tb[idx][:-1])
    tie = ~last[:-1] & (aanl[idx][1:] == aanl[idx][:-1]) & (vol[idx][1:] == vol[idx][:-1]) & last[1:]
    assert not tie.any(), "two final versions with the same aanleverdatum and volgnummer"
    final = idx[last]
    result = {"uren": {}, "werkzame_personen": {}, "doelgroep_omvang": {}}
    state: dict[int, dict[str, np.ndarray]] = {}  # per year, per person (METHOD §5)
    reg_ok = counting_mask(people.reg_grondslag, people.reg_ingang, people.reg_einde, ref)
    # the final versions per year, in their order (a stable sort by year instead of a pass per year)
    final_year = year[final]
    by_year = np.argsort(final_year, kind="stable")
    bounds = np.searchsorted(final_year[by_year], [years, np.asarray(years) + 1])
    for y, lo, hi in zip(years, *bounds):
        f = final[by_year[lo:hi]]
        h = december_hours(tb[f], te[f], uren[f] / 100.0, y)  # R2/R3
        f, h = f[h != 0], h[h != 0]
        people_y, reg_ok = under(regeling or ref.officiele_regeling(int(y)))  # R14: the regime of the year
        member = member_in_period(people_y, person[f], tb[f], te[f])  # R4
        eff, _ = effective(emp, y)  # R6 version (also used for R5)
        ver = eff[emp_i[f]]
        assert (ver >= 0).all(), f"payroll record of {y} at an employer without a version for {y}"
        cell = cells(caa[f], ver, emp, ref)  # R5 + R6
        counted = member & (cell != EXCL)
        result["uren"][y] = {CELLS[c]: float(np.sum(h[counted & (cell == c)])) for c in (FM, FO, INL)}
        dec31 = day(y, 12, 31)
        valid = reg_ok & (people.reg_ingang <= dec31) & (people.reg_einde >= dec31)
        result["doelgroep_omvang"][y] = len(distinct(people.reg_person[valid], people.n))
        state[y] = _person_state(people, person[f], h, cell, member, valid)
        # R10: persons whose counted hours sum to > 0 (a December reversal can make a record negative)
        result["werkzame_personen"][y] = int(state[y]["werkt"].sum())
    if regeling is None:  # METHOD §5 of the official measurement (a scenario publishes banen only)
        result.update(flows(state, years, min(years), ref.uren_per_baan_per_week * 31 / 7))
    return result


def _person_state(people: People, person: np.ndarray, h: np.ndarray, cell: np.ndarray, member: np.ndarray,
                  valid_reg: np.ndarray) -> dict[str, np.ndarray]:
    """Per person of the demo, in one year: counted hours per cel (R1-R6), the hours of the same
    records without R4 (R5 not excluded), registration on 31 December and its grondslag (the first
    in the order of grondslag.csv = GRONDSLAGEN)."""
    n = people.n
    out: dict[str, np.ndarray] = {}
    for c, name in ((FM, "fm"), (FO, "fo"), (INL, "inl")):
        in_cell = cell == c
        out[name] = np.bincount(person[in_cell & member], weights=h[in_cell & member], minlength=n)
        out["z_" + name] = np.bincount(person[in_cell], weights=h[in_cell], minlength=n)
    out["werkt"] = out["fm"] + out["fo"] + out["inl"] > _NONZERO
    out["zonder_r4"] = out["z_fm"] + out["z_fo"] + out["z_inl"] > _NONZERO
    grondslag = np.full(n, len(GRONDSLAGEN), dtype=np.int64)
    np.minimum.at(grondslag, people.reg_person[valid_reg], people.reg_grondslag[valid_reg])
    out["grondslag"] = grondslag  # len(GRONDSLAGEN) = not registered on 31 December
    out["geregistreerd"] = grondslag < len(GRONDSLAGEN)
    return out


def flows(state: dict[int, dict[str, np.ndarray]], years: Sequence[int], nulmeting: int,
          uren_per_baan: float) -> dict:
    """METHOD R11-R13 on the per-person arrays of `state`: for every year Y and its base years (the
    previous year of `years` and the nulmeting) the persons and banen per category and cel; for Y
    and the previous year the durability totals (R12) and the register flows per grondslag (R13)."""
    years = sorted(years)
    out: dict = {"stromen": {}, "banen_ongeteld": {}, "duurzaamheid": {}, "register_stromen": {}}
    for i, y in enumerate(years[1:], start=1):
        previous = years[i - 1]
        for x in sorted({previous, nulmeting}):
            a, b = state[x], state[y]
            conditions = [
                a["werkt"] & b["werkt"],
                b["werkt"] & a["geregistreerd"],
                b["werkt"] & a["zonder_r4"],
                b["werkt"],
                a["werkt"] & b["geregistreerd"],
                a["werkt"],
            ]
            category = np.select(conditions, np.arange(6), 6)
            key = f"{y}/{x}"
            out["stromen"][key] = {k: {} for k in CATEGORIES}
            out["banen_ongeteld"][key] = {}
            for cel in ("fm", "fo", "inl"):
                ux, uy = a[cel], b[cel]
                ongeteld = a["z_" + cel] - a[cel]
                regeffect = category == 2
                rows = (np.abs(ux) > _NONZERO) | (np.abs(uy) > _NONZERO)
                persons = np.bincount(category[rows], minlength=7)
                banen = np.bincount(category[rows], weights=(uy - ux)[rows], minlength=7) / uren_per_baan
                for k, name in enumerate(CATEGORIES):
                    out["stromen"][key][name][CELLS[_CEL[cel]]] = [int(persons[k]), float(banen[k])]
                out["banen_ongeteld"][key][CELLS[_CEL[cel]]] = float(ongeteld[regeffect].sum() / uren_per_baan)
        a, b = state[previous], state[y]
        key = f"{y}/{previous}"
        out["duurzaamheid"][key] = [int(a["werkt"].sum()), int((a["werkt"] & b["werkt"]).sum())]
        instroom = b["geregistreerd"] & ~a["geregistreerd"]
        uitstroom = a["geregistreerd"] & ~b["geregistreerd"]
        k_in = np.bincount(b["grondslag"][instroom], minlength=len(GRONDSLAGEN))
        k_uit = np.bincount(a["grondslag"][uitstroom], minlength=len(GRONDSLAGEN))
        out["register_stromen"][key] = {g: [int(k_in[j]), int(k_uit[j])] for j, g in enumerate(GRONDSLAGEN)
                                        if k_in[j] or k_uit[j]}
    return out


_CEL = {"fm": FM, "fo": FO, "inl": INL}
