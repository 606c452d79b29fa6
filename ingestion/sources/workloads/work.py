"""A training run's work (FLOPs) from the tokens it processed, and its accelerator-hours at a stated
share of peak (MFU), for workloads that give tokens instead of a duration.

FLOPs per token (Kaplan et al. 2020): 6 x N for training every weight (forward 2N, backward 4N);
4 x N when only adapters train (LoRA, QLoRA: the backward pass still carries activation gradients
through the frozen weights, 2N, but computes no weight gradients for them); a distillation adds a
forward pass through the teacher, 2 x N_teacher. N is the parameters active per token.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ingestion.sources.inference.energy_per_token import measured_rows
from ingestion.sources.workloads.schema import Range

FLOPS_PER_PARAMETER = {"full": 6, "adapters": 4}


@dataclass(frozen=True)
class Work:
    flops: tuple[float, float, float]  # low, central, high
    mfu: tuple[float, float, float]
    basis: str  # how the FLOPs were obtained
    declared: bool  # the workload's own training_flop


def as_triple(value) -> tuple:
    return (value.low, value.central, value.high) if isinstance(value, Range) else (value, value, value)


def _work(flops: tuple, mfu, basis: str, declared_flop: float | None) -> Work:
    if declared_flop is not None:  # a published figure wins over the estimate
        return Work((declared_flop,) * 3, as_triple(mfu), f"declared {declared_flop:.3g} FLOPs", True)
    return Work(flops, as_triple(mfu), basis, False)


def token_work(tokens_block, declared_flop: float | None = None) -> Work:
    per_token = FLOPS_PER_PARAMETER[tokens_block.method] * tokens_block.parameters_billions * 1e9
    tokens = as_triple(tokens_block.tokens)
    basis = (f"{tokens[1]:.3g} tokens x {FLOPS_PER_PARAMETER[tokens_block.method]} x "
             f"{tokens_block.parameters_billions:g}B parameters ({tokens_block.method})")
    return _work(tuple(t * per_token for t in tokens), tokens_block.mfu, basis, declared_flop)


def distillation_work(distillation, energy: pl.DataFrame, declared_flop: float | None = None
                      ) -> tuple[dict, Work | None]:
    """Teacher and student model ids (LookupError naming close models when one is not measured) and,
    with `tokens`, the work: tokens x (6 x student + 2 x teacher active parameters)."""
    teacher = measured_rows(energy, distillation.teacher).row(0, named=True)
    student = measured_rows(energy, distillation.student).row(0, named=True)
    ids = {"distills_teacher_model_id": teacher["model_id"], "distills_student_model_id": student["model_id"]}
    if distillation.tokens is None:
        return ids, None
    n_student, n_teacher = student["activated_params_billions"], teacher["activated_params_billions"]
    tokens = as_triple(distillation.tokens)
    basis = f"{tokens[1]:.3g} tokens x (6 x {n_student:g}B student + 2 x {n_teacher:g}B teacher)"
    flops = tuple(t * (6 * n_student + 2 * n_teacher) * 1e9 for t in tokens)
    return ids, _work(flops, distillation.mfu, basis, declared_flop)


def derived_hours(work: Work, accelerator: str, peak_bf16_tflops: dict[str, float]) -> dict:
    """Accelerator-hours = FLOPs / (MFU x peak BF16) as low/central/high (the low from the high MFU),
    with the derivation; ValueError when the accelerator has no BF16 peak in the catalog."""
    peak = peak_bf16_tflops.get(accelerator)
    if not peak:
        raise ValueError(f"{accelerator} has no peak BF16 FLOP/s in the catalog to derive hours from")
    values = {f"accelerator_hours_{bound}": flop / (peak * 1e12 * mfu) / 3600
              for bound, flop, mfu in zip(("low", "central", "high"), work.flops, reversed(work.mfu), strict=True)}
    values["accelerator_hours_basis"] = f"derived: {work.basis} at {work.mfu[1]:.0%} of {peak:g} TFLOP/s BF16"
    if not work.declared:
        values.update(training_flop=work.flops[1], training_flop_basis=f"derived: {work.basis}")
    return values
