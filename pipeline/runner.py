"""Running measurements through the Dagster definitions (used by the CLI and the tests).

A measurement of years Y1..Yn is one run of the `jaarmeting` job in a persistent Dagster instance:
it ingests the delivery once, measures every year with the nulmeting set-based, and publishes them
all at once. The CLI binds its resources explicitly (no environment is written). Only one writer
may use a warehouse at a time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

from pipeline.partitions import NULMETING_YEAR

KEY_ENV = "BANENAFSPRAAK_PSEUDONIEM_SLEUTEL"


class MeasurementError(Exception):
    """A run failed; the message is one paragraph for the person who started it."""


@contextlib.contextmanager
def writer_lock(warehouse: Path) -> Iterator[None]:
    """One writing run per warehouse: a second one fails at once, naming the lock file."""
    lock_path = warehouse.with_name(warehouse.name + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    handle = lock_path.open("a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise MeasurementError(
                f"Een andere run schrijft al naar {warehouse} (vergrendeld via {lock_path}); "
                "wacht tot die klaar is en probeer het dan opnieuw."
            ) from exc
        yield
    finally:
        handle.close()


def dagster_home(warehouse: Path) -> Path:
    """$DAGSTER_HOME, or a persistent instance beside the warehouse, so run history survives."""
    home = Path(os.environ.get("DAGSTER_HOME") or warehouse.with_name(warehouse.name + ".dagster"))
    home = home.expanduser().resolve()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        # One run at a time against this instance's warehouse: backfills from the UI queue up
        # instead of writing the same DuckDB file concurrently.
        config.write_text(
            "telemetry:\n  enabled: false\nconcurrency:\n  runs:\n    max_concurrent_runs: 1\n", encoding="utf-8"
        )
    return home


def open_instance(warehouse: Path):
    from dagster import DagsterInstance
    from dagster._core.instance.ref import InstanceRef

    from pipeline import run_history

    run_history.install()

    return DagsterInstance.from_ref(InstanceRef.from_dir(str(dagster_home(warehouse))))


def _failure_message(result) -> str:
    """The most useful one-paragraph reason from a failed in-process run."""
    messages: list[str] = []
    for event in result.all_events:
        if event.event_type_value == "ASSET_CHECK_EVALUATION":
            evaluation = event.event_specific_data
            if not evaluation.passed:
                messages.append(
                    f"controle {evaluation.check_name} op {evaluation.asset_key.to_user_string()} faalt: "
                    f"{evaluation.description or ''} {_metadata_text(evaluation.metadata)}".strip()
                )
        if event.is_step_failure:
            data = event.step_failure_data
            if data.user_failure_data and data.user_failure_data.description:
                messages.append(data.user_failure_data.description)
                continue
            error = data.error
            while error is not None and error.cause is not None:
                error = error.cause
            if error is not None and error.message.strip():
                messages.append(_clean(error.message.strip().splitlines()[0]))
    return " ".join(dict.fromkeys(messages)) or "onbekende fout (zie de Dagster-run)"


def _clean(message: str) -> str:
    """Drop the exception class and DuckDB's error-kind prefix: keep what the person must read."""
    message = re.sub(r"^[\w.]+(Exception|Error): ", "", message)
    return re.sub(r"^(Invalid Input|Binder|Catalog|Conversion|IO) Error: ", "", message)


def _metadata_text(metadata: Mapping) -> str:
    return "(" + ", ".join(f"{k}={getattr(v, 'value', v)}" for k, v in metadata.items()) + ")"


def check_options(years: Sequence[int], provisional_keys: Mapping[int, float],
                  cutoff_dates: Mapping[int, str]) -> list[int]:
    """Every option checked before any work starts; returns the run's years (nulmeting first)."""
    from pipeline.partitions import YEARS

    known = set(YEARS.get_partition_keys())
    ordered = sorted(set(years) | {NULMETING_YEAR})
    unknown = [y for y in ordered if str(y) not in known]
    if unknown:
        raise MeasurementError(
            f"Jaar {', '.join(map(str, unknown))} kan niet gemeten worden: meetjaren lopen van "
            f"{min(known)} tot en met {max(known)} (een jaar wordt gemeten nadat het is afgelopen)."
        )
    for year, share in provisional_keys.items():
        if not 0 <= share <= 1:
            raise MeasurementError(
                f"Voorlopige verdeelsleutel voor {year} moet een aandeel markt tussen 0 en 1 zijn, niet {share}.")
    for year, cutoff in cutoff_dates.items():
        try:
            dt.date.fromisoformat(str(cutoff))
        except ValueError:
            raise MeasurementError(
                f"Afsluitdatum '{cutoff}' voor {year} is geen geldige datum; schrijf JJJJ-MM-DD (bijv. {year + 1}-05-01)."
            ) from None
    return ordered


