"""Slurm accounting exports (`sacct -p` or `-P`), columns by header or by the cluster's format string.

One row per allocation: step rows (`123.batch`, `123.0`) are left out, because a job's energy is
counted once. Local times are converted to UTC with the cluster's time zone (so a job across a DST
change lasts what it really lasted). Format facts: SchedMD's sacct manual,
https://slurm.schedmd.com/sacct.html.
"""

from __future__ import annotations

import polars as pl

from ingestion.quarantine import ParseResult, split_rejected
from ingestion.sources.hardware.names import AcceleratorResolver, AmbiguousAcceleratorError
from ingestion.sources.logs.cluster import Cluster

REQUIRED = ("jobid", "start", "end", "alloctres")
TRES_ITEM = r"[A-Za-z][A-Za-z0-9_/:.-]*=[0-9.]+[KMGTP]?[nc]?"
TRES_LIST = rf"^({TRES_ITEM})(,{TRES_ITEM})*$"
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S"
NOT_A_TIME = ("unknown", "none", "")

SCHEMA = {"cluster": pl.String, "job_id": pl.String, "account": pl.String, "user_name": pl.String,
          "partition": pl.String, "state": pl.String, "submit": pl.Datetime("us"), "start": pl.Datetime("us"),
          "end": pl.Datetime("us"), "elapsed_s": pl.Int64, "gpus": pl.Int64, "accelerator": pl.String,
          "energy_j": pl.Float64, "node_list": pl.String, "source_file": pl.String, "source_row": pl.Int64}


def _elapsed_seconds(col: pl.Expr) -> pl.Expr:
    """[D-]HH:MM:SS -> seconds."""
    days = col.str.extract(r"^(\d+)-", 1).cast(pl.Int64).fill_null(0)
    clock = col.str.extract(r"(\d+):(\d\d):(\d\d)$", 0)
    h = clock.str.extract(r"^(\d+)", 1).cast(pl.Int64)
    m = clock.str.extract(r"^\d+:(\d\d)", 1).cast(pl.Int64)
    s = clock.str.extract(r"(\d\d)$", 1).cast(pl.Int64)
    return days * 86400 + h * 3600 + m * 60 + s


def _utc(col: pl.Expr, time_zone: str) -> pl.Expr:
    local = col.str.to_datetime(TIME_FORMAT, strict=False, time_unit="us")
    return (local.dt.replace_time_zone(time_zone, ambiguous="earliest", non_existent="null")
            .dt.convert_time_zone("UTC").dt.replace_time_zone(None))


def _table(text: str, source_file: str, cluster: Cluster) -> tuple[list[str], pl.DataFrame, int, bool]:
    """Column names, the data lines, their field count, and whether lines end with a '|' (-p)."""
    lines = text.splitlines()
    trailing = bool(lines) and lines[0].endswith("|")
    first = (lines[0][:-1] if trailing else lines[0]).split("|") if lines else []
    if any(f.strip().lower() == "jobid" for f in first):
        header, body, offset = first, lines[1:], 2
    elif cluster.sacct_format:
        header, body, offset = [f.strip() for f in cluster.sacct_format.split(",")], lines, 1
        trailing = bool(lines) and lines[0].count("|") == len(header)
    else:
        raise ValueError(f"{source_file}: no header line and no sacct_format in cluster.yaml; export with a "
                         "header (drop -n) or set sacct_format to the --format= you used")
    names = [h.strip().lower() for h in header]
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise ValueError(f"{source_file}: sacct columns {', '.join(missing)} are missing; export with "
                         "--format=JobID,Account,User,Partition,Start,End,Elapsed,AllocTRES,NodeList,State")
    frame = pl.DataFrame({"line": body}, schema={"line": pl.String}).with_row_index("source_row", offset=offset)
    return names, frame.filter(pl.col("line").str.strip_chars() != ""), len(names), trailing


