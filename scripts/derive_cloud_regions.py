"""Compile data/grid/cloud_regions.csv: AWS, Google Cloud and Azure regions mapped to grid zones.

    python scripts/derive_cloud_regions.py --reference <shared reference-data folder>

Where a region is (city, state, country) comes from permissively licensed tables: CodeCarbon's
cloud impact table (MIT), Green Algorithms' datacentre list (CC BY 4.0), Google's region-carbon-info
(Apache-2.0) and Cloud Carbon Footprint's coefficients (Apache-2.0). The country is the default grid
zone; in the United States the balancing authority is compiled here from which utility serves the
site (public facts), listed in US_SITES. When two sources place a region in different zones, both
rows are kept and flagged. A provenance record: the build reads the CSV.
"""

from __future__ import annotations

import argparse
import csv
from collections import defaultdict
from pathlib import Path

from ingestion.sources.grid.reference import GridReference

# (provider, region) -> [(grid zone, why)], compiled here; two entries = a known disagreement.
US_SITES = {
    ("aws", "us-east-1"): [("US-MIDA-PJM", "Northern Virginia is served by Dominion Energy, a PJM member")],
    ("aws", "us-east-2"): [("US-MIDA-PJM", "Central Ohio is served by AEP Ohio, a PJM member")],
    ("aws", "us-gov-east-1"): [("US-MIDA-PJM", "Ohio (AEP Ohio, PJM)")],
    ("aws", "us-west-1"): [("US-CAL-CISO", "Northern California, CAISO")],
    ("aws", "us-west-2"): [
        ("US-NW-BPAT", "Boardman, Oregon: Umatilla Electric Cooperative buys from BPA (as GSF Real Time Cloud maps it)"),
        ("US-NW-PACW", "Electricity Maps' data-centre list maps it to PacifiCorp West"),
    ],
    ("aws", "us-gov-west-1"): [("US-NW-BPAT", "Pacific Northwest (BPA)")],
    ("gcp", "us-central1"): [("US-MIDW-MISO", "Council Bluffs, Iowa: MidAmerican Energy, a MISO member"),
                             ("US-CENT-SWPP", "Electricity Maps' data-centre list maps it to SPP")],
    ("gcp", "us-central2"): [("US-CENT-SWPP", "Pryor, Oklahoma: Grand River Dam Authority, an SPP member")],
    ("gcp", "us-east2"): [("US-SE-SOCO", "Georgia: Georgia Power, Southern Company balancing authority")],
    ("gcp", "us-east1"): [("US-CAR-SC", "Moncks Corner, South Carolina: Santee Cooper")],
    ("gcp", "us-east4"): [("US-MIDA-PJM", "Ashburn, Virginia: Dominion Energy, PJM")],
    ("gcp", "us-east5"): [("US-MIDA-PJM", "Columbus, Ohio: AEP Ohio, PJM")],
    ("gcp", "us-south1"): [("US-TEX-ERCO", "Dallas, Texas: ERCOT")],
    ("gcp", "us-west1"): [("US-NW-BPAT", "The Dalles, Oregon: Northern Wasco County PUD buys from BPA")],
    ("gcp", "us-west2"): [("US-CAL-LDWP", "Los Angeles: LADWP balancing authority"),
                          ("US-CAL-CISO", "mapped to CAISO by tools that use state-level mapping")],
    ("gcp", "us-west3"): [("US-NW-PACE", "Salt Lake City, Utah: Rocky Mountain Power (PacifiCorp East)")],
    ("gcp", "us-west4"): [("US-NW-NEVP", "Las Vegas, Nevada: NV Energy (Nevada Power)")],
    ("azure", "centralus"): [("US-MIDW-MISO", "Des Moines, Iowa: MidAmerican Energy, MISO")],
    ("azure", "eastus"): [("US-MIDA-PJM", "Virginia: Dominion Energy, PJM")],
    ("azure", "eastus2"): [("US-MIDA-PJM", "Boydton, Virginia: Dominion Energy area, PJM")],
    ("azure", "westus"): [("US-CAL-CISO", "San Francisco Bay Area, CAISO")],
    ("azure", "northcentralus"): [("US-MIDA-PJM", "Chicago, Illinois: ComEd, PJM")],
    ("azure", "southcentralus"): [("US-TEX-ERCO", "San Antonio, Texas: ERCOT")],
    ("azure", "westcentralus"): [("US-NW-PACE", "Wyoming: Rocky Mountain Power (PacifiCorp East)")],
    ("azure", "westus2"): [("US-NW-GCPD", "Quincy, Washington: Grant County PUD")],
}
SOURCES = {
    "codecarbon": ("CodeCarbon cloud/impact.csv (2023-05-16 version)", "MIT"),
    "green_algorithms": ("Green Algorithms cloudProviders_datacenters.csv v3.0", "CC BY 4.0"),
    "google": ("Google Cloud region-carbon-info (2024)", "Apache-2.0"),
    "ccf": ("Cloud Carbon Footprint grid-emissions-factors (ccf-coefficients)", "Apache-2.0"),
}
# Google's region-carbon-info names a city, not a country, for regions no other table lists.
GOOGLE_CITIES = {"Johannesburg": "ZA", "Stockholm": "SE", "Berlin": "DE", "Turin": "IT", "Doha": "QA",
                 "Dammam": "SA", "Tel Aviv": "IL", "Mexico": "MX", "Oklahoma": "US", "Georgia": "US"}