def check_writable(warehouse: Path) -> None:
    """The folder of the warehouse must take new files (the staging copy, the working database)."""
    from pipeline.paths import unwritable

    exc = unwritable(warehouse.parent)
    if exc is not None:
        raise MeasurementError(
            f"De map {warehouse.parent} van het warehouse is niet beschrijfbaar ({exc.strerror or exc}); kies een "
            "map waarin deze gebruiker bestanden mag maken."
        )


def delivery_and_key(delivery: Path, key: str | None) -> str:
    """The delivery must be a folder and the pseudonym key known (argument or environment);
    returns the key. Checked before any Dagster run."""
    key = key or os.environ.get(KEY_ENV)
    if not delivery.is_dir():
        raise MeasurementError(f"Levering {delivery} bestaat niet of is geen map.")
    if not key:
        raise MeasurementError(
            f"De sleutel voor het pseudonimiseren van BSN's ontbreekt: zet de omgevingsvariabele {KEY_ENV}."
        )
    return key


def run_tags(kind: str, years: Sequence[int], delivery: Path, command: str | None, **extra: str) -> dict[str, str]:
    """The tags of a CLI run (`banenafspraak runs` and the UI show them): its kind, years, delivery,
    command line, and e.g. the scenario's regeling."""
    tags = {"banenafspraak/soort": kind}
    tags.update({f"banenafspraak/{name}": value for name, value in extra.items()})
    tags["banenafspraak/jaren"] = ",".join(map(str, years))
    tags["banenafspraak/levering"] = str(delivery)
    if command:
        tags["banenafspraak/opdracht"] = command[:1000]
    return tags


def measure(
    delivery: Path,
    warehouse: Path,
    years: Sequence[int],
    provisional_keys: Mapping[int, float] | None = None,
    cutoff_dates: Mapping[int, str] | None = None,
    log: Callable[[str], None] = print,
    key: str | None = None,
    kind: str = "meting",
    command: str | None = None,
    progress: bool = True,
) -> list[str]:
    """Measure `years` (plus the nulmeting) from `delivery` into `warehouse` in one Dagster run:
    ingestion once, every step set-based over the years, publication once. Returns [run id].

    provisional_keys: explicit verdeelsleutel (share markt) per year without a published key.
    cutoff_dates: a cut-off date (YYYY-MM-DD) per year instead of the reference default.
    key: the pseudonym key (default: $BANENAFSPRAAK_PSEUDONIEM_SLEUTEL).
    """
    provisional_keys = {int(y): float(v) for y, v in (provisional_keys or {}).items()}
    cutoff_dates = {int(y): str(v) for y, v in (cutoff_dates or {}).items()}
    delivery = delivery.expanduser().resolve()
    warehouse = warehouse.expanduser().resolve()
    key = delivery_and_key(delivery, key)
    ordered = check_options(years, provisional_keys, cutoff_dates)
    check_writable(warehouse)
    from pipeline.resources import KeyMismatch, guard_key, key_fingerprint

    try:
        guard_key(warehouse, key_fingerprint(key))
    except KeyMismatch as exc:
        raise MeasurementError(str(exc)) from None

    from pipeline.kwaliteit.worker import GxWorkerResource
    from pipeline.resources import (
        DeliveryResource,
        MeetopdrachtResource,
        PseudonymKeyResource,
        WarehouseResource,
    )

    resources = {
        "delivery": DeliveryResource(path=str(delivery)),
        "warehouse": WarehouseResource(path=str(warehouse)),
        "pseudonym_key": PseudonymKeyResource(key=key),
        "opdracht": MeetopdrachtResource(
            jaren=ordered,
            voorlopige_sleutels={str(y): v for y, v in provisional_keys.items()},
            afsluitdatums={str(y): v for y, v in cutoff_dates.items()},
        ),
        "gx": GxWorkerResource(),
    }
    tags = run_tags(kind, ordered, delivery, command)
    run_id = _execute("jaarmeting", resources, tags, warehouse, ordered, progress,
                      f"De meting van {', '.join(map(str, ordered))}", log,
                      f"inlezen, meten en publiceren van {', '.join(map(str, ordered))} ...")
    return [run_id]


