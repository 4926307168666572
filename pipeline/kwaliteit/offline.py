"""Data Docs that open without network: local copies of the files Great Expectations loads from CDNs.

GX 1.x writes Data Docs pages that load bootstrap, jquery, popper, bootstrap-table,
bootstrap-datepicker, font-awesome, vega(-lite/-embed) and a dark-mode stylesheet from CDNs, and its
logo from its own web server; GX has no setting for local copies (only `custom_views_directory`,
which would mean keeping forks of five GX templates). So after GX has written a site,
`make_offline` copies the vendored files (pipeline/kwaliteit/static/vendor, byte for byte from the
npm registry; versions, sources, licences and sha256 in its README.md and bronnen.csv) into the
site's static/vendor/, rewrites every known CDN address in every page to a relative path (and
every reference into the site's static/ folder to the page's own prefix), and then
checks every page: each script, style sheet, image, font and CSS url()/@import it loads (also those
inside the local style sheets) must be a file inside the site that exists. Anything else stops
with one Dutch paragraph (`DataDocsOfflineError`): a new GX version that loads a new address is
noticed on the first run, not by an auditor without network.

Only addresses in bronnen.csv are rewritten; links a reader may click (<a href>) are not assets and
stay as GX wrote them.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import os
import re
import shutil
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

VENDOR_DIR = Path(__file__).parent / "static" / "vendor"
MANIFEST = VENDOR_DIR / "bronnen.csv"

# An absolute http(s) address as GX writes it in an attribute or a CSS url(): up to a quote,
# whitespace, '<', '>' or ')'.
HTTP_URL = re.compile(r"""https?://[^\s"'<>()]+""")
CSS_URL = re.compile(r"""url\(\s*(["']?)(.*?)\1\s*\)""", re.IGNORECASE | re.DOTALL)
CSS_IMPORT = re.compile(r"""@import\s+(["'])(.*?)\1""", re.IGNORECASE)
STATIC_REFERENCE = re.compile(r"""(\b(?:src|href)\s*=\s*["'])(?:\.{1,2}/)+static/""", re.IGNORECASE)
TAG = re.compile(r"<(?:script|link)\b[^>]*>", re.IGNORECASE)
ATTRIBUTE = r"""\s+{name}\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)"""
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
IGNORED = ("data:", "blob:", "about:", "javascript:", "#")

# Element → attributes whose value the browser loads (srcset: a list of "url width").
ASSET_ATTRIBUTES = {
    "script": ("src",), "link": ("href",), "img": ("src", "srcset"), "source": ("src", "srcset"),
    "video": ("src", "poster"), "audio": ("src",), "track": ("src",), "iframe": ("src",),
    "embed": ("src",), "object": ("data",), "input": ("src",), "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
}


class DataDocsOfflineError(Exception):
    """A Data Docs page still loads something from outside its site folder (one Dutch paragraph)."""


@cache
def cdn_addresses() -> dict[str, str]:
    """CDN address (without query) → the local file, relative to the site's static/ folder."""
    with MANIFEST.open(encoding="utf-8", newline="") as handle:
        return {row["url"]: row["bestand"] for row in csv.DictReader(handle) if row["url"]}


def make_offline(site_dir: Path) -> list[Path]:
    """Copy the vendored files into site_dir/static/vendor, point every page at them, and check
    that no page loads anything from outside the site. Returns the pages; raises
    DataDocsOfflineError when a page still does."""
    site_dir = Path(site_dir)
    static = site_dir / "static"
    shutil.copytree(VENDOR_DIR, static / "vendor", dirs_exist_ok=True)
    pages = sorted(site_dir.rglob("*.html"))
    for page in pages:
        text = page.read_text(encoding="utf-8")
        rewritten = _rewrite(text, os.path.relpath(static, page.parent).replace(os.sep, "/"), page)
        if rewritten != text:
            page.write_text(rewritten, encoding="utf-8")
    problems = offline_problems(site_dir)
    if problems:
        shown = "; ".join(problems[:5]) + (f"; en nog {len(problems) - 5}" if len(problems) > 5 else "")
        raise DataDocsOfflineError(
            f"De Data Docs in {site_dir} openen niet zonder netwerk: {shown}. Waarschijnlijk laadt deze "
            f"versie van Great Expectations een bestand van een nieuw adres; zet dat bestand (uit het "
            f"npm-register, met licentie) in pipeline/kwaliteit/static/vendor en zijn adres in "
            f"bronnen.csv daar (zie de README.md in die map)."
        )
    return pages


