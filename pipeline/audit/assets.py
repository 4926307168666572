"""Audit (group 'audit'): per measured year the run, input files, reference values, the step
ledger and the drill-down — one asset per SQL step of sql/audit/, derived from their headers, run
set-based over the run's years. The blocking check grootboek_sluit stops publication when a step of
the ledger does not reconcile with the next.
"""


import datetime as dt

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetKey,
    BackfillPolicy,
    MetadataValue,
    multi_asset,
)

from pipeline.audit.provenance import as_json, git_commit, package_versions, sql_hashes
from pipeline.meting.assets import WRITTEN_BY, prepare_years, run_steps, run_years, step_key, step_specs
from pipeline.partitions import YEARS
from pipeline.resources import DeliveryResource, MeetopdrachtResource, WarehouseResource
from pipeline.steps import steps

STEPS = steps("audit")
GROOTBOEK = AssetKey(["audit", "grootboek"])

# The ledger reconciles, per year: every line is computed from the line before (sql/audit/grootboek.sql).
RECONCILIATION = """
WITH g AS (SELECT * FROM audit.grootboek WHERE jaar IN (SELECT jaar FROM werk.meetjaren)),
s AS (
    SELECT jaar,
        coalesce(sum(rijen) FILTER (WHERE volgorde = 1), 0) AS gelezen,
        coalesce(sum(rijen) FILTER (WHERE volgorde = 2), 0) AS quarantaine,
        coalesce(sum(rijen) FILTER (WHERE volgorde = 3), 0) AS geaccepteerd,
        coalesce(sum(rijen) FILTER (WHERE volgorde = 6), 0) AS definitief,
        coalesce(sum(rijen) FILTER (WHERE volgorde = 7), 0) AS venster,
        coalesce(sum(rijen) FILTER (WHERE volgorde = 8), 0) AS doelgroep,
        coalesce(sum(uren) FILTER (WHERE volgorde = 8), 0) AS doelgroep_uren,
        coalesce(sum(rijen) FILTER (WHERE volgorde = 9), 0) AS per_vorm,
        coalesce(sum(uren) FILTER (WHERE volgorde = 9), 0) AS uren_vorm,
        coalesce(sum(uren) FILTER (WHERE volgorde = 9 AND deel NOT LIKE 'uitgesloten%'), 0) AS telbaar_vorm,
        coalesce(sum(uren) FILTER (WHERE volgorde = 10), 0) AS telbaar_sector,
        coalesce(sum(uren) FILTER (WHERE volgorde = 11), 0) AS cellen
    FROM g GROUP BY jaar
)
SELECT jaar, list_filter([
    CASE WHEN gelezen <> quarantaine + geaccepteerd THEN 'gelezen <> quarantaine + geaccepteerd' END,
    CASE WHEN definitief <> venster THEN 'definitieve versies <> rijen met venster-uren' END,
    CASE WHEN doelgroep <> per_vorm THEN 'doelgroep-rijen <> rijen per vorm' END,
    CASE WHEN abs(doelgroep_uren - uren_vorm) > 1e-6 THEN 'doelgroep-uren <> uren per vorm' END,
    CASE WHEN abs(telbaar_vorm - telbaar_sector) > 1e-6 THEN 'telbare uren per vorm <> per sector' END,
    CASE WHEN abs(telbaar_sector - cellen) > 1e-6 THEN 'telbare uren <> som van de cellen' END
], lambda x: x IS NOT NULL) AS afwijkingen
FROM s ORDER BY jaar
"""


@multi_asset(
    name="verantwoording",
    specs=step_specs("audit", STEPS, {**WRITTEN_BY, **{s.table: step_key(s) for s in STEPS}}),
    partitions_def=YEARS,
    backfill_policy=BackfillPolicy.single_run(),
    can_subset=True,
    check_specs=[AssetCheckSpec("grootboek_sluit", asset=GROOTBOEK, blocking=True,
                                description="Every step of the ledger reconciles with the next (rows and hours).")],
    description="Audit record of every year of the run: run, input files (sha256), reference values, "
                "step ledger, drill-down.",
)
def verantwoording(context: AssetExecutionContext, warehouse: WarehouseResource, delivery: DeliveryResource,
                   opdracht: MeetopdrachtResource):
    years = run_years(context, opdracht)
    record = context.instance.get_run_record_by_id(context.run.run_id)
    started = record.start_time if record and record.start_time else None
    params = {
        "dagster_run_id": context.run.run_id,
        "gestart": dt.datetime.fromtimestamp(started, dt.timezone.utc).replace(tzinfo=None) if started else None,
        "levering": str(delivery.root),
        "pakketversies": as_json(package_versions()),
        "git_commit": git_commit(),
        "sql_hashes": as_json(sql_hashes()),
    }
    with warehouse.connect() as con:
        prepare_years(con, opdracht, years)
        yield from run_steps(context, con, STEPS, years, params)
        if GROOTBOEK in context.selected_asset_keys:
            failures = {jaar: f for jaar, f in con.execute(RECONCILIATION).fetchall() if f}
            yield AssetCheckResult(
                check_name="grootboek_sluit",
                asset_key=GROOTBOEK,
                passed=not failures,
                severity=AssetCheckSeverity.ERROR,
                description="grootboek sluit" if not failures else "grootboek sluit niet: " + "; ".join(
                    f"{jaar}: {', '.join(f)}" for jaar, f in failures.items()),
                metadata={"afwijkingen": MetadataValue.json({str(k): v for k, v in failures.items()})},
            )


ASSETS = [verantwoording]
