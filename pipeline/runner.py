"""Running measurements through the Dagster definitions (used by the CLI and the tests).

A measurement of years Y1..Yn is a sequence of runs of the `jaarmeting` job in a persistent
Dagster instance: the first run (the nulmeting year) also ingests the delivery; every later run
measures one year from the ingested delivery. Only one writer may use a warehouse at a time.
"""

from __future__ import annotations

import contextlib
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


def ensure_dagster_home(warehouse: Path) -> Path:
    """Use $DAGSTER_HOME, or a persistent instance beside the warehouse, so run history survives."""
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
    os.environ["DAGSTER_HOME"] = str(home)
    return home


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


def measure(
    delivery: Path,
    warehouse: Path,
    years: Sequence[int],
    provisional_keys: Mapping[int, float] | None = None,
    cutoff_dates: Mapping[int, str] | None = None,
    log: Callable[[str], None] = print,
) -> list[str]:
    """Measure `years` (plus the nulmeting) from `delivery` into `warehouse`. Returns run ids.

    provisional_keys: explicit verdeelsleutel (share markt) per year without a published key.
    cutoff_dates: a cut-off date (YYYY-MM-DD) per year instead of the reference default.
    """
    provisional_keys = dict(provisional_keys or {})
    cutoff_dates = dict(cutoff_dates or {})
    delivery = delivery.expanduser().resolve()
    warehouse = warehouse.expanduser().resolve()
    if not delivery.is_dir():
        raise MeasurementError(f"Levering {delivery} bestaat niet of is geen map.")
    if not os.environ.get(KEY_ENV):
        raise MeasurementError(
            f"De sleutel voor het pseudonimiseren van BSN's ontbreekt: zet de omgevingsvariabele {KEY_ENV}."
        )
    os.environ["BANENAFSPRAAK_DELIVERY"] = str(delivery)
    os.environ["BANENAFSPRAAK_WAREHOUSE"] = str(warehouse)
    ensure_dagster_home(warehouse)

    from dagster import DagsterInstance

    from pipeline.definitions import defs
    from pipeline.ingest.assets import ASSETS as INGEST_ASSETS
    from pipeline.ingest.sources import SOURCES
    from pipeline.meting.assets import STEPS
    from pipeline.partitions import YEARS

    known = set(YEARS.get_partition_keys())
    ordered = sorted(set(years) | {NULMETING_YEAR}, key=lambda y: (y != NULMETING_YEAR, y))
    unknown = [y for y in ordered if str(y) not in known]
    if unknown:
        raise MeasurementError(
            f"Jaar {', '.join(map(str, unknown))} kan niet gemeten worden: meetjaren lopen van "
            f"{min(known)} tot en met {max(known)} (een jaar wordt gemeten nadat het is afgelopen)."
        )
    from pipeline.publicatie.assets import PUBLICATIE

    job = defs.resolve_job_def("jaarmeting")
    ingest_keys = {key for a in INGEST_ASSETS for key in a.keys}
    all_keys = defs.resolve_asset_graph().get_all_asset_keys()
    source_keys = {source.key for source in SOURCES}
    measure_keys = [key for key in all_keys if key not in ingest_keys | source_keys and key != PUBLICATIE]
    configured_ops = ["__".join(step.key.path) for step in STEPS] + ["audit__verantwoording"]
    run_ids = []
    with writer_lock(warehouse), DagsterInstance.get() as instance:

        def launch(year: int, selection: list | None, what: str) -> None:
            step_config = {"voorlopig_aandeel_markt": provisional_keys.get(year), "afsluitdatum": cutoff_dates.get(year)}
            run_config = {
                "ops": {op: {"config": step_config} for op in configured_ops},
                "loggers": {"console": {"config": {"log_level": os.environ.get("BANENAFSPRAAK_LOG_LEVEL", "CRITICAL")}}},
            }
            log(f"{what} {year} ...")
            result = job.execute_in_process(
                run_config=run_config,
                instance=instance,
                partition_key=str(year),
                asset_selection=selection,
                raise_on_error=False,
                tags={"banenafspraak/levering": str(delivery)},
            )
            run_ids.append(result.run_id)
            if not result.success:
                raise MeasurementError(
                    f"De {what} van {year} is mislukt (Dagster-run {result.run_id}); het gepubliceerde "
                    f"bestand {warehouse} is niet gewijzigd. Oorzaak: {_failure_message(result)}"
                )

        # Measure every year first (the first run also ingests the delivery), publish only when all
        # succeeded: a failing year leaves the published file exactly as it was.
        for index, year in enumerate(ordered):
            selection = [*ingest_keys, *measure_keys] if index == 0 else measure_keys
            launch(year, selection, "inlezen en meting" if index == 0 else "meting")
        for year in ordered:
            launch(year, [PUBLICATIE], "publicatie")
    return run_ids
