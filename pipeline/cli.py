"""The `banenafspraak` command (docs/INTERFACE.md). Every verb drives the Dagster definitions."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

DEMO_KEY = "demo-sleutel-niet-voor-productie"


class UsageError(Exception):
    pass


def _provisional(values: list[str]) -> dict[int, float]:
    keys = {}
    for value in values:
        try:
            year, share = value.split("=", 1)
            keys[int(year)] = float(share.replace(",", "."))
        except ValueError as exc:
            raise UsageError(f"--provisional-key verwacht JAAR=AANDEEL_MARKT (bijv. 2022=0.675), niet '{value}'.") from exc
    return keys


def _command_line() -> str:
    return " ".join(["banenafspraak", *sys.argv[1:]])


def cmd_run(args: argparse.Namespace) -> None:
    from pipeline.runner import measure

    measure(
        Path(args.delivery),
        Path(args.warehouse),
        args.year,
        provisional_keys=_provisional(args.provisional_key),
        cutoff_dates={year: args.cutoff_date for year in args.year} if args.cutoff_date else None,
        kind="meting",
        command=_command_line(),
    )
    print(f"Klaar: jaren {', '.join(map(str, sorted(set(args.year))))} staan in {Path(args.warehouse).resolve()} "
          "(meting.banen, meting.personen, meting.tabel1).")


def cmd_demo(args: argparse.Namespace) -> None:
    from pipeline.demo.delivery import DEMO_YEARS, generate_delivery
    from pipeline.demo.keys import demo_provisional_keys
    from pipeline.runner import measure

    warehouse = Path(args.warehouse).expanduser().resolve()
    delivery = warehouse.parent / "demo_levering"
    started = time.monotonic()
    print(f"demo-levering genereren in {delivery} ...")
    generate_delivery(delivery, DEMO_YEARS, scale=args.scale)
    keys = demo_provisional_keys()
    print("voorlopige verdeelsleutels (jaren zonder gepubliceerde sleutel): "
          + ", ".join(f"{y}={k}" for y, k in sorted(keys.items())))
    measure(delivery, warehouse, DEMO_YEARS, provisional_keys=keys,
            key=os.environ.get("BANENAFSPRAAK_PSEUDONIEM_SLEUTEL") or DEMO_KEY, kind="demo", command=_command_line())
    import duckdb

    from pipeline.publicatie.preview import tabel1_rows

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = tabel1_rows(con, 2021)
    finally:
        con.close()
    print("\nTabel 1, meting 2021 (extra banen t.o.v. de nulmeting 2012):")
    print(f"{'':48}{'markt':>10}{'overheid':>10}{'totaal':>10}")
    for regel, markt, overheid, totaal in rows:
        print(f"{regel:48}" + "".join(f"{'–' if v is None else v:>10}" for v in (markt, overheid, totaal)))
    from pipeline.rapport.build import build_report

    rapport = build_report(warehouse, max(DEMO_YEARS), warehouse.parent / f"rapport_{max(DEMO_YEARS)}.html")
    print(f"\nJaarrapport {rapport.jaar}: {rapport.out} (één HTML-bestand; open het in een browser).")
    print(f"Klaar in {time.monotonic() - started:.0f} s. Resultaten: {warehouse} "
          f"(open met DuckDB: SELECT * FROM meting.tabel1 WHERE jaar = 2021).")


def _getal(value: float | None) -> str:
    """A number for the terminal: rounded to whole banen (presentation only), Dutch thousands."""
    return "–" if value is None else f"{round(value):,}".replace(",", ".")


def cmd_scenario(args: argparse.Namespace) -> None:
    from pipeline.runner import scenario

    result = scenario(Path(args.delivery), Path(args.warehouse), args.year, args.regeling, command=_command_line())
    print(f"\nScenario {args.regeling}, meting {args.year} (en de nulmeting onder dezelfde regeling) naast de "
          "officiële cijfers (afgerond op hele banen):")
    print(f"{'sector':10}{'vorm':9}{'banen off.':>12}{'scenario':>12}{'verschil':>10}"
          f"{'extra off.':>12}{'scenario':>12}{'verschil':>10}")
    for jaar, sector, vorm, bo, bs, b, eo, es, e in result["verschil"]:
        if jaar == args.year:
            print(f"{sector:10}{vorm:9}" + "".join(f"{_getal(v):>{w}}" for v, w in
                                               ((bo, 12), (bs, 12), (b, 10), (eo, 12), (es, 12), (e, 10))))
    if result["vorige"]:
        if result["vorige"] == result["cellen"]:
            print(f"Identiek aan de vorige scenario-run {result['vorige_run']}: elke cel van scenario.banen "
                  f"({len(result['cellen'])}) is exact gelijk.")
        else:
            afwijkend = [f"{new[0]} {new[1]}/{new[2]}: {old[4]!r} → {new[4]!r}"
                         for old, new in zip(result["vorige"], result["cellen"]) if old != new]
            print(f"Wijkt af van de vorige scenario-run {result['vorige_run']}: " + "; ".join(afwijkend or ["cellen"]))
    print(f"Klaar (Dagster-run {result['run_id']}): scenario.banen en scenario.verschil in "
          f"{Path(args.warehouse).resolve()}; meting.* is niet gewijzigd.")


def cmd_replay(args: argparse.Namespace) -> None:
    from pipeline.audit.replay import replay

    print(replay(Path(args.delivery), Path(args.warehouse), args.year, log=print))


def cmd_bench(args: argparse.Namespace) -> None:
    from pipeline.bench import mismatch_message, run_bench
    from pipeline.runner import MeasurementError

    result = run_bench(args.scale, Path(args.workdir), year=args.year)
    if not result["agree"]:
        raise MeasurementError(mismatch_message(result))


def cmd_export(args: argparse.Namespace) -> None:
    from pipeline.publicatie.export import ExportError, export

    try:
        result = export(Path(args.warehouse), Path(args.out))
    except ExportError as exc:
        raise UsageError(str(exc)) from exc
    print(f"Klaar: {len(result.objects)} tabellen en views van {args.warehouse} staan als CSV en Parquet in "
          f"{result.out.resolve()}, beschreven in {result.datapackage.name}.")


def cmd_rapport(args: argparse.Namespace) -> None:
    from pipeline.rapport.build import build_report

    result = build_report(Path(args.warehouse), args.year, Path(args.out))
    print(f"Klaar: het jaarrapport {result.jaar}{' (voorlopig)' if result.voorlopig else ''} staat in {result.out} "
          f"({result.grafieken} grafieken, {result.seconden:.1f} s); open het in een browser, ook zonder netwerk.")


def cmd_runs(args: argparse.Namespace) -> None:
    from pipeline.runner import list_runs

    rows = list_runs(Path(args.warehouse) if args.warehouse else None, limit=args.aantal)
    if not rows:
        print("Nog geen runs in deze Dagster-instantie.")
        return
    print(f"{'gestart (UTC)':20} {'soort':10} {'jaren':32} {'regeling':24} {'status':10} {'duur':>8}  run")
    for row in rows:
        print(f"{row['gestart']:20} {row['soort']:10} {row['jaren']:32} {row['regeling'] or '(officieel)':24} "
              f"{row['status']:10} {row['duur']:>8}  {row['run_id']}")


ENVIRONMENT_HELP = """omgevingsvariabelen:
  BANENAFSPRAAK_PSEUDONIEM_SLEUTEL   geheime sleutel van het BSN-pseudoniem (verplicht voor run en replay)
  BANENAFSPRAAK_DUCKDB_MEMORY_LIMIT  geheugenlimiet van DuckDB (standaard 6GB)
  BANENAFSPRAAK_DUCKDB_THREADS       aantal DuckDB-threads (standaard 2)
  BANENAFSPRAAK_DUCKDB_TEMP_DIRECTORY  map voor uitwijkbestanden van DuckDB (standaard <warehouse>.werk/spill)
  BANENAFSPRAAK_LOG_LEVEL            niveau van het Dagster-consolelog (standaard CRITICAL: alleen de voortgang)
  DAGSTER_HOME                       Dagster-instantie met de runhistorie (standaard <warehouse>.dagster)"""


def build_parser() -> argparse.ArgumentParser:
    from importlib import metadata

    parser = argparse.ArgumentParser(prog="banenafspraak", description="De jaarlijkse meting van de banenafspraak.",
                                     epilog=ENVIRONMENT_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"banenafspraak {metadata.version('banenafspraak')}",
                        help="toon de versie en stop")
    verbs = parser.add_subparsers(dest="verb", required=True)

    run = verbs.add_parser("run", help="meet jaren uit een levering in een DuckDB-bestand", epilog=ENVIRONMENT_HELP,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
    run.add_argument("--delivery", required=True, help="map met polis/, werkgevers/, doelgroepregister/")
    run.add_argument("--warehouse", required=True, help="het DuckDB-bestand voor analisten")
    run.add_argument("--year", required=True, type=int, action="append", help="meetjaar (herhaalbaar)")
    run.add_argument("--provisional-key", action="append", default=[], metavar="JAAR=AANDEEL_MARKT",
                     help="voorlopige verdeelsleutel voor een jaar zonder gepubliceerde sleutel (METHOD R7)")
    run.add_argument("--cutoff-date", default=None, metavar="JJJJ-MM-DD",
                     help="afwijkende afsluitdatum voor de opgegeven jaren (standaard 1 mei van Y+1, METHOD R1)")
    run.set_defaults(func=cmd_run)

    replay = verbs.add_parser("replay", help="meet een gepubliceerd jaar opnieuw en vergelijk elke cel")
    replay.add_argument("--delivery", required=True)
    replay.add_argument("--warehouse", required=True)
    replay.add_argument("--year", required=True, type=int)
    replay.set_defaults(func=cmd_replay)

    scen = verbs.add_parser("scenario", help="meet een jaar en de nulmeting onder een andere regeling (METHOD R14), "
                            "naast de officiële cijfers; meting.* blijft ongewijzigd")
    scen.add_argument("--delivery", required=True, help="map met polis/, werkgevers/, doelgroepregister/")
    scen.add_argument("--warehouse", required=True, help="het DuckDB-bestand met de officiële meting van het jaar")
    scen.add_argument("--year", required=True, type=int, help="meetjaar (met de nulmeting onder dezelfde regeling)")
    from pipeline.runner import known_regimes

    scen.add_argument("--regeling", required=True,
                      help=f"de regeling uit data/reference/regeling.csv: {', '.join(known_regimes())}")
    scen.set_defaults(func=cmd_scenario)

    demo = verbs.add_parser("demo", help="bouw de synthetische demo-levering en meet elk jaar")
    demo.add_argument("--warehouse", default="demo/banenafspraak.duckdb")
    demo.add_argument("--scale", type=float, default=1.0, help=argparse.SUPPRESS)
    demo.set_defaults(func=cmd_demo)

    bench = verbs.add_parser("bench", help="meet de pijplijn op een levering van landelijke omvang tegen de DuckDB-ondergrens")
    bench.add_argument("--scale", required=True, type=float, help="1.0 = landelijke omvang (ongeveer 130 mln. polisrijen)")
    bench.add_argument("--workdir", default="bench", help="map voor de gegenereerde levering en de warehouses")
    bench.add_argument("--year", type=int, default=2023, help="meetjaar (met de nulmeting 2012)")
    bench.set_defaults(func=cmd_bench)

    export = verbs.add_parser("export", help="schrijf elke tabel en view van het analistenbestand als Parquet en CSV, "
                              "met datapackage.json")
    export.add_argument("--warehouse", required=True, help="het gepubliceerde DuckDB-bestand (wordt alleen gelezen)")
    export.add_argument("--out", required=True, help="map voor csv/, parquet/ en datapackage.json (wordt aangemaakt)")
    export.set_defaults(func=cmd_export)
    rapport = verbs.add_parser("rapport",
                               help="schrijf het jaarrapport van een gepubliceerd jaar als één HTML-bestand")
    rapport.add_argument("--warehouse", required=True, help="het gepubliceerde DuckDB-bestand (wordt alleen gelezen)")
    rapport.add_argument("--year", required=True, type=int, help="het meetjaar van het rapport")
    rapport.add_argument("--out", required=True, help="het HTML-bestand dat geschreven wordt (bijv. rapport_2023.html)")
    rapport.set_defaults(func=cmd_rapport)
    runs = verbs.add_parser("runs", help="toon de runs (soort, jaren, status, duur) van een warehouse")
    runs.add_argument("--warehouse", default=None, help="het DuckDB-bestand (standaard: $DAGSTER_HOME)")
    runs.add_argument("--aantal", type=int, default=25, help="hoeveel runs, nieuwste eerst (standaard 25)")
    runs.set_defaults(func=cmd_runs)
    return parser


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "1")
    import warnings

    from dagster import BetaWarning

    warnings.filterwarnings("ignore", category=BetaWarning)  # observable_source_asset is beta
    args = build_parser().parse_args(argv)
    from pipeline.runner import MeasurementError

    try:
        args.func(args)
    except (MeasurementError, UsageError) as exc:  # ReplayMismatch is a MeasurementError
        print(f"banenafspraak: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
