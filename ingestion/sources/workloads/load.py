"""Read workload YAML files, validate each workload, resolve its accelerator and location.

A bad workload is rejected with the file, the workload id, the field and the fix; the others load.
Ranges are expanded into `<name>_low`, `<name>_central`, `<name>_high` columns.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from pydantic import ValidationError

from ingestion.places import Places
from ingestion.yaml_files import load_yaml
from ingestion.quarantine import ParseResult, Rejected, Rejection, rejections_frame
from ingestion.sources.hardware.names import AcceleratorResolver
from ingestion.sources.inference.energy_per_token import measured_rows
from ingestion.sources.workloads.schema import FieldError, Range, Workload
from ingestion.sources.workloads.work import as_triple, derived_hours, distillation_work, token_work

RANGED = {
    "hours_per_day": ("hours_per_day",), "days": ("days",), "accelerator_hours": ("accelerator_hours",),
    "energy_kwh": ("energy_kwh",), "idle_energy_kwh": ("idle_energy_kwh",), "idle_w": ("power", "idle_w"),
    "measured_w": ("power", "measured_w"), "utilisation": ("power", "utilisation"),
    "host_overhead_w": ("power", "host_overhead_w"), "pue": ("overrides", "pue"),
    "grid_kg_per_kwh": ("overrides", "grid_kg_per_kwh"), "market_kg_per_kwh": ("overrides", "market_kg_per_kwh"),
    "carbon_free_share": ("overrides", "carbon_free_share"), "wue_l_per_kwh": ("overrides", "wue_l_per_kwh"),
    "ewif_l_per_kwh": ("overrides", "ewif_l_per_kwh"), "embodied_accelerator_kg": ("embodied", "accelerator_kg"),
    "embodied_server_kg": ("embodied", "server_kg"), "requests_per_day": ("inference", "requests_per_day"),
    "energy_per_request_wh": ("inference", "energy_per_request_wh"),
    "tokens_per_request": ("inference", "tokens_per_request"), "distillation_tokens": ("distillation", "tokens"),
    "training_tokens": ("training_tokens", "tokens"),
}
FIXES = {
    "accelerator": "use a name from marts.dim_accelerators (or an alias), or add it to data/hardware/accelerators.csv",
    "location": "use a region listed in marts.dim_cloud_regions, a zone of marts.dim_grid_zones, or a country code",
    "days": "days are a duration between 0 and 36,500 (a hundred years), finite",
    "count": "count is how many accelerators: a whole number from 1 to 10,000,000",
    "id": "ids are lower-case letters, digits, '.', '_' or '-', at most 200 characters",
    "accelerator_hours": "durations are non-negative",
}


# What a newcomer types first, and the field that says it.
FIELD_HINTS = {
    "hours": "use accelerator_hours (the total over all accelerators) or days (+ hours_per_day)",
    "gpu": "use accelerator (a name of marts.dim_accelerators) and count", "gpus": "use accelerator and count",
    "region": "put it under location: {provider: aws|gcp|azure, region: ..}",
    "country": "put it under location: {country: ..}", "zone": "put it under location: {zone: ..}",
    "pue": "put it under overrides: {pue: ..}", "wue": "put it under overrides: {wue_l_per_kwh: ..}",
    "requests_per_day": "put it under inference: {requests_per_day: ..}",
    "lifetime_years": "put it under embodied: {lifetime_years: ..}",
    "measured_w": "put it under power: {measured_w: ..}", "utilisation": "put it under power: {utilisation: ..}",
}


def _fix_for(error: dict, field: str) -> str:
    """The fix for a schema error: a known field, a misplaced or misspelt one, else the README."""
    if field in FIXES:
        return FIXES[field]
    name = field.rsplit(".", 1)[-1]
    if error["type"] == "extra_forbidden":
        if name in FIELD_HINTS:
            return FIELD_HINTS[name]
        close = difflib.get_close_matches(name, sorted(_all_fields()), n=3, cutoff=0.6)
        if close:
            return f"no field {name!r} here; did you mean {' or '.join(close)}? (data/workloads/README.md)"
    return f"see the `{field}` row of data/workloads/README.md for the field and its units"


def _all_fields() -> set[str]:
    from ingestion.sources.workloads import schema
    return {name for model in (schema.Workload, schema.Power, schema.Overrides, schema.Embodied, schema.Inference,
                               schema.Location, schema.Distillation, schema.TrainingTokens)
            for name in model.model_fields}


def _schema_error(error: ValidationError) -> tuple[str, object, str, str]:
    """field, value, reason and fix of a workload's first schema error. A workload-level rule names its
    field (schema.FieldError); pydantic's own errors carry it in their location."""
    first = error.errors()[0]
    cause = (first.get("ctx") or {}).get("error")
    if isinstance(cause, FieldError):
        return cause.field, None, str(cause), _fix_for(first, cause.field)
    field = _field_path(first["loc"])
    return field, first.get("input") if first["loc"] else None, first["msg"], _fix_for(first, field)


