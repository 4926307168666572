"""Running a GX suite inside an asset and keeping its outcome for the blocking asset check.

The asset validates, records the outcome in kwaliteit.gx_resultaten (working database) and links
the Data Docs from its materialization metadata; the check of the same run reads the outcome.
"""

from __future__ import annotations

import json
from typing import Any

import duckdb
from dagster import AssetCheckResult, AssetCheckSeverity, MetadataValue

from pipeline.resources import WarehouseResource


def run_suite(con: duckdb.DuckDBPyConnection, warehouse: WarehouseResource, run_id: str, suite: str,
              jaar: int | None = None) -> dict[str, Any]:
    from pipeline.kwaliteit.gx import frame_for, validate

    frame = frame_for(con, suite, jaar)
    docs_dir = warehouse.work_dir / "data_docs" / run_id
    outcome = validate(suite, frame, docs_dir)
    con.execute("DELETE FROM kwaliteit.gx_resultaten WHERE dagster_run_id = ? AND suite = ? AND jaar IS NOT DISTINCT FROM ?",
                [run_id, suite, jaar])
    con.execute(
        "INSERT INTO kwaliteit.gx_resultaten VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [run_id, suite, jaar, outcome.success, len(frame), outcome.evaluated, json.dumps(outcome.details or
         {f: "" for f in outcome.failed}, ensure_ascii=False), str(outcome.docs_index or "")],
    )
    return {
        f"gx_{suite}_geslaagd": outcome.success,
        f"gx_{suite}_rijen": len(frame),
        f"gx_{suite}_data_docs": MetadataValue.url(outcome.docs_index.as_uri()) if outcome.docs_index else "",
    }


def check_result(warehouse: WarehouseResource, run_id: str, suite: str, jaar: int | None = None) -> AssetCheckResult:
    with warehouse.connect() as con:
        row = con.execute(
            "SELECT geslaagd, rijen, verwachtingen, mislukt, data_docs FROM kwaliteit.gx_resultaten "
            "WHERE dagster_run_id = ? AND suite = ? AND jaar IS NOT DISTINCT FROM ?",
            [run_id, suite, jaar],
        ).fetchone()
    if row is None:
        return AssetCheckResult(passed=False, severity=AssetCheckSeverity.ERROR,
                                description=f"GX-suite {suite} is in deze run niet uitgevoerd")
    passed, rows, evaluated, failed, docs = row
    return AssetCheckResult(
        passed=bool(passed),
        severity=AssetCheckSeverity.ERROR,
        description=f"Great Expectations suite {suite}",
        metadata={
            "rijen": rows,
            "verwachtingen": evaluated,
            "mislukt": MetadataValue.json(json.loads(failed)),
            "data_docs": MetadataValue.url("file://" + docs) if docs else "",
        },
    )
