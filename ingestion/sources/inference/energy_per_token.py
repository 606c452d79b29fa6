"""Measured GPU energy per output token (data/inference/energy_per_token.csv), validated row by row.

One row per task, model and GPU setup (GPU model x count): the low / central / high energy per
token over the ML.ENERGY leaderboard's batch configurations, the model's total and activated
parameters and its mean answer length. Workloads price requests from it; the model-size remedy
re-serves a deployment's requests with the other models measured on the same task and GPU.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import polars as pl
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ingestion.licences import cannot_ship
from ingestion.quarantine import ParseResult, Rejected, partition, rejections_frame
from ingestion.files import read_csv_records
SCHEMA = {
    "task": pl.String, "model_id": pl.String, "nickname": pl.String, "gpu_model": pl.String,
    "num_gpus": pl.Int64, "total_params_billions": pl.Float64, "activated_params_billions": pl.Float64,
    "energy_per_token_j_low": pl.Float64, "energy_per_token_j_central": pl.Float64,
    "energy_per_token_j_high": pl.Float64, "avg_output_tokens": pl.Float64, "configurations": pl.Int64,
    "source": pl.String, "vintage": pl.String, "licence": pl.String, "source_file": pl.String, "source_row": pl.Int64,
}
FIXES = {
    "num_gpus": "write the number of GPUs of the setup as a whole number above 0",
    "activated_params_billions": "activated parameters cannot exceed the total (equal for a dense model)",
    "energy_per_token_j_central": "give joules per output token with low <= central <= high, all above 0",
    "licence": "ship only public-domain, CC0, CC BY, MIT or Apache data, or facts derived and attributed",
}


class MeasuredSetup(BaseModel):
    """One measured (task, model, GPU setup) row."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)
    task: str = Field(min_length=1)
    model_id: str = Field(min_length=1)
    nickname: str = Field(min_length=1)
    gpu_model: str = Field(min_length=1)
    num_gpus: int = Field(gt=0)
    total_params_billions: float = Field(gt=0)
    activated_params_billions: float = Field(gt=0)
    energy_per_token_j_low: float = Field(gt=0)
    energy_per_token_j_central: float = Field(gt=0)
    energy_per_token_j_high: float = Field(gt=0)
    avg_output_tokens: float = Field(gt=0)
    configurations: int = Field(ge=1)
    source: str = Field(min_length=1)
    vintage: str = Field(min_length=1)  # the leaderboard's date of the data
    licence: str = Field(min_length=1)

    @field_validator("licence")
    @classmethod
    def shippable(cls, value: str) -> str:
        # the same rule as the hardware catalog: copyleft and share-alike material never ships
        if cannot_ship(value):
            raise ValueError(f"licence {value!r} cannot ship with this project")
        return value

    @model_validator(mode="after")
    def coherent(self):
        if self.activated_params_billions > self.total_params_billions:
            raise ValueError("activated_params_billions above total_params_billions")
        if not self.energy_per_token_j_low <= self.energy_per_token_j_central <= self.energy_per_token_j_high:
            raise ValueError("energy per token needs low <= central <= high")
        return self


def _field(error: dict) -> str:
    if error["loc"]:
        return str(error["loc"][0])
    # A model-level rule: name the field it is about.
    return "activated_params_billions" if "activated" in error["msg"] else "energy_per_token_j_central"


def parse_energy_per_token(path: Path, source_file: str | None = None) -> ParseResult:
    """Good rows typed; bad or duplicate rows quarantined with the file, line, field and fix."""
    name, seen = source_file or path.name, {}

    def check(record: dict) -> dict:
        try:
            setup = MeasuredSetup.model_validate({k: (v if v != "" else None) for k, v in record.items()})
        except ValidationError as error:
            first = error.errors()[0]
            field = _field(first)
            raise Rejected(field, first["msg"], FIXES.get(field, "see the header of data/inference/"
                                                                 "energy_per_token.csv for the columns")) from None
        key = (setup.task, setup.model_id, setup.gpu_model, setup.num_gpus)
        if key in seen:
            raise Rejected("model_id", f"duplicate of line {seen[key]} (same task, model and GPU setup)",
                           "keep one row per task, model, GPU model and GPU count", setup.model_id)
        seen[key] = record["source_row"]
        return {**setup.model_dump(), "source_file": name, "source_row": record["source_row"]}

    rows, rejected = partition(read_csv_records(path), check, source_file=name, name_of=_label)
    return ParseResult(pl.DataFrame(rows, schema=SCHEMA), rejections_frame(rejected))


def _label(record: dict) -> str:
    return f"{record.get('task')} / {record.get('model_id')} / {record.get('num_gpus')} x {record.get('gpu_model')}"


def measured_rows(energy: pl.DataFrame, model: str, task: str | None = None) -> pl.DataFrame:
    """The energy table's rows for a model (nickname or model id, any case), on one task or any;
    raises LookupError naming the closest models."""
    wanted = model.strip().lower()
    rows = energy.filter(((pl.col("nickname").str.to_lowercase() == wanted)
                          | (pl.col("model_id").str.to_lowercase() == wanted))
                         & (pl.lit(True) if task is None else pl.col("task") == task))
    if rows.is_empty():
        close = difflib.get_close_matches(model, sorted(set(energy["nickname"])), n=4, cutoff=0.3)
        raise LookupError(f"no measured energy for model {model!r}" + (f" on task {task!r}" if task else "")
                          + f"; closest: {', '.join(close) or 'none'}")
    return rows
