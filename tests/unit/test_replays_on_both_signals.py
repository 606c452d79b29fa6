"""int_carbon_aware_replays (the dbt python model itself) on a crafted case: the average and the
marginal signal give different best starts and savings, and only zones with a marginal rate get
marginal rows. The model runs on a DuckDB session holding its inputs, as dbt-duckdb runs it."""

import datetime as dt
import importlib.util

import duckdb
import polars as pl
import pytest

from tests.conftest import REPO

T0 = dt.datetime(2025, 1, 6)
MODEL = REPO / "dbt" / "models" / "intermediate" / "logs" / "int_carbon_aware_replays.py"


class Config:
    def __init__(self, values):
        self.values = values

    def get(self, name):
        return self.values.get(name)

    def __call__(self, **_):
        return None


class Dbt:
    """What the model reads of dbt: its refs (tables of the session), its config, a full build."""

    is_incremental = False

    def __init__(self, session):
        self.session = session
        self.config = Config({"flexibility_hours": [0, 6]})

    def ref(self, name):
        return self.session.table(name)


def hours(zone, values, **extra):
    return pl.DataFrame({"zone_id": zone, "hour_start": [T0 + dt.timedelta(hours=i) for i in range(len(values))],
                         "gco2e_per_kwh": values, "loaded_at": T0, **extra})


@pytest.fixture
def session():
    conn = duckdb.connect()
    average = [300.0, 300, 300, 300, 100, 300, 300, 300, 300, 300, 300, 300]  # wind at 04:00
    marginal = [700.0, 700, 400, 700, 900, 700, 700, 700, 700, 700, 700, 700]  # at 04:00 gas answers; at 02:00, hydro
    tables = {
        "int_grid_intensity_hourly_for_pricing": pl.concat([hours("Z", average), hours("Y", average)]),
        "int_grid_forecasts_hourly": hours("Z", average, feed="uk_neso", basis="direct", issued_at=T0),
        "int_grid_marginal_hourly": hours("Z", marginal),
        "int_grid_marginal_forecasts_hourly": hours("Z", marginal, feed="watttime", basis="direct", issued_at=T0),
        "int_jobs_unified": pl.DataFrame({
            "job_key": ["z", "y"], "job_version": [1, 1], "zone_id": ["Z", "Y"],
            "start_utc": [T0, T0], "end_utc": [T0 + dt.timedelta(hours=1)] * 2,
            "submit_utc": [T0, T0], "it_energy_kwh": [2.0, 2.0], "pue": [1.0, 1.0]}),
    }
    for name, frame in tables.items():
        conn.register(f"{name}_frame", frame.to_arrow())
        conn.execute(f"create table {name} as select * from {name}_frame")
    return conn


def test_the_average_and_the_marginal_signal_each_give_their_own_best_start(session):
    spec = importlib.util.spec_from_file_location("int_carbon_aware_replays", MODEL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rows = module.model(Dbt(session), session)
    six = {(r["job_key"], r["signal"]): r for r in rows.filter(pl.col("flexibility_h") == 6).to_dicts()}

    assert set(six) == {("z", "average"), ("z", "marginal"), ("y", "average")}  # Y has no marginal rate
    average, marginal = six[("z", "average")], six[("z", "marginal")]
    # average: 2 kWh at 300 g as run; waiting 4 hours for the wind gives 100 g: 0.6 -> 0.2 kg
    assert (average["delay_h"], average["original_kgco2e"], average["best_kgco2e"]) == (4, pytest.approx(0.6),
                                                                                        pytest.approx(0.2))
    # marginal: the same shift to 04:00 would add gas (900 g); the margin is cleanest at 02:00 (400 g)
    assert (marginal["delay_h"], marginal["original_kgco2e"], marginal["best_kgco2e"]) == (2, pytest.approx(1.4),
                                                                                          pytest.approx(0.8))
    # each signal's forecast (here exact) leads the scheduler to the same start as hindsight
    assert (average["decided_delay_h"], marginal["decided_delay_h"]) == (4, 2)
    assert marginal["decision"] == average["decision"] == "forecast"
