"""The yearly report of the run's latest year (group 'publicatie'), built after each publication.

It writes <warehouse>.rapport/rapport_<jaar>.html beside the analyst file and links it from the
materialization. The analyst file is already published when this asset runs, so a report that
cannot be made does not fail the run (the run's message would otherwise say the file is unchanged):
the asset logs a warning with the reason and the command that makes the report, and is not
materialized (a materialization always means the file is there).

Cost per run: the charts are compiled Vega-Lite (pipeline/rapport/grafieken.vl.json), so altair is
not imported; what remains is vl-convert's start-up and five renders (see README, "Het jaarrapport").
Runs that publish into a scratch file (replay) or time the pipeline (bench) make no report: the
asset is skipped there, so neither pays for it.
"""

from pathlib import Path

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetSpec,
    BackfillPolicy,
    MetadataValue,
    multi_asset,
)

from pipeline.meting.assets import report, run_years
from pipeline.partitions import YEARS
from pipeline.publicatie.assets import PUBLICATIE
from pipeline.resources import MeetopdrachtResource, WarehouseResource

RAPPORT = AssetKey(["publicatie", "rapport"])
ZONDER_RAPPORT = {"replay", "bench"}  # tag banenafspraak/soort of runs that make no report


def report_path(published: Path, year: int) -> Path:
    return published.with_name(published.name + ".rapport") / f"rapport_{year}.html"


@multi_asset(
    name="rapport",
    specs=[AssetSpec(
        RAPPORT, group_name="publicatie", deps=[PUBLICATIE], skippable=True,
        description="Het jaarrapport van het laatste jaar van de run: Tabel 1, realisatie, sectoren, regio's, "
                    "kwaliteit en herkomst in één zelfstandig HTML-bestand "
                    "(<warehouse>.rapport/rapport_<jaar>.html).")],
    partitions_def=YEARS,
    backfill_policy=BackfillPolicy.single_run(),
)
def rapport(context: AssetExecutionContext, warehouse: WarehouseResource, opdracht: MeetopdrachtResource):
    from pipeline.rapport.build import build_report

    years = run_years(context, opdracht)
    soort = context.run.tags.get("banenafspraak/soort")
    if soort in ZONDER_RAPPORT:
        context.log.info(f"geen jaarrapport in een {soort}-run")
        return
    year = max(years)
    out = report_path(warehouse.published_path, year)
    context.log.info(f"jaarrapport {year} naar {out}")
    try:
        result = build_report(warehouse.published_path, year, out)
    except Exception as exc:  # noqa: BLE001 — the file is published; a missing report must not say otherwise
        reason = f"{type(exc).__name__}: {exc}"
        context.log.warning(f"Het jaarrapport {year} is niet gemaakt ({reason}); het analistenbestand is wel "
                            f"gepubliceerd. Maak het met: banenafspraak rapport --warehouse {warehouse.published_path} "
                            f"--year {year} --out {out}")
        return
    yield from report(context, RAPPORT, years, {}, {
        "jaar": year,
        "bestand": MetadataValue.path(str(result.out)),
        "openen": MetadataValue.url(result.out.as_uri()),
        "voorlopig": result.voorlopig,
        "grafieken": result.grafieken,
        "seconden": round(result.seconden, 2),
    })


ASSETS = [rapport]
