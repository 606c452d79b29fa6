"""Refresh runs validate the zone-hours loaded since the last passing check; partition writes stamp
the time of the write, which incremental models and those checks select on."""

import datetime as dt

import dagster as dg
import duckdb
import polars as pl
from dagster_duckdb import DuckDBResource

from dagster_project.defs.grid.hourly_checks import grid_hourly_gaps, observations
from dagster_project.lib.warehouse import replace_partition


def hour_row(zone: str, hour: int, feed: str = "eia") -> dict:
    start = dt.datetime(2024, 1, 1, hour)
    return {"feed": feed, "zone_id": zone, "period_start": start, "period_end": start + dt.timedelta(hours=1),
            "gco2e_per_kwh": 100.0 + hour, "kind": "actual", "basis": "lifecycle", "source": "test",
            "retrieved_at": dt.datetime(2024, 1, 2)}


def test_partition_writes_stamp_the_write_time_and_add_columns_a_table_lacks():
    conn = duckdb.connect()
    conn.execute("create schema raw")
    conn.execute("create table raw.obs as select * from (select 'eia' as feed, 'US-CAL-CISO' as zone_id) where false")
    replace_partition(conn, "raw", "obs", pl.DataFrame([{"feed": "eia", "zone_id": "A", "gco2e_per_kwh": 1.0}]),
                      "zone_id = ?", ["A"])
    first = conn.execute("select loaded_at from raw.obs").fetchone()[0]
    replace_partition(conn, "raw", "obs", pl.DataFrame([{"feed": "eia", "zone_id": "B", "gco2e_per_kwh": 2.0}]),
                      "zone_id = ?", ["B"])
    rows = conn.execute("select zone_id, gco2e_per_kwh, loaded_at from raw.obs order by zone_id").fetchall()
    assert [r[:2] for r in rows] == [("A", 1.0), ("B", 2.0)]  # the column the old table lacked was added
    assert rows[0][2] == first < rows[1][2]  # later writes, later stamps, whatever the rows say they are


def test_a_refresh_validates_the_zone_hours_loaded_since_the_last_pass_with_their_older_rows():
    conn = duckdb.connect()
    conn.execute("create schema raw")
    old = [hour_row("A", 1), hour_row("A", 2), hour_row("B", 1)]
    replace_partition(conn, "raw", "obs", pl.DataFrame(old), "true", [])
    (since,) = conn.execute("select cast(max(loaded_at) as varchar) from raw.obs").fetchone()
    # later: zone A's hour 2 from another feed, and a second copy of zone A's hour 1, as a bad write leaves it
    replace_partition(conn, "raw", "obs", pl.DataFrame([hour_row("A", 2, feed="entsoe")]), "feed = 'entsoe'", [])
    conn.execute("insert into raw.obs by name select * replace (now()::timestamp + interval 1 hour as loaded_at) "
                 "from raw.obs where zone_id = 'A' and hour(period_start) = 1")
    scoped = observations(conn, "raw.obs", "period_end", "period_start", since)
    assert len(scoped) == 4 and set(scoped["zone_id"]) == {"A"}  # both rows of both zone-hours of A; not B
    assert sorted(scoped["copies"].tolist()) == [1, 1, 2, 2]  # the old copy counted with the new one
    everything = observations(conn, "raw.obs", "period_end", "period_start", None)
    assert len(everything) == 5


def test_gaps_are_reported_per_series_with_their_length(tmp_path):
    path = tmp_path / "footprint.duckdb"
    with duckdb.connect(str(path)) as conn:
        conn.execute("create schema marts")
        conn.execute("""create table marts.fct_grid_intensity_hourly as
            select 'GB' as zone_id, 'uk_neso' as feed, 'actual' as kind,
                   timestamp '2024-01-01' + to_hours(h) as hour_start, false as is_sample
            from range(48) t(h) where h not between 10 and 12
            union all
            select 'FR', 'electricity_maps', 'actual', timestamp '2024-01-01' + to_hours(h), false from range(48) t(h)
            union all
            select 'FR', 'electricity_maps', 'actual', timestamp '2024-01-01', false  -- a repeated hour: no gap
            union all  -- two bundled recordings years apart: not a feed's gap
            select 'FR', 'electricity_maps', 'actual', timestamp '2020-01-01' + to_hours(h), true from range(3) t(h)
            union all
            select 'FR', 'electricity_maps', 'actual', timestamp '2017-10-01' + to_hours(h), true from range(3) t(h)""")
    result = grid_hourly_gaps(duckdb=DuckDBResource(database=str(path)))
    assert not result.passed and result.severity == dg.AssetCheckSeverity.WARN
    assert result.metadata["series"].value == 2 and result.metadata["gaps"].value == 1
    assert result.metadata["missing_hours"].value == 3
    assert result.metadata["largest_gaps"].value == [{"zone_id": "GB", "feed": "uk_neso", "kind": "actual",
                                                      "gap_start": "2024-01-01T10:00Z", "gap_end": "2024-01-01T13:00Z",
                                                      "gap_hours": 3}]
