"""Asset keys follow the warehouse: [schema, table], grouped by layer, the marts by their domain folder
(marts_grid, marts_footprint, ...): one group of 24 marts was a tangle in the lineage graph."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator

# Tables a scheduled refresh keeps current: stale after 2 h (warn), failing after 6 h.
FRESHNESS = {
    "fct_grid_intensity_hourly": dg.FreshnessPolicy.time_window(
        warn_window=dt.timedelta(hours=2), fail_window=dt.timedelta(hours=6)),
}


class LayeredDbtTranslator(DagsterDbtTranslator):
    def __init__(self, extra_deps: Mapping[dg.AssetKey, dg.AssetKey] | None = None):
        """extra_deps: a model's asset key -> an asset it also depends on outside dbt (the Spark
        backend's datasets, which three models read in place of computing them)."""
        super().__init__()
        self.extra_deps = dict(extra_deps or {})

    def get_asset_spec(self, manifest: Mapping[str, Any], unique_id: str, project: Any) -> dg.AssetSpec:
        spec = self._layered_spec(manifest, unique_id, project)
        extra = self.extra_deps.get(spec.key)
        return spec.merge_attributes(deps=[extra]) if extra else spec

    def _layered_spec(self, manifest: Mapping[str, Any], unique_id: str, project: Any) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        node = manifest["nodes"].get(unique_id) or manifest["sources"].get(unique_id)
        if node is None or node["resource_type"] != "model":
            return spec  # sources keep meta.dagster.asset_key, e.g. ["raw", "hardware_accelerators"]
        schema = node["schema"]
        fqn = node["fqn"]  # [project, layer folder, (domain folder,) model]
        group = f"{schema}_{fqn[2]}" if schema == "marts" and len(fqn) > 3 else schema
        kinds = {"dbt", "duckdb"} | ({"polars"} if node.get("language") == "python" else set())
        return spec.replace_attributes(
            key=dg.AssetKey([schema, node["name"]]), group_name=group, kinds=kinds,
            freshness_policy=FRESHNESS.get(node["name"]),
        )
