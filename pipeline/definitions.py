"""The Dagster code location: assets by domain (bronnen → meting → kwaliteit, audit → publicatie),
checks, the job, the yearly schedule and resources. Loaded by `dagster dev -w workspace.yaml` and by
the CLI, which binds its own resources through `build_definitions`.

Every step runs in the run's own process (in_process_executor, for the job and for ad-hoc asset
runs from the UI): the steps share one DuckDB working database, which only one process may open
read-write, so two steps never hold it at once — whoever launches the run (CLI, UI, schedule).
"""

from __future__ import annotations

from collections.abc import Mapping

from dagster import (
    AssetSelection,
    ConfigurableResource,
    DefaultScheduleStatus,
    Definitions,
    RunRequest,
    ScheduleEvaluationContext,
    colored_console_logger,
    define_asset_job,
    in_process_executor,
    schedule,
)

from pipeline import run_history
from pipeline.audit.assets import ASSETS as AUDIT_ASSETS
from pipeline.ingest.assets import ASSETS as INGEST_ASSETS
from pipeline.ingest.assets import CHECKS as INGEST_CHECKS
from pipeline.ingest.sources import SOURCES
from pipeline.kwaliteit.assets import ASSETS as KWALITEIT_ASSETS
from pipeline.meting.assets import ASSETS as METING_ASSETS
from pipeline.publicatie.assets import ASSETS as PUBLICATIE_ASSETS
from pipeline.rapport.assets import ASSETS as RAPPORT_ASSETS
from pipeline.resources import default_resources
from pipeline.scenario.assets import ASSETS as SCENARIO_ASSETS
from pipeline.voortgang import voortgang

# A run launched from the UI or the schedule executes in a process that loads this module: its
# run history is stored without an fsync per event as well (pipeline/run_history.py).
run_history.install()

ALL_ASSETS = [*SOURCES, *INGEST_ASSETS, *METING_ASSETS, *KWALITEIT_ASSETS, *AUDIT_ASSETS, *PUBLICATIE_ASSETS,
              *RAPPORT_ASSETS, *SCENARIO_ASSETS]

# One run measures every year it is given: ingest the delivery once (unpartitioned), then every
# measuring step set-based over the run's years and the nulmeting, then publish them all at once.
jaarmeting_job = define_asset_job(
    name="jaarmeting",
    selection=AssetSelection.all() - AssetSelection.assets(*(a.key for a in SOURCES)) - AssetSelection.assets(*SCENARIO_ASSETS),
    executor_def=in_process_executor,
    description="Lees de levering in en meet de jaren van de run (partitie(s) + nulmeting); publiceer ze in één keer.",
)

# METHOD R14: a year and its nulmeting under another regime (the run's MeetopdrachtResource.regeling),
# in a working database of its own, published into scenario.* only (the CLI's `scenario` verb).
scenario_job = define_asset_job(
    name="scenario",
    selection=AssetSelection.assets(*INGEST_ASSETS, *METING_ASSETS, *SCENARIO_ASSETS),
    executor_def=in_process_executor,
    description="Meet een jaar en de nulmeting onder een andere regeling (METHOD R14) in een eigen werkdatabase; "
                "publiceer alleen scenario.* (meting.* blijft ongewijzigd).",
)


@schedule(
    job=jaarmeting_job,
    cron_schedule="0 6 2 5 *",  # 2 May 06:00, the day after the 1 May cut-off (Wfsv art. 38e)
    execution_timezone="Europe/Amsterdam",
    default_status=DefaultScheduleStatus.STOPPED,
    description="Meet het vorige jaar zodra de gegevens op 1 mei bevroren zijn.",
)
def jaarlijkse_meting(context: ScheduleEvaluationContext):
    year = str(context.scheduled_execution_time.year - 1)
    return RunRequest(run_key=f"jaarmeting-{year}", partition_key=year,
                      tags={"banenafspraak/soort": "meting", "banenafspraak/jaren": year})


def build_definitions(resources: Mapping[str, ConfigurableResource]) -> Definitions:
    return Definitions(
        assets=ALL_ASSETS,
        asset_checks=[*INGEST_CHECKS],
        jobs=[jaarmeting_job, scenario_job],
        schedules=[jaarlijkse_meting],
        resources=dict(resources),
        executor=in_process_executor,
        loggers={"console": colored_console_logger, "voortgang": voortgang},
    )


defs = build_definitions(default_resources())
