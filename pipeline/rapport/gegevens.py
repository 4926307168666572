"""Everything the yearly report shows, read from the published analyst file (read-only).

No number of the report is typed anywhere else: each comes from a table or view of the file
(meting.*, kwaliteit.*, audit.*), rounded in SQL with round() — half away from zero, the rule of
meting.tabel1 (docs/METHOD.md R8) — so the report and the views agree to the last digit. Only the
names of the arbeidsmarktregio's come from data/reference/arbeidsmarktregio.csv (the file holds
codes only).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipeline.paths import REFERENCE_DIR

SECTOREN = ("markt", "overheid")


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    relation = con.execute(sql, params or [])
    names = [d[0] for d in relation.description]
    return [dict(zip(names, row, strict=True)) for row in relation.fetchall()]


def regio_namen() -> dict[str, str]:
    with (REFERENCE_DIR / "arbeidsmarktregio.csv").open(encoding="utf-8") as handle:
        return {row["arbeidsmarktregio"]: row["naam"] for row in csv.DictReader(handle)}


@dataclass
class Gegevens:
    """The report's data for year `jaar` of the file `warehouse`."""

    jaar: int
    warehouse: Path
    nulmeting: int
    jaren: list[int]  # every year in the file
    voorlopig: bool
    tabel1: list[dict]
    realisatie: dict[str, dict]  # sector (markt, overheid, totaal) -> row of meting.realisatie_afgerond
    reeks: list[dict]  # realisatie_afgerond, nulmeting < jaar <= Y
    vormen: list[dict]  # meting.banen, nulmeting < jaar <= Y, rounded
    niveaus: list[dict]  # sector × vorm of Y: nulmeting, Y, extra, change against Y-1
    niveaus_totaal: dict
    vorig_jaar: int | None  # Y-1 when it is in the file
    verdeelsleutel: list[dict]
    inleen: list[dict]
    personen: list[dict]
    overheidssector: list[dict]
    overheidssector_totaal: dict
    regio: list[dict]  # one row per region: code, naam, woon_* and werkgever_* per sector and total
    regio_onbekend: list[dict]
    bestanden: list[dict]
    bestanden_totaal: dict
    samenvatting: list[dict]
    kwaliteit_zelfde_levering: bool
    runs: list[dict]
    run: dict  # the run that measured Y
    invoerbestanden: list[dict]
    referentie: dict[str, dict]  # naam -> {waarde, bron} for Y
    referentie_nulmeting: dict[str, dict]
    vingerafdruk: str | None
    # METHOD §5: meting.stromen of Y per base year (the nulmeting and the previous measured year):
    # per category the persons (distinct, audit.stromen_personen) and banen per cel and in total
    stromen: list[dict] = None
    deelname: list[dict] = None  # meting.deelname of Y (R16): sector × grootteklasse, with totals
    quotum: list[dict] = None  # quotum.werkgevers of Y summed per sector (R17)


