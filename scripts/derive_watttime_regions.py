"""Compile data/grid/watttime_regions.csv: WattTime's US regions mapped to the warehouse's grid zones.

    python scripts/derive_watttime_regions.py --regions <us_region_meta_data.csv>

The region codes and names are WattTime's list (`data/us_region_meta_data.csv` of
github.com/WattTime/watttime-python-client, MIT). The zone of each is compiled here: a region that is
a balancing authority maps to its zone by EIA-930 respondent code (data/grid/zones.csv); a sub-region
of an ISO (CAISO_NORTH, ERCOT_COAST, PJM_DC...) maps to the ISO's zone, flagged as not exact (its
marginal rate is the sub-region's, the zone's average intensity the whole ISO's); a region whose
balancing authority is not among the warehouse's zones is kept with no zone and says so.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data" / "grid"
SOURCE = "WattTime region list (watttime-python-client us_region_meta_data.csv); zone compiled here"
LICENCE = "MIT (WattTime region list); mapping Apache-2.0 (this project)"
# ISO prefix of a WattTime sub-region -> EIA-930 respondent code of the ISO
ISO_PREFIXES = {"CAISO": "CISO", "ERCOT": "ERCO", "ISONE": "ISNE", "MISO": "MISO", "NYISO": "NYIS",
                "PJM": "PJM", "SPP": "SWPP"}
# WattTime codes that differ from the EIA-930 respondent code of the same balancing authority
RENAMED = {"BPA": "BPAT", "MPCO": "NWMT"}


def derive(regions_csv: Path, zones_csv: Path = DATA / "zones.csv") -> list[dict]:
    with open(zones_csv, newline="") as handle:
        by_respondent = {row["eia_respondent"]: row["zone_id"] for row in csv.DictReader(handle)
                         if row["eia_respondent"]}
    with open(regions_csv, newline="") as handle:
        regions = {row["region"]: row["region_name"].strip() for row in csv.DictReader(handle)
                   if row["signal_type"] == "co2_moer"}
    rows = []
    for region, name in sorted(regions.items()):
        prefix = region.split("_", 1)[0]
        if "_" in region and prefix in ISO_PREFIXES:
            zone, basis = by_respondent.get(ISO_PREFIXES[prefix]), "sub-region of the balancing authority"
        else:
            zone, basis = by_respondent.get(RENAMED.get(region, region)), "same balancing authority"
        if zone is None:
            basis = "no zone of the warehouse for its balancing authority (data/grid/zones.csv)"
        rows.append({"watttime_region": region, "region_name": name, "zone_id": zone or "",
                     "mapping_basis": basis, "is_exact": basis == "same balancing authority",
                     "source": SOURCE, "licence": LICENCE})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=Path, required=True, help="WattTime's us_region_meta_data.csv")
    rows = derive(parser.parse_args().regions)
    with open(DATA / "watttime_regions.csv", "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} regions, {sum(1 for r in rows if r['zone_id'])} with a zone")


if __name__ == "__main__":
    main()
