"""Great Expectations Data Docs open without network (pipeline/kwaliteit/offline.py).

The Data Docs are built as the pipeline builds them: each suite's frame as a Parquet file,
validated by `validate_file` (what the GX worker process runs) into one folder per run, one site
per suite; polis_venster with a duplicate key, so its validation page shows a failed expectation.
Then: no page loads anything over http(s) and every local file it loads exists (a scan of its own
here, besides the module's check), the vendored files are the files bronnen.csv names, a page that
still needs a CDN stops with one Dutch paragraph, and Debian's headless Chromium
(tests/browser.py) with its network switched off opens the index and a validation page with
bootstrap, bootstrap-table, jQuery and the Font Awesome font working and no request that fails.
"""

from __future__ import annotations

import csv
import hashlib
import re
import shutil
import time
from pathlib import Path
from urllib.parse import unquote

import pytest

from pipeline.kwaliteit import gx as kw
from pipeline.kwaliteit.offline import MANIFEST, VENDOR_DIR, DataDocsOfflineError, make_offline, offline_problems
from tests.browser import CHROMIUM, Chromium
from tests.test_gx import _duplicate_key, clean_frame

# What a page loads: <script src>, <link href>, <img src> …, and url()/@import in CSS.
ASSET = re.compile(
    r"""<(script|link|img|source|iframe|embed|video|audio)\b[^>]*?\s(?:src|href|poster)\s*=\s*["']([^"']*)["']""",
    re.IGNORECASE)
CSS_URL = re.compile(r"""url\(\s*["']?([^"')]*?)["']?\s*\)|@import\s+["']([^"']+)["']""", re.IGNORECASE)


