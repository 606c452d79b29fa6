import csv
import shutil
from pathlib import Path

import pytest

from ingestion.sources.grid.catalog import AnnualInputs, load_annual, parse_import
from ingestion.sources.grid.reference import GridReference
from tests.conftest import DATA

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.fixture(scope="module")
def reference() -> GridReference:
    return GridReference.load(DATA / "grid/countries.csv", DATA / "grid/fuels.csv")


def test_bundled_annual_data_covers_200_countries_from_2000_to_the_latest_year():
    result = load_annual(AnnualInputs(DATA / "grid"))
    assert result.rejected.height == 0, result.messages[:5]
    countries = result.intensity.filter(result.intensity["zone_id"] != "WORLD")
    assert countries["zone_id"].n_unique() >= 200
    assert countries["year"].min() == 2000 and countries["year"].max() >= 2024
    assert result.intensity["source"].null_count() == result.intensity["licence"].null_count() == 0
    by_zone = {r["zone_id"]: r["gco2e_per_kwh"] for r in result.intensity.filter(result.intensity["year"] == 2022)
               .to_dicts()}
    # Units and zone mapping hold: nuclear France, mixed Germany, coal-heavy Poland.
    assert by_zone["FR"] < 100 < 300 < by_zone["DE"] < 500 < 600 < by_zone["PL"]
    assert set(result.mix["fuel"]) <= {"coal", "gas", "oil", "other_fossil", "nuclear", "hydro", "solar",
                                      "wind", "bioenergy", "other_renewables"}


def test_owid_importer_reads_the_real_file_keeping_world_and_skipping_aggregates(shared_reference, reference):
    result = parse_import(shared_reference / "owid/owid_electricity_subset_2000plus.csv", reference, "t")
    zones = set(result.intensity["zone_id"])
    assert "WORLD" in zones and "XK" in zones  # OWID_WRL and OWID_KOS are kept
    assert len(zones) >= 200
    # The real file has 14 zone-years whose mix sums far from 100 % (a vintage gap): quarantined whole.
    incomplete = result.rejected.filter(result.rejected["reason"].str.contains("mix sums to"))
    assert incomplete.height == result.rejected.height and incomplete["record_name"].n_unique() == 14
    assert "TM 2022" in set(incomplete["record_name"])
    fr = result.mix.filter((result.mix["zone_id"] == "FR") & (result.mix["year"] == 2020))
    assert fr.filter(fr["fuel"] == "nuclear")["share_pct"].item() == pytest.approx(67, abs=3)
    assert sum(fr["share_pct"]) == pytest.approx(100, abs=1)


def test_ember_long_format_takes_intensity_and_fuel_shares_and_quarantines_the_rest(reference):
    result = parse_import(FIXTURES / "ember_yearly_long_sample.csv", reference, "t")
    intensity = {(r["zone_id"], r["year"]): r["gco2e_per_kwh"] for r in result.intensity.to_dicts()}
    assert intensity == {("DE", 2023): 380.95, ("FR", 2023): 56.0, ("WORLD", 2023): 480.2}
    de = {r["fuel"]: r["share_pct"] for r in result.mix.to_dicts() if r["zone_id"] == "DE"}
    assert de == {"coal": 26.1, "gas": 15.5, "wind": 31.1, "solar": 12.1, "nuclear": 1.4, "hydro": 4.4,
                  "bioenergy": 8.4, "other_fossil": 0.5, "other_renewables": 0.5}  # no aggregate, no TWh row
    reasons = {r["record_name"]: (r["field"], r["reason"]) for r in result.rejected.to_dicts()}
    assert reasons["France"] == ("fuel", "unknown fuel name")
    assert "FR 2023 mix sums to 64.80 %" in reasons["FR 2023"][1]  # without the unknown fuel it is incomplete
    assert reasons["Atlantis"][0] == "code" and "unknown country code" in reasons["Atlantis"][1]


@pytest.mark.parametrize(("change", "field", "reason"), [
    ({"gco2e_per_kwh": "-5"}, "gco2e_per_kwh", "carbon intensity cannot be negative"),
    ({"zone_id": "ZZ"}, "code", "unknown country code"),
    ({"year": "20x4"}, "year", "year is not a number"),
])
def test_a_bad_bundled_intensity_row_is_quarantined_and_the_rest_loads(tmp_path, change, field, reason):
    shutil.copytree(DATA / "grid", tmp_path / "grid")
    path = tmp_path / "grid" / "annual_intensity.csv"
    with open(path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    with open(path, "a", newline="") as handle:
        csv.DictWriter(handle, fieldnames=list(rows[0])).writerow({**rows[0], "year": "1999", **change})
    result = load_annual(AnnualInputs(tmp_path / "grid"))
    assert result.intensity.height == len(rows)
    rejected = result.rejected.row(0, named=True)
    assert (rejected["source_file"], rejected["source_row"], rejected["field"]) == (
        "annual_intensity.csv", len(rows) + 2, field)
    assert reason in rejected["reason"]


def test_a_share_above_100_or_an_unknown_fuel_is_quarantined(tmp_path):
    shutil.copytree(DATA / "grid", tmp_path / "grid")
    path = tmp_path / "grid" / "annual_generation_mix.csv"
    with open(path, "a", newline="") as handle:
        handle.write("DE,1999,coal,140,x,1999,CC BY 4.0\nDE,1999,unobtainium,10,x,1999,CC BY 4.0\n")
    result = load_annual(AnnualInputs(tmp_path / "grid"))
    reasons = sorted((r["field"], r["reason"]) for r in result.rejected.to_dicts())
    assert reasons == [("fuel", "unknown fuel name"), ("share_pct", "a share of generation lies within 0-100 %")]


def test_an_imported_file_replaces_bundled_rows_of_the_same_zone_and_year(tmp_path):
    shutil.copytree(DATA / "grid", tmp_path / "grid")
    shutil.copy(FIXTURES / "ember_yearly_long_sample.csv", tmp_path / "grid/imports/ember.csv")
    result = load_annual(AnnualInputs(tmp_path / "grid"))
    de = result.intensity.filter((result.intensity["zone_id"] == "DE") & (result.intensity["year"] == 2023))
    assert de.height == 1 and de["gco2e_per_kwh"].item() == 380.95 and de["source_file"].item() == "ember.csv"
    mix = result.mix.filter((result.mix["zone_id"] == "DE") & (result.mix["year"] == 2023))
    assert set(mix["source_file"]) == {"ember.csv"}


def test_a_mix_with_a_missing_fuel_is_quarantined_whole_naming_its_total(tmp_path):
    shutil.copytree(DATA / "grid", tmp_path / "grid")
    path = tmp_path / "grid" / "annual_generation_mix.csv"
    with open(path, "a", newline="") as handle:  # only two fuels: 60 % of the mix is missing
        handle.write("FR,1999,nuclear,40,x,1999,CC BY 4.0\nFR,1999,hydro,20,x,1999,CC BY 4.0\n")
    result = load_annual(AnnualInputs(tmp_path / "grid"))
    assert result.mix.filter((result.mix["zone_id"] == "FR") & (result.mix["year"] == 1999)).height == 0
    assert result.rejected.height == 2
    assert set(result.rejected["reason"]) == {
        "the FR 1999 mix sums to 60.00 % (expected 100 ± 1): a fuel is missing or counted twice"}
    assert "annual_generation_mix.csv:" in result.messages[0] and "FR 1999" in result.messages[0]