COUNTRY_NAMES = {"USA": "US", "England": "GB", "United Kingdom": "GB", "South Korea": "KR", "Hong Kong": "HK"}


def azure_key(name: str) -> str:
    return name.lower().replace(" ", "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", required=True, type=Path)
    args = parser.parse_args()
    ref = args.reference
    grid = GridReference.from_folder(Path("data/grid"))
    by_name = {name.lower(): zone for zone, name in grid.names.items()}

    def country(value: str) -> str | None:
        value = (value or "").strip()
        return (COUNTRY_NAMES.get(value) or grid.zone_for(value) or by_name.get(value.lower())
                or (value[:2] if len(value) >= 2 and value[:2].isupper() and value[:2] in grid.names else None))

    seen: dict[tuple, dict] = {}
    votes: dict[tuple, dict[str, set]] = defaultdict(lambda: defaultdict(set))

    def add(provider, region, source, zone, name="", city="", state=""):
        key = (provider, region)
        entry = seen.setdefault(key, {"provider": provider, "region": region, "region_name": name,
                                      "city": city, "state": state})
        for k, v in (("region_name", name), ("city", city), ("state", state)):
            if v and not entry[k]:
                entry[k] = v.strip()
        if zone:
            votes[key][zone].add(source)

    for r in csv.DictReader(open(ref / "codecarbon/cloud/impact_2023-05-16_with_aws_azure.csv", encoding="utf-8-sig")):
        region = azure_key(r["region"]) if r["provider"] == "azure" else r["region"]
        # Its AWS rows all say country "USA", Tokyo and Mumbai included: a known error of that
        # table, so they give a city but no country vote.
        zone = None if r["provider"] == "aws" else (country(r["countryIsoCode"]) or country(r["country_name"]))
        add(r["provider"], region, "codecarbon", zone, r["regionName"], r["city"], r["state"])
    lines = open(ref / "green-algorithms/latest/cloudProviders_datacenters.csv", encoding="utf-8-sig").read().splitlines()
    for r in csv.DictReader(lines[1:]):
        location = r["location"]
        zone = "HK" if location == "CN-HK" else country(location.split("-")[0])
        region = azure_key(r["Name"]) if r["provider"] == "azure" else r["Name"]
        add(r["provider"], region, "green_algorithms", zone, r["Name"] if r["provider"] == "azure" else "",
            r["Extra_details"], r["location_freeForm"])
    for r in csv.DictReader(open(ref / "google-region-carbon/2024.csv", encoding="utf-8-sig")):
        add("gcp", r["Google Cloud Region"], "google", GOOGLE_CITIES.get(r["Location"]), city=r["Location"])
    for provider in ("aws", "azure", "gcp"):
        for r in csv.DictReader(open(ref / f"cloud-carbon-footprint/data/grid-emissions-factors-{provider}.csv")):
            region = azure_key(r["Region"]) if provider == "azure" else r["Region"]
            add(provider, region, "ccf", country(r.get("Country", "")) if provider == "aws" else None,
                r["Region"] if provider == "azure" else "", state=r.get("Location", ""))

    fields = ["provider", "region", "region_name", "city", "state", "country_zone_id", "grid_zone_id",
              "mapping_basis", "mapping_rank", "is_disputed", "mapping_note", "sources", "licence"]
    out = csv.DictWriter(open("data/grid/cloud_regions.csv", "w", newline=""), fieldnames=fields, lineterminator="\n")
    out.writeheader()
    written = 0
    for key in sorted(seen):
        entry, countries = seen[key], votes[key]
        listed_in = sorted({s for sources in countries.values() for s in sources}) or ["google"]
        sources = "; ".join(SOURCES[s][0] for s in listed_in)
        licences = "; ".join(sorted({SOURCES[s][1] for s in listed_in}))
        if key in US_SITES:
            choices = [(zone, "balancing authority", why) for zone, why in US_SITES[key]]
        elif countries:
            ranked = sorted(countries.items(), key=lambda item: (-len(item[1]), item[0]))
            choices = [(zone, "country", f"located in {zone} per {', '.join(sorted(srcs))}") for zone, srcs in ranked]
        else:
            continue  # a region no source places in a country cannot be mapped
        for rank, (zone, basis, why) in enumerate(choices, 1):
            parent = grid.sub_zones.get(zone, zone)
            out.writerow({**entry, "country_zone_id": parent, "grid_zone_id": zone, "mapping_basis": basis,
                          "mapping_rank": rank,
                          "is_disputed": len(choices) > 1, "mapping_note": why, "sources": sources,
                          "licence": licences})
            written += 1
    print(f"{len(seen)} regions, {written} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