@pytest.fixture(scope="module")
def docs(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("gx")
    docs = work / "data_docs" / "run-1"
    for name in kw.SUITES:
        frame = clean_frame(name)
        if name == "polis_venster":
            _duplicate_key(frame)
        frame.to_parquet(work / f"{name}.parquet")
        outcome, rows = kw.validate_file(name, str(work / f"{name}.parquet"), str(docs))
        assert outcome.docs_index == (docs / name / "index.html").resolve() and rows == len(frame)
        assert outcome.success == (name != "polis_venster")
    return docs


def _loads(text: str) -> list[str]:
    refs = [m.group(2) for m in ASSET.finditer(text)]
    return refs + [m.group(1) or m.group(2) for m in CSS_URL.finditer(text)]


def test_no_page_loads_anything_over_the_network_and_every_local_file_exists(docs):
    pages = sorted(docs.rglob("*.html"))
    # per suite: index, the suite's page, one validation page
    assert len(pages) == 3 * len(kw.SUITES), pages
    css_files, fonts = set(), set()
    for page in pages:
        site = docs / page.relative_to(docs).parts[0]
        text = page.read_text(encoding="utf-8")
        refs = [r for r in _loads(text) if r and not r.startswith(("data:", "#"))]
        assert refs, page
        for ref in refs:
            assert not re.match(r"^(https?:)?//", ref, re.IGNORECASE), (page, ref)
            assert ":" not in ref.split("/")[0] and not ref.startswith("/"), (page, ref)
            path = (page.parent / unquote(ref.split("?")[0])).resolve()
            assert path.is_file(), (page, ref)
            assert path.is_relative_to(site.resolve()), (page, ref)  # the site folder travels alone
            if path.suffix == ".css":
                css_files.add(path)
        assert "integrity=" not in text and "crossorigin=" not in text, page  # a file:// page cannot do CORS
    for css in css_files:  # what the style sheets load (font-awesome's webfonts)
        for ref in _loads(css.read_text(encoding="utf-8")):
            if not ref or ref.startswith("data:"):
                continue
            assert not re.match(r"^(https?:)?//", ref), (css, ref)
            path = (css.parent / ref.split("?")[0].split("#")[0]).resolve()
            assert path.is_file(), (css, ref)
            fonts.add(path.name)
    assert {"fa-solid-900.woff2", "fa-regular-400.woff2", "fa-brands-400.woff2"} <= fonts
    for name in kw.SUITES:
        assert offline_problems(docs / name) == []


def test_vendored_files_are_the_files_bronnen_csv_names_with_their_licences(docs):
    with MANIFEST.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    vendored = {r["bestand"]: r for r in rows if r["bestand"].startswith("vendor/")}
    on_disk = {"vendor/" + p.relative_to(VENDOR_DIR).as_posix() for p in VENDOR_DIR.rglob("*") if p.is_file()}
    assert on_disk - set(vendored) == {"vendor/README.md", "vendor/bronnen.csv"}
    assert set(vendored) <= on_disk
    for bestand, row in vendored.items():
        data = (VENDOR_DIR.parent / bestand).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row["sha256"], bestand
        # the copy in every site is the same file
        for name in kw.SUITES:
            assert (docs / name / "static" / bestand).read_bytes() == data
    folders = {b.split("/")[1] for b in vendored}
    for folder in folders:  # every package keeps its licence
        assert any(re.fullmatch(rf"vendor/{re.escape(folder)}/LICENSE(\.txt)?", b) for b in vendored), folder
        assert {r["licentie"] for r in vendored.values() if r["bestand"].split("/")[1] == folder} != {""}
    # every http(s) file GX's templates load (script src, link href, CSS url) has a local copy
    import great_expectations

    templates = Path(great_expectations.__file__).parent / "render" / "view"
    addresses = {r["url"] for r in rows if r["url"]}
    wanted = set()
    for path in [*templates.glob("templates/*.j2"), *templates.glob("static/styles/*.css")]:
        text = path.read_text(encoding="utf-8")
        wanted |= {r for r in _loads(text) if r.startswith("http")}
        wanted |= {m + "logo-long.png" for m in re.findall(r"""static_images_dir = "(https://[^"]+)\"""", text)}
    assert wanted and wanted <= addresses, wanted - addresses


def test_a_page_that_still_needs_the_network_stops_with_one_dutch_paragraph(docs, tmp_path):
    site = tmp_path / "polis_venster"
    shutil.copytree(docs / "polis_venster", site)
    page = next(site.glob("validations/**/*.html"))
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("</head>", '<script src="https://cdn.example.org/nieuw.js"></script></head>'),
                    encoding="utf-8")
    with pytest.raises(DataDocsOfflineError) as caught:
        make_offline(site)
    message = str(caught.value)
    assert "\n" not in message and "openen niet zonder netwerk" in message
    assert "laadt https://cdn.example.org/nieuw.js (<script src>)" in message

    # a font that a local style sheet loads from the web, and a local file that is missing
    page.write_text(text, encoding="utf-8")
    css = site / "static" / "vendor" / "fontawesome-free-6.6.0" / "css" / "all.min.css"
    css.write_text(css.read_text(encoding="utf-8") + "@font-face{src:url(https://fonts.example.org/x.woff2)}",
                   encoding="utf-8")
    (site / "static" / "images" / "logo-long.png").unlink()
    problems = offline_problems(site)
    assert any("laadt https://fonts.example.org/x.woff2 (url() in CSS)" in p for p in problems), problems
    assert any("logo-long.png, dat ontbreekt" in p for p in problems), problems


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} ontbreekt: apt-get install -y chromium (zoals .ci/run doet)")
    with Chromium() as chromium:
        chromium.send("Network.emulateNetworkConditions",
                      {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
        yield chromium


PAGE_FACTS = """({
    jquery: typeof window.jQuery === 'function',
    bootstrapTable: !!(window.jQuery && jQuery.fn.bootstrapTable),
    bootstrapJs: !!(window.jQuery && jQuery.fn.tooltip && jQuery.fn.modal),
    tables: document.querySelectorAll('div.bootstrap-table table[data-toggle="table"]').length,
    navbarPosition: getComputedStyle(document.querySelector('nav.navbar')).position,
    flex: getComputedStyle(document.querySelector('.d-flex')).display,
    icons: [...document.querySelectorAll('i.fas')].map(i => getComputedStyle(i, '::before').fontFamily),
    logo: (document.querySelector('img[alt="Great Expectations"]') || {}).naturalWidth || 0,
    text: document.body.innerText,
})"""


def _open(browser: Chromium, page: Path) -> tuple[dict, list[str]]:
    browser.open(page)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # the tables and fonts settle after the load event
        facts = browser.evaluate(PAGE_FACTS)
        if facts["tables"] and browser.evaluate("document.fonts.status") == "loaded":
            break
        time.sleep(0.1)
    facts["fonts"] = browser.evaluate(
        "[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family.replace(/\"/g, ''))")
    failed = [f"mislukt: {m['params'].get('errorText')} {m['params'].get('requestId')}"
              for m in browser.events if m.get("method") == "Network.loadingFailed"]
    return facts, browser.problems() + failed


def test_index_and_validation_page_render_in_chromium_without_network(docs, browser):
    index = docs / "polis_venster" / "index.html"
    validation = next((docs / "polis_venster" / "validations").rglob("*.html"))
    for page in (index, validation):
        facts, problems = _open(browser, page)
        assert problems == [], (page, problems)
        assert facts["jquery"] and facts["bootstrapTable"] and facts["bootstrapJs"], (page, facts)
        assert facts["tables"] >= 1, page  # bootstrap-table built its table
        assert facts["navbarPosition"] == "sticky" and facts["flex"] == "flex", page  # bootstrap's CSS
        assert facts["logo"] > 0, page  # the local logo loaded
        assert "Font Awesome 6 Free" in facts["fonts"], (page, facts["fonts"])
        assert facts["icons"] and all("Font Awesome 6 Free" in f for f in facts["icons"]), page
    assert "must be unique together" in facts["text"]  # the validation page shows the failed expectation

    # The same check sees a page that needs the network: one file from a CDN is a failed request.
    broken = validation.with_name("met_cdn.html")
    broken.write_text(validation.read_text(encoding="utf-8").replace(
        "</head>", '<script src="https://cdn.jsdelivr.net/npm/vega@5"></script></head>'), encoding="utf-8")
    try:
        _, problems = _open(browser, broken)
    finally:
        broken.unlink()
    assert any("cdn.jsdelivr.net" in p for p in problems), problems
    assert any(p.startswith("mislukt:") for p in problems), problems
