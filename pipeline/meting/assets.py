"""The measurement (group 'meting'): one asset per SQL step of sql/meting/ (METHOD R1–R10, §4),
executed in one Dagster step, set-based over every year of the run.

The assets, their dependencies and their order come from the SQL files' headers (pipeline/steps.py).
A run measures its partition(s), the years of its assignment (MeetopdrachtResource) and always the
nulmeting, all at once: every step replaces the rows of those years in one statement. Each measured
year is recorded as a materialized partition of every asset, so the UI shows per year what was
measured, by which run.
"""


from collections.abc import Iterable, Iterator, Sequence  # noqa: I001

import duckdb
from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetKey,
    AssetMaterialization,
    AssetSpec,
    BackfillPolicy,
    MaterializeResult,
    MetadataValue,
    multi_asset,
)

from pipeline.ingest.assets import DOELGROEPREGISTER, INLEEN, POLIS, REFERENCE, WERKGEVERS
from pipeline.partitions import NULMETING_YEAR, YEARS
from pipeline.publicatie.preview import tabel1_markdown
from pipeline.resources import MeetopdrachtResource, WarehouseResource
from pipeline.sqlfiles import run_sql, sql_hash, sql_text
from pipeline.steps import Step, steps, tables_read

GROUP = "meting"
STEPS = steps("meting")

# Tables outside the steps, and the asset that writes them.
SOURCE_TABLES = {
    "staging.polis": [POLIS], "ingest.polis": [POLIS],
    "staging.werkgevers": [WERKGEVERS], "staging.doelgroepregister": [DOELGROEPREGISTER],
    "staging.inleen": [INLEEN],
    "ingest.werkgever_uren": [POLIS], "ingest.werkgever_personen": [POLIS],
    "ingest.bestanden": [POLIS, WERKGEVERS, DOELGROEPREGISTER, INLEEN],
    "kwaliteit.bestanden": [POLIS, WERKGEVERS, DOELGROEPREGISTER, INLEEN],
}


def step_key(step: Step) -> AssetKey:
    return AssetKey(step.key_path)


def dependencies(step: Step, written_by: dict[str, AssetKey]) -> list[AssetKey]:
    """The assets a step depends on: the steps, extracts and reference data it reads."""
    deps: list[AssetKey] = []
    for table in tables_read(step):
        if table in written_by:
            deps.append(written_by[table])
        elif table.startswith("ref."):
            deps.append(REFERENCE)
        else:
            deps.extend(SOURCE_TABLES.get(table, []))
    return list(dict.fromkeys(d for d in deps if d != step_key(step)))


def step_specs(group: str, found: Sequence[Step], written_by: dict[str, AssetKey]) -> list[AssetSpec]:
    return [
        AssetSpec(
            key=step_key(step),
            deps=dependencies(step, written_by),
            group_name=group,
            description=step.description,
            code_version=sql_hash([step.sql]),
            metadata={"sql": f"sql/{step.sql}", "regel": step.rule},
        )
        for step in found
    ]


WRITTEN_BY = {step.table: step_key(step) for step in STEPS}


def run_years(context: AssetExecutionContext, opdracht: MeetopdrachtResource) -> list[int]:
    """The years this run measures: its partition(s), its assignment, and the nulmeting."""
    return opdracht.years(list(context.partition_keys), NULMETING_YEAR)


def prepare_years(con: duckdb.DuckDBPyConnection, opdracht: MeetopdrachtResource, years: list[int]) -> None:
    """Write werk.meetjaren: the years of the run with their parameters (sql/schema/meetjaren.sql)."""
    run_sql(con, "schema/meetjaren.sql", opdracht.meetjaren_params(years))