def lees(con: duckdb.DuckDBPyConnection, warehouse: Path, jaar: int) -> Gegevens:
    jaren = [y for (y,) in con.execute("SELECT DISTINCT jaar FROM meting.banen ORDER BY 1").fetchall()]
    referentie = {r["naam"]: r for r in rows(
        con, "SELECT naam, waarde, bron FROM audit.referentiewaarden WHERE jaar = ? ORDER BY naam", [jaar])}
    nulmeting = int(referentie["nulmeting_jaar"]["waarde"]) if "nulmeting_jaar" in referentie else min(jaren)
    referentie_nulmeting = {r["naam"]: r for r in rows(
        con, "SELECT naam, waarde, bron FROM audit.referentiewaarden WHERE jaar = ? ORDER BY naam", [nulmeting])}

    tabel1 = rows(con, """SELECT volgorde, regel, markt, overheid, totaal, voorlopig, toelichting
                          FROM meting.tabel1 WHERE jaar = ? ORDER BY volgorde""", [jaar])
    realisatie = {r["sector"]: r for r in rows(
        con, "SELECT * FROM meting.realisatie_afgerond WHERE jaar = ?", [jaar])}
    reeks = rows(con, """SELECT jaar, sector, extra_banen, doelstelling, verschil, realisatie_pct, voorlopig
                         FROM meting.realisatie_afgerond WHERE jaar > ? AND jaar <= ? ORDER BY jaar, sector""",
                 [nulmeting, jaar])
    vormen = rows(con, """SELECT jaar, sector, vorm, CAST(round(extra_banen) AS BIGINT) AS extra_banen, voorlopig
                          FROM meting.banen WHERE jaar > ? AND jaar <= ? ORDER BY jaar, sector, vorm""",
                  [nulmeting, jaar])
    vorig_jaar = jaar - 1 if (jaar - 1) in jaren else None
    niveaus = rows(con, """
        SELECT b.sector, b.vorm,
               CAST(round(b.banen_nulmeting) AS BIGINT) AS nulmeting,
               CAST(round(b.banen) AS BIGINT) AS banen,
               CAST(round(b.extra_banen) AS BIGINT) AS extra_banen,
               CAST(round(v.verandering) AS BIGINT) AS verandering
        FROM meting.banen AS b
        JOIN meting.verandering AS v USING (jaar, sector, vorm)
        WHERE b.jaar = ? ORDER BY b.sector, b.vorm""", [jaar])
    niveaus_totaal = rows(con, """
        SELECT CAST(round(sum(b.banen_nulmeting)) AS BIGINT) AS nulmeting,
               CAST(round(sum(b.banen)) AS BIGINT) AS banen,
               CAST(round(sum(b.extra_banen)) AS BIGINT) AS extra_banen,
               CAST(round(sum(v.verandering)) AS BIGINT) AS verandering
        FROM meting.banen AS b
        JOIN meting.verandering AS v USING (jaar, sector, vorm)
        WHERE b.jaar = ?""", [jaar])[0]
    verdeelsleutel = rows(con, """SELECT jaar, aandeel_markt, aandeel_overheid, voorlopig, bron
                                  FROM meting.verdeelsleutel WHERE jaar <= ? ORDER BY jaar""", [jaar])
    inleen = rows(con, """SELECT sector, aandeel_markt, aandeel_overheid, sleutel_voorlopig, sleutel_bron,
                                 CAST(round(banen) AS BIGINT) AS banen,
                                 CAST(round(banen_nulmeting) AS BIGINT) AS banen_nulmeting,
                                 CAST(round(extra_banen) AS BIGINT) AS extra_banen
                          FROM meting.inleen WHERE jaar = ? ORDER BY sector""", [jaar])
    personen = rows(con, """SELECT jaar, werkzame_personen, doelgroep_omvang, CAST(round(banen) AS BIGINT) AS banen,
                                   round(banen_per_persoon, 2) AS banen_per_persoon, voorlopig
                            FROM meting.personen_banen WHERE jaar <= ? ORDER BY jaar""", [jaar])
    overheidssector = rows(con, """
        WITH y AS (SELECT overheidssector, banen FROM meting.banen_overheidssector WHERE jaar = ?),
             n AS (SELECT overheidssector, banen FROM meting.banen_overheidssector WHERE jaar = ?)
        SELECT coalesce(y.overheidssector, n.overheidssector) AS overheidssector,
               coalesce(y.banen, 0) AS banen_onafgerond,
               CAST(round(coalesce(y.banen, 0)) AS BIGINT) AS banen,
               CAST(round(n.banen) AS BIGINT) AS nulmeting,
               CAST(round(coalesce(y.banen, 0) - coalesce(n.banen, 0)) AS BIGINT) AS verschil
        FROM y FULL JOIN n USING (overheidssector)
        ORDER BY banen_onafgerond DESC, overheidssector""", [jaar, nulmeting])
    overheidssector_totaal = rows(con, """
        SELECT CAST(round(sum(banen) FILTER (WHERE jaar = ?)) AS BIGINT) AS banen,
               CAST(round(sum(banen) FILTER (WHERE jaar = ?)) AS BIGINT) AS nulmeting,
               CAST(round(coalesce(sum(banen) FILTER (WHERE jaar = ?), 0)
                          - coalesce(sum(banen) FILTER (WHERE jaar = ?), 0)) AS BIGINT) AS verschil
        FROM meting.banen_overheidssector""", [jaar, nulmeting, jaar, nulmeting])[0]

    regio, onbekend = _regio(con, jaar)

    bestanden = rows(con, """SELECT extract, bron_bestand, formaat, bytes, sha256, rijen_gelezen, rijen_geaccepteerd,
                                    rijen_quarantaine, rijen_niet_bewaard
                             FROM kwaliteit.bestanden ORDER BY extract, bron_bestand""")
    bestanden_totaal = rows(con, """SELECT count(*) AS bestanden, sum(bytes) AS bytes,
                                           sum(rijen_gelezen) AS rijen_gelezen,
                                           sum(rijen_geaccepteerd) AS rijen_geaccepteerd,
                                           sum(rijen_quarantaine) AS rijen_quarantaine,
                                           sum(rijen_niet_bewaard) AS rijen_niet_bewaard
                                    FROM kwaliteit.bestanden""")[0]
    samenvatting = rows(con, "SELECT bron_bestand, regel, kolom, rijen FROM kwaliteit.samenvatting "
                             "ORDER BY bron_bestand, regel, kolom")
    invoerbestanden = rows(con, """SELECT extract, bron_bestand, formaat, sha256, bytes, rijen
                                   FROM audit.invoerbestanden WHERE jaar = ? ORDER BY extract, bron_bestand""", [jaar])
    zelfde = ({(b["bron_bestand"], b["sha256"]) for b in bestanden}
              == {(b["bron_bestand"], b["sha256"]) for b in invoerbestanden})

    runs = rows(con, """SELECT dagster_run_id, inleesrun, levering, git_commit, pakketversies, sql_hashes,
                               min(gestart) AS gestart, max(beeindigd) AS beeindigd, list(jaar ORDER BY jaar) AS jaren
                        FROM audit.runs GROUP BY ALL ORDER BY min(gestart), dagster_run_id""")
    for run in runs:
        run["pakketten"] = json.loads(run["pakketversies"] or "{}")
        hashes = json.loads(run["sql_hashes"] or "{}")
        run["sql_bestanden"] = len(hashes)
        run["sql_vingerafdruk"] = hashlib.sha256(
            json.dumps(hashes, sort_keys=True).encode("utf-8")).hexdigest()
    run = next((r for r in runs if jaar in r["jaren"]), None) or {}
    sleutel = con.execute("SELECT vingerafdruk FROM audit.sleutel").fetchone()
    deelname = rows(con, """SELECT sector, grootteklasse, werkgevers, deelnemend, aandeel FROM meting.deelname
                              WHERE jaar = ? ORDER BY sector = 'totaal', sector, grootteklasse = 'totaal',
                                    grootteklasse""", [jaar])
    quotum = rows(con, """
        SELECT coalesce(sector, 'onbekend') AS sector, count(*) AS werkgevers,
               count(*) FILTER (WHERE quotumplichtig) AS quotumplichtig,
               any_value(quotumpercentage) AS quotumpercentage,
               count(*) FILTER (WHERE quotumtekort > 0) AS met_tekort,
               sum(quotumtekort) AS tekort_banen, sum(heffing) AS heffing,
               sum(uren_ingeleend_bij) AS uren_ingeleend,
               any_value(reden) FILTER (WHERE quotumplichtig) AS reden
        FROM quotum.werkgevers WHERE jaar = ? GROUP BY ALL ORDER BY sector""", [jaar])

    stromen = _stromen(con, jaar)

    return Gegevens(
        stromen=stromen,
        jaar=jaar, warehouse=warehouse, nulmeting=nulmeting, jaren=jaren,
        voorlopig=any(r["voorlopig"] for r in tabel1), tabel1=tabel1, realisatie=realisatie, reeks=reeks,
        vormen=vormen, niveaus=niveaus, niveaus_totaal=niveaus_totaal, vorig_jaar=vorig_jaar,
        verdeelsleutel=verdeelsleutel, inleen=inleen, personen=personen, overheidssector=overheidssector,
        overheidssector_totaal=overheidssector_totaal, regio=regio, regio_onbekend=onbekend,
        bestanden=bestanden, bestanden_totaal=bestanden_totaal, samenvatting=samenvatting,
        kwaliteit_zelfde_levering=zelfde, runs=runs, run=run, invoerbestanden=invoerbestanden,
        referentie=referentie, referentie_nulmeting=referentie_nulmeting,
        vingerafdruk=sleutel[0] if sleutel else None,
        deelname=deelname, quotum=quotum,
    )


