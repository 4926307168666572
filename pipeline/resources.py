"""Dagster resources: the delivery (input folder), the warehouse (DuckDB files), the pseudonym key.

The warehouse has two files:
- the analyst-facing file (`path`), only ever replaced whole and atomically on publication;
- a working database beside it (`<path>.werk/werkruimte.duckdb`) where ingestion and the per-year steps
  write. A failed run can leave the working database half-way; the published file stays as it was.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
from collections.abc import Iterator
from pathlib import Path

import duckdb
from dagster import ConfigurableResource, EnvVar

from pipeline.paths import REFERENCE_DIR
from pipeline.sqlfiles import run_sql, sql_hash

_BLOCK = 64  # SHA-256 block size in bytes (RFC 2104)


class DeliveryResource(ConfigurableResource):
    """A delivery folder with polis/, werkgevers/ and doelgroepregister/ (EXTRACTS.md). Read only."""

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


class WarehouseResource(ConfigurableResource):
    """The DuckDB warehouse. DuckDB limits come from configuration (env vars in definitions.py)."""

    path: str
    memory_limit: str = "8GB"
    threads: int = 2
    temp_directory: str = ""

    @property
    def published_path(self) -> Path:
        return Path(self.path).expanduser().resolve()

    @property
    def work_dir(self) -> Path:
        return self.published_path.with_name(self.published_path.name + ".werk")

    @property
    def work_path(self) -> Path:
        return self.work_dir / "werkruimte.duckdb"

    def duckdb_config(self) -> dict[str, str]:
        temp = self.temp_directory or str(self.work_dir / "spill")
        return {"memory_limit": self.memory_limit, "threads": str(self.threads), "temp_directory": temp}

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
WORK_SCHEMA = ("schema/werk.sql", "schema/macros.sql", "publicatie/tabel1.sql", "publicatie/views.sql")


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


def default_resources() -> dict[str, ConfigurableResource]:
    """Resources bound from environment variables (set by the CLI, or by hand for `dagster dev`)."""
    return {
        "delivery": DeliveryResource(path=EnvVar("BANENAFSPRAAK_DELIVERY")),
        "warehouse": WarehouseResource(
            path=EnvVar("BANENAFSPRAAK_WAREHOUSE"),
            memory_limit=os.environ.get("BANENAFSPRAAK_DUCKDB_MEMORY_LIMIT", "8GB"),
            threads=int(os.environ.get("BANENAFSPRAAK_DUCKDB_THREADS", "2")),
            temp_directory=os.environ.get("BANENAFSPRAAK_DUCKDB_TEMP_DIRECTORY", ""),
        ),
        "pseudonym_key": PseudonymKeyResource(key=EnvVar("BANENAFSPRAAK_PSEUDONIEM_SLEUTEL")),
    }


def load_reference(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)load data/reference/*.csv into schema ref."""
    run_sql(con, "schema/referentie.sql", {"referentie_map": str(REFERENCE_DIR) + "/"})


def reference_parameters(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return dict(con.execute("SELECT naam, waarde FROM ref.parameters").fetchall())
