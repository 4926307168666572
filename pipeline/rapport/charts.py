"""The charts of the yearly report: Vega-Lite specifications written with altair, rendered to static
SVG by vl-convert (Vega's own SVG renderer in an embedded JavaScript engine), inlined in the page.

A chart in the page needs no script, no font file and no network. Each SVG gets role="img", a
<title> and a <desc> (its text alternative, written from the numbers it shows) and ids that are
unique in the page. Numbers on axes use the nl-NL locale of d3-format (74.031); numbers printed as
text in a chart are formatted in Python from values rounded in SQL, like every cell of the report.

Why a compiled file: the four chart kinds below take their data from one named dataset ("tabel"),
so their specifications do not depend on the data. `python -m pipeline.rapport.charts` compiles them
with altair into grafieken.vl.json (checked in; tests/test_rapport.py fails when it is not what
altair makes of this module). Building a report reads that file and gives vl-convert the spec with
the rows: `import altair` costs about 2 s, too much for the report asset in every Dagster run.
"""

from __future__ import annotations

import copy
import functools
import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

SPECS_FILE = Path(__file__).resolve().parent / "grafieken.vl.json"
DATASET = "tabel"

# System fonts only (no web font): the first one the reader's machine has; system-ui comes late because
# on Linux it can resolve to a serif font.
FONT = ('-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", "Liberation Sans", '
        'Arial, system-ui, sans-serif')
BLAUW, BLAUW_LICHT = "#154273", "#8fb0d6"  # markt (formeel, inleen)
ORANJE, ORANJE_LICHT = "#c55a11", "#f0b27a"  # overheid (formeel, inleen)
SECTOR_KLEUR = {"markt": BLAUW, "overheid": ORANJE}
TEKST = "#1f1f1f"
VL_VERSION = "6.4"  # the Vega-Lite version of altair 6's schema, one of vl-convert's bundled versions
LOCALE = "nl-NL"

CONFIG = {
    "font": FONT,
    "aria": False,  # the whole SVG is one image with its own title and description
    "background": "white",
    "padding": 6,
    "view": {"stroke": None},
    "axis": {"labelFontSize": 11, "titleFontSize": 11, "titleFontWeight": "normal", "labelColor": TEKST,
             "titleColor": TEKST, "gridColor": "#e3e3e3", "domainColor": "#8c8c8c", "tickColor": "#8c8c8c"},
    "legend": {"labelFontSize": 11, "titleFontSize": 11, "labelColor": TEKST, "orient": "top"},
    "header": {"labelFontSize": 12, "labelFontWeight": "bold", "labelColor": TEKST},
    "text": {"font": FONT, "fontSize": 10, "color": TEKST},
}


@dataclass(frozen=True)
class Grafiek:
    """A rendered chart: its id in the page, the inline SVG and its text alternative."""

    ident: str
    titel: str
    omschrijving: str
    svg: str


# --- the chart kinds, in altair (compiled into grafieken.vl.json) ---------------------------------


def AANTAL(alt):  # noqa: N802 — the axis of a count of banen: whole numbers, Dutch thousands
    return alt.Axis(format=",d", tickCount=6, tickMinStep=1)


def doelstelling_chart(alt):
    """Lines: extra banen per year for markt and overheid, realised (solid, with points) against the
    cumulative target (dashed). Rows: jaar, sector, reeks ('gerealiseerd'/'doelstelling'), waarde."""
    data = alt.Data(name=DATASET)
    x = alt.X("jaar:O", title=None, axis=alt.Axis(labelAngle=0))
    y = alt.Y("waarde:Q", title="extra banen t.o.v. de nulmeting", axis=AANTAL(alt))
    color = alt.Color("sector:N", title=None, scale=alt.Scale(domain=list(SECTOR_KLEUR),
                                                              range=list(SECTOR_KLEUR.values())),
                      legend=alt.Legend(symbolType="stroke", symbolStrokeWidth=3))
    lines = alt.Chart(data).mark_line(strokeWidth=2.5).encode(
        x=x, y=y, color=color,
        strokeDash=alt.StrokeDash("reeks:N", title=None, scale=alt.Scale(
            domain=["gerealiseerd", "doelstelling"], range=[[1, 0], [6, 4]]),
            legend=alt.Legend(symbolType="stroke", symbolStrokeColor="#444", symbolStrokeWidth=2.5,
                              symbolSize=300)))
    points = alt.Chart(data).transform_filter(alt.datum.reeks == "gerealiseerd").mark_point(
        filled=True, size=45, opacity=1).encode(x=x, y=y, color=alt.Color("sector:N", legend=None))
    return (lines + points).properties(width=500, height=260)