def _line(lines: dict, position: int, field: str) -> int:
    """The YAML line of the field in the workload, else of the workload itself."""
    item = ("workloads", position - 1)
    parts = tuple(p for p in field.split("/")[0].split(".") if p and p != "(workload)")
    while parts:
        if (*item, *parts) in lines:
            return lines[(*item, *parts)]
        parts = parts[:-1]
    return lines.get(item, 0)


def _field_path(loc: tuple) -> str:
    """pydantic's error location without its union-member tags ("days.constrained-float" -> "days")."""
    parts = []
    for part in loc:
        if isinstance(part, str) and ("-" in part or part[:1].isupper()):
            break
        parts.append(str(part))
    return ".".join(parts) or "(workload)"


def input_warnings(w: Workload) -> str | None:
    """Inputs that load but are easy to get wrong; logged by the asset and kept in the mart."""
    notes = []
    if w.overrides.carbon_free_share is not None and w.location and w.location.provider == "gcp":
        notes.append("overrides.carbon_free_share is the share covered by contractual instruments for the market-"
                     "based figure; Google's hourly carbon-free energy (CFE%) per region is not that share (it counts "
                     "the grid's own clean supply, already in the location-based figure): give market_kg_per_kwh "
                     "from the provider's market-based report instead if that is what you entered")
    return "; ".join(notes) or None


def _get(model, path):
    for part in path:
        model = getattr(model, part, None) if model is not None else None
    return model


def _flatten(w: Workload, accelerator: str | None, zone: str | None, source_file: str) -> dict:
    row = {
        "workload_id": w.id, "kind": w.kind, "model": w.model, "finetunes": w.finetunes,
        "same_run_as": w.same_run_as,
        "description": w.description, "source": w.source,
        "source_file": source_file, "convention": w.convention, "energy_basis": w.energy_basis,
        "accelerator": accelerator, "accelerator_count": w.count,
        "provider": w.location.provider if w.location else None,
        "region": w.location.region if w.location else None, "zone_id": zone,
        "period_start": w.start.replace(tzinfo=None) if w.start else None,
        "period_end": w.end.replace(tzinfo=None) if w.end else None, "year": w.year,
        "accelerators_per_server": w.embodied.accelerators_per_server if w.embodied else None,
        "lifetime_years": w.embodied.lifetime_years if w.embodied else None,
        "use_rate": w.embodied.use_rate if w.embodied else None,
        # Filled when the workload names measured models (inference energy, distillation).
        "energy_model_id": None, "energy_task": None, "energy_gpu_model": None, "energy_num_gpus": None,
        "distills_teacher_model_id": None, "distills_student_model_id": None, "accelerator_hours_basis": None,
        "training_flop": w.training_flop,
        "training_flop_basis": "declared (see source)" if w.training_flop is not None else None,
        "input_warnings": input_warnings(w),
        "requests_source": w.inference.requests_source if w.inference else None,
        "usage_levels": [level.model_dump() for level in w.inference.usage_levels] if w.inference else [],
    }
    for name, path in RANGED.items():
        value = w.range_of(_get(w, path))
        for bound in ("low", "central", "high"):
            row[f"{name}_{bound}"] = getattr(value, bound) if isinstance(value, Range) else None
    if w.start and w.end:
        span = (w.end - w.start).total_seconds() / 3600
        for bound in ("low", "central", "high"):
            row[f"accelerator_hours_{bound}"] = span * w.count
    return row


