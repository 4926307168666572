"""Great Expectations (GX 1.x) suites for the accepted rows and one year's final payroll versions.

GX 1.x cannot validate DuckDB tables through its SQL datasource (every expectation fails with
`list index out of range`: GX reads results after DuckDB has dropped them), so `frame_for` runs the
query in sql/kwaliteit/<name>.sql and returns a pandas DataFrame, and `validate` checks it against the
suite of the same name in an ephemeral GX context and writes Data Docs (HTML) that open without
network (pipeline/kwaliteit/offline.py).

Suites (built in code; code lists read from data/reference, see `_codes`):
- werkgevers          accepted rows of staging.werkgevers
- doelgroepregister   accepted rows of staging.doelgroepregister
- polis_venster       werk.definitieve_versies of the run's years (final versions: the key is unique)
- inleen              accepted rows of staging.inleen (the optional inleen/ extract, METHOD R17)

These are a second, independent look at rows the ingestion SQL already accepted; a failure
means a rule in sql/ingest or sql/meting lets something through.

`import great_expectations` takes seconds: it happens inside the functions, never at import.
"""

from __future__ import annotations

import csv
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.kwaliteit.offline import make_offline
from pipeline.paths import REFERENCE_DIR
from pipeline.sqlfiles import sql_text

if TYPE_CHECKING:
    import duckdb
    import pandas
    from great_expectations import ExpectationSuite

SUITES = ("werkgevers", "doelgroepregister", "polis_venster", "inleen")

# Full-match patterns. `\Z`, not `$`: GX runs `Series.str.contains`, and Python's `$` also
# matches before a trailing newline ("123456789L12\n" would pass with `$`).
LOONHEFFINGENNUMMER = r"^[0-9]{9}L[0-9]{2}\Z"
PSEUDONIEM = r"^[0-9a-f]{64}\Z"  # HMAC-SHA256 hex digest (sql/schema/macros.sql: lower case)

# How much of each failure GX keeps: counts plus up to 20 example values (shown in Data Docs).
RESULT_FORMAT = {"result_format": "SUMMARY", "partial_unexpected_count": 20}


@dataclass
class GxOutcome:
    """The result of validating one frame against one suite."""

    success: bool
    evaluated: int  # expectations evaluated
    failed: list[str]  # "expectation_type(column, ...)" of each failed expectation
    docs_index: Path | None  # Data Docs index.html (None when no docs were written)
    details: dict[str, str] = field(default_factory=dict)  # failed label -> what went wrong


# --------------------------------------------------------------------------- reference code lists


def _codes(csv_name: str, column: str) -> list[str]:
    """The codes in one column of data/reference/<csv_name> (file order, blanks skipped)."""
    with (REFERENCE_DIR / csv_name).open(encoding="utf-8-sig", newline="") as handle:
        return [row[column].strip() for row in csv.DictReader(handle) if (row[column] or "").strip()]


def _arbeidsmarktregios() -> list[str]:
    """AMR01..AMR35: the 35 labour market regions (data/reference/arbeidsmarktregio.csv)."""
    return _codes("arbeidsmarktregio.csv", "arbeidsmarktregio")


# --------------------------------------------------------------------------- suites