CATEGORIEEN = ("blijver", "nieuw_werk", "registratie_effect", "nieuw_geregistreerd_en_werk", "werk_verloren",
               "uit_register", "saldo_overig")


def _stromen(con: duckdb.DuckDBPyConnection, jaar: int) -> list[dict]:
    """Per base year of Y (nulmeting first) and category: distinct persons, banen per cel and in
    total (each rounded on its own, the total from the unrounded cells) and, for registratie_effect,
    the uncounted banen of the base year. Empty for a file without meting.stromen."""
    present = con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'meting' "
                          "AND table_name = 'stromen'").fetchone()[0]
    if not present:
        return []
    found = rows(con, """
        WITH p AS (SELECT basisjaar, categorie, count(DISTINCT persoon_id) AS personen
                   FROM audit.stromen_personen WHERE jaar = ? AND (uren_basisjaar <> 0 OR uren_jaar <> 0)
                   GROUP BY ALL)
        SELECT s.basisjaar, s.categorie, any_value(coalesce(p.personen, 0)) AS personen,
               sum(s.banen) AS banen_onafgerond, CAST(round(sum(s.banen)) AS BIGINT) AS banen,
               CAST(round(sum(s.banen) FILTER (WHERE s.cel = 'formeel_markt')) AS BIGINT) AS formeel_markt,
               CAST(round(sum(s.banen) FILTER (WHERE s.cel = 'formeel_overheid')) AS BIGINT) AS formeel_overheid,
               CAST(round(sum(s.banen) FILTER (WHERE s.cel = 'inleen')) AS BIGINT) AS inleen,
               CAST(round(sum(s.banen_ongeteld_basisjaar)) AS BIGINT) AS ongeteld_basisjaar,
               list({'cel': s.cel, 'banen': s.banen}) AS cellen
        FROM meting.stromen AS s
        LEFT JOIN p USING (basisjaar, categorie)
        WHERE s.jaar = ?
        GROUP BY s.basisjaar, s.categorie""", [jaar, jaar])
    return sorted(found, key=lambda r: (r["basisjaar"], CATEGORIEEN.index(r["categorie"])))