def energy_per_request(inference, accelerator: str | None, count: int, energy: pl.DataFrame) -> tuple[dict, str]:
    """Wh per request from tokens x measured J per token, and the setup chosen (model id, task, GPU
    model and count, in `energy_*` columns); raises LookupError naming close models."""
    rows = measured_rows(energy, inference.energy_model, inference.energy_task)
    families = ("B200", "H200", "H100", "A100")
    gpu = inference.energy_gpu or next((g for g in families if accelerator and g in accelerator), None)
    if gpu and rows.filter(pl.col("gpu_model") == gpu).height:
        rows = rows.filter(pl.col("gpu_model") == gpu)
    rows = rows.with_columns(distance=(pl.col("num_gpus") - count).abs()).sort("distance", "num_gpus")
    chosen = rows.row(0, named=True)
    tokens = as_triple(inference.tokens_per_request)
    per_token = (chosen["energy_per_token_j_low"], chosen["energy_per_token_j_central"],
                 chosen["energy_per_token_j_high"])
    values = {f"energy_per_request_wh_{b}": t * j / 3600 for b, t, j in zip(("low", "central", "high"), tokens,
                                                                               per_token, strict=True)}
    values.update(energy_model_id=chosen["model_id"], energy_task=chosen["task"],
                  energy_gpu_model=chosen["gpu_model"], energy_num_gpus=chosen["num_gpus"])
    return values, f"{chosen['nickname']} on {chosen['num_gpus']} x {chosen['gpu_model']} ({inference.energy_task}, " \
                   f"ML.ENERGY leaderboard)"


def load_workloads(folder: Path, *, resolver: AcceleratorResolver, places: Places, load_id: str,
                   energy: pl.DataFrame | None = None,
                   peak_bf16_tflops: dict[str, float] | None = None) -> ParseResult:
    """Every workload of every YAML file in `folder`: a row each (`source_row` its line), or a Rejection
    naming the file, the line of the field at fault, the workload and the fix; a file that cannot be
    read is rejected whole and the others load. References between workloads are checked last."""
    rows, rejected = [], []
    reference_lines = {}  # (file, workload id, field) -> line of a reference, checked once every file loaded
    pricing = _WorkloadRows(resolver, places, load_id, energy, peak_bf16_tflops or {})
    for path in sorted(folder.glob("*.y*ml")):
        try:
            items, lines = _workload_items(path)
        except Rejected as fault:
            rejected.append(Rejection(path.name, 0, None, fault.field, None, fault.reason, fault.fix, {}))
            continue
        seen = set()
        for position, item in enumerate(items, 1):
            try:
                row = pricing.row(item, path.name, seen)
            except Rejected as fault:
                rejected.append(Rejection(path.name, _line(lines, position, fault.field), pricing.id_of(item),
                                          fault.field, None if fault.value is None else str(fault.value),
                                          fault.reason, fault.fix, item if isinstance(item, dict) else {}))
                continue
            for field in REFERENCES:
                reference_lines[(path.name, row["workload_id"], field)] = _line(lines, position, field)
            rows.append({**row, "source_row": _line(lines, position, "")})
    rows = _check_references(rows, rejected, reference_lines)
    return ParseResult(_typed(rows), rejections_frame(rejected))


def _workload_items(path: Path) -> tuple[list, dict]:
    """The file's `workloads:` list and the line of each key; Rejected for the whole file."""
    try:
        document, lines = load_yaml(path, with_lines=True)
    except ValueError as error:  # syntax, encoding, size or alias bomb: this file only
        raise Rejected("(file)", str(error).replace(f"{path}: ", "", 1),
                       "fix the file as the reason says; the other files still load") from None
    items = (document or {}).get("workloads") if isinstance(document or {}, dict) else None
    if not isinstance(items, list):
        raise Rejected("workloads", "no `workloads:` list in the file",
                       "put the workloads under a top-level `workloads:` list")
    return items, lines


