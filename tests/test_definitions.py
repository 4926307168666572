"""The Dagster definitions load, and the asset graph is the one the method prescribes."""

from __future__ import annotations

import os

from dagster import AssetKey

os.environ.setdefault("BANENAFSPRAAK_DELIVERY", "/nonexistent")
os.environ.setdefault("BANENAFSPRAAK_WAREHOUSE", "/tmp/banenafspraak-test.duckdb")
os.environ.setdefault("BANENAFSPRAAK_PSEUDONIEM_SLEUTEL", "test")

from pipeline.definitions import defs  # noqa: E402
from pipeline.meting.assets import STEPS  # noqa: E402
from pipeline.sqlfiles import sql_hash  # noqa: E402


def test_definitions_load_with_job_schedule_and_checks():
    graph = defs.resolve_asset_graph()
    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    assert keys == {
        "levering/polis", "levering/werkgevers", "levering/doelgroepregister", "ref/referentiedata", "ingest/werkgevers", "ingest/doelgroepregister", "ingest/polis",
        "werk/definitieve_versies", "werk/venster_uren", "werk/doelgroep_uren", "werk/werkgever_peildatum",
        "werk/vorm_uren", "werk/telbare_uren", "werk/uren_per_cel", "werk/banen_per_cel",
        "meting/banen", "meting/personen", "meting/banen_overheidssector", "audit/verantwoording", "publicatie/warehouse",
    }
    assert defs.resolve_job_def("jaarmeting") is not None
    schedule = defs.resolve_schedule_def("jaarlijkse_meting")
    assert schedule.cron_schedule == "0 6 2 5 *"
    checks = {k.name for k in graph.asset_check_keys}
    assert {"rijen_sluiten", "quarantaine_onder_drempel"} <= checks


def test_every_year_depends_on_the_nulmeting():
    graph = defs.resolve_asset_graph()
    banen, cellen = AssetKey(["meting", "banen"]), AssetKey(["werk", "banen_per_cel"])
    assert cellen in graph.get(banen).parent_keys
    mapping = graph.get_partition_mapping(banen, cellen)
    downstream_of = mapping.downstream_partition_keys_by_upstream_partition_key
    years = defs.resolve_job_def("jaarmeting").partitions_def.get_partition_keys()
    assert set(downstream_of["2012"]) == set(years)  # the nulmeting feeds every year
    assert set(downstream_of["2021"]) == {"2021"}


def test_code_version_is_the_hash_of_the_sql_text():
    graph = defs.resolve_asset_graph()
    for step in STEPS:
        assert graph.get(step.key).code_version == sql_hash([step.sql])


def test_partitions_start_at_the_nulmeting():
    partitions = defs.resolve_job_def("jaarmeting").partitions_def.get_partition_keys()
    assert partitions[0] == "2012"
    assert "2021" in partitions


def test_ingest_assets_depend_on_the_observable_delivery_sources():
    graph = defs.resolve_asset_graph()
    for extract in ("polis", "werkgevers", "doelgroepregister"):
        assert AssetKey(["levering", extract]) in graph.get(AssetKey(["ingest", extract])).parent_keys
