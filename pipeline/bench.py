"""`banenafspraak bench`: a full measurement at national scale against the bare-DuckDB floor.

`run_bench(scale, workdir, year)` does, in one process and one run:

1. generate the national delivery at `scale` (pipeline/demo/national.py) as Parquet and its CSV
   copy in `workdir` — or reuse them when `workdir/levering.json` says they were made at the same
   scale, year, seed and generator version;
2. time the pipeline: `pipeline.runner.measure(delivery, warehouse, [year])` on the Parquet form
   (ingestion with validation and pseudonymisation, the nulmeting 2012 and year Y, publication), in
   a fresh warehouse with its own Dagster instance beside it; per-step times come from the run's
   Dagster step events;
3. time the floor: sql/bench/floor.sql, one DuckDB query over the Parquet files (same DuckDB
   memory_limit / threads / temp_directory as the pipeline, from the same environment variables);
4. check that both agree: the pipeline's werk.uren_per_cel of year Y (inleen summed over markt and
   overheid, i.e. before the verdeelsleutel) against the floor's three cells, and the employer
   totals of METHOD R15 (werk.werkgever_totalen: employers, sum of A, persons with window hours,
   employers at or above the quotum threshold) against the floor's, within 1e-6 relative;
5. time the pipeline once more on the CSV form (another warehouse) and report polis rows / second,
   and check its cells too;
6. print the step timings and, as the last line,
   `pipeline_s=… floor_s=… ratio=… peak_rss_gb=… rows=…` (ratio = pipeline_s / floor_s; peak RSS of
   this process from getrusage, generation included; rows = polis rows of the delivery).

Year Y without a published verdeelsleutel (2023 has none yet) is measured with a provisional key
(the demo's, data/demo/kalibratie.csv): the key does not change the compared cells.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import resource
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from pipeline.paths import REFERENCE_DIR, SQL_DIR
from pipeline.sqlfiles import parameters_used, sql_text

BENCH_KEY = "bench-sleutel-niet-voor-productie"
TOLERANCE = 1e-6
CELLS = ("formeel_markt", "formeel_overheid", "inleen",
         # METHOD R15 (werk.werkgever_totalen of the year): employers, sum of A, persons, employers ≥ threshold
         "werkgevers", "uren_totaal", "personen_venster", "werkgevers_vanaf_drempel")
SEED = 1
DEFAULT_PROVISIONAL_SHARE = 0.67


# --------------------------------------------------------------------------- delivery


def _generator_version() -> str:
    """Hash of the generator's code: a changed generator makes a new delivery."""
    digest = hashlib.sha256()
    for path in [Path(__file__).with_name("demo") / "national.py", *sorted((SQL_DIR / "demo").glob("national_*.sql"))]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _deliveries(workdir: Path, scale: float, year: int, log: Callable[[str], None]) -> tuple[Path, Path, dict]:
    from pipeline.demo.national import generate_national, parquet_to_csv

    parquet_dir, csv_dir, manifest_path = workdir / "levering_parquet", workdir / "levering_csv", workdir / "levering.json"
    wanted = {"schaal": scale, "jaar": year, "seed": SEED, "generator": _generator_version()}
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        same = all(manifest.get(k) == v for k, v in wanted.items())
        present = all((parquet_dir / f).is_file() for f in manifest.get("bestanden", [])) and all(
            (csv_dir / f).is_file() for f in manifest.get("csv_bestanden", []))
        if same and present and manifest.get("csv_bestanden"):
            log(f"levering hergebruikt: {parquet_dir} en {csv_dir} (schaal {scale}, {manifest['polis']:,} polisrijen)")
            return parquet_dir, csv_dir, manifest
    manifest_path.unlink(missing_ok=True)
    log(f"levering genereren op schaal {scale} (jaar {year}) in {parquet_dir} ...")
    started = time.perf_counter()
    counts = generate_national(parquet_dir, scale, year=year, fmt="parquet", seed=SEED)
    counts["generatie_s"] = time.perf_counter() - started
    log(f"  Parquet klaar in {counts['generatie_s']:.1f} s: {counts['polis']:,} polisrijen "
        f"({counts['polis_jaar']:,} van {year}, {counts['polis_nulmeting']:,} van 2012), "
        f"{counts['werkgevers']:,} werkgeversversies, {counts['doelgroepregister']:,} registraties")
    started = time.perf_counter()
    counts["csv_bestanden"] = parquet_to_csv(parquet_dir, csv_dir)
    counts["csv_s"] = time.perf_counter() - started
    log(f"  CSV-kopie klaar in {counts['csv_s']:.1f} s: {csv_dir}")
    counts.update(wanted)
    manifest_path.write_text(json.dumps(counts, indent=1), encoding="utf-8")
    return parquet_dir, csv_dir, counts


