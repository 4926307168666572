"""Ingestion assets (group 'bronnen'): reference data and the three extracts of a delivery.

Every row of every file lands in ingest.<extract> with the first docs/EXTRACTS.md rule it breaks
(NULL = accepted); the BSN is pseudonymised on the way in. The measurement reads only the
accepted rows (staging.*); the rest is the quarantine.
"""


import hashlib
import time
from pathlib import Path

import duckdb
from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetKey,
    Failure,
    MaterializeResult,
    MetadataValue,
    asset,
)

from pipeline.ingest.sources import SOURCE_KEYS
from pipeline.ingest.reader import (
    DeliveryError, create_source_view, describe_read_error, discover, record_ignored, sql_path,
)
from pipeline.paths import REFERENCE_DIR
from pipeline.resources import (
    DeliveryResource,
    KeyMismatch,
    guard_key,
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
INLEEN = AssetKey(["ingest", "inleen"])


def _reference_version() -> str:
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


def _read(con, source, sql_file: str, params: dict) -> None:
    """Run one ingest SQL file over one source file; a file that cannot be read stops the run."""
    try:
        create_source_view(con, source)
        run_sql(con, sql_file, params)
    except DeliveryError as exc:
        con.execute("ROLLBACK")
        raise Failure(description=str(exc)) from None  # no chained error text: it may quote input
    except duckdb.Error as exc:
        con.execute("ROLLBACK")
        raise Failure(description=str(describe_read_error(source, exc))) from None


POLIS_TEMPORARY_TABLES = ("polis_bestand", "polis_records", "register_bsn", "register_pseudoniem", "werkgever_jaren")


def create_polis_records(con) -> None:
    """The temporary table the polis pass fills for METHOD R15 (sql/ingest/polis.sql step 1b): every
    accepted version delivered on time, of every file; sql/ingest/werkgever_uren.sql merges it."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE polis_records (loonheffingennummer VARCHAR, ikv_id VARCHAR, "
        "tijdvak_begin DATE, tijdvak_einde DATE, verloonde_uren DECIMAL(18, 6), "
        "code_aard_arbeidsverhouding INTEGER, bsn INTEGER, versie BIGINT)")


def polis_file_counts(con) -> tuple[int, int]:
    """(rows read, accepted rows not kept) of the polis file just read, counted from the pass's own
    table of its rows (sql/ingest/polis.sql step 1), which is then dropped: one file's rows are not
    held while the next file is read."""
    counts = con.execute("SELECT count(*), count(*) FILTER (WHERE NOT bewaard) FROM polis_bestand").fetchone()
    con.execute("DROP TABLE polis_bestand")
    return counts


def prepare_polis(con, root, read, pads: dict) -> None:
    """The temporary tables the polis pass (sql/ingest/polis.sql) looks up on every row: which BSNs
    are in the register at all (with their pseudonym, `pads` = the key's HMAC pads), and in which
    years each accepted employer has a register version.
    `read(con, source, sql_file, params)` runs an ingest SQL file over one source file."""
    con.execute("CREATE OR REPLACE TEMP TABLE register_bsn (bsn VARCHAR)")
    for register_file in discover(root, "doelgroepregister"):
        read(con, register_file, "ingest/register_bsn.sql", {})
    prepare_polis_lookups(con, pads)


def prepare_polis_lookups(con, pads: dict) -> None:
    """What prepare_polis makes from the temporary table register_bsn: the registered persons'
    pseudonyms, the employers' years and the empty table of METHOD R15's versions."""
    run_sql(con, "ingest/register_pseudoniem.sql", pads)
    run_sql(con, "ingest/werkgever_jaren.sql")
    create_polis_records(con)


def ingest_extract(
    context: AssetExecutionContext,
    extract: str,
    delivery: DeliveryResource,
    warehouse: WarehouseResource,
    pseudonym_key: PseudonymKeyResource | None,
    cross_checks: str | None,
):
    """Read every file of one extract into ingest.<extract>, in one transaction; then its checks."""
    try:
        files = discover(delivery.root, extract)
    except DeliveryError as exc:
        raise Failure(description=str(exc)) from None
    params = dict(pseudonym_key.pads()) if pseudonym_key else {}
    if pseudonym_key:
        try:
            guard_key(warehouse.published_path, pseudonym_key.fingerprint())
        except KeyMismatch as exc:
            raise Failure(description=str(exc)) from None
    with warehouse.connect() as con:
        reference = reference_parameters(con)
        params["afsluitdatum_maand_dag"] = reference["afsluitdatum_maand_dag"]
        for edge in ("begin", "einde"):
            month, day = reference[f"meetperiode_{edge}_maand_dag"].split("-")
            params[f"venster_{edge}_maand"], params[f"venster_{edge}_dag"] = int(month), int(day)
        con.execute("BEGIN TRANSACTION")
        con.execute(f"DELETE FROM ingest.{extract}")
        con.execute("DELETE FROM ingest.bestanden WHERE extract = ?", [extract])
        ignored = record_ignored(con, delivery.root, extract, context.run.run_id)  # known litter, listed
        if extract == "polis":
            prepare_polis(con, delivery.root, _read, params)
        for source in files:
            started = time.monotonic()
            _read(con, source, f"ingest/{extract}.sql", {**params, "bron_bestand": source.relative})
            if extract == "polis":
                # The polis pass counts what it read and what it did not keep (sql/ingest/polis.sql).
                rows_read, not_kept = polis_file_counts(con)
            else:
                rows_read = con.execute("SELECT count(*) FROM bron").fetchone()[0]
                not_kept = 0
            footer = (
                con.execute(f"SELECT count(*) FROM read_parquet({sql_path(source.path)})").fetchone()[0]
                if source.format == "parquet" else None
            )
            seconds = max(time.monotonic() - started, 1e-6)
            context.log.info(f"{source.relative}: {rows_read:,} rijen gelezen in {seconds:.1f} s "
                             f"({rows_read / seconds:,.0f} rijen/s)".replace(",", "."))
            con.execute(
                "INSERT INTO ingest.bestanden VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [extract, source.relative, source.format, source.bytes, source.sha256(), rows_read,
                 context.run.run_id, not_kept, footer],
            )
        if extract == "polis":
            run_sql(con, "ingest/werkgever_uren.sql", params)  # METHOD R15: merge the files' records
        for temporary in POLIS_TEMPORARY_TABLES:
            con.execute(f"DROP TABLE IF EXISTS {temporary}")
        if cross_checks:
            run_sql(con, cross_checks, params)
        if pseudonym_key:
            con.execute("DELETE FROM werk.sleutel")
            con.execute("INSERT INTO werk.sleutel VALUES (?, 'HMAC-SHA256(sleutel, vaste tekst), 16 hex')",
                        [pseudonym_key.fingerprint()])
        con.execute("COMMIT")
        per_file = con.execute(
            "SELECT bron_bestand, formaat, rijen_gelezen, rijen_geaccepteerd, rijen_quarantaine "
            "FROM kwaliteit.bestanden WHERE extract = ? ORDER BY bron_bestand",
            [extract],
        ).fetchall()
    table = "| bestand | formaat | gelezen | geaccepteerd | quarantaine |\n|---|---|---|---|---|\n" + "\n".join(
        f"| {f} | {fmt} | {r} | {a} | {q} |" for f, fmt, r, a, q in per_file
    )
    yield MaterializeResult(metadata={
        "bestanden": len(per_file),
        "rijen_gelezen": sum(r for _, _, r, _, _ in per_file),
        "rijen_geaccepteerd": sum(a for _, _, _, a, _ in per_file),
        "rijen_quarantaine": sum(q for _, _, _, _, q in per_file),
        "per_bestand": MetadataValue.md(table),
        "genegeerde_bestanden": MetadataValue.json(ignored),
    })
    # The blocking checks of the extract, in the same step (no step of their own per check).
    yield _reconcile(warehouse, extract)
    yield _quarantine_share(warehouse, extract)


def _check_specs(key: AssetKey) -> list[AssetCheckSpec]:
    return [
        AssetCheckSpec("rijen_sluiten", asset=key, blocking=True,
                       description="rijen gelezen = bewaard (geaccepteerd + quarantaine) + niet bewaard, per bestand"),
        AssetCheckSpec("quarantaine_onder_drempel", asset=key, blocking=True,
                       description="aandeel rijen in quarantaine ≤ quarantaine_drempel_aandeel (parameters.csv)"),
    ]


def ingest_version(sql_files: list[str]) -> str:
    """The code version of an ingestion asset: its SQL files and the file reader (reader.py decides
    how a delivered file is read: format, encoding, delimiter, decimal comma, dates), so a change to
    either shows the extract as changed code in the UI."""
    digest = hashlib.sha256(sql_hash(sql_files).encode())
    digest.update(Path(__file__).with_name("reader.py").read_bytes())
    return digest.hexdigest()[:16]


@asset(key=WERKGEVERS, group_name=GROUP, deps=[REFERENCE, SOURCE_KEYS["werkgevers"]],
       check_specs=_check_specs(WERKGEVERS),
       code_version=ingest_version(["ingest/werkgevers.sql", "ingest/werkgevers_versies.sql"]),
       description="Employer register versions (docs/EXTRACTS.md §2), checked; overlapping versions rejected.")
def werkgevers(context: AssetExecutionContext, delivery: DeliveryResource, warehouse: WarehouseResource):
    yield from ingest_extract(context, "werkgevers", delivery, warehouse, None, "ingest/werkgevers_versies.sql")


@asset(key=DOELGROEPREGISTER, group_name=GROUP, deps=[REFERENCE, SOURCE_KEYS["doelgroepregister"]],
       check_specs=_check_specs(DOELGROEPREGISTER),
       code_version=ingest_version(["ingest/doelgroepregister.sql"]),
       description="Doelgroepregister intervals (docs/EXTRACTS.md §3), BSN pseudonymised, checked.")
def doelgroepregister(
    context: AssetExecutionContext,
    delivery: DeliveryResource,
    warehouse: WarehouseResource,
    pseudonym_key: PseudonymKeyResource,
):
    yield from ingest_extract(context, "doelgroepregister", delivery, warehouse, pseudonym_key, None)


@asset(key=POLIS, group_name=GROUP, check_specs=_check_specs(POLIS),
       deps=[REFERENCE, WERKGEVERS, DOELGROEPREGISTER, SOURCE_KEYS["polis"], SOURCE_KEYS["doelgroepregister"]],
       code_version=ingest_version(["ingest/polis.sql", "ingest/register_bsn.sql", "ingest/register_pseudoniem.sql",
                                    "ingest/werkgever_jaren.sql",
                                    "ingest/polis_kruiscontroles.sql", "ingest/werkgever_uren.sql"]),
       description="Payroll records (docs/EXTRACTS.md §1), BSN pseudonymised, checked within and across extracts.")
def polis(
    context: AssetExecutionContext,
    delivery: DeliveryResource,
    warehouse: WarehouseResource,
    pseudonym_key: PseudonymKeyResource,
):
    yield from ingest_extract(context, "polis", delivery, warehouse, pseudonym_key, "ingest/polis_kruiscontroles.sql")


@asset(key=INLEEN, group_name=GROUP, check_specs=_check_specs(INLEEN),
       deps=[REFERENCE, WERKGEVERS, SOURCE_KEYS["inleen"]],
       code_version=ingest_version(["ingest/inleen.sql"]),
       description="Optional inleen credits (docs/EXTRACTS.md §6), BSN pseudonymised, checked; absent folder = no rows.")
def inleen(
    context: AssetExecutionContext,
    delivery: DeliveryResource,
    warehouse: WarehouseResource,
    pseudonym_key: PseudonymKeyResource,
):
    yield from ingest_extract(context, "inleen", delivery, warehouse, pseudonym_key, None)


def _reconcile(warehouse: WarehouseResource, extract: str) -> AssetCheckResult:
    """Nothing is lost: per file, rows read = rows kept (accepted + quarantined) + accepted rows not
    kept; and for Parquet, rows read = the row count in the file's footer."""
    with warehouse.connect() as con:
        rows = con.execute(
            f"""
            SELECT b.bron_bestand, b.rijen_gelezen, b.rijen_metadata,
                   count(i.regelnummer) + b.rijen_niet_bewaard AS geteld,
                   count(DISTINCT i.regelnummer) = count(i.regelnummer) AS uniek
            FROM ingest.bestanden AS b LEFT JOIN ingest.{extract} AS i USING (bron_bestand)
            WHERE b.extract = ?
            GROUP BY b.bron_bestand, b.rijen_gelezen, b.rijen_metadata, b.rijen_niet_bewaard
            """,
            [extract],
        ).fetchall()
    wrong = [
        {"bestand": f, "gelezen": r, "in_voettekst": m, "geteld": n}
        for f, r, m, n, unique in rows
        if r != n or not unique or (m is not None and m != r)
    ]
    return AssetCheckResult(
        check_name="rijen_sluiten",
        passed=not wrong,
        severity=AssetCheckSeverity.ERROR,
        description="rijen gelezen = bewaard (geaccepteerd + quarantaine) + niet bewaard, per bestand",
        metadata={"bestanden": len(rows), "afwijkend": MetadataValue.json(wrong)},
    )


def _quarantine_share(warehouse: WarehouseResource, extract: str) -> AssetCheckResult:
    """A delivery whose rejected share passes the threshold (reference parameter) stops the run."""
    with warehouse.connect() as con:
        threshold = float(reference_parameters(con)["quarantaine_drempel_aandeel"])
        total, rejected = con.execute(
            "SELECT coalesce(sum(rijen_gelezen), 0), coalesce(sum(rijen_quarantaine), 0) "
            "FROM kwaliteit.bestanden WHERE extract = ?", [extract]
        ).fetchone()
    share = rejected / total if total else 0.0
    return AssetCheckResult(
        check_name="quarantaine_onder_drempel",
        passed=share <= threshold,
        severity=AssetCheckSeverity.ERROR,
        description=f"aandeel rijen in quarantaine ≤ {threshold}",
        metadata={"rijen": total, "quarantaine": rejected, "aandeel": share, "drempel": threshold},
    )


ASSETS = [referentiedata, werkgevers, doelgroepregister, polis, inleen]
CHECKS: list = []  # the extracts' checks are check_specs of their assets
