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

__all__ = ["CATEGORIES", "Bookkeeping", "bookkeeping_path", "flows", "oracle", "quotum_oracle"]

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
    quotum: dict = field(default_factory=dict)  # METHOD R15–R17 (quotum_oracle), keys as text

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
# --------------------------------------------------------------------------- METHOD R15–R17


def _reference_csv(name: str) -> list[dict]:
    import csv

    from pipeline.paths import REFERENCE_DIR

    with (REFERENCE_DIR / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _final_rows(key: np.ndarray, tb: np.ndarray, aanl: np.ndarray, vol: np.ndarray, cutoff: np.ndarray) -> np.ndarray:
    """R1 over (key, tb): indices of the latest version on or before the cut-off (then volgnummer)."""
    idx = np.flatnonzero(aanl <= cutoff)
    idx = idx[lexsort_int((vol[idx], aanl[idx], tb[idx], key[idx]))]
    last = np.ones(len(idx), dtype=bool)
    last[:-1] = (key[idx][1:] != key[idx][:-1]) | (tb[idx][1:] != tb[idx][:-1])
    return idx[last]


def quotum_oracle(rows: dict, q, people: People, emp: Employers, ref: Reference, years: Sequence[int],
                  report: Sequence[int]) -> dict:
    """METHOD R15–R17 from the generator's arrays (numpy and Python integers; never the pipeline's SQL).

    `rows` are the generator's polis rows (bad rows excluded), `q` the added rows of
    pipeline.demo.werkgevers_quotum (persons outside the register, inleen credits). Returns per year
    of `years`: the participation per sector and size class (R16), totals over all employers (the
    number with payroll, the sum of A, the number liable) and, for the employers in `report` plus
    every inleen lender and borrower, A, A(Y−1), liability, C (after crediting) and the tekort in
    tenths of a baan (None without a published percentage or when not liable)."""
    from decimal import ROUND_FLOOR, Decimal

    params = {r["naam"]: r["waarde"] for r in _reference_csv("parameters.csv")}
    threshold_c = int(Decimal(params["quotum_drempel_uren"]) * 100)
    d_hours = int(Decimal(params["quotum_uren_per_baan_per_jaar"]))
    percentages = {(int(r["jaar"]), r["sector"]): int(Decimal(r["quotumpercentage"]) * 100)
                   for r in _reference_csv("quotumpercentage.csv")}
    quotum_grondslag = {r["grondslag"] for r in _reference_csv("quotum_grondslag.csv") if r["telt_mee_quotum"] == "J"}

    n_gen = people.n
    person = np.concatenate([rows["person"], n_gen + q.person])
    emp_i = np.concatenate([rows["emp"], q.emp])
    caa = np.concatenate([rows["caa"], q.caa])
    tb = np.concatenate([rows["tb"], q.tb])
    te = np.concatenate([rows["te"], q.te])
    uren = np.concatenate([rows["uren"], q.uren])  # centi-hours
    aanl = np.concatenate([rows["aanl"], q.aanl])
    vol = np.concatenate([rows["vol"], q.vol])
    # a record key per job: the generator's job ids, then one per added (person, employer, ikv)
    _, added_job = np.unique(np.stack([q.person, q.emp, np.unique(q.ikv, return_inverse=True)[1]], axis=1),
                             axis=0, return_inverse=True)
    key = np.concatenate([rows["job"], int(rows["job"].max()) + 1 + added_job.ravel()])
    year = year_of(tb)
    cutoffs = np.array([ref.cutoff(int(y)) for y in range(1960, 2041)])
    final = _final_rows(key, tb, aanl, vol, cutoffs[year - 1960])
    f_year = year[final]

    # quotum registrations (R17: counting grondslagen plus VOORZIENING, not one day), per person
    qmask = np.isin(np.array(GRONDSLAGEN)[people.reg_grondslag], list(quotum_grondslag)) & (
        people.reg_einde != people.reg_ingang)
    rp, ri, re_ = people.reg_person[qmask], people.reg_ingang[qmask], people.reg_einde[qmask]

    def quotum_member(p: np.ndarray, b: np.ndarray, e: np.ndarray) -> np.ndarray:
        out = np.zeros(len(p), dtype=bool)
        gen = p < n_gen
        order = np.argsort(rp, kind="stable")
        sp, si, se = rp[order], ri[order], re_[order]
        start = np.searchsorted(sp, p[gen])
        stop = np.searchsorted(sp, p[gen], side="right")
        res = np.zeros(int(gen.sum()), dtype=bool)
        bb, ee = b[gen], e[gen]
        for c in range(int((stop - start).max()) if len(start) else 0):
            has = start + c < stop
            j = np.where(has, start + c, 0)
            res |= has & (si[j] <= ee) & (se[j] >= bb)
        out[gen] = res
        return out

    def sector_of(ver: np.ndarray) -> np.ndarray:
        overheid = emp.v_owg[ver] & (emp.v_aandeel[ver] < round(ref.sectorfonds_drempel * 100))
        return np.where(overheid, "overheid", "markt")

    result: dict = {"deelname": {}, "totalen": {}, "werkgevers": {}}
    report_set = set(int(e) for e in report) | set(q.inl_lender.tolist()) | set(q.inl_borrower.tolist())
    for y in years:
        eff, _ = effective(emp, y)
        ver_ok = eff >= 0
        ver = np.where(ver_ok, eff, 0)
        srg, sw = emp.v_srg[ver], emp.v_sw[ver] & ver_ok

        def a_hours(rows_idx: np.ndarray) -> np.ndarray:
            e, c = emp_i[rows_idx], caa[rows_idx]
            out_a = ((srg[e] == 52) & np.isin(c, [11, 82])) | (sw[e] & np.isin(c, [21, 22, 23]))
            return np.bincount(e[~out_a], weights=uren[rows_idx][~out_a], minlength=emp.n)

        cur, prev = final[f_year == y], final[f_year == y - 1]
        a = np.rint(a_hours(cur)).astype(np.int64)  # centi-hours (exact integers)
        a_prev = np.rint(a_hours(prev)).astype(np.int64)
        has_cur = np.bincount(emp_i[cur], minlength=emp.n) > 0
        has_prev = np.bincount(emp_i[prev], minlength=emp.n) > 0
        # persons with December hours > 0 per employer (R15), and counted formal December hours (R16)
        h = december_hours(tb[cur], te[cur], uren[cur] / 100.0, y)
        pe = np.unique(np.stack([emp_i[cur], person[cur]], axis=1), axis=0, return_inverse=True)
        per_pair = np.bincount(pe[1].ravel(), weights=h)
        persons = np.bincount(pe[0][per_pair > 0][:, 0], minlength=emp.n)
        gen_cur = cur[person[cur] < n_gen]
        hg = december_hours(tb[gen_cur], te[gen_cur], uren[gen_cur] / 100.0, y)
        member = member_in_period(people, person[gen_cur], tb[gen_cur], te[gen_cur])
        cell = cells(caa[gen_cur], ver[emp_i[gen_cur]], emp, ref)
        formal = member & np.isin(cell, [FM, FO])
        formal_h = np.bincount(emp_i[gen_cur][formal], weights=hg[formal], minlength=emp.n)
        with_persons = has_cur & (persons > 0)
        sector = sector_of(ver)
        klasse = np.where(a < threshold_c, "onder_drempel", "vanaf_drempel")
        dn: dict[str, list[int]] = {}
        for e in np.flatnonzero(with_persons).tolist():
            for s in (sector[e], "totaal"):
                for k in (klasse[e], "totaal"):
                    cnt = dn.setdefault(f"{s}|{k}", [0, 0])
                    cnt[0] += 1
                    cnt[1] += int(formal_h[e] > 0)
        result["deelname"][str(y)] = dn  # text keys: the bookkeeping is JSON
        # C own: registered persons' whole-year hours, CAA rules at this employer (R17)
        cand = cur[person[cur] < n_gen]
        cand = cand[quotum_member(person[cand], tb[cand], te[cand])]
        c_caa, c_emp = caa[cand], emp_i[cand]
        counts = ~np.isin(c_caa, [21, 24]) & (~sw[c_emp] | (c_caa == 22))
        cand = cand[counts]
        own: dict[tuple[int, int], int] = {}
        for e, p, u in zip(emp_i[cand].tolist(), person[cand].tolist(), uren[cand].tolist()):
            own[(e, p)] = own.get((e, p), 0) + u
        # inleen credits of year y (Decimal hours), capped per (lender, person)
        sel = q.inl_year == y
        asks: dict[tuple[int, int, int], int] = {}
        for le, bo, p, u in zip(q.inl_lender[sel].tolist(), q.inl_borrower[sel].tolist(),
                                q.inl_person[sel].tolist(), q.inl_uren[sel].tolist()):
            asks[(le, bo, p)] = asks.get((le, bo, p), 0) + u
        total_ask: dict[tuple[int, int], int] = {}
        for (le, _, p), u in asks.items():
            total_ask[(le, p)] = total_ask.get((le, p), 0) + u
        c_in: dict[int, Decimal] = {}
        c_out: dict[int, Decimal] = {}
        for (le, bo, p), u in asks.items():
            cap = max(own.get((le, p), 0), 0)
            if total_ask[(le, p)] <= cap:
                credit = Decimal(u) / 100
            else:
                # hours × 10^6 = (u/100)·(cap/100)/(total/100)·10^6, rounded down to whole micro-hours
                credit = Decimal(u * cap * 10_000 // total_ask[(le, p)]) / 1_000_000
            c_in[bo] = c_in.get(bo, Decimal(0)) + credit
            c_out[le] = c_out.get(le, Decimal(0)) + credit
        own_emp: dict[int, int] = {}
        for (e, _), u in own.items():
            own_emp[e] = own_emp.get(e, 0) + u
        liable = has_cur & has_prev & (a >= threshold_c) & (a_prev >= threshold_c)
        result["totalen"][str(y)] = {"werkgevers": int(has_cur.sum()), "uren_totaal": float(a[has_cur].sum()) / 100,
                                "quotumplichtig": int(liable.sum())}
        per: dict[str, dict] = {}
        for e in sorted(report_set):
            if not has_cur[e] and e not in c_in and e not in c_out:
                continue
            c = Decimal(own_emp.get(e, 0)) / 100 + c_in.get(e, Decimal(0)) - c_out.get(e, Decimal(0))
            b = percentages.get((y, str(sector[e]))) if ver_ok[e] else None
            tekort = None
            if liable[e] and b is not None:
                quotum_h = int(a[e]) * b // 10000  # hundredths of an hour: A × B, down
                c_h = int((c * 100).to_integral_value(ROUND_FLOOR))
                tekort = max(quotum_h - c_h, 0) * 10 // (d_hours * 100)  # tenths of a baan, down
            per[str(emp.lhnr[e])] = {
                "uren_totaal": float(a[e]) / 100, "uren_totaal_vorig_jaar": float(a_prev[e]) / 100 if has_prev[e] else None,
                "quotumplichtig": bool(liable[e]), "uren_arbeidsbeperkten": float(c), "quotumtekort_tienden": tekort,
                "sector": str(sector[e]) if ver_ok[e] else None,
            }
        result["werkgevers"][str(y)] = per
    return result
