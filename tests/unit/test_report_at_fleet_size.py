"""The report at the sizes users have: months of fleet logs are drawn per week, month or year, never a
bar per day and cluster (90 days of 4 clusters would be 360 bars); years of hourly intensity as daily
means, not a point per hour."""

from html import unescape

import duckdb
import pytest

from dagster_project.lib.report.build import MAX_BARS, hourly_section, jobs_period, jobs_section


def fleet(days: int, clusters: int) -> duckdb.DuckDBPyConnection:
    conn = duckdb.connect()
    conn.execute("create schema marts")
    conn.execute(f"""create table marts.fct_job_footprint_daily as
                     select date '2025-01-01' + d::int as day, 'c' || c as cluster, 3 as jobs,
                            1.5::double as location_kgco2e
                     from range({days}) t(d), range({clusters}) u(c)""")
    conn.execute("create table marts.fct_carbon_aware_savings (job_key varchar, flexibility_h int, signal varchar, "
                 "original_kgco2e double, saving_kgco2e double, saving_as_decided_kgco2e double, decision varchar)")
    return conn


@pytest.mark.parametrize(("days", "clusters", "period"), [
    (10, 2, "day"),  # 20 bars
    (20, 2, "day"),  # 40 bars, the limit
    (90, 4, "month"),  # 13-14 weeks x 4 > 40; 3 months x 4 = 12
    (60, 2, "week"),  # 120 days-clusters; 9-10 weeks x 2
    (3 * 365, 20, "year"),
])
def test_the_jobs_chart_takes_the_finest_period_that_fits(days, clusters, period):
    assert jobs_period(fleet(days, clusters)) == period


def test_a_quarter_of_a_fleet_is_one_bar_per_month_and_cluster_with_every_job_kept():
    html = jobs_section(fleet(90, 4))
    assert html.count("<rect x=") - html.count('class="swatch"') == 12 <= MAX_BARS
    assert "1,080 job-days in the logs weigh 540 kgCO2e" in html and "per UTC month" in html


def test_two_years_of_hourly_intensity_are_drawn_as_daily_means():
    conn = duckdb.connect()
    conn.execute("create schema marts")
    conn.execute("""create table marts.fct_grid_intensity_hourly as
                    select 'GB' as zone_id, timestamp '2023-01-01' + interval (h) hour as hour_start,
                           100.0 + (h % 24)::double as gco2e_per_kwh, true as is_preferred, 'lifecycle' as basis
                    from range(2 * 8760) t(h)""")
    html = unescape(hourly_section(conn))
    (points,) = [line.split('points="')[1].split('"')[0].split() for line in html.splitlines() if "<polyline" in line]
    assert len(points) == 730 and "days from the start of each zone's sample (daily means)" in html
    assert html.count("GB swings from 100 to 123 gCO2e/kWh") == 2  # the finding reads the hours (title, label)
