"""Great Expectations (group 'kwaliteit'): the independent second look at the accepted rows.

One step validates the four suites (pipeline/kwaliteit/gx.py): the accepted employer versions,
the accepted register intervals, the final payroll versions of every year of the run and the
accepted inleen credits. Frames
go from DuckDB to Parquet and are validated in the worker process that the GX resource started
when the run began (pipeline/kwaliteit/worker.py), so the main process never waits for GX's import
while it ingests and measures. A blocking check per suite stops the publication. The Data Docs
(<warehouse>.werk/data_docs/<run id>/<suite>/index.html) open without network
(pipeline/kwaliteit/offline.py); a page that still needs it stops the run.
"""


import json

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetKey,
    AssetSpec,
    BackfillPolicy,
    MaterializeResult,
    MetadataValue,
    multi_asset,
)

from pipeline.ingest.assets import DOELGROEPREGISTER, INLEEN, WERKGEVERS
from pipeline.kwaliteit.gx import SUITES, export_frame
from pipeline.kwaliteit.offline import DataDocsOfflineError
from pipeline.kwaliteit.worker import GxWorkerResource
from pipeline.meting.assets import prepare_years, report, run_years
from pipeline.partitions import YEARS
from pipeline.resources import MeetopdrachtResource, WarehouseResource
from pipeline.sqlfiles import sql_hash

GX = AssetKey(["kwaliteit", "great_expectations"])
FRAME_DEPS = [WERKGEVERS, DOELGROEPREGISTER, INLEEN, AssetKey(["werk", "definitieve_versies"])]
# Ordering only: the suites run after the audit steps, the last DuckDB work before publication, so
# the worker's GX import overlaps with as much of the run as possible.
AFTER = [AssetKey(["audit", "grootboek"]), AssetKey(["audit", "bijdragen"])]


@multi_asset(
    name="great_expectations",
    specs=[AssetSpec(GX, deps=[*FRAME_DEPS, *AFTER], group_name="kwaliteit",
                     code_version=sql_hash([f"kwaliteit/{s}.sql" for s in SUITES]),
                     description="Great Expectations suites werkgevers, doelgroepregister, polis_venster "
                                 "(final versions of every year of the run) and inleen; Data Docs per run.")],
    check_specs=[AssetCheckSpec(f"gx_{suite}", asset=GX, blocking=True,
                                description=f"Great Expectations suite {suite}") for suite in SUITES],
    partitions_def=YEARS,
    backfill_policy=BackfillPolicy.single_run(),
)
def great_expectations(context: AssetExecutionContext, warehouse: WarehouseResource,
                       opdracht: MeetopdrachtResource, gx: GxWorkerResource):
    years = run_years(context, opdracht)
    run_id = context.run.run_id
    frames_dir = warehouse.work_dir / "gx_frames" / run_id
    frames_dir.mkdir(parents=True, exist_ok=True)
    docs_dir = warehouse.work_dir / "data_docs" / run_id
    with warehouse.connect() as con:
        prepare_years(con, opdracht, years)
        futures = {}
        for suite in SUITES:
            path = export_frame(con, suite, frames_dir / f"{suite}.parquet")
            futures[suite] = gx.submit(suite, path, docs_dir)
        try:
            outcomes = {suite: future.result() for suite, future in futures.items()}
        except DataDocsOfflineError as exc:
            # Raised in the worker: without its remote traceback as cause, so the run's failure
            # message is this one Dutch paragraph.
            raise DataDocsOfflineError(str(exc)) from None
        con.execute("DELETE FROM kwaliteit.gx_resultaten WHERE dagster_run_id = ?", [run_id])
        for suite, (outcome, rows) in outcomes.items():
            con.execute(
                "INSERT INTO kwaliteit.gx_resultaten VALUES (?, ?, NULL, ?, ?, ?, ?, ?)",
                [run_id, suite, outcome.success, rows, outcome.evaluated,
                 json.dumps(outcome.details or {f: "" for f in outcome.failed}, ensure_ascii=False),
                 str(outcome.docs_index or "")],
            )
    for path in frames_dir.glob("*.parquet"):
        path.unlink()
    frames_dir.rmdir()
    metadata = {}
    for suite, (outcome, rows) in outcomes.items():
        metadata[f"{suite}_geslaagd"] = outcome.success
        metadata[f"{suite}_rijen"] = rows
        if outcome.docs_index:
            metadata[f"{suite}_data_docs"] = MetadataValue.url(outcome.docs_index.as_uri())
    yield from report(context, GX, years, {}, metadata)
    for suite, (outcome, rows) in outcomes.items():
        yield AssetCheckResult(
            check_name=f"gx_{suite}", asset_key=GX, passed=bool(outcome.success),
            severity=AssetCheckSeverity.ERROR,
            description=f"Great Expectations suite {suite}" + (
                "" if outcome.success else ": " + "; ".join(f"{k} {v}".strip() for k, v in (
                    outcome.details or {f: "" for f in outcome.failed}).items())),
            metadata={"rijen": rows, "verwachtingen": outcome.evaluated,
                      "mislukt": MetadataValue.json(outcome.details or {f: "" for f in outcome.failed})},
        )


ASSETS = [great_expectations]