def _execute(job_name: str, resources: Mapping, tags: Mapping[str, str], warehouse: Path, ordered: Sequence[int],
             progress: bool, what: str, log: Callable[[str], None], announce: str, observe: bool = True) -> str:
    """One in-process run of `job_name` in the warehouse's persistent Dagster instance, under the
    writer lock; returns its run id or raises MeasurementError with the reason in one paragraph."""
    from pipeline.definitions import build_definitions

    job = build_definitions(resources).resolve_job_def(job_name)
    run_config = {
        "loggers": {
            "console": {"config": {"log_level": os.environ.get("BANENAFSPRAAK_LOG_LEVEL", "CRITICAL")}},
            "voortgang": {"config": {"uit": not progress}},
        },
    }
    with writer_lock(warehouse), open_instance(warehouse) as instance:
        log(announce)
        result = job.execute_in_process(
            run_config=run_config,
            instance=instance,
            partition_key=str(ordered[-1]),
            raise_on_error=False,
            tags=dict(tags),
        )
        if not result.success:
            raise MeasurementError(
                f"{what} is mislukt (Dagster-run {result.run_id}); het "
                f"gepubliceerde bestand {warehouse} is niet gewijzigd. Oorzaak: {_failure_message(result)}"
            )
        if observe:
            observe_sources(instance, warehouse)
    return result.run_id


def known_regimes() -> list[str]:
    """The regimes of the reference data (data/reference/regeling.csv), sorted."""
    import csv

    from pipeline.paths import REFERENCE_DIR

    with (REFERENCE_DIR / "regeling.csv").open(encoding="utf-8", newline="") as handle:
        return sorted(row["regeling"] for row in csv.DictReader(handle))


SCENARIO_CELLS = ("SELECT jaar, sector, vorm, uren, banen, banen_nulmeting, extra_banen, voorlopig, regeling "
                  "FROM scenario.banen WHERE regeling = ? AND list_contains(?, jaar) ORDER BY jaar, sector, vorm")


def scenario(
    delivery: Path,
    warehouse: Path,
    year: int,
    regeling: str,
    log: Callable[[str], None] = print,
    key: str | None = None,
    command: str | None = None,
    progress: bool = True,
) -> dict:
    """Measure `year` and its nulmeting from `delivery` under regime `regeling` (METHOD R14) in one
    Dagster run of the `scenario` job, into scenario.* of the published `warehouse`; meting.* is
    never changed. The year is measured like its official measurement (the provisional key and
    cut-off date recorded in the file); only the regime differs.

    Returns run_id, jaren, the previous scenario cells of (regeling, jaren) where the file had them
    (`vorige`, `vorige_run`) and the new ones (`cellen`), so a repeated scenario can be compared."""
    import duckdb

    delivery = delivery.expanduser().resolve()
    warehouse = warehouse.expanduser().resolve()
    known = known_regimes()
    if regeling not in known:
        raise MeasurementError(
            f"Regeling '{regeling}' bestaat niet: de referentiegegevens (data/reference/regeling.csv) kennen "
            f"{' en '.join(known)}. Kies een van deze met --regeling; een scenario meet een jaar en de nulmeting "
            "onder die regeling, naast de officiële cijfers."
        )
    key = delivery_and_key(delivery, key)
    ordered = check_options([year], {}, {})
    if not warehouse.exists():
        raise MeasurementError(
            f"Warehouse {warehouse} bestaat niet. Een scenario wordt per cel vergeleken met de officiële cijfers "
            f"van het bestand: meet {year} eerst met banenafspraak run --year {year}."
        )
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        measured = {j for (j,) in con.execute("SELECT DISTINCT jaar FROM meting.banen").fetchall()}
        keys = dict(con.execute("SELECT jaar, aandeel_markt FROM meting.verdeelsleutel "
                                "WHERE list_contains(?, jaar) AND voorlopig", [ordered]).fetchall())
        cutoffs = dict(con.execute("SELECT jaar, waarde FROM audit.referentiewaarden WHERE list_contains(?, jaar) "
                                   "AND naam = 'afsluitdatum_toegepast'", [ordered]).fetchall())
        try:
            previous = con.execute(SCENARIO_CELLS, [regeling, ordered]).fetchall()
            previous_run = con.execute("SELECT max(dagster_run_id) FROM scenario.runs WHERE regeling = ? AND jaar = ?",
                                       [regeling, year]).fetchone()[0]
        except duckdb.CatalogException:  # a file published before the regimes existed
            previous, previous_run = [], None
    finally:
        con.close()
    if not set(ordered) <= measured:
        raise MeasurementError(
            f"Jaar {year} (met de nulmeting) is niet officieel gemeten in {warehouse}; een scenario wordt per cel vergeleken met de "
            f"officiële cijfers. Meet {year} eerst met banenafspraak run --year {year}."
        )
    check_writable(warehouse)
    from pipeline.resources import KeyMismatch, guard_key, key_fingerprint

    try:
        guard_key(warehouse, key_fingerprint(key))
    except KeyMismatch as exc:
        raise MeasurementError(str(exc)) from None

    from pipeline.kwaliteit.worker import GxWorkerResource
    from pipeline.resources import DeliveryResource, MeetopdrachtResource, PseudonymKeyResource, WarehouseResource

    work = warehouse.with_name(warehouse.name + ".werk") / "scenario"
    resources = {
        "delivery": DeliveryResource(path=str(delivery)),
        "warehouse": WarehouseResource(path=str(warehouse), werkmap=str(work)),
        "pseudonym_key": PseudonymKeyResource(key=key),
        "opdracht": MeetopdrachtResource(
            jaren=ordered,
            regeling=regeling,
            voorlopige_sleutels={str(y): v for y, v in keys.items()},
            afsluitdatums={str(y): v for y, v in cutoffs.items()},
        ),
        "gx": GxWorkerResource(),
    }
    tags = run_tags("scenario", ordered, delivery, command, regeling=regeling)
    run_id = _execute("scenario", resources, tags, warehouse, ordered, progress,
                      f"Het scenario {regeling} van {', '.join(map(str, ordered))}", log,
                      f"scenario {regeling}: inlezen en meten van {', '.join(map(str, ordered))} "
                      "(meting.* blijft ongewijzigd) ...", observe=False)
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        cells = con.execute(SCENARIO_CELLS, [regeling, ordered]).fetchall()
        verschil = con.execute(
            "SELECT jaar, sector, vorm, banen_officieel, banen_scenario, banen, extra_banen_officieel, "
            "extra_banen_scenario, extra_banen FROM scenario.verschil WHERE regeling = ? AND list_contains(?, jaar) "
            "ORDER BY jaar, sector, vorm", [regeling, ordered]).fetchall()
    finally:
        con.close()
    return {"run_id": run_id, "jaren": ordered, "cellen": cells, "vorige": previous, "vorige_run": previous_run,
            "verschil": verschil}


