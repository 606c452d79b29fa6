"""Each cloud workload re-priced in every region of its provider, by the one pricing function.

A candidate is the workload's own input row with its region and grid zone replaced, priced by
`workload_footprint` exactly as the workload itself was: the same year of annual data (the
workload's, else the latest), hourly intensity where the candidate zone has every hour of the
period, the country's series where the zone has none, the same PUE, WUE and EWIF rules. So the
region it ran in re-prices to exactly its own figures, and a saving is never an artefact of a
different choice of intensity.
"""

from __future__ import annotations

import polars as pl

from ingestion.core.footprint import References, total_water_l, workload_footprint

COLUMNS = {"workload_id": pl.String, "provider": pl.String, "candidate_region": pl.String,
           "candidate_zone_id": pl.String, "is_current_region": pl.Boolean, "intensity_zone_id": pl.String,
           "intensity_source": pl.String, "intensity_g_per_kwh": pl.Float64, "location_kgco2e": pl.Float64,
           "water_l": pl.Float64, "current_location_kgco2e": pl.Float64, "current_water_l": pl.Float64}


def siting_options(workloads: pl.DataFrame, regions: pl.DataFrame, refs: References) -> pl.DataFrame:
    """One row per (cloud workload, region of its provider): the candidate's carbon and water and the
    workload's own. `regions`: provider, region, zone_id (default mapping only)."""
    by_provider: dict[str, list[dict]] = {}
    for region in regions.select("provider", "region", "zone_id").to_dicts():
        by_provider.setdefault(region["provider"], []).append(region)
    out = []
    for row in workloads.filter(pl.col("provider").is_not_null()).to_dicts():
        current = workload_footprint(row, refs)
        for region in by_provider.get(row["provider"], []):
            here = str(region["region"]).lower() == str(row["region"]).lower().replace(" ", "")
            try:
                priced = current if here else workload_footprint(
                    {**row, "region": region["region"], "zone_id": region["zone_id"]}, refs)
            except LookupError:  # no annual intensity for the zone or its country: not a priced option
                continue
            out.append({"workload_id": row["workload_id"], "provider": row["provider"],
                        "candidate_region": region["region"], "candidate_zone_id": region["zone_id"],
                        "is_current_region": here, "intensity_zone_id": priced["intensity_zone_id"],
                        "intensity_source": priced["intensity_source"],
                        "intensity_g_per_kwh": priced["intensity_g_per_kwh_central"],
                        "location_kgco2e": priced["location_kgco2e_central"], "water_l": total_water_l(priced),
                        "current_location_kgco2e": current["location_kgco2e_central"],
                        "current_water_l": total_water_l(current)})
    return pl.DataFrame(out, schema=COLUMNS)
