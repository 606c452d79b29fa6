from ingestion.core.footprint import References
from ingestion.core.green import green_levers


def model(dbt, session):
    dbt.config(materialized="table")
    refs = References.from_frames(
        accelerators=dbt.ref("int_accelerators_enriched").pl(), zones=dbt.ref("int_grid_zones").pl(),
        annual=dbt.ref("stg_grid__annual_intensities").pl(), hourly=dbt.ref("int_grid_intensity_hourly_for_pricing").pl(),
        ewif=dbt.ref("int_zone_water_intensities").pl(), efficiency=dbt.ref("int_datacenter_efficiencies").pl())
    return green_levers(dbt.ref("stg_workloads__workloads").pl(), dbt.ref("int_siting_options_priced").pl(),
                        refs, float(dbt.config.get("green_cfe_share")))
