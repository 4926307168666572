"""The planted bad rows: about 30 rows that each break one EXTRACTS rule (the expected quarantine).

Polis rows with a BSN failing the elfproef, a malformed loonheffingennummer, a period ending before
it begins or in the next year, too many hours, an impossible date; register rows with an unknown
grondslag, dates in the wrong order or impossible; werkgevers rows with a malformed number or date.
Several 'shadow' a real counted record (same key, later aanleverdatum) or make a non-member look
like a member, so that a pipeline that does not quarantine them gets the figures wrong. Each bad
row is a dict of text values with the rule it breaks, the column and the offending value.
"""

from __future__ import annotations

import numpy as np

from pipeline.demo.employers import Employers
from pipeline.demo.people import NONREG
from pipeline.demo.writers import centi_str

__all__ = ["BAD_RULES", "polis_bad_rows", "register_bad_rows", "werkgevers_bad_rows"]

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


def _break_elfproef(bsn: int) -> str:
    s = f"{int(bsn):09d}"
    return s[:8] + str((int(s[8]) + 1) % 10)


def polis_bad_rows(rng, years, yr: dict, people, emp, ikv_next: dict, polis_files: list) -> tuple[dict, str]:
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
        avail = r.templates[~np.isin(r.templates, list(used_templates[y]))]  # in order, unused
        t = int(avail[int(rng.integers(0, min(len(avail), 50)))]) if len(avail) else int(r.templates[0])
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
        row["verloonde_uren"] = centi_str(np.array([row["verloonde_uren"]]))[0]
        if value is None:
            value = row["verloonde_uren"]
        out[f["name"]].append({"row": row, "regel": rule, "kolom": col, "waarde": value})
    return out, bad_lhnr_werkgever


def register_bad_rows(rng, years, yr: dict, people) -> dict:
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



def werkgevers_bad_rows(emp: Employers, bad_lhnr_werkgever: str) -> list[dict]:
    """Bad werkgevers rows: two malformed loonheffingennummers (one also used in the polis), a bad date."""
    spare = [int(b) for b in emp.spare_bases]
    base_row = {"naam": "Nieuw Bedrijf B.V.", "geldig_vanaf": "2014-01-01", "geldig_tot": None,
                "sector_risicogroep": "44", "overheidswerkgever": "N", "uren_sectorfonds_aandeel": "0,00",
                "overheidssector": None, "sw_bedrijf": "N", "arbeidsmarktregio": "AMR12", "kvk_nummer": "12345678"}
    return [
        {"row": {**base_row, "loonheffingennummer": bad_lhnr_werkgever},
         "regel": "loonheffingennummer_patroon", "kolom": "loonheffingennummer", "waarde": bad_lhnr_werkgever},
        {"row": {**base_row, "loonheffingennummer": f"{spare[1]:09d}L1"},
         "regel": "loonheffingennummer_patroon", "kolom": "loonheffingennummer", "waarde": f"{spare[1]:09d}L1"},
        {"row": {**base_row, "loonheffingennummer": f"{spare[2]:09d}L01", "geldig_vanaf": "2015-02-29"},
         "regel": "datum_ongeldig", "kolom": "geldig_vanaf", "waarde": "2015-02-29"},
    ]
