"""WattTime regions to zones, by hand on a crafted region list in WattTime's format (the shipped
data/grid/watttime_regions.csv is derived the same way from WattTime's own list)."""

import csv
import importlib.util

from tests.conftest import DATA, REPO

spec = importlib.util.spec_from_file_location("derive_watttime_regions", REPO / "scripts/derive_watttime_regions.py")
derive_module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(derive_module)


def test_a_balancing_authority_maps_exactly_a_sub_region_to_its_iso_and_the_rest_says_why(tmp_path):
    listed = tmp_path / "us_region_meta_data.csv"
    listed.write_text(
        ",signal_type,region,region_name,endpoint,model,data_start,train_start,train_end,type\n"
        "0,co2_moer,BPA,Bonneville Power Administration,v3/historical,2022-10-01,,,,\n"
        "1,co2_moer,BPA,Bonneville Power Administration,v3/forecast,2022-10-01,,,,\n"
        "2,co2_moer,CAISO_NORTH,California ISO Northern,v3/historical,2022-10-01,,,,\n"
        "3,co2_moer,PJM_DC,PJM DC,v3/historical,2022-10-01,,,,\n"
        "4,co2_moer,AECI,Associated Electric Coop Inc,v3/historical,2022-10-01,,,,\n"
        "5,health_damage,TVA,Tennessee Valley Authority,v3/historical,2022-10-01,,,,\n")
    rows = {r["watttime_region"]: r for r in derive_module.derive(listed)}
    assert set(rows) == {"AECI", "BPA", "CAISO_NORTH", "PJM_DC"}  # co2_moer only, once per region
    assert (rows["BPA"]["zone_id"], rows["BPA"]["is_exact"]) == ("US-NW-BPAT", True)  # BPA is EIA's BPAT
    assert (rows["CAISO_NORTH"]["zone_id"], rows["CAISO_NORTH"]["is_exact"]) == ("US-CAL-CISO", False)
    assert rows["PJM_DC"]["zone_id"] == "US-MIDA-PJM" and rows["PJM_DC"]["mapping_basis"].startswith("sub-region")
    assert rows["AECI"]["zone_id"] == "" and rows["AECI"]["mapping_basis"].startswith("no zone of the warehouse")


def test_the_shipped_mapping_names_only_zones_the_warehouse_has():
    with open(DATA / "grid/zones.csv", newline="") as handle:
        zones = {row["zone_id"] for row in csv.DictReader(handle)}
    with open(DATA / "grid/watttime_regions.csv", newline="") as handle:
        mapped = list(csv.DictReader(handle))
    assert len(mapped) >= 80 and {r["zone_id"] for r in mapped if r["zone_id"]} <= zones
    assert all(r["source"] and r["licence"] for r in mapped)
