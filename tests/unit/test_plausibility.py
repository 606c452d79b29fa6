# ruff: noqa: E501  (one workload per line, as a user writes them)
"""Numbers that parse but are absurd never reach BI: the workload parser refuses them with the field
named, and the blocking plausibility checks (GX on a DuckDB profile of each table) name the table,
column, bound and offending rows of anything that slips through."""

import dagster as dg
import duckdb
import pytest

from dagster_project.defs.plausibility.checks import CHECK, validate_table
from dagster_project.lib.plausibility import bound_for
from ingestion.sources.workloads.load import load_workloads

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
    rejected = {r["source_row"]: r for r in result.rejected.rows(named=True)}
    assert [rejected[i]["field"] for i in range(1, 7)] == ["days", "power.measured_w", "count", "days",
                                                           "(workload)", "id"]
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
    result = validate_table(conn, dg.AssetKey(["marts", "fct_workload_footprint"]))
    assert not result.passed and result.check_name == CHECK
    failed = result.metadata["failed_expectations"].value
    assert len(failed) == 1 and failed[0]["unexpected_count"] == 3  # energy, count and id columns
    rows = failed[0]["rows"]
    assert "'column': 'it_energy_kwh_central'" in rows and "inf inf; nan nan; huge 1e+300" in rows
    assert "'column': 'accelerator_count'" in rows and "gpus 1000000000000" in rows
    assert "'column': 'workload_id'" in rows and "1 to 200 (id length in characters)" in rows
    assert "-1e+11 to 1e+11 (kWh" in rows

    conn.execute("delete from marts.fct_workload_footprint where workload_id <> 'ok'")
    assert validate_table(conn, dg.AssetKey(["marts", "fct_workload_footprint"])).passed


def test_every_raw_table_and_mart_has_a_blocking_plausibility_check():
    from dagster_project.definitions import defs

    graph = defs().resolve_asset_graph()
    checked = {k.asset_key for k in graph.asset_check_keys if k.name == CHECK}
    marts = {k for k in graph.get_all_asset_keys() if k.path[0] == "marts"}
    assert marts <= checked
    assert {dg.AssetKey(["raw", "workloads"]), dg.AssetKey(["raw", "hardware_accelerators"]),
            dg.AssetKey(["raw", "gpu_power_samples"])} <= checked
    assert all(graph.get_check_spec(k).blocking for k in graph.asset_check_keys if k.name == CHECK)
