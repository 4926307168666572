"""Where the project's own files live (SQL, reference data), independent of the working directory."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(os.environ.get("BANENAFSPRAAK_ROOT", Path(__file__).resolve().parents[1]))
SQL_DIR = PROJECT_ROOT / "sql"
REFERENCE_DIR = PROJECT_ROOT / "data" / "reference"
DEMO_DATA_DIR = PROJECT_ROOT / "data" / "demo"