def observe_sources(instance, warehouse: Path) -> None:
    """Record an observation of each delivery source (levering/<extract>) with the data version of
    the files the run ingested, so the UI shows the sources as observed after a CLI run too. The
    sha256 of every file comes from the ingestion's own record: no second read of the delivery."""
    import duckdb
    from dagster import AssetKey, AssetObservation
    from dagster._core.definitions.data_version import DATA_VERSION_TAG

    from pipeline.ingest.sources import fingerprint_of

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute("SELECT extract, bron_bestand, bytes, sha256 FROM kwaliteit.bestanden").fetchall()
    finally:
        con.close()
    for extract in sorted({r[0] for r in rows}):
        version = fingerprint_of((f, b, h) for e, f, b, h in rows if e == extract)
        instance.report_runless_asset_event(AssetObservation(
            asset_key=AssetKey(["levering", extract]), tags={DATA_VERSION_TAG: version},
            metadata={"bestanden": sum(1 for r in rows if r[0] == extract), "bron": "vastgelegd bij het inlezen"}))


def list_runs(warehouse: Path | None, limit: int = 25) -> list[dict[str, str]]:
    """The runs of the warehouse's Dagster instance, newest first, as the `runs` verb shows them."""
    import datetime as _dt

    from dagster import DagsterInstance
    from dagster._core.instance.ref import InstanceRef

    if warehouse is not None:
        warehouse = warehouse.expanduser().resolve()
        home = Path(os.environ.get("DAGSTER_HOME") or warehouse.with_name(warehouse.name + ".dagster"))
    elif os.environ.get("DAGSTER_HOME"):
        home = Path(os.environ["DAGSTER_HOME"])
    else:
        raise MeasurementError("Geef --warehouse FILE op (of zet DAGSTER_HOME) om de runs te tonen.")
    if not (home / "dagster.yaml").exists():
        raise MeasurementError(f"Geen Dagster-instantie in {home}: met dit warehouse is nog niet gemeten.")
    rows = []
    with DagsterInstance.from_ref(InstanceRef.from_dir(str(home))) as instance:
        for record in instance.get_run_records(limit=limit):
            run = record.dagster_run
            started = record.start_time
            duration = (record.end_time - started) if record.end_time and started else None
            rows.append({
                "run_id": run.run_id,
                "gestart": _dt.datetime.fromtimestamp(started, _dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
                if started else "",
                "soort": run.tags.get("banenafspraak/soort", "ui/schema"),
                "jaren": run.tags.get("banenafspraak/jaren", run.tags.get("dagster/partition", "")),
                "regeling": run.tags.get("banenafspraak/regeling", ""),
                "status": run.status.value.lower(),
                "duur": f"{duration:.1f} s" if duration is not None else "",
            })
    return rows
