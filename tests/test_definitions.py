"""The Dagster definitions load, the asset graph is the one the SQL headers describe, and the job
runs the way the UI and the schedule launch it."""

from __future__ import annotations

import os

import duckdb
import pytest
from dagster import AssetKey, DagsterInstance, execute_job, in_process_executor, reconstructable
from dagster._core.instance.ref import InstanceRef

from pipeline.definitions import defs
from pipeline.meting.assets import STEPS
from pipeline.sqlfiles import sql_hash
from tests.conftest import TEST_KEY, write_delivery
from tests.test_cli import POLIS, REGISTER, WERKGEVERS


def test_definitions_load_with_job_schedule_and_checks():
    graph = defs.resolve_asset_graph()
    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    assert keys == {
        "levering/polis", "levering/werkgevers", "levering/doelgroepregister", "levering/inleen",
        "ref/referentiedata", "ingest/werkgevers", "ingest/doelgroepregister", "ingest/polis", "ingest/inleen",
        "werk/definitieve_versies", "werk/na_afsluitdatum", "werk/venster_uren", "werk/doelgroep_uren",
        "werk/werkgever_peildatum", "werk/vorm_uren", "werk/telbare_uren", "werk/uren_per_cel", "werk/banen_per_cel",
        "meting/verdeelsleutel", "meting/banen", "meting/realisatie", "meting/personen",
        "meting/banen_overheidssector", "meting/banen_regio",
        "werk/register_jaar", "werk/persoon_jaar", "werk/stromen_personen",
        "meting/stromen", "meting/duurzaamheid", "meting/register_stromen",
        "werk/werkgever_totalen", "meting/deelname", "werk/quotum_uren", "quotum/inleen", "quotum/werkgevers",
        "kwaliteit/great_expectations",
        "audit/runs", "audit/invoerbestanden", "audit/referentiewaarden", "audit/grootboek", "audit/bijdragen",
        "publicatie/warehouse", "publicatie/rapport", "scenario/warehouse",
    }
    assert defs.resolve_job_def("jaarmeting") is not None
    # METHOD R14: the scenario job measures and publishes into scenario.* only; jaarmeting never does
    scenario = {k.to_user_string() for k in defs.resolve_job_def("scenario").asset_layer.selected_asset_keys}
    assert "scenario/warehouse" in scenario and "meting/banen" in scenario and "ingest/polis" in scenario
    assert not scenario & {"publicatie/warehouse", "publicatie/rapport", "audit/runs", "kwaliteit/great_expectations"}
    jaarmeting = {k.to_user_string() for k in defs.resolve_job_def("jaarmeting").asset_layer.selected_asset_keys}
    assert "scenario/warehouse" not in jaarmeting and "publicatie/warehouse" in jaarmeting
    schedule = defs.resolve_schedule_def("jaarlijkse_meting")
    assert schedule.cron_schedule == "0 6 2 5 *"
    checks = {k.name for k in graph.asset_check_keys}
    assert {"rijen_sluiten", "quarantaine_onder_drempel", "grootboek_sluit", "gx_werkgevers",
            "gx_doelgroepregister", "gx_polis_venster", "gx_inleen", "stromen_sluiten", "register_sluit"} <= checks


def test_the_graph_follows_what_each_sql_step_reads():
    graph = defs.resolve_asset_graph()
    parents = {k: graph.get(k).parent_keys for k in graph.get_all_asset_keys()}
    assert AssetKey(["werk", "banen_per_cel"]) in parents[AssetKey(["meting", "banen"])]
    # R7's view werk.toegerekende_uren stands for the tables behind it
    assert {AssetKey(["werk", "telbare_uren"]), AssetKey(["meting", "verdeelsleutel"])} <= \
        parents[AssetKey(["werk", "uren_per_cel"])]
    assert AssetKey(["ingest", "polis"]) in parents[AssetKey(["werk", "definitieve_versies"])]
    assert AssetKey(["ref", "referentiedata"]) in parents[AssetKey(["werk", "doelgroep_uren"])]
    # R15 reads the employer totals of the polis pass; R17's crediting reads the inleen extract
    assert AssetKey(["ingest", "polis"]) in parents[AssetKey(["werk", "werkgever_totalen"])]
    assert AssetKey(["ingest", "inleen"]) in parents[AssetKey(["quotum", "inleen"])]
    assert AssetKey(["kwaliteit", "great_expectations"]) in parents[AssetKey(["publicatie", "warehouse"])]