def parse_sacct(text: str, source_file: str, cluster: Cluster, resolver: AcceleratorResolver) -> ParseResult:
    """One row per allocation with a usable start, end and GPU model; every other line quarantined with
    its line number, job id, field, reason and fix (judged a column at a time: exports are large)."""
    names, frame, width, trailing = _table(text, source_file, cluster)
    # -p ends every line with "|": drop exactly one trailing separator; with -P a final "|" is an empty field
    parts = (pl.col("line").str.replace(r"\|$", "") if trailing else pl.col("line")).str.split("|")
    frame = frame.with_columns(parts.alias("fields")).with_columns(n=pl.col("fields").list.len())
    frame, rejected = split_rejected(
        frame, pl.col("n") != width, source_file=source_file, field="(line)", value=pl.col("line"),
        reason=pl.format("{} fields where the header has {}", "n", pl.lit(width)), name=None, raw={"line": "line"},
        fix="re-export with sacct -p or -P; a '|' inside a field (JobName) breaks the format: drop that column")
    rejected = [rejected]
    frame = frame.with_columns(pl.col("fields").list.get(i).str.strip_chars().alias(n) for i, n in enumerate(names))
    frame = _typed_jobs(frame.filter(~pl.col("jobid").str.contains(r"\.")), cluster)  # steps: the job carries them
    frame = frame.with_columns(accelerator=_gpu_models(frame, cluster, resolver))
    for bad, field, value, reason, fix in _job_faults(cluster):
        frame, found = split_rejected(frame, bad, source_file=source_file, field=field, value=value, reason=reason,
                                      fix=fix, name=pl.col("jobid"), raw={"line": "line"})
        rejected.append(found)
    jobs = frame.select(
        cluster=pl.lit(cluster.name), job_id="jobid",
        account=pl.when(pl.col("account") != "").then("account").otherwise("user"),
        user_name=pl.when(pl.col("user") != "").then("user"), partition="partition",
        state="state", submit="submit_utc", start="start_utc", end="end_utc", elapsed_s="elapsed_s", gpus="gpus",
        accelerator="accelerator",
        energy_j=pl.coalesce("tres_energy", pl.when(pl.col("consumedenergyraw") != "").then("consumedenergyraw")
                             .cast(pl.Float64)),
        node_list="nodelist", source_file=pl.lit(source_file), source_row="source_row")
    return ParseResult(jobs.cast(SCHEMA), pl.concat(rejected))


def _typed_jobs(frame: pl.DataFrame, cluster: Cluster) -> pl.DataFrame:
    """Optional columns present (null), times in UTC, GPUs and energy out of the TRES list."""
    for column in ("account", "user", "partition", "state", "submit", "elapsed", "nodelist", "consumedenergyraw"):
        if column not in frame.columns:
            frame = frame.with_columns(pl.lit(None, pl.String).alias(column))
    return frame.with_columns(
        start_utc=_utc(pl.col("start"), cluster.time_zone), end_utc=_utc(pl.col("end"), cluster.time_zone),
        submit_utc=_utc(pl.col("submit"), cluster.time_zone),  # optional: when the scheduler could decide
        gpus=pl.col("alloctres").str.extract(r"(?:^|,)gres/gpu=(\d+)", 1).cast(pl.Int64).fill_null(0),
        gpu_type=pl.col("alloctres").str.extract(r"(?:^|,)gres/gpu:([^=,]+)=", 1),
        tres_energy=pl.col("alloctres").str.extract(r"(?:^|,)energy=(\d+)", 1).cast(pl.Float64),
        elapsed_s=_elapsed_seconds(pl.col("elapsed")),
    )


def _quoted(column: str) -> pl.Expr:
    return pl.format("'{}'", column)


