"""What code measured a year: package versions, git commit, the hash of every SQL file."""

from __future__ import annotations

import hashlib
import json
import subprocess
from importlib import metadata

from pipeline.paths import PROJECT_ROOT, SQL_DIR

PACKAGES = ("banenafspraak", "dagster", "duckdb", "polars", "pyarrow", "great-expectations", "pandas")


def package_versions() -> dict[str, str]:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "niet geïnstalleerd"
    return versions


def git_commit() -> str:
    """The commit of the project's code, with '+gewijzigd' when the work tree differs from it."""
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=PROJECT_ROOT, capture_output=True,
                                text=True, timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "sql", "pipeline", "data"],
                               cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=10).stdout.strip()
        return commit + ("+gewijzigd" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "onbekend"


def sql_hashes() -> dict[str, str]:
    """sha256 of every SQL file under sql/, keyed by its path relative to sql/."""
    return {
        str(path.relative_to(SQL_DIR)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(SQL_DIR.rglob("*.sql"))
    }


def as_json(value: dict) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)