# --------------------------------------------------------------------------- pipeline


def _fresh_warehouse(warehouse: Path) -> None:
    """Remove what an earlier bench left of this warehouse (the bench owns these paths)."""
    for suffix in ("", ".wal", ".lock", ".werk", ".dagster"):
        path = warehouse.with_name(warehouse.name + suffix)
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def _provisional_keys(year: int) -> dict[int, float]:
    with (REFERENCE_DIR / "verdeelsleutel.csv").open(encoding="utf-8") as handle:
        published = {int(row["jaar"]) for row in csv.DictReader(handle)}
    if year in published:
        return {}
    from pipeline.demo.keys import demo_provisional_keys

    return {year: demo_provisional_keys().get(year, DEFAULT_PROVISIONAL_SHARE)}


def _step_times(warehouse: Path, run_ids: list[str]) -> list[dict]:
    """Per run: label, wall time, and (step key, seconds) from the Dagster step events."""
    from dagster import DagsterEventType

    from pipeline.runner import open_instance

    runs = []
    kinds = {DagsterEventType.STEP_START, DagsterEventType.STEP_SUCCESS, DagsterEventType.STEP_FAILURE}
    with open_instance(warehouse) as instance:
        for run_id in run_ids:
            record = instance.get_run_record_by_id(run_id)
            started: dict[str, float] = {}
            steps: list[tuple[str, float]] = []
            for entry in instance.all_logs(run_id, of_type=kinds):
                if entry.dagster_event.event_type == DagsterEventType.STEP_START:
                    started[entry.step_key] = entry.timestamp
                elif entry.step_key in started:
                    steps.append((entry.step_key, entry.timestamp - started.pop(entry.step_key)))
            wall = (record.end_time - record.start_time) if record and record.end_time and record.start_time else None
            partition = record.dagster_run.tags.get("dagster/partition", "?") if record else "?"
            kind = "publicatie" if steps and all(k.startswith("publicatie") for k, _ in steps) else (
                "inlezen en meting" if any(k.startswith("ingest") for k, _ in steps) else "meting")
            runs.append({"run_id": run_id, "label": f"{kind} {partition}", "wall_s": wall, "steps": steps})
    return runs


def _measure(delivery: Path, warehouse: Path, year: int, keys: dict[int, float]) -> tuple[float, list[dict], dict]:
    from pipeline.runner import measure

    _fresh_warehouse(warehouse)
    started = time.perf_counter()
    run_ids = measure(delivery, warehouse, [year], provisional_keys=keys, log=lambda _: None, key=BENCH_KEY,
                      kind="bench", progress=False)
    seconds = time.perf_counter() - started
    runs = _step_times(warehouse, run_ids)
    return seconds, runs, _pipeline_cells(warehouse, year)


def _pipeline_cells(warehouse: Path, year: int) -> dict[str, float]:
    work = warehouse.with_name(warehouse.name + ".werk") / "werkruimte.duckdb"
    con = duckdb.connect(str(work), read_only=True)
    try:
        rows = con.execute("SELECT sector, vorm, uren FROM werk.uren_per_cel WHERE jaar = ?", [year]).fetchall()
        totals = con.execute(
            "SELECT count(*), coalesce(sum(uren_totaal), 0), coalesce(sum(personen_venster), 0), "
            "count(*) FILTER (WHERE uren_totaal >= (SELECT CAST(waarde AS DECIMAL(38, 6)) FROM ref.parameters "
            "WHERE naam = 'quotum_drempel_uren')) FROM werk.werkgever_totalen WHERE jaar = ?", [year]).fetchone()
    finally:
        con.close()
    cell = {(s, v): float(u) for s, v, u in rows}
    return {
        "werkgevers": float(totals[0]),
        "uren_totaal": float(totals[1]),
        "personen_venster": float(totals[2]),
        "werkgevers_vanaf_drempel": float(totals[3]),
        "formeel_markt": cell.get(("markt", "formeel"), 0.0),
        "formeel_overheid": cell.get(("overheid", "formeel"), 0.0),
        "inleen": cell.get(("markt", "inleen"), 0.0) + cell.get(("overheid", "inleen"), 0.0),
    }


# --------------------------------------------------------------------------- floor