def test_code_version_is_the_hash_of_the_sql_text():
    graph = defs.resolve_asset_graph()
    for step in STEPS:
        assert graph.get(AssetKey(step.key_path)).code_version == sql_hash([step.sql])


def test_an_ingestion_asset_changes_code_version_with_its_sql_and_with_the_file_reader(monkeypatch):
    """reader.py decides how a delivered file is read, so it is part of every extract's code version."""
    from pathlib import Path

    from pipeline.ingest import assets as ingest

    graph = defs.resolve_asset_graph()
    files = ["ingest/doelgroepregister.sql"]
    assert graph.get(ingest.DOELGROEPREGISTER).code_version == ingest.ingest_version(files)
    assert graph.get(ingest.INLEEN).code_version == ingest.ingest_version(["ingest/inleen.sql"])
    assert ingest.ingest_version(files) != ingest.ingest_version(["ingest/werkgevers.sql"])
    reader = Path(ingest.__file__).with_name("reader.py")
    before = ingest.ingest_version(files)
    original = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: original(self) + (b"#" if self == reader else b""))
    assert ingest.ingest_version(files) != before


def test_partitions_start_at_the_nulmeting_and_years_backfill_in_one_run():
    job = defs.resolve_job_def("jaarmeting")
    partitions = job.partitions_def.get_partition_keys()
    assert partitions[0] == "2012"
    assert "2021" in partitions
    graph = defs.resolve_asset_graph()
    policy = graph.get(AssetKey(["meting", "banen"])).backfill_policy
    assert policy is not None and policy.max_partitions_per_run is None  # single run over any range


def test_ingest_assets_depend_on_the_observable_delivery_sources():
    graph = defs.resolve_asset_graph()
    for extract in ("polis", "werkgevers", "doelgroepregister"):
        assert AssetKey(["levering", extract]) in graph.get(AssetKey(["ingest", extract])).parent_keys


def test_every_step_runs_in_the_run_process_by_definition():
    """The UI and the schedule launch runs with the job's executor (and ad-hoc asset runs with the
    Definitions' executor): both in-process, so no two steps ever open the working database."""
    assert defs.resolve_job_def("jaarmeting").executor_def is in_process_executor
    assert defs.resolve_implicit_global_asset_job_def().executor_def is in_process_executor


def ui_job():
    from pipeline.definitions import defs as definitions

    return definitions.resolve_job_def("jaarmeting")


@pytest.mark.slow
def test_the_job_runs_as_the_ui_launches_it(tmp_path, monkeypatch):
    """A reconstructable job executed against a persistent instance, resources from the
    environment (as `dagster dev` binds them), for one partition: it measures that year with
    the nulmeting and publishes both."""
    delivery = write_delivery(tmp_path / "levering", POLIS, WERKGEVERS, REGISTER)
    warehouse = tmp_path / "w.duckdb"
    monkeypatch.setenv("BANENAFSPRAAK_DELIVERY", str(delivery))
    monkeypatch.setenv("BANENAFSPRAAK_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("BANENAFSPRAAK_PSEUDONIEM_SLEUTEL", TEST_KEY)
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    with DagsterInstance.from_ref(InstanceRef.from_dir(str(home))) as instance:
        with execute_job(reconstructable(ui_job), instance=instance,
                         tags={"dagster/partition": "2021"}) as result:
            assert result.success
        banen = AssetKey(["meting", "banen"])
        assert instance.get_materialized_partitions(banen) == {"2012", "2021"}
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert con.execute("SELECT DISTINCT jaar FROM meting.banen ORDER BY 1").fetchall() == [(2012,), (2021,)]
    finally:
        con.close()
    assert os.path.exists(warehouse)
    # The run's Data Docs (written by the GX worker process) open without network.
    from pipeline.kwaliteit.offline import offline_problems

    sites = sorted(warehouse.with_name("w.duckdb.werk").glob("data_docs/*/*/index.html"))
    assert [s.parent.name for s in sites] == sorted(["werkgevers", "doelgroepregister", "polis_venster", "inleen"])
    for site in sites:
        assert offline_problems(site.parent) == [] and "https://cdn" not in site.read_text(encoding="utf-8")
