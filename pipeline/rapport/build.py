"""`banenafspraak rapport`: the yearly monitor report of one year as one self-contained HTML file.

    build_report(warehouse, year, out)

opens the published analyst file read-only, reads what the Kamerbrief and the UWV dashboard show
(pipeline/rapport/gegevens.py), draws the charts (pipeline/rapport/charts.py: altair → Vega-Lite →
static SVG by vl-convert) and writes one HTML file: styles inline, system fonts, no script, no
network, printable on A4. The same file gives the same report, byte for byte (nothing in it depends
on the clock or the machine, apart from the warehouse path it names).

Failures are a MeasurementError with one Dutch paragraph (the CLI prints it and exits 1).
"""

from __future__ import annotations

import functools
import os
import shlex
import threading
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import duckdb

from pipeline.paths import unwritable
from pipeline.rapport import charts, opmaak
from pipeline.rapport.gegevens import SECTOREN, Gegevens, as_date, lees

HERE = Path(__file__).resolve().parent
REQUIRED = ("meting.tabel1", "meting.realisatie_afgerond", "meting.banen", "meting.verdeelsleutel", "meting.inleen",
            "meting.personen_banen", "meting.banen_overheidssector", "meting.banen_regio", "kwaliteit.bestanden",
            "kwaliteit.samenvatting", "audit.runs", "audit.invoerbestanden", "audit.referentiewaarden",
            "audit.sleutel")


@dataclass(frozen=True)
class Resultaat:
    out: Path
    jaar: int
    voorlopig: bool
    grafieken: int
    seconden: float


def _error(message: str) -> Exception:
    from pipeline.runner import MeasurementError

    return MeasurementError(message)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def open_warehouse(warehouse: Path) -> duckdb.DuckDBPyConnection:
    if not warehouse.exists():
        raise _error(
            f"Het bestand {warehouse} bestaat niet, dus er is geen rapport gemaakt. Geef met --warehouse het "
            "gepubliceerde DuckDB-bestand op dat banenafspraak run of demo heeft geschreven (bijvoorbeeld "
            "demo/banenafspraak.duckdb).")
    if not warehouse.is_file():
        raise _error(f"{warehouse} is een map, geen bestand, dus er is geen rapport gemaakt. Geef met --warehouse "
                     "het gepubliceerde DuckDB-bestand op, niet de map waarin het staat.")
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error as exc:
        raise _error(
            f"{warehouse} kan niet als DuckDB-bestand geopend worden ({_first_line(exc)}), dus er is geen rapport "
            "gemaakt. Is het wel het gepubliceerde bestand van banenafspraak run, en schrijft er niet net een run "
            "in?") from None
    present = {f"{s}.{n}" for s, n in con.execute(
        "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = current_database() "
        "UNION ALL SELECT schema_name, view_name FROM duckdb_views() WHERE database_name = current_database()"
    ).fetchall()}
    missing = [name for name in REQUIRED if name not in present]
    if missing:
        con.close()
        raise _error(
            f"{warehouse} is geen volledig gepubliceerd banenafspraak-bestand: {', '.join(missing)} ontbreekt, dus "
            "er is geen rapport gemaakt. Geef het bestand op dat banenafspraak run of demo heeft geschreven (niet de "
            "werkruimte <warehouse>.werk/werkruimte.duckdb), of publiceer het opnieuw met de huidige versie.")
    return con


def check_year(con: duckdb.DuckDBPyConnection, warehouse: Path, year: int) -> None:
    published = [y for (y,) in con.execute("SELECT DISTINCT jaar FROM meting.tabel1 ORDER BY 1").fetchall()]
    if year not in published:
        raise _error(
            f"Jaar {year} staat niet in {warehouse}: gepubliceerd zijn "
            f"{', '.join(map(str, published)) or 'geen jaren'}. Kies met --year een van die jaren, of meet {year} "
            f"eerst met banenafspraak run --year {year}; er is geen rapport gemaakt.")