def _reference_parameters() -> dict[str, str]:
    with (REFERENCE_DIR / "parameters.csv").open(encoding="utf-8") as handle:
        return {row["naam"]: row["waarde"] for row in csv.DictReader(handle)}


def floor_parameters(delivery: Path, year: int) -> dict:
    """The parameters of sql/bench/floor.sql for year `year`, from data/reference/parameters.csv."""
    ref = _reference_parameters()

    def month_day(y: int, value: str) -> dt.date:
        month, day = (int(part) for part in value.split("-"))
        return dt.date(y, month, day)

    def files(extract: str) -> list[str]:
        found = sorted(str(p) for p in (delivery / extract).glob("*.parquet"))
        if not found:
            raise FileNotFoundError(f"{delivery / extract} bevat geen Parquet-bestanden")
        return found

    return {
        "polis": files("polis"),
        "werkgevers": files("werkgevers"),
        "doelgroepregister": files("doelgroepregister"),
        "regeling_csv": str(REFERENCE_DIR / "regeling.csv"),
        "regeling_grondslag_csv": str(REFERENCE_DIR / "regeling_grondslag.csv"),
        "caa_vorm_csv": str(REFERENCE_DIR / "caa_vorm.csv"),
        "jaar": year,
        "venster_begin": month_day(year, ref["meetperiode_begin_maand_dag"]),
        "venster_einde": month_day(year, ref["meetperiode_einde_maand_dag"]),
        "afsluitdatum": month_day(year + 1, ref["afsluitdatum_maand_dag"]),
        "peildatum_werkgever": dt.date(year - 1, 12, 31),
        "sectorfonds_drempel": float(ref["sectorfonds_drempel"]),
        "quotum_drempel_uren": float(ref["quotum_drempel_uren"]),
    }


def run_floor(delivery: Path, year: int, temp_directory: Path) -> tuple[float, dict[str, float]]:
    """Run sql/bench/floor.sql on the Parquet delivery; returns (seconds, cells)."""
    from pipeline.demo.national import connect

    text = sql_text("bench/floor.sql")
    params = floor_parameters(delivery, year)
    con = connect(temp_directory)
    try:
        started = time.perf_counter()
        row = con.execute(text, {k: params[k] for k in sorted(parameters_used(text))}).fetchone()
        seconds = time.perf_counter() - started
    finally:
        con.close()
    return seconds, dict(zip(CELLS, (float(v) for v in row)))


# --------------------------------------------------------------------------- report


def _relative_difference(a: float, b: float) -> float:
    scale = max(abs(a), abs(b))
    return 0.0 if scale == 0 else abs(a - b) / scale


def _peak_rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1024 * 1024)  # Linux: KiB


def _print_runs(title: str, seconds: float, runs: list[dict], log: Callable[[str], None]) -> None:
    log(f"{title}: {seconds:.2f} s in {len(runs)} Dagster-runs")
    for run in runs:
        in_steps = sum(s for _, s in run["steps"])
        wall = f"{run['wall_s']:.2f} s" if run["wall_s"] is not None else "?"
        log(f"  run {run['label']} ({run['run_id'][:8]}): {wall}, waarvan {in_steps:.2f} s in stappen")
        for key, step_s in sorted(run["steps"], key=lambda kv: -kv[1]):
            if step_s >= 0.05:
                log(f"    {step_s:9.2f} s  {key}")


def _where_time_goes(seconds: float, runs: list[dict], log: Callable[[str], None], top: int = 8) -> None:
    totals: dict[str, float] = {}
    for run in runs:
        for key, step_s in run["steps"]:
            totals[key] = totals.get(key, 0.0) + step_s
    in_steps = sum(totals.values())
    log(f"  waar de tijd zit (som over de runs; {in_steps:.1f} s in stappen, "
        f"{seconds - in_steps:.1f} s Dagster/Python eromheen):")
    for key, step_s in sorted(totals.items(), key=lambda kv: -kv[1])[:top]:
        log(f"    {step_s:9.2f} s  {100 * step_s / seconds:5.1f} %  {key}")


