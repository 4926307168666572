"""Great Expectations off the critical path: the suites run in a worker process.

`import great_expectations` takes 5–20 s here. The resource starts one worker process when a run
starts (pipeline/kwaliteit/werkproces.py: spawned, not forked, and it follows its parent) and the
worker imports GX at once, while the main process ingests and measures with DuckDB. The GX step (pipeline/kwaliteit/assets.py)
exports each suite's frame as Parquet from DuckDB and has the worker validate it; its blocking
checks stop the publication when a suite fails. The main process never imports GX.
"""

from __future__ import annotations

from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from dagster import ConfigurableResource, InitResourceContext
from pydantic import PrivateAttr

from pipeline.kwaliteit import werkproces
from pipeline.kwaliteit.gx import validate_file


class GxWorkerResource(ConfigurableResource):
    """A process that validates Great Expectations suites for the steps of one run."""

    _pool: ProcessPoolExecutor | None = PrivateAttr(default=None)
    _warm: Future | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: InitResourceContext) -> None:
        # started now: its GX import runs while this process works (pipeline/kwaliteit/werkproces.py)
        self._pool, self._warm = werkproces.new_worker()

    def teardown_after_execution(self, context: InitResourceContext) -> None:
        if self._pool is not None:
            werkproces.stop(self._pool, self._warm)
            self._pool = None

    def submit(self, suite: str, frame_path: Path, docs_dir: Path | None) -> Future:
        """Validate the Parquet frame against `suite`; the future gives (GxOutcome, rows)."""
        if self._pool is None:  # used outside a run (tests): start on demand
            self.setup_for_execution(None)  # type: ignore[arg-type]
        return self._pool.submit(validate_file, suite, str(frame_path), str(docs_dir) if docs_dir else None)
