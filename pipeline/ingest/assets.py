"""Ingestion assets (group 'bronnen'): reference data and the three extracts of a delivery.

Every row of every file lands in ingest.<extract> with the first EXTRACTS.md rule it breaks
(NULL = accepted); the BSN is pseudonymised on the way in. The measurement reads only the
accepted rows (staging.*); the rest is the quarantine.
"""


import duckdb
from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetExecutionContext,
    AssetKey,
    Failure,
    MetadataValue,
    asset,
    asset_check,
)

from pipeline.ingest.sources import SOURCE_KEYS
from pipeline.ingest.reader import DeliveryError, create_source_view, describe_read_error, discover
from pipeline.kwaliteit.results import check_result, run_suite
from pipeline.paths import REFERENCE_DIR
from pipeline.resources import (
    DeliveryResource,
    PseudonymKeyResource,
    WarehouseResource,
    load_reference,
    reference_parameters,
)
from pipeline.sqlfiles import run_sql, sql_hash

GROUP = "bronnen"
REFERENCE = AssetKey(["ref", "referentiedata"])
WERKGEVERS = AssetKey(["ingest", "werkgevers"])
DOELGROEPREGISTER = AssetKey(["ingest", "doelgroepregister"])
POLIS = AssetKey(["ingest", "polis"])


def _reference_version() -> str:
    import hashlib

    digest = hashlib.sha256(sql_hash(["schema/referentie.sql"]).encode())
    for path in sorted(REFERENCE_DIR.glob("*.csv")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


@asset(key=REFERENCE, group_name=GROUP, code_version=_reference_version(),
       description="Versioned reference data (data/reference/*.csv, a source on every row) in schema ref.")
def referentiedata(context: AssetExecutionContext, warehouse: WarehouseResource) -> None:
    with warehouse.connect() as con:
        load_reference(con)
        counts = {
            table: con.execute(f"SELECT count(*) FROM ref.{table}").fetchone()[0]
            for (table,) in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'ref' ORDER BY 1"
            ).fetchall()
        }
    context.add_output_metadata({f"rijen_{t}": n for t, n in counts.items()})


def ingest_extract(
    context: AssetExecutionContext,
    extract: str,
    delivery: DeliveryResource,
    warehouse: WarehouseResource,
    pseudonym_key: PseudonymKeyResource | None,
    cross_checks: str | None,
    gx_suite: str | None = None,
) -> None:
    """Read every file of one extract into ingest.<extract>, in one transaction."""
    try:
        files = discover(delivery.root, extract)
    except DeliveryError as exc:
        raise Failure(description=str(exc)) from exc
    params = dict(pseudonym_key.pads()) if pseudonym_key else {}
    with warehouse.connect() as con:
        params["afsluitdatum_maand_dag"] = reference_parameters(con)["afsluitdatum_maand_dag"]
        con.execute("BEGIN TRANSACTION")
        con.execute(f"DELETE FROM ingest.{extract}")
        con.execute("DELETE FROM ingest.bestanden WHERE extract = ?", [extract])
        for source in files:
            try:
                create_source_view(con, source)
                rows_read = con.execute("SELECT count(*) FROM bron").fetchone()[0]
                run_sql(con, f"ingest/{extract}.sql", {**params, "bron_bestand": source.relative})
            except DeliveryError as exc:
                con.execute("ROLLBACK")
                raise Failure(description=str(exc)) from exc
            except duckdb.Error as exc:
                con.execute("ROLLBACK")
                raise Failure(description=str(describe_read_error(source, exc))) from exc
            con.execute(
                "INSERT INTO ingest.bestanden VALUES (?, ?, ?, ?, ?, ?, ?)",
                [extract, source.relative, source.format, source.bytes, source.sha256(), rows_read, context.run_id],
            )
        if cross_checks:
            run_sql(con, cross_checks, params)
        con.execute("COMMIT")
        per_file = con.execute(
            f"""
            SELECT b.bron_bestand, b.formaat, b.rijen_gelezen,
                   count(i.regelnummer) FILTER (WHERE i.regel IS NULL) AS geaccepteerd,
                   count(i.regelnummer) FILTER (WHERE i.regel IS NOT NULL) AS quarantaine
            FROM ingest.bestanden AS b
            LEFT JOIN ingest.{extract} AS i USING (bron_bestand)
            WHERE b.extract = ?
            GROUP BY ALL ORDER BY b.bron_bestand
            """,
            [extract],
        ).fetchall()
        gx_metadata = run_suite(con, warehouse, context.run_id, gx_suite) if gx_suite else {}
    table = "| bestand | formaat | gelezen | geaccepteerd | quarantaine |\n|---|---|---|---|---|\n" + "\n".join(
        f"| {f} | {fmt} | {r} | {a} | {q} |" for f, fmt, r, a, q in per_file
    )
    context.add_output_metadata(
        {
            "bestanden": len(per_file),
            "rijen_gelezen": sum(r for _, _, r, _, _ in per_file),
            "rijen_geaccepteerd": sum(a for _, _, _, a, _ in per_file),
            "rijen_quarantaine": sum(q for _, _, _, _, q in per_file),
            "per_bestand": MetadataValue.md(table),
            **gx_metadata,
        }
    )


