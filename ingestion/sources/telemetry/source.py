"""Per-fleet settings of a Prometheus source: where it is, what to ask it, and what the telemetry does
not say (where the GPUs draw power, PUE and WUE, which labels name the namespace, pod and model).

Each source is a folder of the telemetry directory with a `source.yaml`, validated with pydantic like a
logs folder's cluster.yaml. The credentials never go here: they come from the environment
(prometheus.TOKEN, or USERNAME and PASSWORD).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal

from ingestion.yaml_files import load_yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

# The metric names each exporter documents (dcgm-exporter's default counters; Kepler 0.11's pod metrics).
# transient_labels: labels whose value changes during a workload's life, so a series that changes them
# goes on as the same series (Kepler's state="running" becomes "terminated" when the pod ends, and its
# counter carries on under the new label set; counted apart, the interval across the change is lost and
# the second series looks like a duplicate scrape).
EXPORTERS = {
    "dcgm": {"energy": "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", "energy_joules_per_unit": 0.001,
             "power": "DCGM_FI_DEV_POWER_USAGE", "transient_labels": ()},
    "kepler": {"energy": "kepler_pod_gpu_joules_total", "energy_joules_per_unit": 1.0,
               "power": "kepler_pod_gpu_watts", "transient_labels": ("state",)},
}
LABELS = {  # the labels each exporter puts the facts in
    "dcgm": {"host": "Hostname", "gpu_uuid": "UUID", "model": "modelName", "namespace": "namespace", "pod": "pod",
             "container": "container", "mig_profile": "GPU_I_PROFILE"},
    "kepler": {"host": "node_name", "gpu_uuid": "pod_id", "model": None, "namespace": "pod_namespace",
               "pod": "pod_name", "container": None, "mig_profile": None},
}


class Labels(BaseModel):
    """Label names carrying each fact; null where the exporter has no such label."""

    model_config = ConfigDict(extra="forbid")
    host: str | None = None
    gpu_uuid: str | None = None
    model: str | None = None
    namespace: str | None = None
    pod: str | None = None
    container: str | None = None
    mig_profile: str | None = None


class PrometheusSource(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")]
    url: str  # the Prometheus server (or a compatible API: Thanos, Mimir, VictoriaMetrics)
    exporter: Literal["dcgm", "kepler"] = "dcgm"
    zone: str | None = None  # grid zone or country where the GPUs draw power
    cloud_region: str | None = None  # or provider/region (aws/us-west-2), mapped by dim_cloud_regions
    pue: Annotated[float, Field(ge=1)] | None = None  # default: the warehouse's fleet default
    wue_l_per_kwh: Annotated[float, Field(ge=0)] | None = None
    step_s: Annotated[int, Field(ge=1, le=3600)] = 60  # query_range resolution
    start_date: dt.date  # the first UTC day to read
    end_date: dt.date | None = None  # the last (default: today)
    selector: str = ""  # PromQL label matchers added to every query, e.g. namespace=~"serving|batch"
    labels: Labels | None = None  # default: the exporter's documented labels
    requests_counter: str | None = None  # e.g. vllm:request_success_total, for energy per request

    @model_validator(mode="after")
    def placed_once(self) -> PrometheusSource:
        if (self.zone is None) == (self.cloud_region is None):
            raise ValueError("give exactly one of zone (a grid zone or country) and cloud_region (provider/region)")
        if self.end_date is not None and self.end_date < self.start_date:
            raise ValueError(f"end_date {self.end_date} is before start_date {self.start_date}")
        return self

    @property
    def label_names(self) -> Labels:
        return self.labels or Labels(**LABELS[self.exporter])

    def query(self, kind: str) -> str | None:
        """The PromQL of the exporter's energy or power metric, or of the requests counter (None without
        one), with the source's selector."""
        metric = self.requests_counter if kind == "requests" else EXPORTERS[self.exporter][kind]
        return f"{metric}{{{self.selector}}}" if metric else None


def read_source(folder: Path) -> PrometheusSource:
    """The Prometheus source of a telemetry folder; raises ValueError naming the file and field."""
    path = folder / "source.yaml"
    if not path.exists():
        raise ValueError(f"{path}: missing; every telemetry folder needs a source.yaml (see README, "
                         "'Inference fleets on Kubernetes')")
    document = load_yaml(path)
    if not isinstance(document, dict):
        raise ValueError(f"{path}: expected a mapping of settings (url:, zone:, ...), got {type(document).__name__}")
    try:
        return PrometheusSource.model_validate({"name": folder.name, **document})
    except Exception as error:  # pydantic's message names the field
        raise ValueError(f"{path}: {error}") from error
