import dagster as dg
import pytest

from dagster_project.definitions import defs
from dagster_project.lib.pools import WRITER_POOL
from tests.conftest import REPO

RAW = dg.AssetKey(["raw", "hardware_accelerators"])
MART = dg.AssetKey(["marts", "dim_accelerators"])
PUBLISHED = dg.AssetKey(["serving", "published_warehouse"])


@pytest.fixture(scope="module")
def definitions(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("FOOTPRINT_DUCKDB_PATH", str(tmp_path_factory.mktemp("w") / "footprint.duckdb"))
    yield defs()
    mp.undo()


def test_definitions_load_and_validate(definitions):
    dg.Definitions.validate_loadable(definitions)
    assert definitions.resolve_job_def("build_warehouse")


def test_asset_keys_follow_the_warehouse_schema_and_groups_follow_the_layer(definitions):
    graph = definitions.resolve_asset_graph()
    expected = {
        RAW: "ingestion",
        dg.AssetKey(["raw", "hardware_accelerators_rejected"]): "ingestion",
        dg.AssetKey(["staging", "stg_hardware__accelerators"]): "staging",
        dg.AssetKey(["intermediate", "int_accelerators_enriched"]): "intermediate",
        MART: "marts_hardware",
        PUBLISHED: "serving",
    }
    for key, group in expected.items():
        assert graph.get(key).group_name == group, key
    # every asset in one of the six layers (the marts one group per domain folder, as dbt/models/marts/
    # holds them), none left in Dagster's "default" group; raw/* is ingestion
    groups = {key: graph.get(key).group_name for key in graph.get_all_asset_keys()}
    domains = {f"marts_{d.name}" for d in (REPO / "dbt" / "models" / "marts").iterdir() if d.is_dir()}
    assert len(domains) >= 5 and set(groups.values()) == {"sources", "ingestion", "staging", "intermediate",
                                                            "serving"} | domains
    assert all(groups[key].startswith("marts_") for key in groups if key.path[0] == "marts")
    assert {g for key, g in groups.items() if key.path[0] == "raw"} == {"ingestion"}


def test_lineage_is_one_graph_from_the_catalog_files_to_the_published_warehouse(definitions):
    graph = definitions.resolve_asset_graph()
    ancestors = _ancestors(graph, PUBLISHED)
    assert {RAW, MART, dg.AssetKey(["sources", "hardware_catalog_files"])} <= ancestors
    assert ancestors | {PUBLISHED} == set(graph.get_all_asset_keys())  # nothing hangs loose


def _ancestors(graph, key):
    seen, todo = set(), [key]
    while todo:
        for parent in graph.get(todo.pop()).parent_keys:
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return seen


def test_every_writing_asset_shares_the_single_writer_pool(definitions):
    graph = definitions.resolve_asset_graph()
    for key in graph.materializable_asset_keys:
        node = graph.get(key).assets_def.node_def
        # a graph-backed asset (the live feeds: fetch, then write) has its writing op in the pool
        pools = {op.pool for op in node.iterate_op_defs()} if isinstance(node, dg.GraphDefinition) else {node.pool}
        assert WRITER_POOL in pools and pools <= {WRITER_POOL, None}, key


def test_checks_cover_raw_and_marts_and_raw_checks_block(definitions):
    graph = definitions.resolve_asset_graph()
    checks = {(k.asset_key, k.name) for k in graph.asset_check_keys}
    assert (RAW, "gx_raw_hardware_accelerators") in checks
    assert (MART, "gx_marts_dim_accelerators") in checks
    assert any(asset == MART and name.startswith("unique_") for asset, name in checks)  # dbt tests


def test_the_grid_refresh_is_scheduled_hourly_and_downstream_follows(definitions):
    schedule = definitions.resolve_schedule_def("hourly_grid_refresh")
    assert schedule.cron_schedule == "5 * * * *" and schedule.job_name == "refresh_grid_feeds"
    follow = definitions.resolve_sensor_def("follow_grid_refresh")
    assert follow.job_name == "rebuild_after_refresh"
    graph = definitions.resolve_asset_graph()
    rebuilt = definitions.resolve_job_def("rebuild_after_refresh").asset_layer.selected_asset_keys
    assert dg.AssetKey(["marts", "fct_grid_intensity_hourly"]) in rebuilt and PUBLISHED in rebuilt
    assert dg.AssetKey(["marts", "dim_accelerators"]) not in rebuilt  # only what the feeds feed
    assert graph.get(dg.AssetKey(["raw", "grid_intensity_observations"])).partitions_def is not None


def test_the_published_copy_follows_every_asset_but_the_source_files_whichever_folder_defines_it():
    from dagster_project.defs.serving.assets import PUBLISHED, upstream_of_publication

    @dg.asset(key=["raw", "a_new_source"])
    def a_new_source():
        return None

    files = dg.AssetSpec(["sources", "a_new_source_files"])
    extended = dg.Definitions.merge(defs(), dg.Definitions(assets=[a_new_source, files]))
    upstream = upstream_of_publication(extended)
    assert dg.AssetKey(["raw", "a_new_source"]) in upstream and PUBLISHED not in upstream
    assert not [key for key in upstream if key.path[0] == "sources"]
    parents = defs().resolve_asset_graph().get(PUBLISHED).parent_keys
    assert parents == set(upstream_of_publication(defs())) and len(parents) > 90