def check_writable(out: Path) -> None:
    """The report's folder must take a new file; checked before the work starts."""
    if out.is_dir():
        raise _error(f"{out} is een map; geef met --out de naam van het HTML-bestand op, bijvoorbeeld "
                     f"{out / 'rapport.html'}. Er is geen rapport gemaakt.")
    exc = unwritable(out.parent)
    if exc is not None:
        raise _error(
            f"In de map {out.parent} kan het rapport niet geschreven worden ({exc.strerror or _first_line(exc)}). "
            "Kies met --out een bestand in een map waarin u mag schrijven; er is geen rapport gemaakt.")


def _write(out: Path, text: str) -> None:
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _error(f"Het rapport kon niet naar {out} geschreven worden ({exc.strerror or _first_line(exc)}); "
                     "kies een andere plek met --out.") from None


def build_report(warehouse: Path, year: int, out: Path) -> Resultaat:
    """Write the report of `year` from the published file `warehouse` to `out` (one HTML file)."""
    started = time.monotonic()
    warehouse = Path(warehouse).expanduser().resolve()
    out = Path(out).expanduser().resolve()
    con = open_warehouse(warehouse)
    try:
        check_year(con, warehouse, year)
        check_writable(out)
        engine = threading.Thread(target=charts.warm_up, name="vl-convert", daemon=True)
        engine.start()  # vl-convert starts while the data is read and the template compiled
        g = lees(con, warehouse, year)
    finally:
        con.close()
    template()
    engine.join()
    page, count = render_report(g, out)
    _write(out, page)
    return Resultaat(out, year, g.voorlopig, count, time.monotonic() - started)


# --- the page --------------------------------------------------------------------------------------


