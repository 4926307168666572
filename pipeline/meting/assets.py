"""Per-year measurement assets (group 'meting'), one per SQL step of sql/meting/ (METHOD R1–R10).

Every asset is partitioned by measurement year; each runs its SQL file for that year in one
transaction (replacing the year's rows) and reports row counts. `meting/banen` of year Y also
depends on `werk/banen_per_cel` of the nulmeting year (METHOD R9).
"""


from dataclasses import dataclass, field

from dagster import (
    AssetDep,
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    Config,
    AssetCheckResult,
    MetadataValue,
    asset,
    asset_check,
)

from pipeline.ingest.assets import DOELGROEPREGISTER, POLIS, REFERENCE, WERKGEVERS
from pipeline.kwaliteit.results import check_result, run_suite
from pipeline.meting.parameters import year_parameters
from pipeline.publicatie.preview import tabel1_markdown
from pipeline.partitions import NULMETING_MAPPING, YEARS
from pipeline.resources import WarehouseResource
from pipeline.sqlfiles import run_sql, sql_hash

GROUP = "meting"


class MetingConfig(Config):
    """Run settings of a measurement step (only some steps use them)."""

    voorlopig_aandeel_markt: float | None = None  # METHOD R7: explicit provisional key
    afsluitdatum: str | None = None  # METHOD R1: override of the cut-off date (YYYY-MM-DD)


@dataclass(frozen=True)
class Step:
    table: str  # schema.table written, also the asset key
    sql: str  # file under sql/
    rule: str
    deps: list[AssetDep | AssetKey] = field(default_factory=list)
    gx_suite: str | None = None  # Great Expectations suite run on the step's rows of the year

    @property
    def key(self) -> AssetKey:
        return AssetKey(self.table.split("."))


STEPS = [
    Step("werk.definitieve_versies", "meting/01_definitieve_versies.sql", "R1", [POLIS, REFERENCE],
         gx_suite="polis_venster"),
    Step("werk.venster_uren", "meting/02_venster_uren.sql", "R2–R3", [AssetKey(["werk", "definitieve_versies"])]),
    Step("werk.doelgroep_uren", "meting/03_doelgroep.sql", "R4",
         [AssetKey(["werk", "venster_uren"]), DOELGROEPREGISTER]),
    Step("werk.werkgever_peildatum", "meting/04_werkgever_peildatum.sql", "R6 (versie)", [WERKGEVERS, REFERENCE]),
    Step("werk.vorm_uren", "meting/05_vorm.sql", "R5",
         [AssetKey(["werk", "doelgroep_uren"]), AssetKey(["werk", "werkgever_peildatum"])]),
    Step("werk.telbare_uren", "meting/06_sector.sql", "R6 (sector)", [AssetKey(["werk", "vorm_uren"])]),
    Step("werk.uren_per_cel", "meting/07_verdeelsleutel.sql", "R7", [AssetKey(["werk", "telbare_uren"])]),
    Step("werk.banen_per_cel", "meting/08_banen.sql", "R8", [AssetKey(["werk", "uren_per_cel"])]),
    Step("meting.banen", "meting/09_extra_banen.sql", "R9",
         [AssetDep(AssetKey(["werk", "banen_per_cel"]), partition_mapping=NULMETING_MAPPING)]),
    Step("meting.banen_overheidssector", "meting/11_uitsplitsingen.sql", "§4 (uitsplitsingen)",
         [AssetKey(["werk", "telbare_uren"]), AssetKey(["werk", "uren_per_cel"]), DOELGROEPREGISTER]),
    Step("meting.personen", "meting/10_personen.sql", "R10",
         [AssetKey(["werk", "telbare_uren"]), AssetKey(["werk", "uren_per_cel"]), DOELGROEPREGISTER]),
]


def build_step(step: Step) -> AssetsDefinition:
    schema, table = step.table.split(".")

    @asset(
        key=step.key,
        group_name=GROUP,
        partitions_def=YEARS,
        deps=step.deps,
        code_version=sql_hash([step.sql]),
        description=f"METHOD {step.rule}: sql/{step.sql}",
        name=None,
    )
    def _step(context: AssetExecutionContext, config: MetingConfig, warehouse: WarehouseResource) -> None:
        jaar = int(context.partition_key)
        with warehouse.connect() as con:
            params = year_parameters(con, jaar, config.afsluitdatum, config.voorlopig_aandeel_markt)
            con.execute("BEGIN TRANSACTION")
            run_sql(con, step.sql, params)
            con.execute("COMMIT")
            rows = con.execute(f"SELECT count(*) FROM {schema}.{table} WHERE jaar = ?", [jaar]).fetchone()[0]
            metadata = {
                "rijen": rows,
                "sql": f"sql/{step.sql}",
                "parameters": MetadataValue.json({k: str(v) for k, v in params.items()}),
            }
            if step.gx_suite:
                metadata.update(run_suite(con, warehouse, context.run.run_id, step.gx_suite, jaar))
            if step.table == "meting.banen":
                metadata["tabel1"] = MetadataValue.md(tabel1_markdown(con, jaar))
        context.add_output_metadata(metadata)

    return _step


def build_gx_check(step: Step):
    @asset_check(asset=step.key, name=f"gx_{step.gx_suite}", blocking=True,
                 description=f"Great Expectations suite {step.gx_suite} on the year's rows")
    def _check(context, warehouse: WarehouseResource) -> AssetCheckResult:
        return check_result(warehouse, context.run.run_id, step.gx_suite, int(context.partition_key))

    return _check


ASSETS = [build_step(step) for step in STEPS]
CHECKS = [build_gx_check(step) for step in STEPS if step.gx_suite]
