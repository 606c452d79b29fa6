"""`footprint` command: build the warehouse with a readable summary, resolve accelerator names.

    footprint build                 everything, offline, on the bundled data; exit 1 on a failed check
    footprint resolve "A100-SXM4-80GB"
    footprint report                data/published/report.html from the published warehouse
    footprint export --format ai-act|sci|boamps|all [--workload ID] [--out DIR]
                                    the reports others define, from the published warehouse
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import dagster as dg
import duckdb
from dagster._core.errors import DagsterHomeNotSetError

from dagster_project import settings
from dagster_project.lib import runs

QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


def _instance() -> dg.DagsterInstance:
    try:
        return dg.DagsterInstance.get()  # DAGSTER_HOME set (make run): runs show up in `make dev`
    except (dg.DagsterInvariantViolationError, DagsterHomeNotSetError):
        return dg.DagsterInstance.ephemeral()


def restrict_file_modes() -> None:
    """New files readable by the owner and group only (umask 027), and the folders that hold the live
    warehouse, every landed payload and Dagster's event log closed to other users: the UI has no
    authentication and payloads are the raw record of every feed (see README, "Deploying")."""
    os.umask(0o027)
    for folder in (settings.warehouse_path().parent, settings.landing_dir(), os.environ.get("DAGSTER_HOME")):
        if folder and Path(folder).is_dir():
            Path(folder).chmod(0o750)


def build() -> int:
    from dagster_project.definitions import defs

    restrict_file_modes()
    from dagster_project.lib.publish import current_build

    settings.export_for_dbt()
    job = defs().resolve_job_def("build_warehouse")
    before = current_build(settings.published_dir())
    with _instance() as instance:
        try:
            runs.wait_for_pool(instance)
        except KeyboardInterrupt:
            print("stopped while waiting for the writer pool; nothing was built")
            return 130
        result = job.execute_in_process(instance=instance, raise_on_error=False, run_config=QUIET,
                                        tags=runs.process_tags())
    return print_summary(result, before, current_build(settings.published_dir()))


def print_summary(result: dg.ExecuteInProcessResult, before: str | None, after: str | None) -> int:
    """What was built and checked, and what readers see now: the message follows the publication on
    disk (the build id `current` points at before and after the run), not what the run reported."""
    print("\n== Tables built ==")
    for event in result.get_asset_materialization_events():
        key = event.asset_key.to_user_string()
        meta = event.materialization.metadata
        rows = meta.get("dagster/row_count")
        print(f"  {key:<48} {rows.value if rows else '':>8} rows")

    print("\n== Checks ==")
    failed_blocking = 0
    evaluations = result.get_asset_check_evaluations()
    for evaluation in evaluations:
        if not evaluation.passed:
            severity = evaluation.severity.value
            failed_blocking += severity == "ERROR"
            label = "FAILED" if severity == "ERROR" else "WARNING"
            print(f"  {label} [{severity}] {evaluation.asset_key.to_user_string()} :: {evaluation.check_name}")
            for label, value in evaluation.metadata.items():
                print(f"      {label}: {value.value}")
    passed = sum(e.passed for e in evaluations)
    print(f"  {passed} passed, {len(evaluations) - passed - failed_blocking} warnings (quarantined rows, "
          f"kept in raw.*_rejected), {failed_blocking} failed")

    print("\n== Published for BI ==")
    published = settings.published_dir() / settings.WAREHOUSE_FILENAME
    if after and after != before:
        print(f"  {published} (build {after}; open it read-only; manifest.json beside it)")
        with duckdb.connect(published, read_only=True) as conn:
            rows = conn.execute(
                "select canonical_name, tdp_w, tdp_basis, memory_gb, peak_bf16_fp16_tflops, "
                "bf16_fp16_tflops_per_w, licence from marts.dim_accelerators "
                "order by bf16_fp16_tflops_per_w desc nulls last, canonical_name limit 5"
            ).fetchall()
        print("\n== marts.dim_accelerators: the 5 most efficient at dense BF16/FP16 ==")
        print(f"  {'accelerator':<24} {'TDP W':>7} {'basis':<11} {'mem GB':>7} {'TFLOP/s':>8} {'per W':>6}  licence")
        for name, tdp, basis, memory, tflops, per_w, licence in rows:
            print(f"  {name:<24} {tdp:>7.0f} {basis:<11} {memory or 0:>7.0f} {tflops:>8.1f} {per_w:>6.2f}  {licence}")
    elif before:
        print(f"  NOT published: readers still see build {before} in {settings.published_dir()}, unchanged")
    else:
        print(f"  NOT published: nothing is published in {settings.published_dir()} yet")

    for event in result.all_events:
        if event.event_type_value == "STEP_FAILURE":
            error = event.step_failure_data.error
            cause = error.cause or error
            print(f"  step {event.step_key} failed: {cause.message.strip().splitlines()[-1]}")

    ok = result.success and failed_blocking == 0 and after != before
    print("BUILD OK" if ok else "BUILD FAILED: see the failed steps and checks above")
    return 0 if ok else 1


def resolve(name: str) -> int:
    from ingestion.sources.hardware.catalog import read_csv_records
    from ingestion.sources.hardware.names import AcceleratorResolver

    rows = read_csv_records(settings.reference_dir() / "hardware" / "accelerators.csv")
    try:
        canonical, note = AcceleratorResolver.from_rows(rows).resolve_explained(name)
        print(canonical)
        if note:
            print(note, file=sys.stderr)
    except LookupError as error:
        print(error, file=sys.stderr)
        return 2
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="footprint", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("build", help="materialize every asset and publish")
    resolver = commands.add_parser("resolve", help="resolve an accelerator name to its catalog entry")
    resolver.add_argument("name")
    commands.add_parser("report", help="write data/published/report.html (self-contained) from the published copy")
    exporter = commands.add_parser("export", help="write EU AI Act, SCI for AI or BoAmps reports from the published "
                                                 "copy (default folder: data/published/exports)")
    exporter.add_argument("--format", required=True, choices=["ai-act", "sci", "boamps", "all"])
    exporter.add_argument("--workload", help="one workload id (or, for BoAmps, a job key cluster/job id)")
    exporter.add_argument("--out", type=Path, help="folder to write into")
    args = parser.parse_args(argv)
    if args.command == "build":
        return build()
    if args.command == "report":
        return report()
    if args.command == "export":
        return export(args.format, args.workload, args.out)
    return resolve(args.name)


def report() -> int:
    from dagster_project.lib.report.build import write_report

    published = settings.published_dir() / settings.WAREHOUSE_FILENAME
    if not published.exists():
        print(f"{published} does not exist: run `make run` first", file=sys.stderr)
        return 1
    print(f"report: {write_report(published, settings.published_dir() / 'report.html')}")
    return 0


def export(fmt: str, workload: str | None, out: Path | None) -> int:
    from dagster_project.lib.exports.write import FORMATS, write_exports

    published = settings.published_dir() / settings.WAREHOUSE_FILENAME
    if not published.exists():
        print(f"{published} does not exist: run `make run` first", file=sys.stderr)
        return 1
    folder = out or settings.published_dir() / "exports"
    try:
        written = write_exports(published, folder, FORMATS if fmt == "all" else (fmt,), workload)
    except ValueError as error:
        print(f"export failed, nothing of that format written: {error}", file=sys.stderr)
        return 1
    if not written:
        print(f"no {fmt} export for {workload!r}: the AI Act covers training workloads, SCI workloads, BoAmps "
              "workloads and jobs (ids in marts.fct_report_boamps.subject_id)", file=sys.stderr)
        return 1
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