def _versie(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"


def maker() -> str:
    return (f"Gemaakt met banenafspraak {_versie('banenafspraak')} (grafieken: altair {_versie('altair')}, "
            f"Vega-Lite {charts.VL_VERSION}, vl-convert {_versie('vl-convert-python')})")


def _ref(g: Gegevens, naam: str, nulmeting: bool = False) -> dict | None:
    return (g.referentie_nulmeting if nulmeting else g.referentie).get(naam)


def _float(text: str | None) -> float | None:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


def uren_per_week(g: Gegevens) -> float | None:
    ref = _ref(g, "uren_per_baan_per_week")
    return _float(ref["waarde"]) if ref else None


def kern(g: Gegevens) -> tuple[list[str], list[dict]]:
    """The opening sentences and the three key-figure cards, from Table 1 and meting.realisatie_afgerond."""
    t1 = {r["volgorde"]: r for r in g.tabel1}
    uren = uren_per_week(g)
    baan = f"banen van {opmaak.getal(uren, 1)} uur per week" if uren else "banen"
    zinnen = []
    if 5 in t1 and 6 in t1 and 3 in t1:
        zinnen.append(
            f"In december {g.jaar} hadden mensen uit de doelgroep {opmaak.getal(t1[5]['totaal'])} {baan} bij "
            f"reguliere werkgevers: {opmaak.getal(t1[3]['totaal'])} meer dan in de nulmeting van december "
            f"{g.nulmeting} ({opmaak.getal(t1[6]['totaal'])}). Markt: {opmaak.getal(t1[3]['markt'])} extra banen; "
            f"overheid: {opmaak.getal(t1[3]['overheid'])}.")
    totaal = g.realisatie.get("totaal")
    if totaal and totaal["doelstelling"] is not None:
        zinnen.append(
            f"De doelstelling voor {g.jaar} was {opmaak.getal(totaal['doelstelling'])} extra banen; daarvan is "
            f"{opmaak.procent(totaal['realisatie_pct'])} gerealiseerd (markt "
            f"{opmaak.procent(g.realisatie['markt']['realisatie_pct'])}, overheid "
            f"{opmaak.procent(g.realisatie['overheid']['realisatie_pct'])}).")
    elif g.jaar == g.nulmeting:
        zinnen.append(f"{g.jaar} is de nulmeting: de extra banen zijn per definitie nul en er is geen doelstelling.")
    if 7 in t1:
        r7 = t1[7]
        if r7["totaal"] is not None:
            zinnen.append(
                f"Tegenover de meting van {g.jaar - 1} is het aantal banen veranderd met "
                f"{opmaak.getal(r7['totaal'], teken=True)} (markt {opmaak.getal(r7['markt'], teken=True)}, overheid "
                f"{opmaak.getal(r7['overheid'], teken=True)}).")
        elif r7["toelichting"]:
            zinnen.append(f"Een verandering tegenover {g.jaar - 1} is er niet: {r7['toelichting']}.")
    kaarten = []
    if 3 in t1:
        for sector, titel in (("totaal", "Totaal"), ("markt", "Markt"), ("overheid", "Overheid")):
            real = g.realisatie.get(sector) or {}
            kaarten.append({"sector": sector, "titel": titel, "extra": t1[3][sector], "voorlopig": t1[3]["voorlopig"],
                            "doel": real.get("doelstelling"), "pct": real.get("realisatie_pct"),
                            "verschil": real.get("verschil")})
    return zinnen, kaarten


def methode(g: Gegevens) -> tuple[list[dict], str]:
    """The method notes, written from audit.referentiewaarden of the year (and of the nulmeting)."""
    notes: list[dict] = []
    uren = uren_per_week(g)
    begin, einde = _ref(g, "meetperiode_begin_maand_dag"), _ref(g, "meetperiode_einde_maand_dag")
    if uren is not None:
        ref = _ref(g, "uren_per_baan_per_week")
        notes.append({"tekst": f"Een baan is {opmaak.getal(uren, 1)} betaalde uren per week, geen contract: kleinere "
                               "banen tellen naar rato, grotere als meer dan één baan.", "bron": ref["bron"]})
    if begin and einde:
        first, last = as_date(f"{g.jaar}-{begin['waarde']}"), as_date(f"{g.jaar}-{einde['waarde']}")
        if first and last:
            days = (last - first).days + 1
            text = (f"Gemeten worden de verloonde uren van {opmaak.datum(first)} tot en met {opmaak.datum(last)} "
                    f"({days} dagen); loontijdvakken die het venster deels overlappen tellen naar rato van hun dagen.")
            if uren is not None:
                text += (f" Een baan in dit venster is {opmaak.getal(uren, 1)} × {days}/7 = "
                         f"{opmaak.getal(uren * days / 7, 2)} uur.")
            notes.append({"tekst": text, "bron": begin["bron"]})
    cutoff = _ref(g, "afsluitdatum_toegepast")
    afsluit = opmaak.datum(as_date(cutoff["waarde"])) if cutoff and as_date(cutoff["waarde"]) else opmaak.LEEG
    if cutoff:
        regel = _ref(g, "afsluitdatum_maand_dag")
        nul = _ref(g, "afsluitdatum_toegepast", nulmeting=True)
        text = (f"Afsluitdatum: {afsluit}. Per loontijdvak telt de laatste versie die op of vóór die datum is "
                "aangeleverd; later aangeleverde correcties zijn bewaard maar tellen niet mee.")
        if nul and g.jaar != g.nulmeting and as_date(nul["waarde"]):
            text += f" Voor de nulmeting {g.nulmeting} was dat {opmaak.datum(as_date(nul['waarde']))}."
        notes.append({"tekst": text, "bron": (regel or cutoff)["bron"]})
    nulmeting = _ref(g, "nulmeting_jaar")
    if nulmeting:
        notes.append({"tekst": f"De nulmeting is de meting van december {nulmeting['waarde']}, met dezelfde regels; "
                               "extra banen zijn banen min banen in de nulmeting, per sector en vorm.",
                      "bron": nulmeting["bron"]})
    drempel = _ref(g, "sectorfonds_drempel")
    if drempel and _float(drempel["waarde"]) is not None:
        notes.append({"tekst": "Sector: een overheidswerkgever telt als overheid als minder dan "
                               f"{opmaak.aandeel(_float(drempel['waarde']), 0)} van zijn uren onder een sectorfonds "
                               "valt; anders als markt.", "bron": drempel["bron"]})
    markt, overheid = _ref(g, "verdeelsleutel_aandeel_markt"), _ref(g, "verdeelsleutel_aandeel_overheid")
    if markt and overheid:
        voorlopig = (_ref(g, "verdeelsleutel_voorlopig") or {}).get("waarde") == "true"
        notes.append({"tekst": f"Verdeelsleutel {g.jaar}: {opmaak.aandeel(_float(markt['waarde']))} van de inleenuren "
                               f"naar markt, {opmaak.aandeel(_float(overheid['waarde']))} naar overheid"
                               + (" (voorlopig)." if voorlopig else "."), "bron": markt["bron"]})
    dm, do = _ref(g, "doelstelling_markt"), _ref(g, "doelstelling_overheid")
    if dm and do:
        notes.append({"tekst": f"Doelstelling {g.jaar} (cumulatief, extra banen): markt "
                               f"{opmaak.getal(_float(dm['waarde']))}, overheid {opmaak.getal(_float(do['waarde']))}.",
                      "bron": dm["bron"]})
    caa = sorted((naam for naam in g.referentie if naam.startswith("caa_vorm_regel_")),
                 key=lambda n: int(n.rsplit("_", 1)[1]) if n.rsplit("_", 1)[1].isdigit() else 0)
    if caa:
        regels = "; ".join(f"{i}. {g.referentie[n]['waarde'].replace('->', '→')}" for i, n in enumerate(caa, 1))
        notes.append({"tekst": f"Vorm van de baan (eerste passende regel telt): {regels}.",
                      "bron": g.referentie[caa[0]]["bron"]})
    grond = {n.removeprefix("grondslag_"): g.referentie[n]["waarde"] == "true"
             for n in sorted(g.referentie) if n.startswith("grondslag_")}
    if grond:
        telt = ", ".join(k for k, v in grond.items() if v) or "geen"
        niet = ", ".join(k for k, v in grond.items() if not v) or "geen"
        notes.append({"tekst": f"Doelgroep: personen met een registratie in het doelgroepregister op een grondslag die "
                               f"meetelt ({telt}); {niet} tellen niet mee. Telt de registratie op één dag van een "
                               "loontijdvak, dan telt het hele tijdvak.",
                      "bron": "audit.referentiewaarden (grondslag_*)"})
    return notes, afsluit


def periode(first: int, last: int) -> str:
    return str(last) if first == last else f"{first}–{last}"


def _pivot(g: Gegevens) -> tuple[list[dict], list[dict]]:
    reeks: dict[int, dict] = {}
    for r in g.reeks:
        row = reeks.setdefault(r["jaar"], {"jaar": r["jaar"], "voorlopig": False})
        row[r["sector"]] = r
        row["voorlopig"] = row["voorlopig"] or bool(r["voorlopig"])
    empty = {"extra_banen": None, "doelstelling": None, "realisatie_pct": None}
    reeks_rijen = [{**{s: empty for s in (*SECTOREN, "totaal")}, **row} for _, row in sorted(reeks.items())]
    vorm: dict[int, dict] = {}
    for r in g.vormen:
        row = vorm.setdefault(r["jaar"], {"jaar": r["jaar"], "voorlopig": False})
        row[f"{r['sector']}_{r['vorm']}"] = r["extra_banen"]
        row["voorlopig"] = row["voorlopig"] or bool(r["voorlopig"])
    return reeks_rijen, [row for _, row in sorted(vorm.items())]


STROOM_NAAM = {
    "blijver": "blijvers (werkten in beide jaren)",
    "nieuw_werk": "nieuw werk (al geregistreerd)",
    "registratie_effect": "registratie-effect (werkten al, later geregistreerd)",
    "nieuw_geregistreerd_en_werk": "nieuw geregistreerd en aan het werk",
    "werk_verloren": "werk verloren (nog geregistreerd)",
    "uit_register": "uit het register",
    "saldo_overig": "saldo overig (netto geen uren)",
}


def stroom_vergelijking(g: Gegevens, basisjaar: int) -> str:
    return f"t.o.v. de nulmeting {basisjaar}" if basisjaar == g.nulmeting else f"t.o.v. meting {basisjaar}"


def grafieken(g: Gegevens, reeks_rijen: list[dict], vorm_rijen: list[dict]) -> dict[str, charts.Grafiek]:
    """Every chart of the report, with its text alternative written from the numbers it shows."""
    out: dict[str, charts.Grafiek] = {}
    voorlopig = " (voorlopig)" if g.voorlopig else ""
    if reeks_rijen:
        rows = [{"jaar": r["jaar"], "sector": s, "reeks": reeks, "waarde": r[s][veld]}
                for r in reeks_rijen for s in SECTOREN
                for reeks, veld in (("gerealiseerd", "extra_banen"), ("doelstelling", "doelstelling"))
                if r[s][veld] is not None]
        last = reeks_rijen[-1]
        first_year = reeks_rijen[0]["jaar"]
        titel = f"Extra banen per sector tegenover de doelstelling, {periode(first_year, g.jaar)}{voorlopig}"
        alt = (f"Lijngrafiek van de extra banen tegenover de nulmeting per jaar ({periode(first_year, g.jaar)}), "
               "voor markt en overheid, elk naast het cumulatieve pad van de doelstelling (gestippeld). In "
               f"{last['jaar']}: markt {opmaak.getal(last['markt']['extra_banen'])} extra banen tegenover een "
               f"doelstelling van {opmaak.getal(last['markt']['doelstelling'])}, overheid "
               f"{opmaak.getal(last['overheid']['extra_banen'])} tegenover "
               f"{opmaak.getal(last['overheid']['doelstelling'])}. De cijfers staan in de tabel bij de grafiek.")
        out["doelstelling"] = charts.render("doelstelling", rows, "grafiek-doelstelling", titel, alt)
    if vorm_rijen:
        rows = [{"jaar": r["jaar"], "sector": s, "vorm": v, "reeks": f"{s}, {v}", "waarde": r.get(f"{s}_{v}")}
                for r in vorm_rijen for s in SECTOREN for v in ("formeel", "inleen") if r.get(f"{s}_{v}") is not None]
        last = vorm_rijen[-1]
        titel = f"Extra banen naar vorm en sector, {periode(vorm_rijen[0]['jaar'], g.jaar)}{voorlopig}"
        alt = ("Staafgrafiek in twee panelen (markt, overheid) van de extra banen tegenover de nulmeting per jaar, "
               f"gesplitst in formele banen en inleenbanen. In {last['jaar']}: markt formeel "
               f"{opmaak.getal(last.get('markt_formeel'))}, markt inleen {opmaak.getal(last.get('markt_inleen'))}, "
               f"overheid formeel {opmaak.getal(last.get('overheid_formeel'))}, overheid inleen "
               f"{opmaak.getal(last.get('overheid_inleen'))}. De cijfers staan in de tabel bij de grafiek.")
        out["vorm"] = charts.render("vorm", rows, "grafiek-vorm", titel, alt)
    if g.stromen:
        rows = [{"vergelijking": stroom_vergelijking(g, r["basisjaar"]), "categorie": STROOM_NAAM[r["categorie"]],
                 "rang": rang, "cel": c["cel"], "waarde": c["banen"]}
                for rang, r in enumerate(g.stromen) for c in r["cellen"]]
        titel = f"Waar de verandering van de banen vandaan komt, {g.jaar}{voorlopig}"
        delen = []
        for basisjaar in sorted({r["basisjaar"] for r in g.stromen}):
            per = {r["categorie"]: r for r in g.stromen if r["basisjaar"] == basisjaar}
            delen.append(f"{stroom_vergelijking(g, basisjaar)}: " + ", ".join(
                f"{STROOM_NAAM[k]} {opmaak.getal(per[k]['banen'], teken=True)}" for k in per))
        alt = ("Liggende staven per stroomcategorie, gestapeld naar cel (formeel markt, formeel overheid, inleen), "
               "met groei naar rechts en krimp naar links, in een paneel per vergelijking. "
               + "; ".join(delen) + ". De cijfers staan in de tabel bij de grafiek.")
        out["stromen"] = charts.render("stromen", rows, "grafiek-stromen", titel, alt)
    sectoren = [r for r in g.overheidssector if r["banen"] or r["banen_onafgerond"]]
    if sectoren:
        rows = [{"naam": r["overheidssector"], "rang": i, "sector": "overheid", "waarde": r["banen_onafgerond"],
                 "totaal": r["banen_onafgerond"], "totaal_tekst": opmaak.getal(r["banen"])}
                for i, r in enumerate(sectoren, 1)]
        titel = f"Formele banen bij de overheid per overheidssector, {g.jaar}{voorlopig}"
        top = ", ".join(f"{r['overheidssector']} {opmaak.getal(r['banen'])}" for r in sectoren[:3])
        alt = (f"Liggende staven, van groot naar klein, van de formele banen bij overheidswerkgevers in {g.jaar} per "
               f"overheidssector ({len(sectoren)} sectoren). Het grootst: {top}. De cijfers staan in de tabel bij de "
               "grafiek.")
        out["overheidssector"] = charts.render("overheidssector", rows, "grafiek-overheidssector", titel, alt)
    for indeling, prefix, kop in (("woonregio", "woon", "woonregio van de persoon"),
                                  ("werkgeverregio", "werkgever", "regio van de werkgever")):
        regios = sorted(g.regio + g.regio_onbekend, key=lambda r: (-r[f"{prefix}_totaal_onafgerond"], r["code"]))
        rows = []
        for rang, r in enumerate(regios, 1):
            for i, s in enumerate(SECTOREN):
                rows.append({"naam": r["naam"], "rang": rang, "sector": s, "waarde": r[f"{prefix}_{s}_onafgerond"],
                             "totaal": r[f"{prefix}_totaal_onafgerond"],
                             "totaal_tekst": opmaak.getal(r[f"{prefix}_totaal"]) if i == 0 else ""})
        top = ", ".join(f"{r['naam']} {opmaak.getal(r[f'{prefix}_totaal'])}" for r in regios[:3])
        low = regios[-1]
        titel = f"Banen per arbeidsmarktregio naar {kop}, {g.jaar}{voorlopig}"
        alt = (f"Liggende staven, van groot naar klein, van de banen in {g.jaar} in elk van de {len(regios)} "
               f"arbeidsmarktregio's naar {kop}, gestapeld naar markt en overheid. Het grootst: {top}; het kleinst: "
               f"{low['naam']} {opmaak.getal(low[f'{prefix}_totaal'])}. De cijfers staan in de tabel bij de grafieken.")
        out[indeling] = charts.render("regio", rows, f"grafiek-{indeling}", titel, alt)
    return out


@functools.cache
def template():
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE)), autoescape=True, trim_blocks=True,
                             lstrip_blocks=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    return env.get_template("sjabloon.html.j2")


