"""Dagster resources: the delivery (input folder), the warehouse (DuckDB files), the pseudonym key
and the run's assignment (which years, with which run options).

The warehouse has two files:
- the analyst-facing file (`path`), only ever replaced whole and atomically on publication;
- a working database beside it (`<path>.werk/werkruimte.duckdb`) where ingestion and the per-year steps
  write. A failed run can leave the working database half-way; the published file stays as it was.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
from collections.abc import Iterator
from pathlib import Path

import duckdb
from dagster import ConfigurableResource, EnvVar

from pipeline.paths import REFERENCE_DIR, duckdb_limits
from pipeline.sqlfiles import run_sql, sql_hash

_BLOCK = 64  # SHA-256 block size in bytes (RFC 2104)


class DeliveryResource(ConfigurableResource):
    """A delivery folder with polis/, werkgevers/ and doelgroepregister/ (docs/EXTRACTS.md). Read only."""

    path: str

    @property
    def root(self) -> Path:
        return Path(self.path).expanduser().resolve()


class PseudonymKeyResource(ConfigurableResource):
    """The secret key of the BSN pseudonym, HMAC-SHA256(key, bsn). Comes from the environment."""

    key: str

    def pads(self) -> dict[str, bytes]:
        """The key XOR-ed with the HMAC inner and outer pads, as SQL parameters."""
        key = self.key.encode("utf-8")
        if len(key) > _BLOCK:
            key = hashlib.sha256(key).digest()
        key = key.ljust(_BLOCK, b"\0")
        return {
            "hmac_ipad": bytes(b ^ 0x36 for b in key),
            "hmac_opad": bytes(b ^ 0x5C for b in key),
        }

    def pseudonym(self, bsn: str) -> str:
        """The same pseudonym in Python (for auditors' look-ups and tests)."""
        return hmac.new(self.key.encode("utf-8"), bsn.encode("utf-8"), hashlib.sha256).hexdigest()

    def fingerprint(self) -> str:
        return key_fingerprint(self.key)


FINGERPRINT_MESSAGE = b"banenafspraak/vingerafdruk-pseudonimiseringssleutel"


def key_fingerprint(key: str) -> str:
    """What the warehouse records of the pseudonym key: HMAC-SHA256(key, fixed text), first 16 hex
    digits. It tells two keys apart and reveals nothing about the key or any pseudonym."""
    return hmac.new(key.encode("utf-8"), FINGERPRINT_MESSAGE, hashlib.sha256).hexdigest()[:16]


class KeyMismatch(Exception):
    """The key of this run is not the key the warehouse's pseudonyms were made with."""


def recorded_fingerprints(warehouse_path: Path) -> dict[str, str]:
    """The key fingerprints recorded in the published file and in the working database, where present."""
    found = {}
    work = warehouse_path.with_name(warehouse_path.name + ".werk") / "werkruimte.duckdb"
    for label, path, table in (("gepubliceerd bestand", warehouse_path, "audit.sleutel"),
                               ("werkdatabase", work, "werk.sleutel")):
        if not path.exists():
            continue
        try:
            con = duckdb.connect(str(path), read_only=True)
        except duckdb.Error:
            continue  # busy or unreadable: the run itself will say so
        try:
            row = con.execute(f"SELECT vingerafdruk FROM {table}").fetchone()
        except duckdb.CatalogException:
            row = None
        finally:
            con.close()
        if row:
            found[label] = row[0]
    return found


def guard_key(warehouse_path: Path, fingerprint: str) -> None:
    """Stop when the warehouse holds pseudonyms made with another key (METHOD: one key per warehouse)."""
    for label, recorded in recorded_fingerprints(warehouse_path).items():
        if recorded != fingerprint:
            raise KeyMismatch(
                f"De pseudonimiseringssleutel van deze run (vingerafdruk {fingerprint}) is niet de sleutel waarmee "
                f"{warehouse_path} is gemaakt (vingerafdruk {recorded} in het {label}); een warehouse mag nooit "
                "pseudoniemen van twee sleutels bevatten. Gebruik de oorspronkelijke sleutel, of her-sleutel "
                "expliciet: meet alle jaren opnieuw in een nieuw warehouse-bestand met de nieuwe sleutel "
                "(zie README, 'Sleutel wisselen')."
            )


class WarehouseResource(ConfigurableResource):
    """The DuckDB warehouse. DuckDB's limits are configuration; unset, they come from the
    environment when a connection is opened (pipeline/paths.py duckdb_limits:
    BANENAFSPRAAK_DUCKDB_MEMORY_LIMIT, _THREADS, _TEMP_DIRECTORY, else its defaults)."""

    path: str
    memory_limit: str | None = None
    threads: int | None = None
    temp_directory: str | None = None
    werkmap: str | None = None  # another working folder (a scenario run: <path>.werk/scenario)

    @property
    def published_path(self) -> Path:
        return Path(self.path).expanduser().resolve()

    @property
    def work_dir(self) -> Path:
        if self.werkmap:
            return Path(self.werkmap).expanduser().resolve()
        return self.published_path.with_name(self.published_path.name + ".werk")

    @property
    def work_path(self) -> Path:
        return self.work_dir / "werkruimte.duckdb"

    def duckdb_config(self) -> dict[str, str]:
        limits = duckdb_limits(self.work_dir / "spill")
        return {
            "memory_limit": self.memory_limit or limits["memory_limit"],
            "threads": str(self.threads or limits["threads"]),
            "temp_directory": self.temp_directory or limits["temp_directory"],
        }

    @contextlib.contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A short-lived read-write connection to the working database, schema ensured."""
        self.work_dir.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(self.work_path), config=self.duckdb_config())
        try:
            ensure_work_schema(con)
            yield con
        finally:
            con.close()


# The working database's schema: tables, views and macros (all persistent in the file).
WORK_SCHEMA = ("schema/werk.sql", "schema/macros.sql", "schema/regels.sql", "publicatie/tabel1.sql",
               "publicatie/views.sql")


def ensure_work_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create or update the working database's schema when its SQL changed since it was last built.

    The SQL text's hash is kept in werk.schema_versie; a step's connection whose database already
    has this version skips the DDL (every CREATE OR REPLACE would otherwise rewrite the catalog
    and checkpoint the file on close, about 0.1 s per step connection).
    """
    version = sql_hash(WORK_SCHEMA)
    try:
        current = con.execute("SELECT versie FROM werk.schema_versie").fetchone()
    except duckdb.CatalogException:
        current = None
    if current == (version,):
        return
    for name in WORK_SCHEMA:
        run_sql(con, name)
    con.execute("CREATE OR REPLACE TABLE werk.schema_versie AS SELECT CAST(? AS VARCHAR) AS versie", [version])


class MeetopdrachtResource(ConfigurableResource):
    """What a run measures besides its own partition(s): the nulmeting always, plus `jaren`
    (the CLI passes every requested year here), with the run options of METHOD R1 and R7.

    Launched from the UI or the schedule it is empty: the run measures its partition (or its
    range of partitions, in a single-run backfill) together with the nulmeting.
    """

    jaren: list[int] = []
    voorlopige_sleutels: dict[str, float] = {}  # jaar -> explicit provisional share markt (R7)
    afsluitdatums: dict[str, str] = {}  # jaar -> cut-off date YYYY-MM-DD instead of the default (R1)
    regeling: str | None = None  # a scenario: every year under this regime (R14); None = the official one

    def years(self, partition_keys: list[str], nulmeting_jaar: int) -> list[int]:
        return sorted({int(k) for k in partition_keys} | set(self.jaren) | {nulmeting_jaar})

    def meetjaren_params(self, years: list[int]) -> dict:
        """The parameters of sql/schema/meetjaren.sql for these years."""
        keys = {int(y): v for y, v in self.voorlopige_sleutels.items() if int(y) in years}
        cutoffs = {int(y): v for y, v in self.afsluitdatums.items() if int(y) in years}
        return {
            "regeling": self.regeling,
            "jaren": years,
            "voorlopig_jaren": list(keys), "voorlopig_aandelen": [float(v) for v in keys.values()],
            "afsluit_jaren": list(cutoffs), "afsluit_datums": list(cutoffs.values()),
        }


def default_resources() -> dict[str, ConfigurableResource]:
    """Resources for `dagster dev` and the schedule: the delivery, warehouse and key come from the
    environment (EnvVar, read when a run starts). The CLI binds explicit values instead
    (pipeline.definitions.build_definitions)."""
    from pipeline.kwaliteit.worker import GxWorkerResource

    return {
        "delivery": DeliveryResource(path=EnvVar("BANENAFSPRAAK_DELIVERY")),
        "warehouse": WarehouseResource(path=EnvVar("BANENAFSPRAAK_WAREHOUSE")),
        "pseudonym_key": PseudonymKeyResource(key=EnvVar("BANENAFSPRAAK_PSEUDONIEM_SLEUTEL")),
        "opdracht": MeetopdrachtResource(),
        "gx": GxWorkerResource(),
    }


def load_reference(con: duckdb.DuckDBPyConnection, folder: Path = REFERENCE_DIR) -> None:
    """(Re)load data/reference/*.csv into schema ref. The folder is passed with DuckDB's glob
    characters escaped: a checkout path holding '[' or '*' reads these files and no others."""
    from pipeline.ingest.reader import literal_path

    run_sql(con, "schema/referentie.sql", {"referentie_map": literal_path(folder) + "/"})


def reference_parameters(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return dict(con.execute("SELECT naam, waarde FROM ref.parameters").fetchall())
