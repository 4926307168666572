"""Publication (group 'publicatie'): every year of the run into the analyst-facing file, at once."""


import duckdb
from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetSpec,
    BackfillPolicy,
    MetadataValue,
    multi_asset,
)

from pipeline.audit.assets import STEPS as AUDIT_STEPS
from pipeline.kwaliteit.assets import GX
from pipeline.meting.assets import STEPS as METING_STEPS
from pipeline.meting.assets import report, run_years, step_key
from pipeline.partitions import YEARS
from pipeline.publicatie.preview import tabel1_markdown
from pipeline.publicatie.publish import PUBLICATION_SQL, publish_run
from pipeline.resources import MeetopdrachtResource, WarehouseResource
from pipeline.sqlfiles import sql_hash

PUBLICATIE = AssetKey(["publicatie", "warehouse"])


@multi_asset(
    name="publicatie",
    specs=[AssetSpec(
        PUBLICATIE, group_name="publicatie", code_version=sql_hash(list(PUBLICATION_SQL)),
        deps=[*(step_key(s) for s in METING_STEPS if s.table.startswith("meting.")),
              *(step_key(s) for s in AUDIT_STEPS), GX],
        description="The analyst-facing DuckDB file (meting.*, kwaliteit.*, audit.*): every year of the run "
                    "replaced at once, atomically.")],
    partitions_def=YEARS,
    backfill_policy=BackfillPolicy.single_run(),
)
def publicatie(context: AssetExecutionContext, warehouse: WarehouseResource, opdracht: MeetopdrachtResource):
    years = run_years(context, opdracht)
    context.log.info(f"publicatie van {', '.join(map(str, years))} naar {warehouse.published_path}")
    publish_run(warehouse.work_path, warehouse.published_path, years)
    con = duckdb.connect(str(warehouse.published_path), read_only=True)
    try:
        published = [y for (y,) in con.execute("SELECT DISTINCT jaar FROM meting.banen ORDER BY 1").fetchall()]
        preview = tabel1_markdown(con, max(years))
    finally:
        con.close()
    yield from report(context, PUBLICATIE, years, {}, {
        "bestand": MetadataValue.path(str(warehouse.published_path)),
        "jaren_deze_run": MetadataValue.json(years),
        "gepubliceerde_jaren": MetadataValue.json(published),
        "tabel1": MetadataValue.md(preview),
    })


ASSETS = [publicatie]
