"""The workload schema, validated with pydantic. Documented in data/workloads/README.md.

Any numeric input may be a number or a range `{low: .., central: .., high: ..}`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ingestion.core.conventions import CONVENTIONS


# Every number finite (pydantic otherwise accepts YAML's .inf and .nan), and the bounds below physical:
# a value that parses but is absurd (`days: 1e300`, `count: 1000000000000`) is a typo, not a workload.
STRICT = ConfigDict(extra="forbid", allow_inf_nan=False)
MAX_ACCELERATORS = 10_000_000  # ten times the largest cluster announced (2025)
MAX_DAYS = 36_500  # a hundred years
MAX_ID_LENGTH = 200
Name = Annotated[str, Field(max_length=MAX_ID_LENGTH)]


class Range(BaseModel):
    model_config = STRICT
    low: float
    central: float
    high: float

    @model_validator(mode="after")
    def ordered(self):
        if not self.low <= self.central <= self.high:
            raise ValueError(f"a range needs low <= central <= high, got {self.low}, {self.central}, {self.high}")
        return self


class FieldError(ValueError):
    """A workload-level rule broken by one field: the loader reports that field (and its YAML line)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def _as_range(value) -> Range | None:
    if value is None or isinstance(value, Range):
        return value
    return Range(low=value, central=value, high=value)


NonNegative = Annotated[float, Field(ge=0)] | Range


class Location(BaseModel):
    """Where the workload runs: a cloud region, a grid zone or a country (one of them)."""

    model_config = STRICT
    provider: Literal["aws", "gcp", "azure"] | None = None
    region: str | None = None
    zone: str | None = None
    country: str | None = None

    @model_validator(mode="after")
    def one_place(self):
        given = [name for name in ("region", "zone", "country") if getattr(self, name)]
        if len(given) != 1:
            raise ValueError("give exactly one of region (with provider), zone or country; got "
                             + (", ".join(given) or "none"))
        if self.region and not self.provider:
            raise ValueError("a cloud region needs its provider (aws, gcp or azure)")
        return self


class Power(BaseModel):
    """Per accelerator: the catalog TDP (default), a measured average, or a utilisation of TDP.
    `idle_w` is the draw of a reserved accelerator between requests (a published idle or minimum
    power): a deployment priced per request or per token never draws less than its accelerators idling."""

    model_config = STRICT
    measured_w: NonNegative | None = None
    utilisation: Annotated[float, Field(gt=0, le=1)] | Range | None = None
    host_overhead_w: NonNegative | None = None
    idle_w: NonNegative | None = None

    @model_validator(mode="after")
    def one_kind(self):
        if self.measured_w is not None and self.utilisation is not None:
            raise ValueError("give measured_w or utilisation, not both (a measured power already reflects use)")
        return self


class Overrides(BaseModel):
    model_config = STRICT
    pue: Annotated[float, Field(ge=1)] | Range | None = None
    grid_kg_per_kwh: NonNegative | None = None  # location-based factor, kgCO2e/kWh
    market_kg_per_kwh: NonNegative | None = None
    carbon_free_share: Annotated[float, Field(ge=0, le=1)] | Range | None = None
    wue_l_per_kwh: NonNegative | None = None
    ewif_l_per_kwh: NonNegative | None = None

    @model_validator(mode="after")
    def market_one_way(self):
        if self.market_kg_per_kwh is not None and self.carbon_free_share is not None:
            raise ValueError("give market_kg_per_kwh or carbon_free_share, not both")
        return self


class Embodied(BaseModel):
    model_config = STRICT
    accelerator_kg: NonNegative | None = None  # default: the catalog's published figure
    server_kg: NonNegative | None = None
    accelerators_per_server: Annotated[int, Field(gt=0)] = 8
    lifetime_years: Annotated[float, Field(gt=0)] = 4
    # Share of the lifetime the hardware is in use (busy or reserved): a run is charged
    # hours / (lifetime x use_rate) of the embodied carbon, as Luccioni et al. 2022 and the SCI do.
    use_rate: Annotated[float, Field(gt=0, le=1)] = 1


class UsageLevel(BaseModel):
    """A published usage level (requests a day of a service) at which to price a deployment's use:
    the deployment's per-request footprint x these requests (the fleet scaled out at its utilisation)."""

    model_config = STRICT
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=MAX_ID_LENGTH)]
    requests_per_day: Annotated[float, Field(gt=0)]
    source: Annotated[str, Field(min_length=1)]  # a usage level without its source is not a figure


