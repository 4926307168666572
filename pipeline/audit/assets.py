"""Audit asset (group 'audit'): per measured year, the run, inputs, reference values and ledger."""

import datetime as dt

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetExecutionContext,
    AssetKey,
    MetadataValue,
    asset,
    asset_check,
)

from pipeline.audit.provenance import as_json, git_commit, package_versions, sql_hashes
from pipeline.meting.assets import MetingConfig
from pipeline.meting.parameters import year_parameters
from pipeline.partitions import YEARS
from pipeline.resources import DeliveryResource, WarehouseResource
from pipeline.sqlfiles import run_sql, sql_hash

AUDIT = AssetKey(["audit", "verantwoording"])


@asset(
    key=AUDIT,
    group_name="audit",
    partitions_def=YEARS,
    deps=[AssetKey(["meting", "banen"]), AssetKey(["meting", "personen"])],
    code_version=sql_hash(["audit/grootboek.sql", "audit/referentiewaarden.sql", "audit/bijdragen.sql"]),
    description="Audit record of the year: run, input files (sha256), reference values, step ledger.",
)
def verantwoording(
    context: AssetExecutionContext, config: MetingConfig, warehouse: WarehouseResource, delivery: DeliveryResource
) -> None:
    jaar = int(context.partition_key)
    record = context.instance.get_run_record_by_id(context.run.run_id)
    started = record.start_time if record and record.start_time else None
    with warehouse.connect() as con:
        params = year_parameters(con, jaar, config.afsluitdatum, config.voorlopig_aandeel_markt)
        con.execute("BEGIN TRANSACTION")
        run_sql(con, "audit/grootboek.sql", params)
        run_sql(con, "audit/referentiewaarden.sql", params)
        run_sql(con, "audit/bijdragen.sql", params)
        inleesrun = con.execute("SELECT max(inleesrun) FROM ingest.bestanden").fetchone()[0]
        con.execute("DELETE FROM audit.runs WHERE jaar = ?", [jaar])
        con.execute(
            "INSERT INTO audit.runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                jaar, context.run.run_id, inleesrun,
                dt.datetime.fromtimestamp(started, dt.timezone.utc).replace(tzinfo=None) if started else None,
                dt.datetime.now(dt.timezone.utc).replace(tzinfo=None),
                str(delivery.root), as_json(package_versions()), git_commit(), as_json(sql_hashes()),
            ],
        )
        con.execute("COMMIT")
        steps = con.execute(
            "SELECT volgorde, stap, deel, rijen, uren, banen FROM audit.grootboek WHERE jaar = ? ORDER BY volgorde, deel",
            [jaar],
        ).fetchall()
    table = "| # | stap | deel | rijen | uren | banen |\n|---|---|---|---:|---:|---:|\n" + "\n".join(
        f"| {v} | {s} | {d} | {r if r is not None else ''} | {'' if u is None else f'{u:,.2f}'} | "
        f"{'' if b is None else f'{b:,.3f}'} |"
        for v, s, d, r, u, b in steps
    )
    context.add_output_metadata({"grootboek": MetadataValue.md(table), "stappen": len(steps)})


@asset_check(asset=AUDIT, name="grootboek_sluit", blocking=True,
             description="Every step of the ledger reconciles with the next (rows and hours).")
def grootboek_sluit(context, warehouse: WarehouseResource) -> AssetCheckResult:
    jaar = int(context.partition_key) if context.has_partition_key else None
    with warehouse.connect() as con:
        failures = con.execute(
            """
            WITH g AS (SELECT * FROM audit.grootboek WHERE jaar = $jaar),
            s AS (
                SELECT
                    (SELECT coalesce(sum(rijen), 0) FROM g WHERE volgorde = 1) AS gelezen,
                    (SELECT coalesce(sum(rijen), 0) FROM g WHERE volgorde = 2) AS quarantaine,
                    (SELECT coalesce(sum(rijen), 0) FROM g WHERE volgorde = 3) AS geaccepteerd,
                    (SELECT coalesce(sum(rijen), 0) FROM g WHERE volgorde = 6) AS definitief,
                    (SELECT coalesce(sum(rijen), 0) FROM g WHERE volgorde = 7) AS venster,
                    (SELECT coalesce(sum(rijen), 0) FROM g WHERE volgorde = 8) AS doelgroep,
                    (SELECT coalesce(sum(uren), 0) FROM g WHERE volgorde = 8) AS doelgroep_uren,
                    (SELECT coalesce(sum(rijen), 0) FROM g WHERE volgorde = 9) AS per_vorm,
                    (SELECT coalesce(sum(uren), 0) FROM g WHERE volgorde = 9 AND deel NOT LIKE 'uitgesloten%') AS telbaar_vorm,
                    (SELECT coalesce(sum(uren), 0) FROM g WHERE volgorde = 10) AS telbaar_sector,
                    (SELECT coalesce(sum(uren), 0) FROM g WHERE volgorde = 11) AS cellen
            )
            SELECT list_filter([
                CASE WHEN gelezen <> quarantaine + geaccepteerd THEN 'gelezen <> quarantaine + geaccepteerd' END,
                CASE WHEN definitief <> venster THEN 'definitieve versies <> rijen met venster-uren' END,
                CASE WHEN doelgroep <> per_vorm THEN 'doelgroep-rijen <> rijen per vorm' END,
                CASE WHEN abs(doelgroep_uren - (SELECT coalesce(sum(uren), 0) FROM g WHERE volgorde = 9)) > 1e-6
                     THEN 'doelgroep-uren <> uren per vorm' END,
                CASE WHEN abs(telbaar_vorm - telbaar_sector) > 1e-6 THEN 'telbare uren per vorm <> per sector' END,
                CASE WHEN abs(telbaar_sector - cellen) > 1e-6 THEN 'telbare uren <> som van de cellen' END
            ], lambda x: x IS NOT NULL)
            FROM s
            """,
            {"jaar": jaar},
        ).fetchone()[0]
    return AssetCheckResult(
        passed=not failures,
        severity=AssetCheckSeverity.ERROR,
        metadata={"afwijkingen": MetadataValue.json(failures)},
    )