def vorm_chart(alt):
    """Grouped bars per year, one panel per sector: extra banen in formal jobs and in inleen.
    Rows: jaar, sector, vorm, reeks ('markt, formeel', ...), waarde."""
    domain = ["markt, formeel", "markt, inleen", "overheid, formeel", "overheid, inleen"]
    chart = alt.Chart(alt.Data(name=DATASET)).mark_bar().encode(
        x=alt.X("jaar:O", title=None, axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("vorm:N", scale=alt.Scale(domain=["formeel", "inleen"])),
        y=alt.Y("waarde:Q", title="extra banen t.o.v. de nulmeting", axis=AANTAL(alt)),
        color=alt.Color("reeks:N", title=None, scale=alt.Scale(
            domain=domain, range=[BLAUW, BLAUW_LICHT, ORANJE, ORANJE_LICHT]), legend=alt.Legend(columns=4)),
    ).properties(width=alt.Step(14), height=220)
    return chart.facet(column=alt.Column("sector:N", title=None, sort=["markt", "overheid"]), spacing=24)


def staaf_chart(alt, gestapeld: bool, label_width: int, width: int):
    """Ranked horizontal bars (rank in field 'rang', 1 = largest) with the total printed at the end of
    each bar (field 'totaal_tekst', on one row per bar); stacked by sector when `gestapeld`.
    Rows: naam, rang, sector, waarde, totaal, totaal_tekst."""
    data = alt.Data(name=DATASET)
    y = alt.Y("naam:N", title=None, sort=alt.EncodingSortField(field="rang", op="min", order="ascending"),
              axis=alt.Axis(labelLimit=label_width, ticks=False))
    if gestapeld:
        color = alt.Color("sector:N", title=None,
                          scale=alt.Scale(domain=list(SECTOR_KLEUR), range=list(SECTOR_KLEUR.values())))
    else:
        color = alt.value(ORANJE)
    bars = alt.Chart(data).mark_bar(height={"band": 0.75}).encode(
        y=y, color=color,
        x=alt.X("waarde:Q", title="banen in december", stack="zero",
                axis=alt.Axis(format=",d", tickCount=4, tickMinStep=1, grid=True)))
    labels = alt.Chart(data).transform_filter("datum.totaal_tekst != ''").mark_text(
        align="left", dx=4, baseline="middle").encode(
        y=y, x=alt.X("totaal:Q", title="banen in december"), text=alt.Text("totaal_tekst:N"))
    return (bars + labels).properties(width=width, height=alt.Step(15))


CEL_KLEUR = {"formeel_markt": BLAUW, "formeel_overheid": ORANJE, "inleen": "#6b8e23"}


def stromen_chart(alt):
    """Horizontal bars per flow category (METHOD R11), stacked by cel, positive to the right and
    negative to the left, one panel per comparison (against the nulmeting, against the previous
    measured year). Rows: vergelijking, categorie, rang, cel, waarde."""
    chart = alt.Chart(alt.Data(name=DATASET)).mark_bar(height={"band": 0.7}).encode(
        y=alt.Y("categorie:N", title=None, sort=alt.EncodingSortField(field="rang", op="min", order="ascending"),
                axis=alt.Axis(labelLimit=330, ticks=False)),
        x=alt.X("waarde:Q", title="bijdrage aan de verandering (banen)", stack="zero",
                axis=alt.Axis(format=",d", tickCount=6, tickMinStep=1, grid=True)),
        color=alt.Color("cel:N", title=None, scale=alt.Scale(domain=list(CEL_KLEUR), range=list(CEL_KLEUR.values()))),
    ).properties(width=420, height=alt.Step(18))
    return chart.facet(row=alt.Row("vergelijking:N", title=None, sort="descending",
                                   header=alt.Header(labelAngle=0, labelAlign="left", labelAnchor="start",
                                                                 labelOrient="top")),
                       spacing=14)


KINDS = {
    "stromen": lambda alt: stromen_chart(alt),
    "doelstelling": lambda alt: doelstelling_chart(alt),
    "vorm": lambda alt: vorm_chart(alt),
    "overheidssector": lambda alt: staaf_chart(alt, gestapeld=False, label_width=170, width=360),
    "regio": lambda alt: staaf_chart(alt, gestapeld=True, label_width=200, width=230),
}


def compile_specs() -> dict[str, dict]:
    """Every chart kind as a Vega-Lite specification (validated against altair's schema)."""
    import altair as alt

    specs = {}
    for kind, make in KINDS.items():
        spec = make(alt).to_dict(validate=True)
        spec["config"] = CONFIG
        specs[kind] = spec
    return specs


def write_specs(path: Path = SPECS_FILE) -> Path:
    path.write_text(json.dumps(compile_specs(), indent=1, ensure_ascii=False, sort_keys=True) + "\n",
                    encoding="utf-8")
    return path


@functools.cache
def load_specs() -> dict[str, dict]:
    return json.loads(SPECS_FILE.read_text(encoding="utf-8"))


# --- rendering ----------------------------------------------------------------------------------------


def warm_up() -> None:
    """Start vl-convert's JavaScript engine (about 1 s) with a one-point chart; called in a thread
    while the report's data is read, so the start-up overlaps that work."""
    import vl_convert as vlc

    vlc.vegalite_to_svg({"data": {"values": [{"a": 1}]}, "mark": "point",
                         "encoding": {"x": {"field": "a", "type": "quantitative"}}},
                        vl_version=VL_VERSION, format_locale=LOCALE)


def render(kind: str, rows: list[dict], ident: str, titel: str, omschrijving: str) -> Grafiek:
    """The chart kind with these rows as inline SVG, with role="img", <title>, <desc> and ids unique
    in the page."""
    import vl_convert as vlc

    spec = copy.deepcopy(load_specs()[kind])
    spec["datasets"] = {DATASET: rows}
    svg = vlc.vegalite_to_svg(spec, vl_version=VL_VERSION, format_locale=LOCALE)
    return Grafiek(ident, titel, omschrijving, toegankelijk(svg, ident, titel, omschrijving))


def toegankelijk(svg: str, ident: str, titel: str, omschrijving: str) -> str:
    """Prefix every id (clip paths, gradients) with the chart's id, and make the root an image with a
    title and a description."""
    ids = set(re.findall(r'\bid="([^"]+)"', svg))
    for old in sorted(ids, key=len, reverse=True):
        new = f"{ident}-{old}"
        svg = svg.replace(f'id="{old}"', f'id="{new}"').replace(f"url(#{old})", f"url(#{new})") \
            .replace(f'href="#{old}"', f'href="#{new}"')
    root = re.match(r"<svg\b[^>]*>", svg)
    if root is None:
        raise ValueError("vl-convert gaf geen SVG terug")
    open_tag = root.group(0)[:-1] + (f' role="img" aria-labelledby="{ident}-titel {ident}-omschrijving"'
                                     f' data-grafiek="{ident}" focusable="false">')
    inner = (f'<title id="{ident}-titel">{html.escape(titel)}</title>'
             f'<desc id="{ident}-omschrijving">{html.escape(omschrijving)}</desc>')
    return open_tag + inner + svg[root.end():]


if __name__ == "__main__":
    print(f"geschreven: {write_specs()}")
