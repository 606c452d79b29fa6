# ruff: noqa: E501  (one workload per line, as a user writes them)
"""Numbers that parse but are absurd never reach BI: the workload parser refuses them with the field
named, and the blocking plausibility checks (GX on a DuckDB profile of each table) name the table,
column, bound and offending rows of anything that slips through, and nothing is published."""

import dagster as dg
import duckdb
import pytest

from dagster_project.lib.plausibility import bound_for, check_database, describe
from ingestion.sources.workloads.load import load_workloads

CHECK = "plausible_values"

ABSURD = """workloads:
  - {id: inf-days, kind: training, accelerator: H100 SXM5 80GB, days: .inf, location: {country: FR}}
  - {id: nan-power, kind: training, accelerator: H100 SXM5 80GB, days: 1, power: {measured_w: .nan}, location: {country: FR}}
  - {id: trillion-gpus, kind: training, accelerator: H100 SXM5 80GB, count: 1000000000000, days: 1, location: {country: FR}}
  - {id: forever, kind: training, accelerator: H100 SXM5 80GB, days: 1e300, location: {country: FR}}
  - {id: forever-range, kind: training, accelerator: H100 SXM5 80GB, days: {low: 1, central: 2, high: 1e9}, location: {country: FR}}
  - {id: LONGID, kind: training, accelerator: H100 SXM5 80GB, days: 1, location: {country: FR}}
  - {id: fine, kind: training, accelerator: H100 SXM5 80GB, days: 1, location: {country: FR}}
""".replace("LONGID", "a" * 100_000)


def test_absurd_workload_values_are_quarantined_with_the_field_named(tmp_path, resolver, places):
    (tmp_path / "absurd.yaml").write_text(ABSURD)
    result = load_workloads(tmp_path, resolver=resolver, places=places, load_id="t")
    assert result.rows["workload_id"].to_list() == ["fine"]
    rejected = {r["source_row"] - 1: r for r in result.rejected.rows(named=True)}  # line 1 is `workloads:`
    assert [rejected[i]["field"] for i in range(1, 7)] == ["days", "power.measured_w", "count", "days",
                                                           "days", "id"]
    assert "finite" in rejected[1]["reason"] and "10000000" in rejected[3]["reason"]
    assert "36,500" in rejected[5]["reason"] and "at most 200 characters" in rejected[6]["reason"]
    assert len(rejected[6]["record_name"]) < 300 and "100,000 characters" in rejected[6]["record_name"]


@pytest.mark.parametrize(("column", "low", "high"), [
    ("days_central", 0, 36_500), ("location_kgco2e_central", -1e11, 1e11), ("facility_energy_kwh_high", -1e11, 1e11),
    ("tdp_w", 0, 1e5), ("accelerator_count", 0, 1e7), ("gco2e_per_kwh", 0, 5_000), ("pue_central", 1, 5),
    ("water_offsite_l_central", -1e13, 1e13), ("bf16_fp16_rank_in_year", 1, 1e7), ("release_year", 1950, 2100),
])
def test_each_kind_of_figure_has_its_physical_bound(column, low, high):
    bound = bound_for(column)
    assert (bound.low, bound.high) == (low, high), bound


def test_the_check_names_table_column_bound_and_rows_and_passes_clean_tables():
    conn = duckdb.connect()
    conn.execute("create schema marts")
    conn.execute("""create table marts.fct_workload_footprint as select * from (values
        ('ok', 10.0, 5.0, 8), ('inf', 'inf'::double, 5.0, 8), ('nan', 'nan'::double, 5.0, 8),
        ('huge', 1e300, 5.0, 8), ('gpus', 1.0, 5.0, 1000000000000), ('null', null, null, null))
        t(workload_id, it_energy_kwh_central, days_central, accelerator_count)""")
    conn.execute(f"insert into marts.fct_workload_footprint values ('{'x' * 100_000}', 1.0, 1.0, 1)")
    passed, metadata, failing = check_database(conn)
    assert not passed and metadata["failed_columns"] == 3
    assert {r["column"]: r["violations"] for r in failing} == {"it_energy_kwh_central": 3, "accelerator_count": 1,
                                                              "workload_id": 1}
    message = describe(failing)
    assert "marts.fct_workload_footprint.it_energy_kwh_central: 3 value(s) outside -1e+11 to 1e+11 (kWh" in message
    assert "e.g. inf inf; nan nan; huge 1e+300" in message and "gpus 1000000000000" in message
    assert "workload_id: 1 value(s) outside 1 to 200 (id length in characters)" in message
    gx_failed = metadata["failed_expectations"].value  # GX's own verdict on the profile, rows named
    assert gx_failed[0]["unexpected_count"] == 3
    assert any(row.startswith("table=marts.fct_workload_footprint, column=accelerator_count,")
               for row in gx_failed[0]["rows"]), gx_failed[0]["rows"]

    conn.execute("delete from marts.fct_workload_footprint where workload_id <> 'ok'")
    assert check_database(conn)[0]


def test_an_implausible_build_is_not_published_and_the_check_says_why(tmp_path, monkeypatch):
    from dagster_project.defs.serving.assets import published_warehouse_asset
    from dagster_project.lib.publish import current_build, publish_warehouse

    warehouse, published = tmp_path / "warehouse" / "footprint.duckdb", tmp_path / "published"
    warehouse.parent.mkdir()
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("create schema marts; create table marts.fct_workload_footprint as "
                     "select 'w' as workload_id, 10.0::double as location_kgco2e_central")
    first = publish_warehouse(warehouse, published)["build_id"]
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("insert into marts.fct_workload_footprint values ('typo', 6.6e11)")
    monkeypatch.setenv("FOOTPRINT_DUCKDB_PATH", str(warehouse))
    monkeypatch.setenv("FOOTPRINT_PUBLISHED_DIR", str(published))
    result = dg.materialize([published_warehouse_asset([])], raise_on_error=False)
    assert not result.success
    check = result.get_asset_check_evaluations()[0]
    assert check.check_name == CHECK and not check.passed and check.metadata["failed_columns"].value == 1
    failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    assert "nothing published: marts.fct_workload_footprint.location_kgco2e_central: 1 value(s) outside " \
           "-1e+11 to 1e+11" in failure.step_failure_data.user_failure_data.description
    assert "e.g. typo 660000000000.0" in failure.step_failure_data.user_failure_data.description
    assert current_build(published) == first and [p.name for p in (published / "builds").iterdir()] == [first]


def test_the_publish_carries_a_blocking_plausibility_check():
    from dagster_project.definitions import defs

    graph = defs().resolve_asset_graph()
    key = dg.AssetCheckKey(dg.AssetKey(["serving", "published_warehouse"]), CHECK)
    assert key in graph.asset_check_keys and graph.get_check_spec(key).blocking
