import dagster as dg

# Everything, in dependency order, with every asset check: what `make run` executes.
build_warehouse = dg.define_asset_job(
    "build_warehouse",
    selection=dg.AssetSelection.all(),
    description="Ingest -> GX checks -> dbt build (with dbt tests) -> GX checks -> publish.",
)
