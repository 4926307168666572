"""Replay of a published year: same inputs (byte for byte), same rules, same figures?

1. Every input file of the delivery must have the sha256 recorded in audit.invoerbestanden; any
   changed, missing or extra file fails the replay and is named, even if figures would not move.
2. Year Y (and its nulmeting) is measured again in isolation, into a scratch warehouse, with the
   recorded provisional key and cut-off date, through the same Dagster job.
3. Every cell of meting.banen and meting.personen is compared exactly. When they differ, the cause
   is named: SQL files whose hash changed, reference values that changed, or the cells.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipeline.audit.provenance import sql_hashes
from pipeline.ingest.reader import EXTRACTS, DeliveryError, discover
from pipeline.runner import MeasurementError, measure


class ReplayMismatch(MeasurementError):
    """The replay did not reproduce the published year; the message names the cause."""


@dataclass(frozen=True)
class Recorded:
    files: dict[str, str]
    sql: dict[str, str]
    reference: dict[str, str]
    banen: list[tuple]
    personen: list[tuple]
    provisional_key: float | None
    cutoff: str | None


CELLS = "SELECT jaar, sector, vorm, uren, banen, banen_nulmeting, extra_banen, voorlopig FROM meting.banen " \
        "WHERE jaar = ? ORDER BY sector, vorm"
PERSONS = "SELECT jaar, werkzame_personen, doelgroep_omvang, voorlopig FROM meting.personen WHERE jaar = ?"


def _recorded(warehouse: Path, year: int) -> Recorded:
    if not warehouse.exists():
        raise ReplayMismatch(f"Warehouse {warehouse} bestaat niet; er valt niets te herhalen.")
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        run = con.execute("SELECT sql_hashes FROM audit.runs WHERE jaar = ?", [year]).fetchone()
        if run is None:
            raise ReplayMismatch(f"Jaar {year} is niet gepubliceerd in {warehouse} (geen audit.runs-record).")
        files = dict(con.execute(
            "SELECT bron_bestand, sha256 FROM audit.invoerbestanden WHERE jaar = ?", [year]).fetchall())
        reference = dict(con.execute(
            "SELECT naam, waarde FROM audit.referentiewaarden WHERE jaar = ?", [year]).fetchall())
        key = con.execute(
            "SELECT aandeel_markt FROM meting.verdeelsleutel WHERE jaar = ? AND voorlopig", [year]).fetchone()
        return Recorded(
            files=files,
            sql=json.loads(run[0]),
            reference=reference,
            banen=con.execute(CELLS, [year]).fetchall(),
            personen=con.execute(PERSONS, [year]).fetchall(),
            provisional_key=key[0] if key else None,
            cutoff=reference.get("afsluitdatum_toegepast"),
        )
    finally:
        con.close()


def check_fingerprints(delivery: Path, recorded_files: dict[str, str]) -> None:
    """Fail naming every input file whose bytes differ from the recorded sha256."""
    try:
        current = {source.relative: source.sha256() for extract in EXTRACTS for source in discover(delivery, extract)}
    except DeliveryError as exc:
        raise ReplayMismatch(str(exc)) from None
    problems = []
    for name in sorted(set(recorded_files) | set(current)):
        if name not in current:
            problems.append(f"{name} ontbreekt in de levering")
        elif name not in recorded_files:
            problems.append(f"{name} is nieuw (niet gebruikt bij de publicatie)")
        elif current[name] != recorded_files[name]:
            problems.append(f"{name} is gewijzigd (sha256 {current[name][:12]}… in plaats van {recorded_files[name][:12]}…)")
    if problems:
        raise ReplayMismatch("De invoer is niet meer dezelfde: " + "; ".join(problems) + ".")


def replay(delivery: Path, warehouse: Path, year: int, log=print, key: str | None = None) -> str:
    import os

    from pipeline.resources import KeyMismatch, guard_key, key_fingerprint
    from pipeline.runner import KEY_ENV

    delivery = delivery.expanduser().resolve()
    warehouse = warehouse.expanduser().resolve()
    if not delivery.is_dir():
        raise ReplayMismatch(f"Levering {delivery} bestaat niet of is geen map; er valt niets te herhalen.")
    recorded = _recorded(warehouse, year)
    key = key or os.environ.get(KEY_ENV)
    if not key:
        raise ReplayMismatch(f"De sleutel voor het pseudonimiseren van BSN's ontbreekt: zet {KEY_ENV}.")
    try:
        guard_key(warehouse, key_fingerprint(key))
    except KeyMismatch as exc:
        raise ReplayMismatch(str(exc)) from None
    log(f"replay {year}: sha256 van de {len(recorded.files)} invoerbestanden vergelijken met audit.invoerbestanden …")
    check_fingerprints(delivery, recorded.files)
    log(f"replay {year}: invoer ongewijzigd; {year} en de nulmeting opnieuw meten in een kladwarehouse, "
        f"met de vastgelegde afsluitdatum en sleutel …")
    with tempfile.TemporaryDirectory(prefix="banenafspraak-replay-") as scratch:
        replay_warehouse = Path(scratch) / "replay.duckdb"
        measure(
            delivery,
            replay_warehouse,
            [year],
            provisional_keys={year: recorded.provisional_key} if recorded.provisional_key is not None else None,
            cutoff_dates={year: recorded.cutoff} if recorded.cutoff else None,
            log=log,
            key=key,
            kind="replay",
        )
        con = duckdb.connect(str(replay_warehouse), read_only=True)
        try:
            banen = con.execute(CELLS, [year]).fetchall()
            personen = con.execute(PERSONS, [year]).fetchall()
            reference = dict(con.execute(
                "SELECT naam, waarde FROM audit.referentiewaarden WHERE jaar = ?", [year]).fetchall())
        finally:
            con.close()
    log(f"replay {year}: {len(banen)} cellen van meting.banen en meting.personen vergelijken met {warehouse.name} …")
    if banen == recorded.banen and personen == recorded.personen:
        return (f"replay {year}: identiek — {len(banen)} cellen van meting.banen en meting.personen gelijk aan "
                f"{warehouse.name}, invoer ongewijzigd ({len(recorded.files)} bestanden).")
    causes = []
    changed_sql = sorted(name for name, digest in sql_hashes().items() if recorded.sql.get(name) != digest)
    changed_sql += sorted(name for name in recorded.sql if name not in sql_hashes())
    if changed_sql:
        causes.append("gewijzigde SQL-bestanden: " + ", ".join(f"sql/{n}" for n in changed_sql))
    changed_ref = sorted(n for n in set(reference) | set(recorded.reference) if reference.get(n) != recorded.reference.get(n))
    if changed_ref:
        causes.append("gewijzigde referentiewaarden: " + ", ".join(
            f"{n} ({recorded.reference.get(n)} → {reference.get(n)})" for n in changed_ref))
    differing = [f"{old[1]}/{old[2]}: {old[4]!r} → {new[4]!r}" for old, new in zip(recorded.banen, banen) if old != new]
    if not causes:
        causes.append("onbekend (invoer, SQL en referentiewaarden zijn gelijk; zie de cellen)")
    raise ReplayMismatch(
        f"Replay van {year} wijkt af van {warehouse.name}. Oorzaak: {'; '.join(causes)}. "
        f"Afwijkende cellen (banen): {'; '.join(differing) or 'personen'}."
    )