def run_steps(
    context: AssetExecutionContext,
    con: duckdb.DuckDBPyConnection,
    found: Iterable[Step],
    years: list[int],
    params: dict | None = None,
) -> Iterator[MaterializeResult]:
    """Run the selected steps in order, each in its own transaction, and report every year."""
    selected = context.selected_asset_keys
    # METHOD R14: the regime(s) the run measured under, on every materialization (a scenario's too)
    regimes = con.execute("SELECT string_agg(DISTINCT regeling || CASE WHEN scenario THEN ' (scenario)' ELSE '' END, ', ') "
                          "FROM werk.meetjaren").fetchone()[0]
    for step in found:
        key = step_key(step)
        if key not in selected:
            continue
        context.log.info(f"{step.table} ({step.rule.split(' — ')[0]}, sql/{step.sql}) voor {', '.join(map(str, years))}")
        con.execute("BEGIN TRANSACTION")
        run_sql(con, step.sql, params or {})
        con.execute("COMMIT")
        counts = dict(con.execute(
            f"SELECT jaar, count(*) FROM {step.table} WHERE jaar IN (SELECT jaar FROM werk.meetjaren) GROUP BY jaar"
        ).fetchall())
        metadata = {"sql": f"sql/{step.sql}", "regeling": regimes or "", "rijen_per_jaar": MetadataValue.json(
            {str(y): counts.get(y, 0) for y in years})}
        if step.table == "meting.banen":  # the Table 1 preview of the run's latest year
            metadata["tabel1"] = MetadataValue.md(tabel1_markdown(con, max(years)))
        yield from report(context, key, years, {y: {"rijen": counts.get(y, 0)} for y in years}, metadata)


def report(
    context: AssetExecutionContext,
    key: AssetKey,
    years: list[int],
    per_year: dict[int, dict],
    metadata: dict,
) -> Iterator[MaterializeResult]:
    """The step's result for the run's own partitions, and a materialization for every other
    measured year (the nulmeting and the assignment's years), so each year shows in the UI."""
    own = set(context.partition_keys)
    for year in years:
        if str(year) not in own:
            context.log_event(AssetMaterialization(asset_key=key, partition=str(year),
                                                   metadata={**per_year.get(year, {}), **metadata}))
    yield MaterializeResult(asset_key=key, metadata=metadata)


# The blocking checks of the measurement (METHOD §5): name -> (asset, SQL file listing deviations,
# description). A deviation stops the run before publication.
BLOCKING_CHECKS = {
    "stromen_sluiten": (AssetKey(["meting", "stromen"]), "controles/R11_stromen_sluiten.sql",
                        "R11: de bijdragen van alle personen tellen per cel exact op tot de verandering van de cel"),
    "register_sluit": (AssetKey(["meting", "register_stromen"]), "controles/R13_register_sluit.sql",
                       "R13: doelgroep_omvang(Y) = doelgroep_omvang(X) + instroom − uitstroom, exact"),
}


def blocking_check(con: duckdb.DuckDBPyConnection, name: str) -> AssetCheckResult:
    """Run a blocking check's SQL (sql/controles/): every row it returns is a deviation."""
    key, sql_file, description = BLOCKING_CHECKS[name]
    result = con.execute(sql_text(sql_file))
    columns = [d[0] for d in result.description]
    deviations = [dict(zip(columns, row)) for row in result.fetchall()]
    return AssetCheckResult(
        check_name=name,
        asset_key=key,
        passed=not deviations,
        severity=AssetCheckSeverity.ERROR,
        description=description if not deviations else f"{description} — niet voldaan: " + "; ".join(
            ", ".join(str(v) for v in d.values()) for d in deviations[:5]),
        metadata={"afwijkingen": MetadataValue.json([{k: str(v) for k, v in d.items()} for d in deviations[:50]])},
    )


@multi_asset(
    name="meting",
    specs=step_specs(GROUP, STEPS, WRITTEN_BY),
    partitions_def=YEARS,
    backfill_policy=BackfillPolicy.single_run(),
    can_subset=True,
    check_specs=[AssetCheckSpec(name, asset=key, blocking=True, description=description)
                 for name, (key, _, description) in BLOCKING_CHECKS.items()],
    description="METHOD R1–R13 and §4: every SQL step of sql/meting, set-based over the run's years.",
)
def meting(context: AssetExecutionContext, warehouse: WarehouseResource, opdracht: MeetopdrachtResource):
    years = run_years(context, opdracht)
    with warehouse.connect() as con:
        prepare_years(con, opdracht, years)
        yield from run_steps(context, con, STEPS, years)
        for name, (key, _, _) in BLOCKING_CHECKS.items():
            if key in context.selected_asset_keys:
                yield blocking_check(con, name)


ASSETS = [meting]
CHECKS: list = []
