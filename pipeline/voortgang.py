"""Progress of a run in the terminal (rich), from the same log records Dagster stores.

The Dagster logger `voortgang` (registered in pipeline/definitions.py, switched on by the CLI)
prints, on standard output (standard error is kept for the one-paragraph failure message), one line per step start and end with the elapsed time, and the
progress the steps log themselves (files and rows read with their rate, the SQL step running,
what replay compares), while a spinner shows the step that is running. The same lines are in the
Dagster run's log, so the UI shows them too.
"""

from __future__ import annotations

import logging
import time

from dagster import Field, logger
from rich.console import Console

_STEP_EVENTS = {"STEP_START": "gestart", "STEP_SUCCESS": "klaar", "STEP_FAILURE": "mislukt"}


class VoortgangHandler(logging.Handler):
    def __init__(self, console: Console) -> None:
        super().__init__(logging.DEBUG)
        self.console = console
        self.started = time.monotonic()
        self.status = None

    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", None) or {}
        event = meta.get("dagster_event")
        step = meta.get("step_key")
        elapsed = time.monotonic() - self.started
        stamp = f"[{int(elapsed // 60):02d}:{elapsed % 60:04.1f}]"
        if event is not None:
            label = _STEP_EVENTS.get(event.event_type_value)
            if label is None:
                return
            if label == "gestart":
                self._spin(f"stap {step} …")
            self.console.print(f"{stamp} stap {step} {label}", highlight=False, soft_wrap=True)
            return
        if record.levelno >= logging.INFO and meta.get("orig_message"):
            self.console.print(f"{stamp}   {meta['orig_message']}", highlight=False, markup=False, soft_wrap=True)

    def _spin(self, text: str) -> None:
        if not self.console.is_terminal:
            return
        if self.status is None:
            self.status = self.console.status(text)
            self.status.start()
        else:
            self.status.update(text)

    def close(self) -> None:
        if self.status is not None:
            self.status.stop()
            self.status = None
        super().close()


@logger(config_schema={"uit": Field(bool, default_value=False)},
        description="Voortgang van de run in de terminal (rich): stappen, bestanden, rijen, tempo.")
def voortgang(init_context):
    log = logging.getLogger("banenafspraak.voortgang")
    log.setLevel(logging.DEBUG)  # step events are DEBUG records; the handler picks what to show
    log.propagate = False
    for handler in list(log.handlers):
        handler.close()
        log.removeHandler(handler)
    if not init_context.logger_config["uit"]:
        log.addHandler(VoortgangHandler(Console()))
    return log