def _regio(con: duckdb.DuckDBPyConnection, jaar: int) -> tuple[list[dict], list[dict]]:
    """Per arbeidsmarktregio (all 35 of the code list, also those without banen) the banen of Y by
    residence and by employer, per sector and in total, each rounded on its own. Codes that are not
    in the list ('onbekend') come back separately."""
    found = rows(con, """
        SELECT indeling, arbeidsmarktregio, sector, sum(banen) AS onafgerond,
               CAST(round(sum(banen)) AS BIGINT) AS banen
        FROM meting.banen_regio WHERE jaar = ? GROUP BY ALL
        UNION ALL
        SELECT indeling, arbeidsmarktregio, 'totaal', sum(banen), CAST(round(sum(banen)) AS BIGINT)
        FROM meting.banen_regio WHERE jaar = ? GROUP BY ALL""", [jaar, jaar])
    cells = {(r["indeling"], r["arbeidsmarktregio"], r["sector"]): r for r in found}
    names = regio_namen()
    codes = list(names) + sorted({code for _, code, _ in cells if code not in names})
    out, onbekend = [], []
    for code in codes:
        row = {"code": code, "naam": names.get(code, code)}
        for indeling, prefix in (("woonregio", "woon"), ("werkgeverregio", "werkgever")):
            for sector in (*SECTOREN, "totaal"):
                cell = cells.get((indeling, code, sector))
                row[f"{prefix}_{sector}"] = cell["banen"] if cell else 0
                row[f"{prefix}_{sector}_onafgerond"] = cell["onafgerond"] if cell else 0.0
        (out if code in names else onbekend).append(row)
    return out, onbekend


def as_date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None
