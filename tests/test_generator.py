"""Tests of the synthetic delivery generator itself (the package pipeline/demo/), at small scale.

Besides format, determinism and elfproef checks, the files are read back here with polars and the
measurement is recomputed by a second, deliberately simple implementation of METHOD R1-R6/R10;
it must agree with the generator's bookkeeping (which is computed from the generator's arrays).
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import hashlib
import time
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from pipeline.demo import (
    CELLS,
    DEMO_YEARS,
    Bookkeeping,
    bookkeeping_path,
    december_hours,
    elfproef_ok,
    generate_delivery,
)

SCALE = 0.02
SEED = 7
ROOT = Path(__file__).resolve().parents[1]
REF = ROOT / "data" / "reference"
POLIS_COLUMNS = ["bsn", "loonheffingennummer", "ikv_id", "tijdvak_begin", "tijdvak_einde", "verloonde_uren",
                 "code_aard_arbeidsverhouding", "aanleverdatum", "volgnummer"]
WERKGEVERS_COLUMNS = ["loonheffingennummer", "naam", "geldig_vanaf", "geldig_tot", "sector_risicogroep",
                      "overheidswerkgever", "uren_sectorfonds_aandeel", "overheidssector", "sw_bedrijf",
                      "arbeidsmarktregio"]
REGISTER_COLUMNS = ["bsn", "grondslag", "datum_ingang", "datum_einde", "woonregio"]


def _ref(name: str) -> list[dict]:
    with (REF / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def delivery(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo") / "levering"
    start = time.perf_counter()
    book = generate_delivery(out, scale=SCALE, seed=SEED)
    return out, book, time.perf_counter() - start


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _read_extract(delivery: Path, extract: str) -> pl.DataFrame:
    """Every row of every file of an extract, all values as text, plus bron_bestand / regelnummer."""
    frames = []
    for path in sorted((delivery / extract).iterdir()):
        rel = f"{extract}/{path.name}"
        if path.name.endswith(".parquet"):
            df = pl.read_parquet(path)
            df = df.with_columns(pl.all().cast(pl.String))
            offset = 1
        else:
            df = pl.read_csv(path, separator=";", infer_schema=False)
            offset = 2
        df = df.with_columns(
            pl.lit(rel).alias("bron_bestand"),
            (pl.int_range(pl.len(), dtype=pl.Int64) + offset).alias("regelnummer"),
        )
        frames.append(df)
    return pl.concat(frames, how="diagonal")


def _date(col: str) -> pl.Expr:
    return pl.col(col).str.to_date("%Y-%m-%d", strict=False)


def _num(col: str) -> pl.Expr:
    return pl.col(col).str.replace(",", ".", literal=True).cast(pl.Float64, strict=False)


def _first_rule(checks: list[tuple[pl.Expr, str, str]]) -> pl.Expr:
    expr = None
    for broken, rule, col in reversed(checks):
        value = pl.lit(f"{rule}|{col}")
        expr = pl.when(broken).then(value).otherwise(expr if expr is not None else pl.lit(None, dtype=pl.String))
    return expr


def _validate(delivery: Path):
    """Typed rows of the three extracts with the first EXTRACTS rule each row breaks (or null)."""
    lhnr_bad = ~pl.col("loonheffingennummer").str.contains(r"^[0-9]{9}L[0-9]{2}$")

    def bsn_bad(df):
        return pl.Series(~elfproef_ok(df["bsn"].to_numpy().astype(str)))

    polis = _read_extract(delivery, "polis")
    polis = polis.with_columns(
        bsn_bad=bsn_bad(polis), tb=_date("tijdvak_begin"), te=_date("tijdvak_einde"), aanl=_date("aanleverdatum"),
        uren=_num("verloonde_uren"), caa=pl.col("code_aard_arbeidsverhouding").cast(pl.Int64),
        vol=pl.col("volgnummer").cast(pl.Int64),
    ).with_columns(
        fout=_first_rule([
            (pl.col("bsn_bad"), "bsn_elfproef", "bsn"),
            (lhnr_bad, "loonheffingennummer_patroon", "loonheffingennummer"),
            (pl.col("tb").is_null(), "datum_ongeldig", "tijdvak_begin"),
            (pl.col("te").is_null(), "datum_ongeldig", "tijdvak_einde"),
            (pl.col("aanl").is_null(), "datum_ongeldig", "aanleverdatum"),
            (pl.col("uren").is_null(), "getal_ongeldig", "verloonde_uren"),
            (pl.col("te") < pl.col("tb"), "tijdvak_volgorde", "tijdvak_einde"),
            (pl.col("te").dt.year() != pl.col("tb").dt.year(), "tijdvak_kalenderjaar", "tijdvak_einde"),
            (pl.col("uren") > 24 * ((pl.col("te") - pl.col("tb")).dt.total_days() + 1), "uren_maximum", "verloonde_uren"),
        ])
    )
    grondslagen = [r["grondslag"] for r in _ref("grondslag.csv")]
    reg = _read_extract(delivery, "doelgroepregister")
    reg = reg.with_columns(bsn_bad=bsn_bad(reg), ing=_date("datum_ingang"), ein=_date("datum_einde")).with_columns(
        fout=_first_rule([
            (pl.col("bsn_bad"), "bsn_elfproef", "bsn"),
            (~pl.col("grondslag").is_in(grondslagen), "grondslag_onbekend", "grondslag"),
            (pl.col("ing").is_null(), "datum_ongeldig", "datum_ingang"),
            (pl.col("datum_einde").is_not_null() & pl.col("ein").is_null(), "datum_ongeldig", "datum_einde"),
            (pl.col("ein") < pl.col("ing"), "register_datumvolgorde", "datum_einde"),
            (~pl.col("woonregio").str.contains(r"^AMR(0[1-9]|[12][0-9]|3[0-5])$"), "regio_onbekend", "woonregio"),
        ])
    )
    wg = _read_extract(delivery, "werkgevers")
    wg = wg.with_columns(van=_date("geldig_vanaf"), tot=_date("geldig_tot"), aandeel=_num("uren_sectorfonds_aandeel"),
                         srg=pl.col("sector_risicogroep").cast(pl.Int64)).with_columns(
        fout=_first_rule([
            (lhnr_bad, "loonheffingennummer_patroon", "loonheffingennummer"),
            (pl.col("van").is_null(), "datum_ongeldig", "geldig_vanaf"),
            (pl.col("geldig_tot").is_not_null() & pl.col("tot").is_null(), "datum_ongeldig", "geldig_tot"),
            (pl.col("tot") < pl.col("van"), "versie_volgorde", "geldig_tot"),
            (~pl.col("overheidswerkgever").is_in(["J", "N"]) | ~pl.col("sw_bedrijf").is_in(["J", "N"]), "boolean", "-"),
            (pl.col("aandeel").is_null() | (pl.col("aandeel") < 0) | (pl.col("aandeel") > 1), "aandeel", "-"),
        ])
    )
    return polis, reg, wg


def _recompute(polis: pl.DataFrame, reg: pl.DataFrame, wg: pl.DataFrame, years, regeling: str | None = None) -> dict:
    """A second implementation of METHOD R1-R6 and R10, straight from the files."""
    params = {r["naam"]: r["waarde"] for r in _ref("parameters.csv")}
    cut_md = params["afsluitdatum_maand_dag"]
    drempel = float(params["sectorfonds_drempel"])
    official = [r["regeling"] for r in _ref("regeling.csv") if r["eerste_meetjaar_bevestigd"] == "J"]
    assert len(official) == 1  # METHOD R14: one regime official for every year (the new law unconfirmed)
    regime = regeling or official[0]  # a scenario: every year under `regeling`
    telt = [r["grondslag"] for r in _ref("regeling_grondslag.csv") if r["regeling"] == regime and r["telt_mee"] == "J"]
    key = ["loonheffingennummer", "ikv_id", "tb"]
    p = polis.filter(pl.col("fout").is_null()).with_columns(jaar=pl.col("tb").dt.year())
    p = p.filter(pl.col("aanl") <= pl.concat_str((pl.col("jaar") + 1).cast(pl.String), pl.lit("-" + cut_md)).str.to_date())
    p = p.sort(key + ["aanl", "vol"]).unique(subset=key, keep="last", maintain_order=True)  # R1
    dec1 = pl.date(pl.col("jaar"), 12, 1)
    dec31 = pl.date(pl.col("jaar"), 12, 31)
    inside = (pl.min_horizontal(pl.col("te"), dec31) - pl.max_horizontal(pl.col("tb"), dec1)).dt.total_days() + 1
    days = (pl.col("te") - pl.col("tb")).dt.total_days() + 1
    p = p.with_columns(h=pl.when(inside > 0).then(pl.col("uren") * inside / days).otherwise(0.0)).filter(pl.col("h") != 0)
    p = p.filter(pl.col("jaar").is_in(list(years))).with_row_index("rid")
    r = reg.filter(pl.col("fout").is_null() & pl.col("grondslag").is_in(telt)
                   & (pl.col("ein").is_null() | (pl.col("ein") != pl.col("ing"))))
    members = (p.select("rid", "bsn", "tb", "te").join(r.select("bsn", "ing", "ein"), on="bsn")
               .filter((pl.col("ing") <= pl.col("te")) & (pl.col("ein").is_null() | (pl.col("ein") >= pl.col("tb"))))
               .select("rid").unique())
    p = p.join(members, on="rid", how="semi")  # R4
    w = wg.filter(pl.col("fout").is_null())
    rules = sorted(_ref("caa_vorm.csv"), key=lambda x: int(x["volgorde"]))
    out = {"uren": {}, "werkzame_personen": {}, "doelgroep_omvang": {}}
    for y in years:
        peil = dt.date(y - 1, 12, 31)
        versie = (w.filter(((pl.col("van") <= peil) & (pl.col("tot").is_null() | (pl.col("tot") >= peil)))
                           | (pl.col("van").dt.year() == y))
                  .with_columns(op_peil=pl.col("van") <= peil)
                  .sort(["loonheffingennummer", "op_peil", "van"], descending=[False, True, False])
                  .unique(subset=["loonheffingennummer"], keep="first", maintain_order=True))  # R6
        py = p.filter(pl.col("jaar") == y).join(versie.select("loonheffingennummer", "srg", "sw_bedrijf",
                                                              "overheidswerkgever", "aandeel"),
                                                on="loonheffingennummer", how="inner")
        vorm = pl.lit(None, dtype=pl.String)
        for rule in reversed(rules):  # R5: first matching rule wins
            cond = pl.lit(True)
            if rule["code_aard_arbeidsverhouding"]:
                cond = cond & (pl.col("caa") == int(rule["code_aard_arbeidsverhouding"]))
            if rule["sector_risicogroep"]:
                cond = cond & (pl.col("srg") == int(rule["sector_risicogroep"]))
            if rule["sw_bedrijf"]:
                cond = cond & (pl.col("sw_bedrijf") == rule["sw_bedrijf"])
            vorm = pl.when(cond).then(pl.lit(rule["vorm"])).otherwise(vorm)
        py = py.with_columns(vorm=vorm, overheid=(pl.col("overheidswerkgever") == "J") & (pl.col("aandeel") < drempel))
        py = py.filter(pl.col("vorm") != "uitgesloten").with_columns(
            cel=pl.when(pl.col("vorm") == "inleen").then(pl.lit("inleen"))
            .when(pl.col("overheid")).then(pl.lit("formeel_overheid")).otherwise(pl.lit("formeel_markt")))
        sums = dict(py.group_by("cel").agg(pl.col("h").sum()).iter_rows())
        out["uren"][y] = {c: float(sums.get(c, 0.0)) for c in CELLS}
        out["werkzame_personen"][y] = (py.group_by("bsn").agg(pl.col("h").sum()).filter(pl.col("h") > 0).height)
        d = dt.date(y, 12, 31)
        out["doelgroep_omvang"][y] = (r.filter((pl.col("ing") <= d) & (pl.col("ein").is_null() | (pl.col("ein") >= d)))
                                      ["bsn"].n_unique())
    return out


# ---------------------------------------------------------------------------------------------


def test_elfproef_ok_known_values():
    values = np.array(["111222333", "123456782", "123456789", "12345678", "1234567890", "12345678x", "010000009"])
    assert elfproef_ok(values).tolist() == [True, True, False, False, False, False, False]
    assert elfproef_ok(np.array([111222333, 123456782, 123456789])).tolist() == [True, True, False]
    # leading zero kept as text: 0·9 + 1·8 + 0... - 8 = 0
    assert elfproef_ok(np.array(["010000008"])).tolist() == [True]


def test_december_hours_apportions_by_day():
    d = np.datetime64
    begin = np.array([d("2015-12-01"), d("2015-11-05"), d("2016-11-04"), d("2012-12-31"), d("2015-11-01"),
                      d("2015-12-03")])
    einde = np.array([d("2015-12-31"), d("2015-12-02"), d("2016-12-01"), d("2012-12-31"), d("2015-11-30"),
                      d("2015-12-31")])
    uren = np.array([120.0, 140.0, 140.0, 8.0, 100.0, 145.0])
    years = [2015, 2015, 2016, 2012, 2015, 2015]
    got = [december_hours(begin[i:i + 1], einde[i:i + 1], uren[i:i + 1], years[i])[0] for i in range(6)]
    assert got == pytest.approx([120.0, 140.0 * 2 / 28, 140.0 / 28, 8.0, 0.0, 145.0])
    # integer days since 1970 work too, and another year gives nothing
    as_int = begin.astype("datetime64[D]").astype(np.int64)
    assert december_hours(as_int[:1], einde[:1], uren[:1], 2016)[0] == 0.0


def test_delivery_layout_and_formats(delivery):
    out, book, _ = delivery
    assert bookkeeping_path(out).is_file()
    assert bookkeeping_path(out).parent == out.parent
    assert sorted(p.name for p in out.iterdir()) == ["doelgroepregister", "inleen", "polis", "werkgevers"]
    names = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()}
    assert names == {f for extract in book.rows.values() for f in extract}
    assert not any(n.endswith(".json") for n in names)
    polis = sorted((out / "polis").iterdir())
    suffixes = {p.name.split(".", 1)[1] for p in polis}
    assert suffixes == {"csv", "csv.gz", "parquet"}
    assert (out / "polis" / "polis_2012.csv").read_bytes().startswith(b"\xef\xbb\xbfbsn;")
    for p in polis:
        if p.name.endswith(".csv.gz"):
            with gzip.open(p, "rt", encoding="utf-8") as handle:
                assert handle.readline().rstrip("\n").split(";") == POLIS_COLUMNS
    header_2018 = (out / "polis" / "polis_2018.csv").read_text(encoding="utf-8").split("\n", 1)[0].split(";")
    assert sorted(header_2018) == sorted(POLIS_COLUMNS) and header_2018 != POLIS_COLUMNS
    wg_header = (out / "werkgevers" / "werkgevers.csv").read_text(encoding="utf-8").split("\n", 1)[0].split(";")
    assert set(WERKGEVERS_COLUMNS) < set(wg_header)  # one extra, unused column
    schema = pl.read_parquet_schema(out / "polis" / "polis_2015.parquet")
    assert schema == {"bsn": pl.String, "loonheffingennummer": pl.String, "ikv_id": pl.String,
                      "tijdvak_begin": pl.Date, "tijdvak_einde": pl.Date, "verloonde_uren": pl.Float64,
                      "code_aard_arbeidsverhouding": pl.Int32, "aanleverdatum": pl.Date, "volgnummer": pl.Int32}
    reg_files = sorted(p.name for p in (out / "doelgroepregister").iterdir())
    assert [n.rsplit(".", 1)[1] for n in reg_files] == ["parquet", "csv"]
    # decimal comma, J/N booleans, empty = null
    text = (out / "werkgevers" / "werkgevers.csv").read_text(encoding="utf-8")
    assert ";J;" in text and ";N;" in text and ",5" in text and ";;" in text
    # rows per file as bookkept
    for extract, files in book.rows.items():
        for name, n in files.items():
            path = out / name
            got = pl.read_parquet(path).height if name.endswith(".parquet") else \
                pl.read_csv(path, separator=";", infer_schema=False).height
            assert got == n, name


def test_generation_is_fast_at_test_scale(delivery):
    _, book, elapsed = delivery
    assert elapsed < 5.0
    assert sum(book.rows["polis"].values()) < 250_000


def test_bsns_pass_the_elfproef_and_keep_leading_zeros(delivery):
    out, book, _ = delivery
    polis, reg, _ = _validate(out)
    bad_bsn = {(b["bron_bestand"], b["regelnummer"]) for b in book.bad_rows if b["regel"] == "bsn_elfproef"}
    for df in (polis, reg):
        flagged = df.filter(pl.col("bsn_bad")).select("bron_bestand", "regelnummer").rows()
        assert set(flagged) <= bad_bsn
        assert df["bsn"].str.len_chars().eq(9).all()
    bsns = reg["bsn"].unique().to_numpy().astype(str)
    assert any(b.startswith("0") for b in bsns)
    assert elfproef_ok(np.array(bsns[~np.isin(bsns, [b["waarde"] for b in book.bad_rows])])).all()


def test_bad_rows_are_exactly_the_rule_breaking_rows(delivery):
    out, book, _ = delivery
    polis, reg, wg = _validate(out)
    found = set()
    for extract, df in (("polis", polis), ("doelgroepregister", reg), ("werkgevers", wg)):
        for name, line, fout in df.filter(pl.col("fout").is_not_null()).select("bron_bestand", "regelnummer", "fout").rows():
            rule, col = fout.split("|")
            found.add((extract, name, line, rule, col))
    expected = {(b["extract"], b["bron_bestand"], b["regelnummer"], b["regel"], b["kolom"]) for b in book.bad_rows}
    assert found == expected
    assert 20 <= len(expected) <= 40
    assert {b["regel"] for b in book.bad_rows} == {
        "bsn_elfproef", "loonheffingennummer_patroon", "tijdvak_volgorde", "tijdvak_kalenderjaar",
        "uren_maximum", "grondslag_onbekend", "datum_ongeldig", "register_datumvolgorde"}
    assert {b["extract"] for b in book.bad_rows} == {"polis", "werkgevers", "doelgroepregister"}
    # line numbers: CSV header is line 1, Parquet rows are 1-based
    assert all(b["regelnummer"] >= (1 if b["bron_bestand"].endswith(".parquet") else 2) for b in book.bad_rows)


def test_files_recomputed_independently_match_bookkeeping(delivery):
    out, book, _ = delivery
    polis, reg, wg = _validate(out)
    got = _recompute(polis, reg, wg, book.years)
    for y in book.years:
        for c in CELLS:
            assert got["uren"][y][c] == pytest.approx(book.uren[y][c], rel=1e-9, abs=1e-6), (y, c)
        assert got["werkzame_personen"][y] == book.werkzame_personen[y], y
        assert got["doelgroep_omvang"][y] == book.doelgroep_omvang[y], y


def test_scenario_bookkeeping_recomputed_independently_from_the_files(delivery):
    """METHOD R14: the generator's oracle under wet_banenafspraak_2025 (voorziening counts) equals a
    second implementation straight from the files, and differs visibly from the official figures."""
    out, book, _ = delivery
    assert set(book.scenario) == {"wet_banenafspraak_2025"}
    polis, reg, wg = _validate(out)
    got = _recompute(polis, reg, wg, book.years, regeling="wet_banenafspraak_2025")
    figures = book.scenario["wet_banenafspraak_2025"]
    for y in book.years:
        for c in CELLS:
            assert got["uren"][y][c] == pytest.approx(figures["uren"][y][c], rel=1e-9, abs=1e-6), (y, c)
        assert got["werkzame_personen"][y] == figures["werkzame_personen"][y], y
        assert got["doelgroep_omvang"][y] == figures["doelgroep_omvang"][y], y
    later = [y for y in book.years if y >= 2016]
    assert all(figures["doelgroep_omvang"][y] > book.doelgroep_omvang[y] for y in later)
    assert all(sum(figures["uren"][y].values()) > sum(book.uren[y].values()) for y in later)


def test_bookkeeping_hits_calibration_and_carries_the_keys(delivery):
    _, book, _ = delivery
    kal = {int(r["jaar"]): r for r in csv.DictReader((ROOT / "data" / "demo" / "kalibratie.csv").open(encoding="utf-8"))}
    assert book.years == list(DEMO_YEARS)
    assert book.uren_per_baan_venster == pytest.approx(25.5 * 31 / 7)
    for y in book.years:
        for c in CELLS:
            target = SCALE * float(kal[y][f"{c}_banen"]) * 25.5 * 31 / 7
            assert abs(book.uren[y][c] - target) < 0.05, (y, c)
        assert book.aandeel_markt[y] == float(kal[y]["aandeel_markt"])
        assert book.sleutel[y] == kal[y]["sleutel"]
        assert 0 < book.werkzame_personen[y] < book.doelgroep_omvang[y]
    assert book.doelgroep_omvang[2012] == round(247_739 * SCALE)
    # JSON round trip
    again = Bookkeeping.from_json(bookkeeping_path(delivery[0]))
    assert again == book


def test_same_seed_gives_identical_delivery_other_seed_does_not(delivery, tmp_path):
    out, book, _ = delivery
    second = generate_delivery(tmp_path / "levering", scale=SCALE, seed=SEED)
    a, b = _files(out), _files(tmp_path / "levering")
    assert a.keys() == b.keys()
    assert {k: hashlib.sha256(v).hexdigest() for k, v in a.items()} == {k: hashlib.sha256(v).hexdigest() for k, v in b.items()}
    assert second == book
    assert bookkeeping_path(out).read_bytes() == bookkeeping_path(tmp_path / "levering").read_bytes()
    for name in a:
        read = pl.read_parquet if name.endswith(".parquet") else (lambda p: pl.read_csv(p, separator=";", infer_schema=False))
        assert read(out / name).equals(read(tmp_path / "levering" / name))
    other = generate_delivery(tmp_path / "ander", years=(2012, 2015), scale=SCALE, seed=SEED + 1)
    assert (tmp_path / "ander" / "polis" / "polis_2015.parquet").read_bytes() != a["polis/polis_2015.parquet"]
    assert other.years == [2012, 2015]


def test_traps_are_present(delivery):
    out, book, _ = delivery
    polis, reg, wg = _validate(out)
    ok = polis.filter(pl.col("fout").is_null())
    cut = ok.with_columns(cut=pl.date(pl.col("tb").dt.year() + 1, 5, 1))
    assert cut.filter(pl.col("aanl") == pl.col("cut")).height > 0  # correction exactly on the cut-off
    assert cut.filter(pl.col("aanl") == pl.col("cut") + pl.duration(days=1)).height > 0  # the day after
    assert ok.filter(pl.col("uren") < 0).height > 0  # reversals
    versions = ok.group_by("loonheffingennummer", "ikv_id", "tb").agg(
        pl.len().alias("n"), pl.col("aanl").n_unique().alias("dagen"), pl.col("bron_bestand").n_unique().alias("files"))
    assert versions.filter((pl.col("n") > 1) & (pl.col("dagen") == 1)).height > 0  # same day, volgnummer
    assert versions.filter(pl.col("files") > 1).height > 0  # versions spread over files
    days = (ok["te"] - ok["tb"]).dt.total_days() + 1
    assert set(days.unique().to_list()) >= {1, 7, 28, 29, 30, 31}  # weeks cut at the year end, 4-weekly, months
    assert ok.filter((pl.col("tb") == dt.date(2012, 12, 31)) & (pl.col("te") == dt.date(2012, 12, 31))).height > 0
    assert ok.filter(pl.col("tb") == dt.date(2015, 11, 5)).height > 0  # four-weekly period 12 (5 Nov - 2 Dec)
    assert set(ok["caa"].unique().to_list()) >= {1, 11, 18, 21, 22, 23, 24, 82}
    r = reg.filter(pl.col("fout").is_null())
    assert r.filter(pl.col("ing") == pl.col("ein")).height > 0  # one-day registrations
    assert r.filter(pl.col("ein").is_null()).height > 0
    assert set(r["grondslag"].unique().to_list()) == {"IB", "PR", "VSO_PRO", "WSW", "WAJONG", "WIW_ID", "GELIJK_78D",
                                                     "VOORZIENING", "BESCHUT"}
    assert r.group_by("bsn").len().filter(pl.col("len") > 1).height > 0
    w = wg.filter(pl.col("fout").is_null())
    assert w.filter((pl.col("overheidswerkgever") == "J") & (pl.col("aandeel") == 0.5)).height > 0
    assert w.filter(pl.col("srg") == 52).height > 0 and w.filter(pl.col("sw_bedrijf") == "J").height > 0
    assert w.filter((pl.col("van").dt.month() == 1) & (pl.col("van").dt.day() == 1)
                    & (pl.col("van").dt.year() > 2012)).height > 0
    assert w.group_by("loonheffingennummer").len().filter(pl.col("len") > 1).height > 0
    assert w["arbeidsmarktregio"].str.contains(r"^AMR(0[1-9]|[12][0-9]|3[0-5])$").all()
    # a non-member in the polis: some working BSNs are not in the register at all
    assert ok.join(r.select("bsn").unique(), on="bsn", how="anti").height > 0


def _published_persons() -> dict[int, int]:
    return {int(r["jaar"]): int(r["waarde"]) for r in _ref("gepubliceerde_cijfers.csv")
            if r["grootheid"] == "werkzame_personen" and r["sector"] == "totaal" and r["vorm"] == "totaal"}


def test_nulmeting_working_persons_hit_the_published_count(delivery):
    """R10 at the nulmeting: 63,837 persons (Kamerstuk 34 352 nr. 255), scaled like the cells."""
    _, book, _ = delivery
    assert _published_persons()[2012] == 63_837
    assert book.werkzame_personen[2012] == round(SCALE * 63_837)


@pytest.mark.parametrize("scale, seed", [(0.01, 3), (0.03, 5)])
def test_nulmeting_working_persons_at_other_scales(tmp_path, scale, seed):
    book = generate_delivery(tmp_path / "levering", years=(2012, 2015), scale=scale, seed=seed)
    assert book.werkzame_personen[2012] == round(scale * 63_837)
    for c in CELLS:
        assert abs(book.uren[2012][c] - book.doel_uren[2012][c]) < 0.05, c


def test_bookkeeping_flows_decompose_the_change_of_every_cell(delivery):
    """The oracle's R11 (numpy, pipeline.demo.bookkeeping.flows): per year pair and cel the
    categories add up to the change of the bookkeeping's own hours; R13's register flows close on
    doelgroep_omvang; the planted dynamics (voorwerk persons, reversals) show up."""
    _, book, _ = delivery
    per_baan = book.uren_per_baan_venster
    for key, per_category in book.stromen.items():
        y, x = map(int, key.split("/"))
        for cel in ("formeel_markt", "formeel_overheid", "inleen"):
            total = sum(per_category[k][cel][1] for k in per_category)
            assert total == pytest.approx((book.uren[y][cel] - book.uren[x][cel]) / per_baan, abs=1e-6), (key, cel)
    for key, per_grondslag in book.register_stromen.items():
        y, x = map(int, key.split("/"))
        assert book.doelgroep_omvang[y] == book.doelgroep_omvang[x] + sum(i for i, _ in per_grondslag.values()) \
            - sum(u for _, u in per_grondslag.values())
    cumulative = book.stromen[f"{max(book.years)}/{min(book.years)}"]
    assert sum(v[0] for v in cumulative["registratie_effect"].values()) > 0
    assert any(sum(v[0] for v in per_category["saldo_overig"].values()) > 0 for per_category in book.stromen.values())