@dataclass(frozen=True)
class _WorkloadRows:
    """What turns one declared workload into a row: names resolved, energy and work derived; each
    check raises Rejected with the field at fault and its value."""

    resolver: AcceleratorResolver
    places: Places
    load_id: str
    energy: pl.DataFrame | None
    peak_bf16_tflops: dict[str, float]

    @staticmethod
    def id_of(item) -> str | None:
        return item.get("id") if isinstance(item, dict) else None

    def row(self, item, source_file: str, seen: set) -> dict:
        try:
            workload = Workload.model_validate(item)
        except ValidationError as error:
            field, value, reason, fix = _schema_error(error)
            raise Rejected(field, reason, fix, value) from None
        if workload.id in seen:
            raise Rejected("id", "duplicate workload id in this file", "give each workload its own id", workload.id)
        seen.add(workload.id)
        accelerator, resolution = self._accelerator(workload)
        zone = self._zone(workload)
        row = {**_flatten(workload, accelerator, zone, source_file), "load_id": self.load_id,
               "energy_per_request_source": None, "accelerator_resolution": resolution}
        if workload.inference and workload.inference.energy_model:
            values, row["energy_per_request_source"] = self._energy_per_request(workload, accelerator)
            row.update(values)
        row.update(self._work(workload, accelerator))
        return row

    def _accelerator(self, workload: Workload) -> tuple[str | None, str | None]:
        if not workload.accelerator:
            return None, None
        try:
            return self.resolver.resolve_explained(workload.accelerator)
        except LookupError as error:
            raise Rejected("accelerator", str(error), FIXES["accelerator"], workload.accelerator) from None

    def _zone(self, workload: Workload) -> str | None:
        if not workload.location:
            return None
        try:
            return self.places.resolve(workload.location)
        except LookupError as error:
            raise Rejected("location", str(error), FIXES["location"],
                           workload.location.model_dump(exclude_none=True)) from None

    def _energy_per_request(self, workload: Workload, accelerator: str | None) -> tuple[dict, str]:
        field, model = "inference.energy_model", workload.inference.energy_model
        if self.energy is None:
            raise Rejected(field, "no energy-per-token table loaded", "bundle data/inference/energy_per_token.csv",
                           model)
        try:
            return energy_per_request(workload.inference, accelerator, workload.count, self.energy)
        except LookupError as error:
            raise Rejected(field, str(error), "use a nickname or model id of data/inference/energy_per_token.csv",
                           model) from None

    def _work(self, workload: Workload, accelerator: str | None) -> dict:
        """Accelerator-hours derived from the work a distillation or a token count implies, if declared."""
        values, work = {}, None
        try:
            if workload.distillation:
                if self.energy is None:
                    raise LookupError("no energy-per-token table loaded (bundle data/inference/energy_per_token.csv)")
                values, work = distillation_work(workload.distillation, self.energy, workload.training_flop)
            if work is None and workload.training_tokens:
                work = token_work(workload.training_tokens, workload.training_flop)
            return {**values, **(derived_hours(work, accelerator, self.peak_bf16_tflops) if work is not None else {})}
        except LookupError as error:
            raise Rejected("distillation", str(error), "name teacher and student by a nickname or model id of "
                           "data/inference/energy_per_token.csv",
                           workload.distillation.model_dump(exclude_none=True) if workload.distillation else None
                           ) from None
        except ValueError as error:
            raise Rejected("accelerator", str(error),
                           "give accelerator_hours, or an accelerator with a BF16 peak in the catalog",
                           workload.accelerator) from None


REFERENCES = {  # field -> what it must name, and the fix
    "finetunes": "name the id of the base model's pretraining run (declared in any file)",
    "same_run_as": "name the id of the training workload this one accounts for again (declared in any file)",
}


def _check_references(rows: list[dict], rejected: list[Rejection], lines: dict) -> list[dict]:
    """A fine-tune, or another accounting of a run, must name a training workload that loaded (any file)."""
    training = {r["workload_id"] for r in rows if r["kind"] == "training"}
    kept = []
    for row in rows:
        broken = next(((f, row[f]) for f in REFERENCES if row.get(f) is not None and row[f] not in training), None)
        if broken:
            field, target = broken
            close = difflib.get_close_matches(target, sorted(training), n=3, cutoff=0.5)
            rejected.append(Rejection(row["source_file"], lines.get((row["source_file"], row["workload_id"], field), 0),
                                      row["workload_id"], field, target,
                                      f"no training workload {target!r} loaded"
                                      + (f"; closest: {', '.join(close)}" if close else ""),
                                      REFERENCES[field], {"workload_id": row["workload_id"], field: target}))
            continue
        kept.append(row)
    return kept


USAGE_LEVELS_TYPE = pl.List(pl.Struct({"id": pl.String, "requests_per_day": pl.Float64, "source": pl.String}))


def _typed(rows: list[dict]) -> pl.DataFrame:
    """A frame whose column types do not depend on which optional fields the workloads used."""
    columns = [*(rows[0] if rows else {})]
    frame = pl.DataFrame(rows, infer_schema_length=None)

    def dtype(name: str):
        if name == "usage_levels":
            return USAGE_LEVELS_TYPE
        if name.endswith(("_low", "_central", "_high")) or name in ("lifetime_years", "use_rate", "training_flop"):
            return pl.Float64
        if name in ("year", "accelerator_count", "accelerators_per_server", "energy_num_gpus"):
            return pl.Int64
        if name.startswith("period_"):
            return pl.Datetime("us")
        return pl.String

    return frame.select(pl.col(c).cast(dtype(c)) for c in columns) if rows else frame
