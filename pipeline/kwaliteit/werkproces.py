"""The Great Expectations worker process: started, followed and stopped.

One process per run (spawned, not forked: the parent holds DuckDB threads) imports Great
Expectations at once (~5 s of CPU) while the run's main process works with DuckDB
(pipeline/kwaliteit/worker.py). It follows its parent: a run killed outright (kill -9) cannot stop
its pool, and the worker would otherwise wait for work for ever beside the next runs. This module
imports neither Dagster nor Great Expectations, so the worker does not import Dagster either.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import sys
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
    # Registered first, so it runs last at exit: after multiprocessing has flushed the result queue
    # and the other exit handlers ran, leave without Python's finalisation, which frees GX's ~2,000
    # modules one by one (1.7 s of CPU while the run waits in shutdown()).
    atexit.register(_exit_now)
    from pipeline.kwaliteit.gx import import_gx

    import_gx()


def _exit_now() -> None:
    """The worker's last exit handler: flush what it printed, then leave at once (exit code 0)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (AttributeError, OSError, ValueError):
            pass
    os._exit(0)


def stop(pool: ProcessPoolExecutor, warm: Future) -> None:
    """Stop a worker; one still importing GX is terminated outright, so that a run or command that
    ends early does not leave it busy on the second core. A worker that is done is shut down in
    order (its exit skips Python's finalisation, see _worker_start); terminating it as well would
    leave a semaphore of the pool to the resource tracker, which warns about it in English on the
    command's stderr."""
    if not warm.done():
        for process in list((pool._processes or {}).values()):
            process.terminate()
    pool.shutdown(wait=True, cancel_futures=True)
