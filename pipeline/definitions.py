"""The Dagster code location: assets by domain (bronnen → meting → publicatie), checks, jobs,
the yearly schedule and resources. Loaded by `dagster dev -w workspace.yaml` and by the CLI."""


from dagster import (
    AssetSelection,
    DefaultScheduleStatus,
    Definitions,
    RunRequest,
    ScheduleEvaluationContext,
    define_asset_job,
    schedule,
)

from pipeline.audit.assets import grootboek_sluit, verantwoording
from pipeline.ingest.assets import ASSETS as INGEST_ASSETS
from pipeline.ingest.assets import CHECKS as INGEST_CHECKS
from pipeline.ingest.sources import SOURCES
from pipeline.meting.assets import ASSETS as METING_ASSETS
from pipeline.meting.assets import CHECKS as METING_CHECKS
from pipeline.publicatie.assets import warehouse_publicatie
from pipeline.resources import default_resources

ALL_ASSETS = [*SOURCES, *INGEST_ASSETS, *METING_ASSETS, verantwoording, warehouse_publicatie]

# One job measures one year: ingest the delivery (unpartitioned), then every per-year step and
# the publication for the partition. The CLI runs the ingestion once and the years after it.
jaarmeting_job = define_asset_job(
    name="jaarmeting",
    selection=AssetSelection.all() - AssetSelection.assets(*(a.key for a in SOURCES)),
    description="Ingest the delivery and measure one year (partition) into the warehouse.",
)


@schedule(
    job=jaarmeting_job,
    cron_schedule="0 6 2 5 *",  # 2 May 06:00, the day after the 1 May cut-off (Wfsv art. 38e)
    execution_timezone="Europe/Amsterdam",
    default_status=DefaultScheduleStatus.STOPPED,
    description="Measure the previous year once its data are frozen on 1 May.",
)
def jaarlijkse_meting(context: ScheduleEvaluationContext):
    year = str(context.scheduled_execution_time.year - 1)
    return RunRequest(run_key=f"jaarmeting-{year}", partition_key=year)


defs = Definitions(
    assets=ALL_ASSETS,
    asset_checks=[*INGEST_CHECKS, *METING_CHECKS, grootboek_sluit],
    jobs=[jaarmeting_job],
    schedules=[jaarlijkse_meting],
    resources=default_resources(),
)
