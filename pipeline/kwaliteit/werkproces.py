"""The Great Expectations worker process: started, followed and stopped.

One process per run (spawned, not forked: the parent holds DuckDB threads) imports Great
Expectations at once (~5 s of CPU) while the run's main process works with DuckDB
(pipeline/kwaliteit/worker.py). It follows its parent: a run killed outright (kill -9) cannot stop
its pool, and the worker would otherwise wait for work for ever beside the next runs. This module
imports neither Dagster nor Great Expectations, so the worker does not import Dagster either.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor


def new_worker() -> tuple[ProcessPoolExecutor, Future]:
    """A one-process pool (spawned, not forked: the parent holds DuckDB threads) that imports GX at
    once; the future is done when the import is."""
    from pipeline.kwaliteit.gx import ready

    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_worker_start, initargs=(os.getpid(),))
    return pool, pool.submit(ready)


def _worker_start(parent: int) -> None:
    """The worker's initializer: follow the parent, then import GX. A parent killed outright (the
    kill tests, an operator's kill -9) never tells its pool to stop, and the worker would wait for
    work for ever; it exits within a second of its parent instead."""
    def follow() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=follow, name="volg-ouderproces", daemon=True).start()
    from pipeline.kwaliteit.gx import import_gx

    import_gx()


def stop(pool: ProcessPoolExecutor) -> None:
    """Stop a worker outright (SIGTERM, which Python does not catch): one still importing GX, so
    that a run or command that ends early does not leave it busy on the second core, and one that
    is done, whose orderly exit would free GX's ~2,000 modules for 1.7 s of CPU while the run
    waits. Its work is over when this is called: every result has been returned and its Data
    Docs are written; a pending task is cancelled."""
    for process in list((pool._processes or {}).values()):
        process.terminate()
    pool.shutdown(wait=True, cancel_futures=True)
