"""Scenario (group 'scenario', METHOD R14): a year and its nulmeting measured under another regime,
published beside the official figures without touching them.

The `scenario` job runs the ingestion and the measurement (the same assets and SQL as a `jaarmeting`
run) in a working database of its own (`<warehouse>.werk/scenario/`), with every year of the run under
the regime of its assignment (MeetopdrachtResource.regeling → werk.meetjaren.regeling), and then
this asset: the published file is rebuilt atomically as it is, with the scenario's rows in
scenario.banen and scenario.runs (sql/publicatie/scenario.sql); scenario.verschil compares them
per cell with the official meting.banen.
"""

import datetime as dt

import duckdb
from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetSpec,
    BackfillPolicy,
    Failure,
    MaterializeResult,
    MetadataValue,
    multi_asset,
)

from pipeline.audit.provenance import as_json, git_commit, sql_hashes
from pipeline.meting.assets import STEPS as METING_STEPS
from pipeline.meting.assets import run_years, step_key
from pipeline.partitions import YEARS
from pipeline.publicatie.publish import SCENARIO_SQL, publish_scenario
from pipeline.resources import DeliveryResource, MeetopdrachtResource, WarehouseResource
from pipeline.sqlfiles import sql_hash

SCENARIO = AssetKey(["scenario", "warehouse"])

VERSCHIL = """SELECT sector, vorm, banen_officieel, banen_scenario, banen, extra_banen_officieel,
                     extra_banen_scenario, extra_banen
              FROM scenario.verschil WHERE regeling = ? AND jaar = ? ORDER BY sector, vorm"""


@multi_asset(
    name="scenario",
    specs=[AssetSpec(
        SCENARIO, group_name="scenario", code_version=sql_hash(list(SCENARIO_SQL)),
        deps=[step_key(s) for s in METING_STEPS if s.table.startswith("meting.")],
        description="METHOD R14: a year and its nulmeting measured under another regime, into scenario.* of the "
                    "analyst-facing file (atomically); meting.* stays as it is.")],
    partitions_def=YEARS,
    backfill_policy=BackfillPolicy.single_run(),
)
def scenario(context: AssetExecutionContext, warehouse: WarehouseResource, delivery: DeliveryResource,
             opdracht: MeetopdrachtResource):
    if not opdracht.regeling:
        raise Failure(description="Een scenario heeft een regeling nodig (banenafspraak scenario ... --regeling NAAM); "
                                  "zonder regeling meet de job jaarmeting de officiële cijfers.")
    if not warehouse.published_path.exists():
        raise Failure(description=f"{warehouse.published_path} bestaat niet: een scenario wordt vergeleken met de "
                                  "officiële cijfers; meet het jaar eerst met banenafspraak run.")
    years = run_years(context, opdracht)
    record = context.instance.get_run_record_by_id(context.run.run_id)
    started = record.start_time if record and record.start_time else None
    context.log.info(f"scenario {opdracht.regeling} van {', '.join(map(str, years))} naar {warehouse.published_path}")
    publish_scenario(warehouse.work_path, warehouse.published_path, years, opdracht.regeling, {
        "dagster_run_id": context.run.run_id,
        "gestart": dt.datetime.fromtimestamp(started, dt.timezone.utc).replace(tzinfo=None) if started else None,
        "levering": str(delivery.root),
        "git_commit": git_commit(),
        "sql_hashes": as_json(sql_hashes()),
    })
    con = duckdb.connect(str(warehouse.published_path), read_only=True)
    try:
        rows = con.execute(VERSCHIL, [opdracht.regeling, max(years)]).fetchall()
    finally:
        con.close()
    lines = ["| sector | vorm | banen officieel | banen scenario | verschil banen | verschil extra banen |",
             "|---|---|---:|---:|---:|---:|"]
    lines += [f"| {s} | {v} | {bo:,.1f} | {bs:,.1f} | {b:+,.1f} | {e:+,.1f} |" for s, v, bo, bs, b, _, _, e in rows]
    yield MaterializeResult(asset_key=SCENARIO, metadata={
        "regeling": opdracht.regeling,
        "jaren": MetadataValue.json(years),
        "bestand": MetadataValue.path(str(warehouse.published_path)),
        "verschil": MetadataValue.md("\n".join(lines)),
    })


ASSETS = [scenario]
