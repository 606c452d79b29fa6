"""Each cloud workload re-priced in every region of its provider, by the one pricing function.

A candidate is the workload's own input row with its region and grid zone replaced, priced by
`workload_footprint` exactly as the workload itself was: the same year of annual data (the
workload's, else the latest), hourly intensity where the candidate zone has every hour of the
period, the country's series where the zone has none, the same PUE, WUE and EWIF rules. So the
region it ran in re-prices to exactly its own figures, and a saving is never an artefact of a
different choice of intensity.

Beside the average (attributional) figure, where the candidate's zone has WattTime's marginal rate:
the facility energy times the zone's mean marginal rate (over the workload's period where every
hour is held, else over every hour held, said in `marginal_basis`), the emissions the load causes
at the margin, i.e. what moving it avoids (consequential).
"""

from __future__ import annotations

import polars as pl

from ingestion.core.footprint import References, hourly_intensity, total_water_l, workload_footprint

COLUMNS = {"workload_id": pl.String, "provider": pl.String, "candidate_region": pl.String,
           "candidate_zone_id": pl.String, "is_current_region": pl.Boolean, "intensity_zone_id": pl.String,
           "intensity_source": pl.String, "intensity_g_per_kwh": pl.Float64, "location_kgco2e": pl.Float64,
           "water_l": pl.Float64, "current_location_kgco2e": pl.Float64, "current_water_l": pl.Float64,
           "marginal_g_per_kwh": pl.Float64, "marginal_basis": pl.String, "marginal_kgco2e": pl.Float64,
           "current_marginal_kgco2e": pl.Float64}


def marginal_rate(marginal: dict[str, pl.DataFrame], zone: str | None, row: dict) -> tuple[float | None, str | None]:
    """The zone's mean marginal rate (g/kWh) for a constant load, and how it was taken; (None, None)
    where the zone has none. marginal: zone -> its hours (zone_id, hour_start, gco2e_per_kwh)."""
    hours = marginal.get(zone)
    if hours is None or hours.is_empty():
        return None, None
    if row.get("period_start") and row.get("period_end"):
        value = hourly_intensity(hours, zone, row["period_start"], row["period_end"])
        if value is not None:
            return value, f"marginal ({zone}): hourly mean over the workload's period"
    first, last = hours["hour_start"].min(), hours["hour_start"].max()
    return float(hours["gco2e_per_kwh"].mean()), (
        f"marginal ({zone}): mean of the {hours.height} hours held, {first:%Y-%m-%d} to {last:%Y-%m-%d}")


def siting_options(workloads: pl.DataFrame, regions: pl.DataFrame, refs: References,
                   marginal: pl.DataFrame | None = None) -> pl.DataFrame:
    """One row per (cloud workload, region of its provider): the candidate's carbon and water and the
    workload's own. `regions`: provider, region, zone_id (default mapping only); `marginal`: zone_id,
    hour_start, gco2e_per_kwh of the zones with a marginal rate."""
    by_zone = {} if marginal is None else {
        zone: frame for (zone,), frame in marginal.partition_by("zone_id", as_dict=True).items()}
    by_provider: dict[str, list[dict]] = {}
    for region in regions.select("provider", "region", "zone_id").to_dicts():
        by_provider.setdefault(region["provider"], []).append(region)
    out = []
    for row in workloads.filter(pl.col("provider").is_not_null()).to_dicts():
        current = workload_footprint(row, refs)
        current_rate, _ = marginal_rate(by_zone, row.get("zone_id"), row)
        current_marginal = (None if current_rate is None
                            else current["facility_energy_kwh_central"] * current_rate / 1000)
        for region in by_provider.get(row["provider"], []):
            here = str(region["region"]).lower() == str(row["region"]).lower().replace(" ", "")
            try:
                priced = current if here else workload_footprint(
                    {**row, "region": region["region"], "zone_id": region["zone_id"]}, refs)
            except LookupError:  # no annual intensity for the zone or its country: not a priced option
                continue
            rate, basis = marginal_rate(by_zone, region["zone_id"], row)
            out.append({"workload_id": row["workload_id"], "provider": row["provider"],
                        "candidate_region": region["region"], "candidate_zone_id": region["zone_id"],
                        "is_current_region": here, "intensity_zone_id": priced["intensity_zone_id"],
                        "intensity_source": priced["intensity_source"],
                        "intensity_g_per_kwh": priced["intensity_g_per_kwh_central"],
                        "location_kgco2e": priced["location_kgco2e_central"], "water_l": total_water_l(priced),
                        "current_location_kgco2e": current["location_kgco2e_central"],
                        "current_water_l": total_water_l(current), "marginal_g_per_kwh": rate,
                        "marginal_basis": basis,
                        "marginal_kgco2e": (None if rate is None
                                            else priced["facility_energy_kwh_central"] * rate / 1000),
                        "current_marginal_kgco2e": current_marginal})
    return pl.DataFrame(out, schema=COLUMNS)
