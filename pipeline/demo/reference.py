"""The reference data the demo generator follows: data/reference/*.csv and data/demo/kalibratie.csv.

`load_reference()` reads the parameters (hours per baan, sectorfonds threshold, cut-off date), the
CAA rules of R5, the counting grondslagen of R4, the overheidssectoren, the calibration targets per
year and the published werkzame_personen (R10). Also the measurement's cells and their codes.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.demo.dates import day

__all__ = [
    "CELLS",
    "DATA_DIR",
    "EXCL",
    "FM",
    "FO",
    "INL",
    "KALIBRATIE_CSV",
    "REFERENCE_DIR",
    "CaaRule",
    "Reference",
    "load_reference",
]

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
REFERENCE_DIR = DATA_DIR / "reference"
KALIBRATIE_CSV = DATA_DIR / "demo" / "kalibratie.csv"

CELLS = ("formeel_markt", "formeel_overheid", "inleen")
FM, FO, INL, EXCL = 0, 1, 2, 3  # cell codes; EXCL = vorm 'uitgesloten'


@dataclass(frozen=True)
class CaaRule:
    caa: int | None
    srg: int | None
    sw: bool | None
    cell_vorm: str  # formeel / inleen / uitgesloten


@dataclass(frozen=True)
class Reference:
    uren_per_baan_per_week: float
    sectorfonds_drempel: float
    afsluit_maand: int
    afsluit_dag: int
    caa_rules: tuple[CaaRule, ...]
    telt_mee: dict[str, bool]  # R4 under the regime official from the nulmeting on (the generator's notion)
    overheidssectoren: tuple[str, ...]
    kalibratie: dict[int, dict]
    werkzame_personen: dict[int, int] = field(default_factory=dict)  # published R10 counts (national)
    telt_per_regeling: dict[str, dict[str, bool]] = field(default_factory=dict)  # R14: per regime, R4
    regeling_vanaf: tuple[tuple[int, str], ...] = ()  # R14: (confirmed first year, regime), sorted

    def officiele_regeling(self, year: int) -> str:
        """R14: the regime official for `year`: the latest confirmed first year on or before it."""
        return [name for first, name in self.regeling_vanaf if first <= year][-1]

    def cutoff(self, year: int) -> int:
        return day(year + 1, self.afsluit_maand, self.afsluit_dag)


def _read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_reference() -> Reference:
    params = {r["naam"]: r["waarde"] for r in _read_csv(REFERENCE_DIR / "parameters.csv")}
    maand, dag = (int(x) for x in params["afsluitdatum_maand_dag"].split("-"))
    rules = []
    for r in sorted(_read_csv(REFERENCE_DIR / "caa_vorm.csv"), key=lambda r: int(r["volgorde"])):
        rules.append(CaaRule(
            caa=int(r["code_aard_arbeidsverhouding"]) if r["code_aard_arbeidsverhouding"] else None,
            srg=int(r["sector_risicogroep"]) if r["sector_risicogroep"] else None,
            sw=(r["sw_bedrijf"] == "J") if r["sw_bedrijf"] else None,
            cell_vorm=r["vorm"],
        ))
    per_regeling: dict[str, dict[str, bool]] = {}
    for r in _read_csv(REFERENCE_DIR / "regeling_grondslag.csv"):
        per_regeling.setdefault(r["regeling"], {})[r["grondslag"]] = r["telt_mee"] == "J"
    vanaf = tuple(sorted((int(r["eerste_meetjaar"]), r["regeling"]) for r in _read_csv(REFERENCE_DIR / "regeling.csv")
                         if r["eerste_meetjaar_bevestigd"] == "J" and r["eerste_meetjaar"]))
    telt = per_regeling[vanaf[0][1]]
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
    return Reference(
        uren_per_baan_per_week=float(params["uren_per_baan_per_week"]),
        sectorfonds_drempel=float(params["sectorfonds_drempel"]),
        afsluit_maand=maand,
        afsluit_dag=dag,
        caa_rules=tuple(rules),
        telt_mee=telt,
        overheidssectoren=osec,
        kalibratie=kal,
        werkzame_personen=_published_persons(),
        telt_per_regeling=per_regeling,
        regeling_vanaf=vanaf,
    )


def _published_persons() -> dict[int, int]:
    """Published werkzame_personen (R10) per year from gepubliceerde_cijfers.csv (the nulmeting)."""
    path = REFERENCE_DIR / "gepubliceerde_cijfers.csv"
    if not path.is_file():
        return {}
    return {int(r["jaar"]): int(r["waarde"]) for r in _read_csv(path)
            if r["grootheid"] == "werkzame_personen" and r["sector"] == "totaal" and r["vorm"] == "totaal"}