def build_suite(name: str) -> ExpectationSuite:
    """The expectation suite `name` (one of SUITES), built in code."""
    import great_expectations as gx

    E = gx.expectations

    def not_null(*columns: str) -> list:
        return [E.ExpectColumnValuesToNotBeNull(column=c) for c in columns]

    def not_before(later: str, earlier: str) -> Any:
        """later >= earlier on rows where both are filled (a null end date = still open)."""
        return E.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A=later, column_B=earlier, or_equal=True, ignore_row_if="either_value_is_missing"
        )

    regios = _arbeidsmarktregios()
    if name == "werkgevers":
        expectations = [
            *not_null("loonheffingennummer", "geldig_vanaf", "sector_risicogroep", "overheidswerkgever",
                      "uren_sectorfonds_aandeel", "sw_bedrijf", "arbeidsmarktregio"),
            E.ExpectColumnValuesToMatchRegex(column="loonheffingennummer", regex=LOONHEFFINGENNUMMER),
            not_before("geldig_tot", "geldig_vanaf"),
            E.ExpectColumnValuesToBeBetween(column="uren_sectorfonds_aandeel", min_value=0, max_value=1),
            E.ExpectColumnValuesToBeInSet(column="arbeidsmarktregio", value_set=regios),
            # Nulls are allowed (non-government employers): GX set checks skip missing values.
            E.ExpectColumnValuesToBeInSet(
                column="overheidssector", value_set=_codes("overheidssector.csv", "overheidssector")
            ),
        ]
    elif name == "doelgroepregister":
        expectations = [
            *not_null("persoon_id", "grondslag", "datum_ingang", "woonregio"),
            E.ExpectColumnValuesToMatchRegex(column="persoon_id", regex=PSEUDONIEM),
            E.ExpectColumnValuesToBeInSet(column="grondslag", value_set=_codes("grondslag.csv", "grondslag")),
            not_before("datum_einde", "datum_ingang"),
            E.ExpectColumnValuesToBeInSet(column="woonregio", value_set=regios),
        ]
    elif name == "polis_venster":
        expectations = [
            *not_null("loonheffingennummer", "ikv_id", "tijdvak_begin", "tijdvak_einde", "verloonde_uren",
                      "code_aard_arbeidsverhouding", "aanleverdatum"),
            E.ExpectColumnValuesToMatchRegex(column="loonheffingennummer", regex=LOONHEFFINGENNUMMER),
            not_before("tijdvak_einde", "tijdvak_begin"),
            not_before("max_uren", "verloonde_uren"),  # verloonde_uren <= 24 x days
            # Final versions (METHOD R1): one row per payroll record.
            E.ExpectCompoundColumnsToBeUnique(column_list=["jaar", "loonheffingennummer", "ikv_id", "tijdvak_begin"]),
        ]
    elif name == "inleen":
        expectations = [
            *not_null("uitlener_loonheffingennummer", "inlener_loonheffingennummer", "persoon_id", "jaar",
                      "verloonde_uren"),
            E.ExpectColumnValuesToMatchRegex(column="uitlener_loonheffingennummer", regex=LOONHEFFINGENNUMMER),
            E.ExpectColumnValuesToMatchRegex(column="inlener_loonheffingennummer", regex=LOONHEFFINGENNUMMER),
            E.ExpectColumnValuesToMatchRegex(column="persoon_id", regex=PSEUDONIEM),
            E.ExpectColumnValuesToBeBetween(column="jaar", min_value=2013),
            E.ExpectColumnValuesToBeBetween(column="verloonde_uren", min_value=0),
        ]
    else:
        raise KeyError(f"unknown GX suite {name!r}; known: {', '.join(SUITES)}")
    # Passed to the constructor: suite.add_expectation() needs an active context even on a new suite.
    return gx.ExpectationSuite(name=name, expectations=expectations)


def label(expectation_type: str, kwargs: dict[str, Any]) -> str:
    """'expect_x(column)' / 'expect_x(column_A, column_B)' / 'expect_x(c1, c2, c3)'."""
    if "column" in kwargs:
        columns = [kwargs["column"]]
    elif "column_A" in kwargs:
        columns = [kwargs["column_A"], kwargs["column_B"]]
    else:
        columns = list(kwargs.get("column_list") or [])
    return f"{expectation_type}({', '.join(map(str, columns))})"


def suite_labels(name: str) -> list[str]:
    """The labels of every expectation of suite `name` (as they appear in GxOutcome.failed)."""
    return [label(e.expectation_type, e.configuration.kwargs) for e in build_suite(name).expectations]


# --------------------------------------------------------------------------- frames


def export_frame(con: duckdb.DuckDBPyConnection, name: str, path: Path) -> Path:
    """Write the frame suite `name` validates (sql/kwaliteit/<name>.sql, over the run's years in
    werk.meetjaren) to a Parquet file, for the GX worker process."""
    if name not in SUITES:
        raise KeyError(f"unknown GX frame {name!r}; known: {', '.join(SUITES)}")
    target = str(path).replace("'", "''")
    con.execute(f"COPY ({sql_text(f'kwaliteit/{name}.sql')}) TO '{target}' (FORMAT parquet)")
    return path


def read_frame(path: Path | str) -> pandas.DataFrame:
    """A frame written by export_frame, as the worker validates it."""
    import pandas

    return pandas.read_parquet(path)


# --------------------------------------------------------------------------- validation


def _show(value: Any) -> str:
    """An example value for a message: plain text, not numpy/pandas reprs."""
    if isinstance(value, tuple):
        return "(" + ", ".join(_show(v) for v in value) + ")"
    if isinstance(value, dict):
        return "(" + ", ".join(_show(v) for v in value.values()) + ")"
    import pandas

    if value is None or (pandas.api.types.is_scalar(value) and pandas.isna(value)):  # NaN, NaT, NA
        return "leeg"
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    if hasattr(value, "date") and hasattr(value, "hour") and not (value.hour or value.minute or value.second):
        value = value.date()
    return str(value)


def _exception_messages(info: Any) -> list[str]:
    """Messages of a result's exception_info: flat, or (a metric that failed) one dict per metric."""
    if not isinstance(info, dict):
        return []
    if "raised_exception" in info:
        return [str(info.get("exception_message"))] if info.get("raised_exception") else []
    return sorted({m for value in info.values() for m in _exception_messages(value)})


def _quiet() -> None:
    """Keep GX's INFO chatter (hundreds of lines per validation) out of logs set to INFO.

    Progress bars are switched off on the context (validate). GX warnings still show; a level
    set deliberately on the 'great_expectations' logger is left alone.
    """
    logger = logging.getLogger("great_expectations")
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.WARNING)
    # This module sets its own logger to INFO at import ("Created temporary directory ... for
    # ephemeral docs site" on every get_context).
    base = logging.getLogger("great_expectations.data_context.types.base")
    if base.level == logging.INFO:
        base.setLevel(logging.NOTSET)


