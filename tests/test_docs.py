"""The method and the README name the files that implement them: every named file exists, so the
docs cannot keep pointing at a file after a rename (docs/METHOD.md once named the meting steps by
their old numbers, e.g. `sql/meting/02_venster_uren.sql`)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
NAMED = re.compile(r"(?<![\w./-])((?:sql|pipeline|data|tests|docs)/[\w./-]+\.(?:sql|py|csv|md|json|j2|css))\b")


def named_files(text: str) -> set[str]:
    return set(NAMED.findall(text))


def test_the_pattern_finds_file_names_and_only_those():
    text = "in `sql/meting/R3_venster_uren.sql` and pipeline/cli.py, not in ../shared/spec/METHOD.md or x/sql/a.sql"
    assert named_files(text) == {"sql/meting/R3_venster_uren.sql", "pipeline/cli.py"}


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_file_a_doc_names_exists(doc):
    names = named_files(doc.read_text(encoding="utf-8"))
    assert names, f"{doc.name} names no file of the project"
    missing = sorted(n for n in names if not (ROOT / n).exists())
    assert missing == [], f"{doc.name} names files that do not exist: {missing}"