def run_bench(scale: float, workdir: Path, year: int = 2023, log: Callable[[str], None] = print) -> dict:
    """Generate (or reuse) the delivery, time the pipeline and the floor, check they agree; see module doc."""
    workdir = Path(workdir).expanduser().resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    parquet_dir, csv_dir, delivery = _deliveries(workdir, scale, year, log)
    rss_after_generation = _peak_rss_gb()
    rows = int(delivery["polis"])
    keys = _provisional_keys(year)
    if keys:
        log(f"geen gepubliceerde verdeelsleutel voor {year}: voorlopige sleutel aandeel_markt={keys[year]} "
            "(verandert de vergeleken cellen niet)")

    log(f"pijplijn op Parquet ({parquet_dir}) ...")
    pipeline_s, runs, cells = _measure(parquet_dir, workdir / "warehouse_parquet.duckdb", year, keys)
    log("floor (sql/bench/floor.sql) op Parquet ...")
    floor_s, floor_cells = run_floor(parquet_dir, year, workdir / "floor_spill")
    log(f"pijplijn op CSV ({csv_dir}) ...")
    csv_s, csv_runs, csv_cells = _measure(csv_dir, workdir / "warehouse_csv.duckdb", year, keys)

    _print_runs("pijplijn (Parquet)", pipeline_s, runs, log)
    _where_time_goes(pipeline_s, runs, log)
    _print_runs("pijplijn (CSV)", csv_s, csv_runs, log)
    _where_time_goes(csv_s, csv_runs, log)
    csv_ingest_s = sum(s for run in csv_runs for key, s in run["steps"] if key == "ingest__polis")
    log(f"floor: {floor_s:.3f} s")

    differences = {}
    for cell in CELLS:
        differences[cell] = max(_relative_difference(cells[cell], floor_cells[cell]),
                                _relative_difference(csv_cells[cell], floor_cells[cell]))
        log(f"cel {cell:17} floor {floor_cells[cell]:18.4f}  pijplijn {cells[cell]:18.4f}  "
            f"pijplijn-csv {csv_cells[cell]:18.4f}  rel.verschil {differences[cell]:.1e}")
    agree = all(d <= TOLERANCE for d in differences.values())
    log(f"pijplijn en floor {'komen overeen' if agree else 'VERSCHILLEN'} (tolerantie {TOLERANCE:g} relatief)")

    result = {
        "scale": scale,
        "year": year,
        "rows": rows,
        "delivery": delivery,
        "pipeline_s": pipeline_s,
        "floor_s": floor_s,
        "ratio": pipeline_s / floor_s if floor_s > 0 else float("inf"),
        "peak_rss_gb": _peak_rss_gb(),
        "peak_rss_after_generation_gb": rss_after_generation,
        "runs": runs,
        "cells_pipeline": cells,
        "cells_floor": floor_cells,
        "cells_pipeline_csv": csv_cells,
        "relative_differences": differences,
        "agree": agree,
        "csv_pipeline_s": csv_s,
        "csv_runs": csv_runs,
        "csv_rows_per_s": rows / csv_s if csv_s > 0 else float("inf"),
        "csv_ingest_polis_s": csv_ingest_s,
        "csv_ingest_rows_per_s": rows / csv_ingest_s if csv_ingest_s > 0 else None,
    }
    log(f"CSV-inlezen: {rows:,} polisrijen, hele meting {csv_s:.2f} s = {result['csv_rows_per_s']:,.0f} rijen/s"
        + (f"; stap ingest__polis {csv_ingest_s:.2f} s = {result['csv_ingest_rows_per_s']:,.0f} rijen/s"
           if csv_ingest_s else ""))
    log(f"piek-RSS na genereren {rss_after_generation:.2f} GB, aan het eind {result['peak_rss_gb']:.2f} GB")
    log(f"pipeline_s={pipeline_s:.3f} floor_s={floor_s:.3f} ratio={result['ratio']:.3f} "
        f"peak_rss_gb={result['peak_rss_gb']:.3f} rows={rows}")
    return result


def mismatch_message(result: dict) -> str:
    """One paragraph for the CLI when the pipeline and the floor disagree."""
    parts = [
        f"{cell}: floor {result['cells_floor'][cell]:.6f}, pijplijn {result['cells_pipeline'][cell]:.6f}, "
        f"pijplijn op CSV {result['cells_pipeline_csv'][cell]:.6f}"
        for cell, d in result["relative_differences"].items() if d > TOLERANCE
    ]
    return (
        f"De pijplijn en de floor (sql/bench/floor.sql) geven voor {result['year']} op schaal {result['scale']} "
        f"niet dezelfde decemberuren per cel of werkgeverstotalen (R15) (tolerantie {TOLERANCE:g} relatief): {'; '.join(parts)}. "
        "Een van beide past docs/METHOD.md R1–R6 anders toe; vergelijk werk.uren_per_cel in de werkruimte "
        "(<warehouse>.werk/werkruimte.duckdb) met de stappen van de floor."
    )
