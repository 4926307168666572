"""Atomic publication (pipeline/publicatie/publish.py): a run's years are published at once, and
an interruption at any point leaves either exactly the old file or the complete new state."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipeline.publicatie.publish import POINTS, old_tables, publish_run
from tests.published import published_run, published_work

pytestmark = pytest.mark.slow  # runs the pipeline (a Dagster run) end to end

YEARS = [2012, 2021]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _state(path: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {f"{s}.{t}": con.execute(f"SELECT * FROM {s}.{t} ORDER BY ALL").fetchall() for s, t in old_tables()}
    finally:
        con.close()


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> dict[str, Path]:
    """A published warehouse of 2012, 2021, 2022 (old state) and a working database whose rows
    differ (new state); the run publishes 2012 and 2021, so 2022 must stay as it was."""
    root = tmp_path_factory.mktemp("publicatie")
    _, shared, _ = published_run()
    warehouse = root / "w.duckdb"
    shutil.copyfile(shared, warehouse)
    new_work = root / "nieuw.duckdb"
    shutil.copyfile(published_work(), new_work)
    con = duckdb.connect(str(new_work))
    con.execute("UPDATE meting.banen SET banen = banen + 1, extra_banen = extra_banen + 0.5")
    con.execute("UPDATE audit.runs SET dagster_run_id = 'nieuwe-run'")
    con.close()
    expected = root / "verwacht.duckdb"
    shutil.copyfile(warehouse, expected)
    publish_run(new_work, expected, YEARS)
    return {"old": warehouse, "work": new_work, "expected": expected}


def test_publication_replaces_every_year_of_the_run_and_keeps_other_years(published, tmp_path):
    old, new = _state(published["old"]), _state(published["expected"])
    assert {row[0] for row in new["meting.banen"]} == {*YEARS, 2022}
    assert [r for r in new["meting.banen"] if r[0] == 2022] == [r for r in old["meting.banen"] if r[0] == 2022]
    assert [r for r in new["meting.banen"] if r[0] in YEARS] != [r for r in old["meting.banen"] if r[0] in YEARS]
    assert {row[1] for row in new["audit.runs"] if row[0] in YEARS} == {"nieuwe-run"}
    # a run of one year leaves the rows of the other year as they were
    target = tmp_path / "w.duckdb"
    shutil.copyfile(published["old"], target)
    publish_run(published["work"], target, [2021])
    state = _state(target)
    assert [r for r in state["meting.banen"] if r[0] == 2012] == [r for r in old["meting.banen"] if r[0] == 2012]
    assert [r for r in state["meting.banen"] if r[0] == 2021] == [r for r in new["meting.banen"] if r[0] == 2021]


KILLER = """
import os, signal, sys
from pathlib import Path
from pipeline.publicatie.publish import publish_run
work, target, point = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
def at_point(name):
    if name == point:
        os.kill(os.getpid(), signal.SIGKILL)
publish_run(work, target, [2012, 2021], at_point=at_point)
"""


@pytest.mark.parametrize("point", POINTS)
def test_a_kill_at_any_point_of_publication_leaves_the_old_file_or_the_complete_new_state(published, tmp_path, point):
    target = tmp_path / "w.duckdb"
    shutil.copyfile(published["old"], target)
    before = _digest(target)
    process = subprocess.run([sys.executable, "-c", KILLER, str(published["work"]), str(target), point],
                             capture_output=True, text=True, timeout=300)
    assert process.returncode == -9, process.stderr  # killed at that point, not failed
    if _digest(target) == before:
        outcome = "oud"
    else:
        assert _state(target) == _state(published["expected"])  # complete new state of every year
        outcome = "nieuw"
    assert outcome == ("nieuw" if point == "vervangen" else "oud")
    # the next publication cleans up what the killed one left and succeeds
    publish_run(published["work"], target, YEARS)
    assert _state(target) == _state(published["expected"])
    assert not list(tmp_path.glob(".w.duckdb.*.tmp"))


def test_a_failing_publication_leaves_the_file_exactly_as_it_was(published, tmp_path):
    target = tmp_path / "w.duckdb"
    shutil.copyfile(published["old"], target)
    before = _digest(target)

    def fail(con):
        raise RuntimeError("opzettelijk")

    with pytest.raises(RuntimeError):
        publish_run(published["work"], target, YEARS, apply_comments=fail)
    assert _digest(target) == before
    assert not list(tmp_path.glob(".w.duckdb.*.tmp"))


# METHOD R14: a scenario's publication is as atomic as an official one (the same mechanism).
SCENARIO_RUN = {"dagster_run_id": "scenario-run", "gestart": None, "levering": "/levering", "git_commit": "abc",
                "sql_hashes": "{}"}
SCENARIO_KILLER = """
import os, signal, sys
from pathlib import Path
from pipeline.publicatie.publish import publish_scenario
SCENARIO_RUN = {"dagster_run_id": "scenario-run", "gestart": None, "levering": "/levering", "git_commit": "abc",
                "sql_hashes": "{}"}
work, target, point = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
def at_point(name):
    if name == point:
        os.kill(os.getpid(), signal.SIGKILL)
publish_scenario(work, target, [2012, 2021], "wet_banenafspraak_2025", SCENARIO_RUN, at_point=at_point)
"""


def _scenario_state(path: Path) -> dict:
    """Every table publication writes, with scenario.runs less its publication time."""
    state = _state(path)
    state["scenario.runs"] = [row[:4] + row[5:] for row in state["scenario.runs"]]
    return state


@pytest.fixture(scope="module")
def scenario_work(published, tmp_path_factory) -> Path:
    """The working database of a scenario run: its meting.banen measured under the new law."""
    work = tmp_path_factory.mktemp("scenario") / "werkruimte.duckdb"
    shutil.copyfile(published["work"], work)
    con = duckdb.connect(str(work))
    con.execute("UPDATE meting.banen SET regeling = 'wet_banenafspraak_2025', banen = banen + 2")
    con.close()
    return work


@pytest.mark.parametrize("point", POINTS)
def test_a_kill_at_any_point_of_a_scenario_publication_leaves_the_old_file_or_the_new_one(
        published, scenario_work, tmp_path, point):
    from pipeline.publicatie.publish import publish_scenario

    target = tmp_path / "w.duckdb"
    shutil.copyfile(published["old"], target)
    before, old_state = _digest(target), _state(target)
    expected = tmp_path / "verwacht.duckdb"
    shutil.copyfile(published["old"], expected)
    publish_scenario(scenario_work, expected, YEARS, "wet_banenafspraak_2025", SCENARIO_RUN)
    new_state = _scenario_state(expected)
    assert {k: v for k, v in new_state.items() if not k.startswith("scenario.")} == \
        {k: v for k, v in old_state.items() if not k.startswith("scenario.")}  # official tables untouched
    assert {(r[0], r[-1]) for r in new_state["scenario.banen"]} == {(y, "wet_banenafspraak_2025") for y in YEARS}
    assert [r[:3] for r in new_state["scenario.runs"]] == [("wet_banenafspraak_2025", y, "scenario-run") for y in YEARS]
    process = subprocess.run([sys.executable, "-c", SCENARIO_KILLER, str(scenario_work), str(target), point],
                             capture_output=True, text=True, timeout=300)
    assert process.returncode == -9, process.stderr
    if _digest(target) == before:
        outcome = "oud"
    else:
        assert _scenario_state(target) == new_state
        outcome = "nieuw"
    assert outcome == ("nieuw" if point == "vervangen" else "oud")
    assert not list(tmp_path.glob(".w.duckdb.*.tmp")) or point != "vervangen"