def _job_faults(cluster: Cluster) -> list[tuple]:
    """(bad, field, value, reason, fix) for each check of an allocation, applied in this order."""
    never = pl.col("start").str.to_lowercase().is_in(NOT_A_TIME) | pl.col("end").str.to_lowercase().is_in(NOT_A_TIME)
    state = pl.when(pl.col("state").is_null() | (pl.col("state") == "")).then(pl.lit("?")).otherwise("state")
    times = f"times are {TIME_FORMAT} in the cluster's local time; check cluster.yaml time_zone"
    not_a_time = f" is not a time of {cluster.time_zone} (impossible date, wrong format, or inside a DST gap)"
    no_model = pl.col("accelerator").is_null()
    gpu_fix = (pl.when(no_model).then(pl.lit("set default_gpu or partition_gpus in cluster.yaml"))
               .otherwise(pl.lit("map the partition in cluster.yaml partition_gpus, or set default_gpu")))
    return [
        (never, "start/end", pl.col("state"),
         pl.format("job never started or has not ended (state {}, start {}, end {}): no energy to attribute yet",
                   state, _quoted("start"), _quoted("end")),
         "re-import the export after the job has ended; pending and cancelled-before-start jobs use no energy"),
        *((pl.col(f"{raw}_utc").is_null(), raw, pl.col(raw), pl.format("{}" + not_a_time, _quoted(raw)), times)
          for raw in ("start", "end")),
        (pl.col("end_utc") < pl.col("start_utc"), "end", pl.col("end"),
         pl.format("ends before it starts ({} -> {})", "start", "end"), "check the export: End must not precede Start"),
        (pl.col("submit").is_not_null() & ~pl.col("submit").str.to_lowercase().is_in(NOT_A_TIME)
         & pl.col("submit_utc").is_null(), "submit", pl.col("submit"), pl.format("{}" + not_a_time, _quoted("submit")),
         times),
        (pl.col("submit_utc") > pl.col("start_utc"), "submit", pl.col("submit"),
         pl.format("submitted after it started ({} -> {})", "submit", "start"),
         "check the export: Submit must not follow Start"),
        (~pl.col("alloctres").str.contains(TRES_LIST) & (pl.col("alloctres") != ""), "AllocTRES", pl.col("alloctres"),
         "unparsable TRES list", "AllocTRES is a comma list of name=count (billing=8,cpu=8,gres/gpu=2,mem=64G,node=1)"),
        ((pl.col("gpus") > 0) & (no_model | pl.col("accelerator").str.starts_with("!")), "AllocTRES",
         pl.col("alloctres"),
         pl.when(no_model).then(pl.lit("GPU job with no GPU model in the export"))
         .otherwise(pl.format("unknown GPU: {}", pl.col("accelerator").str.strip_prefix("!"))), gpu_fix),
    ]


def _gpu_models(frame: pl.DataFrame, cluster: Cluster, resolver: AcceleratorResolver) -> pl.Series:
    """The catalog part of each GPU job: its partition's in cluster.yaml, else the TRES gres type, else
    the cluster's default; '!reason' where the name is unknown, null where nothing names one. A gres type
    naming a family ("gres/gpu:a100") is the cluster's default part of it."""
    resolved = {}
    for partition, gpu_type in frame.filter(pl.col("gpus") > 0).select("partition", "gpu_type").unique().rows():
        wanted = cluster.partition_gpus.get(partition or "") or gpu_type or cluster.default_gpu
        try:
            resolved[(partition, gpu_type)] = resolver.resolve(wanted) if wanted else None
        except AmbiguousAcceleratorError as error:
            family = cluster.default_gpu and wanted == gpu_type
            resolved[(partition, gpu_type)] = resolver.resolve(cluster.default_gpu) if family else f"!{error}"
        except LookupError as error:
            resolved[(partition, gpu_type)] = f"!{error}"
    models = pl.DataFrame([(*key, model) for key, model in resolved.items()], orient="row",
                          schema={"partition": pl.String, "gpu_type": pl.String, "accelerator": pl.String})
    joined = frame.select("partition", "gpu_type", "gpus").join(models, on=["partition", "gpu_type"], how="left",
                                                                  nulls_equal=True, maintain_order="left")
    return joined.select(pl.when(pl.col("gpus") > 0).then("accelerator")).to_series()