@asset(key=WERKGEVERS, group_name=GROUP, deps=[REFERENCE, SOURCE_KEYS["werkgevers"]],
       code_version=sql_hash(["ingest/werkgevers.sql", "ingest/werkgevers_versies.sql"]),
       description="Employer register versions (EXTRACTS.md §2), checked; overlapping versions rejected.")
def werkgevers(context: AssetExecutionContext, delivery: DeliveryResource, warehouse: WarehouseResource) -> None:
    ingest_extract(context, "werkgevers", delivery, warehouse, None, "ingest/werkgevers_versies.sql", "werkgevers")


@asset(key=DOELGROEPREGISTER, group_name=GROUP, deps=[REFERENCE, SOURCE_KEYS["doelgroepregister"]],
       code_version=sql_hash(["ingest/doelgroepregister.sql"]),
       description="Doelgroepregister intervals (EXTRACTS.md §3), BSN pseudonymised, checked.")
def doelgroepregister(
    context: AssetExecutionContext,
    delivery: DeliveryResource,
    warehouse: WarehouseResource,
    pseudonym_key: PseudonymKeyResource,
) -> None:
    ingest_extract(context, "doelgroepregister", delivery, warehouse, pseudonym_key, None, "doelgroepregister")


@asset(key=POLIS, group_name=GROUP, deps=[REFERENCE, WERKGEVERS, SOURCE_KEYS["polis"]],
       code_version=sql_hash(["ingest/polis.sql", "ingest/polis_kruiscontroles.sql"]),
       description="Payroll records (EXTRACTS.md §1), BSN pseudonymised, checked within and across extracts.")
def polis(
    context: AssetExecutionContext,
    delivery: DeliveryResource,
    warehouse: WarehouseResource,
    pseudonym_key: PseudonymKeyResource,
) -> None:
    ingest_extract(context, "polis", delivery, warehouse, pseudonym_key, "ingest/polis_kruiscontroles.sql")


def _reconcile(warehouse: WarehouseResource, extract: str) -> AssetCheckResult:
    """Nothing is lost: per file, rows read = rows accepted + rows quarantined."""
    with warehouse.connect() as con:
        rows = con.execute(
            f"""
            SELECT b.bron_bestand, b.rijen_gelezen, count(i.regelnummer) AS in_tabel,
                   count(DISTINCT i.regelnummer) AS uniek
            FROM ingest.bestanden AS b LEFT JOIN ingest.{extract} AS i USING (bron_bestand)
            WHERE b.extract = ? GROUP BY ALL
            """,
            [extract],
        ).fetchall()
    wrong = [(f, r, n) for f, r, n, u in rows if r != n or n != u]
    return AssetCheckResult(
        passed=not wrong,
        severity=AssetCheckSeverity.ERROR,
        description="rijen gelezen = geaccepteerd + quarantaine, per bestand",
        metadata={"bestanden": len(rows), "afwijkend": MetadataValue.json([list(w) for w in wrong])},
    )


def _quarantine_share(warehouse: WarehouseResource, extract: str) -> AssetCheckResult:
    """A delivery whose rejected share passes the threshold (reference parameter) stops the run."""
    with warehouse.connect() as con:
        threshold = float(reference_parameters(con)["quarantaine_drempel_aandeel"])
        total, rejected = con.execute(
            f"SELECT count(*), count(*) FILTER (WHERE regel IS NOT NULL) FROM ingest.{extract}"
        ).fetchone()
    share = rejected / total if total else 0.0
    return AssetCheckResult(
        passed=share <= threshold,
        severity=AssetCheckSeverity.ERROR,
        description=f"aandeel rijen in quarantaine ≤ {threshold}",
        metadata={"rijen": total, "quarantaine": rejected, "aandeel": share, "drempel": threshold},
    )


def _checks_for(key: AssetKey, extract: str, gx_suite: str | None = None):
    @asset_check(asset=key, name="rijen_sluiten", blocking=True)
    def rijen_sluiten(warehouse: WarehouseResource) -> AssetCheckResult:
        return _reconcile(warehouse, extract)

    @asset_check(asset=key, name="quarantaine_onder_drempel", blocking=True)
    def quarantaine_onder_drempel(warehouse: WarehouseResource) -> AssetCheckResult:
        return _quarantine_share(warehouse, extract)

    checks = [rijen_sluiten, quarantaine_onder_drempel]
    if gx_suite:

        @asset_check(asset=key, name=f"gx_{gx_suite}", blocking=True)
        def gx_check(context, warehouse: WarehouseResource) -> AssetCheckResult:
            return check_result(warehouse, context.run.run_id, gx_suite)

        checks.append(gx_check)
    return checks


ASSETS = [referentiedata, werkgevers, doelgroepregister, polis]
CHECKS = [
    *_checks_for(WERKGEVERS, "werkgevers", "werkgevers"),
    *_checks_for(DOELGROEPREGISTER, "doelgroepregister", "doelgroepregister"),
    *_checks_for(POLIS, "polis"),
]