def render_report(g: Gegevens, out: Path | None = None) -> tuple[str, int]:
    """The page as text, and the number of charts in it."""
    reeks_rijen, vorm_rijen = _pivot(g)
    drawn = grafieken(g, reeks_rijen, vorm_rijen)
    zinnen, kaarten = kern(g)
    notes, afsluit = methode(g)
    uren = uren_per_week(g)
    sleutel = next((s for s in g.verdeelsleutel if s["jaar"] == g.jaar), None)
    t7 = next((r for r in g.tabel1 if r["volgorde"] == 7), None)
    levering = (g.run or {}).get("levering") or "LEVERING"
    out_name = str(out) if out is not None else f"rapport_{g.jaar}.html"
    page = template().render(
        g=g, css=(HERE / "stijl.css").read_text(encoding="utf-8"), maker=maker(),
        getal=opmaak.getal, procent=opmaak.procent, aandeel=opmaak.aandeel, tijdstip=opmaak.tijdstip,
        bytes_=opmaak.bytes_, datum=opmaak.datum,
        verandering=lambda value: opmaak.getal(value, teken=True),
        twee_decimalen=lambda value: opmaak.getal(value, 2),
        kern_zinnen=zinnen, kaarten=kaarten, methode=notes, afsluitdatum=afsluit,
        stroom_naam=STROOM_NAAM, vergelijking=lambda basisjaar: stroom_vergelijking(g, basisjaar),
        uren_tekst=opmaak.getal(uren, 1) if uren else "?", sleutel=sleutel if g.voorlopig else None,
        reeks_rijen=reeks_rijen, vorm_rijen=vorm_rijen, grafieken=drawn,
        reeks_jaren=periode(reeks_rijen[0]["jaar"] if reeks_rijen else g.jaar, g.jaar),
        toelichting_7=(t7 or {}).get("toelichting"),
        replay_commando=shlex.join(["banenafspraak", "replay", "--delivery", levering, "--warehouse",
                                    str(g.warehouse), "--year", str(g.jaar)]),
        rapport_commando=shlex.join(["banenafspraak", "rapport", "--warehouse", str(g.warehouse), "--year",
                                     str(g.jaar), "--out", out_name]),
    )
    return page, len(drawn)
