"""Per-cluster settings a log does not carry: time zone, grid location, GPU models, PUE.

Each cluster is a folder of the logs directory with a `cluster.yaml` (documented in
data/logs/README.md), validated with pydantic. Slurm prints local times without a zone and often
no GPU model; nvidia-smi prints host-local times: these settings make the logs priceable.
"""

from __future__ import annotations

import zoneinfo
from pathlib import Path
from typing import Annotated

from ingestion.yaml_files import load_yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator


class Cluster(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")]
    time_zone: str = "UTC"  # IANA name of the clock the logs were written in
    zone: str  # grid zone id or country code where the machines draw power
    default_gpu: str | None = None  # accelerator of a GPU job whose TRES gives no type
    partition_gpus: dict[str, str] = {}  # partition -> accelerator, overrides default_gpu
    gpu_utilisation: Annotated[float, Field(gt=0, le=1)] = 1.0  # share of TDP a GPU draws in a job
    pue: Annotated[float, Field(ge=1)] | None = None  # default: the warehouse's fleet default
    wue_l_per_kwh: Annotated[float, Field(ge=0)] | None = None
    sacct_format: str | None = None  # the --format= of exports written with -n (no header line)
    nvidia_smi_fields: str | None = None  # the --query-gpu= of logs written with noheader

    @field_validator("time_zone")
    @classmethod
    def known_time_zone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r}: use an IANA name such as Europe/London") from error
        return value

    def gpu_for(self, partition: str | None) -> str | None:
        return self.partition_gpus.get(partition or "", self.default_gpu)


def read_cluster(folder: Path) -> Cluster:
    """The cluster of a logs folder; raises ValueError naming the file and field."""
    path = folder / "cluster.yaml"
    if not path.exists():
        raise ValueError(f"{path}: missing; every logs folder needs a cluster.yaml (see data/logs/README.md)")
    document = load_yaml(path)
    if not isinstance(document, dict):
        raise ValueError(f"{path}: expected a mapping of settings (time_zone:, zone:, ...), got "
                         f"{type(document).__name__}")
    try:
        return Cluster.model_validate({"name": folder.name, **document})
    except Exception as error:  # pydantic's message names the field
        raise ValueError(f"{path}: {error}") from error