def _rewrite(text: str, static_prefix: str, page: Path) -> str:
    addresses = cdn_addresses()

    def local(match: re.Match) -> str:
        url = match.group(0)
        target = addresses.get(url.split("?", 1)[0].split("#", 1)[0])
        return f"{static_prefix}/{target}" if target else url

    text = HTTP_URL.sub(local, text)
    # GX's own files: every src/href into the site's static/ folder gets the page's own prefix
    # (GX 1.24 writes the favicon of a validation page one folder level too shallow).
    text = STATIC_REFERENCE.sub(lambda m: f"{m.group(1)}{static_prefix}/", text)

    def strip_cors(match: re.Match) -> str:
        """A local <script>/<link>: drop integrity and crossorigin (a file:// page cannot make the
        CORS request they ask for), after checking the integrity hash against the local file."""
        tag = match.group(0)
        source = re.search(r"""\s(?:src|href)\s*=\s*(["'])(.*?)\1""", tag)
        if source is None or _is_external(source.group(2)):
            return tag
        integrity = re.search(r"""\sintegrity\s*=\s*(["'])(.*?)\1""", tag)
        if integrity:
            path = _local_path(page.parent, source.group(2))
            if path.is_file() and not _integrity_matches(path, integrity.group(2)):
                raise DataDocsOfflineError(
                    f"Het bestand {path} is niet het bestand dat Great Expectations vraagt in {page} "
                    f"(integrity {integrity.group(2)}): de kopie in pipeline/kwaliteit/static/vendor "
                    f"hoort bij een andere versie."
                )
        for name in ("integrity", "crossorigin"):
            tag = re.sub(ATTRIBUTE.format(name=name), "", tag, flags=re.IGNORECASE)
        return tag

    return TAG.sub(strip_cors, text)


def _integrity_matches(path: Path, integrity: str) -> bool:
    """Subresource integrity: any one of the space-separated 'shaNNN-base64' values matches."""
    data = path.read_bytes()
    for value in integrity.split():
        algorithm, _, digest = value.partition("-")
        if algorithm in ("sha256", "sha384", "sha512"):
            if base64.b64encode(hashlib.new(algorithm, data).digest()).decode() == digest.split("?")[0]:
                return True
    return False


# --------------------------------------------------------------------------- the check


def _is_external(reference: str) -> bool:
    """Loaded from elsewhere than the site: a scheme (http:, https:, file:, …), //host or /path."""
    return bool(SCHEME.match(reference)) or reference.startswith("/")


def _local_path(base: Path, reference: str) -> Path:
    return base / unquote(reference.split("#", 1)[0].split("?", 1)[0])


class _Assets(HTMLParser):
    """The references a page loads: (reference, where) from asset attributes, <style> and style=."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name in ASSET_ATTRIBUTES.get(tag, ()):
            value = values.get(name, "").strip()
            if not value:
                continue
            if name == "srcset":
                self.found += [(part.split()[0], f"<{tag} {name}>") for part in value.split(",") if part.strip()]
            else:
                self.found.append((value, f"<{tag} {name}>"))
        if values.get("style"):
            self.found += [(ref, f"<{tag} style>") for ref in css_references(values["style"])]
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.found += [(ref, "<style>") for ref in css_references(data)]


def css_references(css: str) -> list[str]:
    """Every url(...) and @import "..." in a piece of CSS."""
    return [m.group(2).strip() for m in CSS_URL.finditer(css)] + [m.group(2) for m in CSS_IMPORT.finditer(css)]


def offline_problems(site_dir: Path) -> list[str]:
    """What stops the site from opening offline: per page (and per local style sheet it loads) each
    reference to outside the site folder and each local file that does not exist. Empty = offline."""
    site_dir = Path(site_dir).resolve()
    problems: list[str] = []
    css_seen: set[Path] = set()

    def check(reference: str, base: Path, where: str, source: Path) -> None:
        if not reference or reference.lower().startswith(IGNORED):
            return
        name = source.relative_to(site_dir).as_posix()
        if _is_external(reference):
            problems.append(f"{name} laadt {reference} ({where})")
            return
        path = _local_path(base, reference).resolve()
        if not path.is_relative_to(site_dir):
            problems.append(f"{name} laadt {reference} van buiten de map ({where})")
        elif not path.is_file():
            problems.append(f"{name} laadt {reference}, dat ontbreekt ({where})")
        elif path.suffix.lower() == ".css" and path not in css_seen:
            css_seen.add(path)
            for ref in css_references(path.read_text(encoding="utf-8", errors="replace")):
                check(ref, path.parent, "url() in CSS", path)

    for page in sorted(site_dir.rglob("*.html")):
        parser = _Assets()
        parser.feed(page.read_text(encoding="utf-8"))
        parser.close()
        for reference, where in parser.found:
            check(reference, page.parent, where, page)
    return problems