class Inference(BaseModel):
    """Energy per request: given directly, or tokens per request x the measured GPU energy per
    token of a model on a GPU (data/inference/energy_per_token.csv, from the ML.ENERGY leaderboard);
    otherwise the deployment's accelerators x hours."""

    model_config = STRICT
    requests_per_day: NonNegative
    energy_per_request_wh: NonNegative | None = None
    tokens_per_request: NonNegative | None = None
    energy_model: str | None = None  # a model of the energy table (nickname or model id)
    energy_gpu: str | None = None  # H100, B200... (default: from the workload's accelerator)
    energy_task: str = "lm-arena-chat"
    requests_source: str | None = None  # where requests_per_day comes from, when published
    usage_levels: list[UsageLevel] = []

    @model_validator(mode="after")
    def one_energy_path(self):
        if self.energy_per_request_wh is not None and (self.tokens_per_request is not None or self.energy_model):
            raise ValueError("give energy_per_request_wh, or tokens_per_request with energy_model, not both")
        if (self.tokens_per_request is None) != (self.energy_model is None):
            raise ValueError("tokens_per_request and energy_model go together")
        return self


class Distillation(BaseModel):
    """Training a smaller student on a larger teacher's outputs (knowledge distillation). Both are
    models of the energy table: the student is served where the teacher was, at the student's
    measured energy per token. With `tokens` and no duration, the accelerator-hours are derived:
    tokens x (6 x student + 2 x teacher activated parameters) FLOPs at `mfu` of the accelerator's
    peak BF16 (forward and backward through the student, a forward pass through the teacher)."""

    model_config = STRICT
    teacher: str
    student: str
    tokens: Annotated[float, Field(gt=0)] | Range | None = None
    mfu: Annotated[float, Field(gt=0, le=1)] | Range = 0.4

    @model_validator(mode="after")
    def two_models(self):
        if self.teacher.strip().lower() == self.student.strip().lower():
            raise ValueError("teacher and student must be different models")
        return self


class TrainingTokens(BaseModel):
    """The work of a training run (or fine-tune) from the tokens it processed, instead of a duration:
    `method: full` trains every weight (6 x N FLOPs per token), `adapters` only LoRA/QLoRA adapters
    (4 x N); N = parameters active per token, in billions. Hours at `mfu` of the accelerator's peak BF16."""

    model_config = STRICT
    tokens: Annotated[float, Field(gt=0)] | Range
    parameters_billions: Annotated[float, Field(gt=0)]
    method: Literal["full", "adapters"] = "full"
    mfu: Annotated[float, Field(gt=0, le=1)] | Range = 0.4


