import csv
import shutil

import pytest

from ingestion.sources.water.load import WaterInputs, load_water
from tests.conftest import DATA


@pytest.fixture
def water(tmp_path):
    shutil.copytree(DATA / "water", tmp_path / "water")
    shutil.copytree(DATA / "grid", tmp_path / "grid")
    return tmp_path


def append(path, **row):
    with open(path, newline="") as handle:
        fields = next(csv.reader(handle))
    with open(path, "a", newline="") as handle:
        csv.DictWriter(handle, fieldnames=fields).writerow(row)


def load(root):
    return load_water(WaterInputs(root / "water", root / "grid"))


def test_the_bundled_reference_loads_whole_with_the_three_large_clouds_and_defaults():
    result = load_water(WaterInputs(DATA / "water", DATA / "grid"))
    assert result.rejected.height == 0, result.messages
    e = result.efficiency
    for provider in ("aws", "azure", "gcp"):
        assert e.filter((e["provider"] == provider) & (e["metric"] == "PUE")).height >= 1, provider
    assert e.filter(e["provider"] == "default")["metric"].sort().to_list() == ["PUE", "WUE"]
    assert e["source"].null_count() == 0
    defaults = result.factors.filter(result.factors["is_fuel_default"])
    assert defaults["fuel"].is_unique().all() and {"coal", "gas", "nuclear", "hydro", "solar", "wind"} <= set(
        defaults["fuel"])


@pytest.mark.parametrize(("row", "field", "reason"), [
    ({"metric": "PUE", "central": "0.95"}, "central", "PUE below 1 is impossible"),
    ({"metric": "WUE", "central": "-0.2", "unit": "L/kWh IT"}, "central", "WUE cannot be negative"),
    ({"metric": "PUE", "low": "1.3", "central": "1.2"}, "central", "lies outside"),
    ({"metric": "CUE", "central": "0.4"}, "metric", "metric must be one of PUE, WUE"),
])
def test_impossible_efficiency_figures_are_quarantined_naming_the_row(water, row, field, reason):
    path = water / "water" / "datacenter_efficiency.csv"
    good = len(path.read_text().splitlines()) - 1
    append(path, **{"provider": "acme", "scope": "region", "region": "", "location": "Atlantis", "year": "2024",
                    "unit": "ratio", "source": "test", "source_url": "", "licence": "x", **row})
    result = load(water)
    assert result.efficiency.height == good
    rejected = result.rejected.row(0, named=True)
    assert (rejected["source_file"], rejected["source_row"], rejected["field"]) == (
        "datacenter_efficiency.csv", good + 2, field)
    assert reason in rejected["reason"] and "acme region" in rejected["record_name"]


def test_an_unknown_fuel_in_the_water_factors_is_quarantined(water):
    append(water / "water" / "water_factors.csv", fuel="unobtainium", technology="t", cooling="tower",
           metric="consumption", low_l_per_kwh="", central_l_per_kwh="1.0", high_l_per_kwh="",
           is_fuel_default="False", source="s", note="", licence="x")
    result = load(water)
    assert result.rejected.row(0, named=True)["reason"] == "unknown fuel name"
    assert "water_factors.csv:" in result.messages[0] and "unobtainium" in result.messages[0]


def test_withdrawal_is_kept_apart_from_consumption(water):
    append(water / "water" / "water_factors.csv", fuel="coal", technology="generic", cooling="once-through",
           metric="withdrawal", low_l_per_kwh="", central_l_per_kwh="137.0", high_l_per_kwh="",
           is_fuel_default="False", source="s", note="", licence="x")
    factors = load(water).factors
    assert factors.filter(factors["metric"] == "withdrawal").height == 1
    assert factors.filter(factors["is_fuel_default"] & (factors["fuel"] == "coal"))["metric"].to_list() == [
        "consumption"]
