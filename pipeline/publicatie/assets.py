"""Publication asset (group 'publicatie'): year Y's results into the analyst-facing file."""


import duckdb
from dagster import AssetExecutionContext, AssetKey, MetadataValue, asset

from pipeline.partitions import YEARS
from pipeline.publicatie.preview import tabel1_markdown
from pipeline.publicatie.publish import publish_year
from pipeline.resources import WarehouseResource
from pipeline.sqlfiles import sql_hash

PUBLICATIE = AssetKey(["publicatie", "warehouse"])


@asset(
    key=PUBLICATIE,
    group_name="publicatie",
    partitions_def=YEARS,
    deps=[AssetKey(["meting", "banen"]), AssetKey(["meting", "personen"]), AssetKey(["meting", "banen_overheidssector"]),
          AssetKey(["audit", "verantwoording"])],
    code_version=sql_hash(["publicatie/publiceren.sql", "publicatie/audit.sql", "publicatie/tabel1.sql", "publicatie/views.sql"]),
    description="The analyst-facing DuckDB file: meting.*, kwaliteit.*; replaced atomically per year.",
)
def warehouse_publicatie(context: AssetExecutionContext, warehouse: WarehouseResource) -> None:
    jaar = int(context.partition_key)
    publish_year(warehouse.work_path, warehouse.published_path, jaar)
    con = duckdb.connect(str(warehouse.published_path), read_only=True)
    try:
        years = [y for (y,) in con.execute("SELECT DISTINCT jaar FROM meting.banen ORDER BY 1").fetchall()]
        preview = tabel1_markdown(con, jaar)
    finally:
        con.close()
    context.add_output_metadata(
        {
            "bestand": MetadataValue.path(str(warehouse.published_path)),
            "gepubliceerde_jaren": MetadataValue.json(years),
            "tabel1": MetadataValue.md(preview),
        }
    )