class Workload(BaseModel):
    model_config = STRICT
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=MAX_ID_LENGTH)]
    kind: Literal["training", "inference"]
    description: str | None = None
    model: Name | None = None  # links a training run and a deployment of the same model
    finetunes: Name | None = None  # id of the training workload that pretrained the base model
    # Another accounting of the training run declared under this id (a model card's own figure, a
    # paper's convention): one run, so a model's lifecycle counts it once (marts.fct_model_lifecycle).
    same_run_as: Name | None = None
    source: str | None = None
    accelerator: str | None = None
    count: Annotated[int, Field(gt=0, le=MAX_ACCELERATORS)] = 1
    days: Annotated[float, Field(ge=0, le=MAX_DAYS)] | Range | None = None
    hours_per_day: Annotated[float, Field(gt=0, le=24)] | Range = 24
    accelerator_hours: NonNegative | None = None
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    energy_kwh: NonNegative | None = None  # when a source gives energy instead of hardware and hours
    # Energy of the run's hardware while powered but not computing (idle nodes, overhead), as a study
    # reports it beside its dynamic energy (Luccioni et al. 2022: BLOOM's idle consumption); added to IT energy.
    idle_energy_kwh: NonNegative | None = None
    training_flop: Annotated[float, Field(gt=0)] | None = None  # the run's total FLOPs, when published
    energy_basis: Literal["it", "facility"] = "it"  # whether energy_kwh already includes PUE
    convention: Literal[tuple(CONVENTIONS)] = "warehouse"  # a published source's accounting, to reproduce it
    power: Power = Power()
    location: Location | None = None
    year: int | None = None  # which year's annual grid data (default: the period's, else the latest)
    overrides: Overrides = Overrides()
    embodied: Embodied | None = None
    inference: Inference | None = None
    distillation: Distillation | None = None
    training_tokens: TrainingTokens | None = None

    @model_validator(mode="after")
    def coherent(self):
        if self.training_flop is not None and self.kind != "training":
            raise FieldError("training_flop",
                             "training_flop is the work of a training run: drop it from an inference workload")
        if self.training_tokens is not None and self.kind != "training":
            raise FieldError("training_tokens",
                             "training_tokens is the work of a training run: drop it from an inference workload")
        if self.distillation is not None and self.kind != "training":
            raise FieldError("distillation", "only a training workload can distil a model (distillation:)")
        days = _as_range(self.days)
        if days is not None and days.high > MAX_DAYS:
            raise FieldError("days", f"days {days.high:g} is more than {MAX_DAYS:,} (a hundred years)")
        durations = [n for n in ("days", "accelerator_hours") if getattr(self, n) is not None]
        if self.distillation and self.distillation.tokens is not None:
            durations.append("distillation.tokens")
        if self.training_tokens is not None:
            durations.append("training_tokens")
        if self.start or self.end:
            if not (self.start and self.end):
                raise FieldError("end", "start and end go together")
            if self.end <= self.start:
                raise FieldError("end", "end must be after start")
            durations.append("start/end")
        if len(durations) > 1:
            raise FieldError(durations[-1], f"give one duration, not {' and '.join(durations)}")
        per_request = self.inference is not None and self.inference.energy_per_request_wh is not None
        if self.energy_kwh is None:
            if self.accelerator is None and not per_request:
                raise FieldError("accelerator",
                                 "name an accelerator (or give energy_kwh, or inference.energy_per_request_wh)")
            if not durations and not per_request:
                raise FieldError("days", "missing duration: give days, accelerator_hours, start and end, "
                                 "training_tokens or distillation.tokens")
        if (self.distillation is not None or self.training_tokens is not None) and self.energy_kwh is not None:
            raise FieldError("energy_kwh", "work given in tokens is priced from accelerator-hours: drop energy_kwh")
        if self.finetunes is not None and self.kind != "training":
            raise FieldError("finetunes", "only a training workload can fine-tune a base model (finetunes:)")
        if self.same_run_as is not None and self.kind != "training":
            raise FieldError("same_run_as", "only a training workload can be another accounting of a training run")
        if self.same_run_as == self.id:
            raise FieldError("same_run_as", "same_run_as names the other accounting's id, not this workload's own")
        if self.finetunes == self.id:
            raise FieldError("finetunes",
                             "a workload cannot fine-tune itself: finetunes names the base model's pretraining")
        if self.kind == "inference" and self.inference is None:
            raise FieldError("inference", "an inference workload needs an `inference:` block (requests_per_day...)")
        if self.location is None and self.overrides.grid_kg_per_kwh is None:
            raise FieldError("location", "give a location (region, zone or country) or overrides.grid_kg_per_kwh")
        self._fits_convention()
        return self

    def _fits_convention(self) -> None:
        """Contradictions between the selected convention and the fields given."""
        rules = CONVENTIONS[self.convention]
        power = self.power
        if rules.power_is_tdp and (power.measured_w is not None or power.utilisation is not None
                                   or power.host_overhead_w is not None or self.energy_kwh is not None):
            raise FieldError("power", f"convention {self.convention} prices accelerator-hours at the catalog TDP: "
                             "drop power.* and energy_kwh, or choose convention: warehouse")
        pue = self.overrides.pue
        if rules.pue_is_one and pue is not None and _as_range(pue) != _as_range(1.0):
            raise FieldError("overrides.pue", f"convention {self.convention} fixes PUE at 1.0: drop "
                             "overrides.pue or choose convention: warehouse")
        if rules.needs_measured_power and power.measured_w is None:
            raise FieldError("power.measured_w", f"convention {self.convention} needs power.measured_w "
                             "(measured system power per accelerator)")
        per_request = self.inference is not None and self.inference.energy_per_request_wh is not None
        if rules.needs_energy and self.energy_kwh is None and not per_request:
            raise FieldError("energy_kwh", f"convention {self.convention} needs energy_kwh (the source's energy "
                             "E) or inference.energy_per_request_wh")

    def range_of(self, value) -> Range | None:
        return _as_range(value)


class WorkloadFile(BaseModel):
    model_config = STRICT
    workloads: list[dict]