def validate(name: str, frame: pandas.DataFrame, docs_dir: Path | None) -> GxOutcome:
    """Validate `frame` against suite `name`; write Data Docs into docs_dir / name.

    Every call uses a fresh ephemeral context, whose stores are in memory. GX's site builder
    removes pages whose results are not in the context's store, so one site can hold only one
    context's results: each suite gets its own site folder (docs_dir/<name>/index.html), and
    validating one suite never removes another suite's pages. Re-validating a suite replaces
    its site. docs_dir=None writes no Data Docs (faster; docs_index is None).
    """
    _quiet()  # before the import: its INFO chatter
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    _quiet()  # after the import: the logger GX itself sets to INFO

    suite = build_suite(name)
    labels = [label(e.expectation_type, e.configuration.kwargs) for e in suite.expectations]
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    site_dir = None
    actions = []
    if docs_dir is not None:
        site_dir = Path(docs_dir).resolve() / name
        # Replace the ephemeral context's default site (a fresh temp folder each time) by ours only.
        context.variables.data_docs_sites = {
            "kwaliteit": {
                "class_name": "SiteBuilder",
                "show_how_to_buttons": False,
                "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(site_dir)},
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            }
        }
        actions.append(gx.checkpoint.UpdateDataDocsAction(name="data_docs", site_names=["kwaliteit"]))
    else:
        context.variables.data_docs_sites = {}

    batch = (
        context.data_sources.add_pandas(name=f"{name}_pandas")
        .add_dataframe_asset(name=name)
        .add_batch_definition_whole_dataframe(name=f"{name}_geheel")
    )
    suite = context.suites.add(suite)
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=f"{name}_validatie", data=batch, suite=suite)
    )
    checkpoint = context.checkpoints.add(
        gx.Checkpoint(
            name=f"{name}_checkpoint",
            validation_definitions=[definition],
            actions=actions,
            result_format=RESULT_FORMAT,
        )
    )
    result = checkpoint.run(batch_parameters={"dataframe": frame})

    evaluated, failed, details = 0, [], {}
    for validation in result.run_results.values():
        for r in validation.results:
            evaluated += 1
            if r.success:
                continue
            config = r.expectation_config
            key = label(config.type, config.kwargs)
            failed.append(key)
            errors = _exception_messages(r.exception_info)
            if errors:
                details[key] = "fout: " + "; ".join(errors)
            else:
                res = r.result or {}
                examples = ", ".join(_show(v) for v in (res.get("partial_unexpected_list") or [])[:3])
                count = res.get("unexpected_count")
                details[key] = f"{count} afwijkende rij{'' if count == 1 else 'en'}, bijv. {examples}"
    order = {key: i for i, key in enumerate(labels)}  # report in suite order, not GX's
    failed.sort(key=lambda key: order.get(key, len(order)))

    docs_index = None
    if site_dir is not None and (site_dir / "index.html").exists():
        make_offline(site_dir)  # the CDN files as local copies; stops if a page still needs network
        docs_index = site_dir / "index.html"
    return GxOutcome(
        success=bool(result.success) and not failed,
        evaluated=evaluated,
        failed=failed,
        docs_index=docs_index,
        details=details,
    )


# --------------------------------------------------------------------------- worker process tasks
# Run in the GX worker process (pipeline/kwaliteit/worker.py); this module imports no Dagster, so
# the spawned worker starts with little more than GX itself.


def import_gx() -> None:
    """The worker's initializer: pay GX's slow import once, while the run's main process works."""
    _quiet()
    _skip_unused_imports()
    import great_expectations  # noqa: F401

    _quiet()


def _skip_unused_imports() -> None:
    """In the worker only, before GX's import: two libraries GX imports that no suite here uses.

    - SQLAlchemy is optional for GX (its SQL datasources; GX's own compatibility layer treats it
      as not installed when the import fails). The suites validate pandas frames, so the worker
      marks it absent instead of importing it (~0.5 s).
    - `scipy.stats` is imported at module level by GX's distribution expectations (KS test, KL
      divergence), which no suite uses; it is bound lazily and loaded on first use, if ever
      (~2 s of CPU: SciPy's linalg, optimize, spatial, interpolate, ...).
    Measured 2026-12-02: `import great_expectations` 6.9 s -> 4.3 s on this machine.
    """
    import importlib.util
    import sys

    sys.modules.setdefault("sqlalchemy", None)  # type: ignore[arg-type]  # "not installed"
    if "scipy.stats" in sys.modules:
        return
    import scipy  # light: SciPy loads its subpackages on first use

    spec = importlib.util.find_spec("scipy.stats")
    if spec is None or spec.loader is None:
        return
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules["scipy.stats"] = module
    spec.loader.exec_module(module)
    scipy.stats = module


def ready() -> bool:
    return True


def validate_file(suite: str, frame_path: str, docs_dir: str | None) -> tuple[GxOutcome, int]:
    """Validate the Parquet frame at frame_path against `suite`: (outcome, rows)."""
    frame = read_frame(frame_path)
    return validate(suite, frame, Path(docs_dir) if docs_dir else None), len(frame)
