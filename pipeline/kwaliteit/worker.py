"""Great Expectations off the critical path: the suites run in a worker process.

`import great_expectations` takes 6–20 s here. The resource starts one worker process when a run
starts (spawned, not forked: the parent holds DuckDB threads) and the worker imports GX at once,
while the main process ingests and measures with DuckDB. The GX step (pipeline/kwaliteit/assets.py)
exports each suite's frame as Parquet from DuckDB and has the worker validate it; its blocking
checks stop the publication when a suite fails. The main process never imports GX.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from dagster import ConfigurableResource, InitResourceContext
from pydantic import PrivateAttr

from pipeline.kwaliteit.gx import import_gx, ready, validate_file


class GxWorkerResource(ConfigurableResource):
    """A process that validates Great Expectations suites for the steps of one run."""

    _pool: ProcessPoolExecutor | None = PrivateAttr(default=None)
    _warm: Future | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: InitResourceContext) -> None:
        self._pool = ProcessPoolExecutor(
            max_workers=1, mp_context=multiprocessing.get_context("spawn"), initializer=import_gx
        )
        self._warm = self._pool.submit(ready)  # start the worker (and its GX import) now, not at first use

    def teardown_after_execution(self, context: InitResourceContext) -> None:
        if self._pool is not None:
            # A run that stops early (a file that cannot be read) must not leave the worker
            # importing GX on the second core: stop it outright.
            if self._warm is not None and not self._warm.done():
                for process in list((self._pool._processes or {}).values()):
                    process.terminate()
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def submit(self, suite: str, frame_path: Path, docs_dir: Path | None) -> Future:
        """Validate the Parquet frame against `suite`; the future gives (GxOutcome, rows)."""
        if self._pool is None:  # used outside a run (tests): start on demand
            self.setup_for_execution(None)  # type: ignore[arg-type]
        return self._pool.submit(validate_file, suite, str(frame_path), str(docs_dir) if docs_dir else None)
