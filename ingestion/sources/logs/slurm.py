"""Slurm accounting exports (`sacct -p` or `-P`), columns by header or by the cluster's format string.

One row per allocation: step rows (`123.batch`, `123.0`) are left out, because a job's energy is
counted once. Local times are converted to UTC with the cluster's time zone (so a job across a DST
change lasts what it really lasted). Format facts: SchedMD's sacct manual,
https://slurm.schedmd.com/sacct.html.
"""

from __future__ import annotations

import polars as pl

from ingestion.quarantine import ParseResult, Rejection, rejections_frame
from ingestion.sources.hardware.names import AcceleratorResolver, AmbiguousAcceleratorError
from ingestion.sources.logs.cluster import Cluster

REQUIRED = ("jobid", "start", "end", "alloctres")
TRES_ITEM = r"[A-Za-z][A-Za-z0-9_/:.-]*=[0-9.]+[KMGTP]?[nc]?"
TRES_LIST = rf"^({TRES_ITEM})(,{TRES_ITEM})*$"
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S"
NOT_A_TIME = ("unknown", "none", "")

SCHEMA = {"cluster": pl.String, "job_id": pl.String, "account": pl.String, "partition": pl.String,
          "state": pl.String, "start": pl.Datetime("us"), "end": pl.Datetime("us"), "elapsed_s": pl.Int64,
          "gpus": pl.Int64, "accelerator": pl.String, "energy_j": pl.Float64, "node_list": pl.String,
          "source_file": pl.String, "source_row": pl.Int64}


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
    names, frame, width, trailing = _table(text, source_file, cluster)
    # -p ends every line with "|": drop exactly one trailing separator; with -P a final "|" is an empty field
    parts = (pl.col("line").str.replace(r"\|$", "") if trailing else pl.col("line")).str.split("|")
    frame = frame.with_columns(parts.alias("fields")).with_columns(n=pl.col("fields").list.len())
    rejected: list[Rejection] = []

    def reject(rows: pl.DataFrame, field: str, value_col: str | None, reason, fix: str) -> None:
        for r in rows.iter_rows(named=True):
            value = r.get(value_col) if value_col else None
            text_reason = reason(r) if callable(reason) else reason
            rejected.append(Rejection(source_file, r["source_row"], r.get("jobid"), field, value, text_reason, fix,
                                      {"line": r["line"]}))

    reject(frame.filter(pl.col("n") != width), "(line)", "line",
           lambda r: f"{r['n']} fields where the header has {width}",
           "re-export with sacct -p or -P; a '|' inside a field (JobName) breaks the format: drop that column")
    frame = frame.filter(pl.col("n") == width).with_columns(
        pl.col("fields").list.get(i).str.strip_chars().alias(name) for i, name in enumerate(names))
    frame = frame.filter(~pl.col("jobid").str.contains(r"\."))  # steps: the allocation carries the job
    for column in ("account", "user", "partition", "state", "elapsed", "nodelist", "consumedenergyraw"):
        if column not in frame.columns:
            frame = frame.with_columns(pl.lit(None, pl.String).alias(column))
    frame = frame.with_columns(
        start_utc=_utc(pl.col("start"), cluster.time_zone), end_utc=_utc(pl.col("end"), cluster.time_zone),
        gpus=pl.col("alloctres").str.extract(r"(?:^|,)gres/gpu=(\d+)", 1).cast(pl.Int64).fill_null(0),
        gpu_type=pl.col("alloctres").str.extract(r"(?:^|,)gres/gpu:([^=,]+)=", 1),
        tres_energy=pl.col("alloctres").str.extract(r"(?:^|,)energy=(\d+)", 1).cast(pl.Float64),
        elapsed_s=_elapsed_seconds(pl.col("elapsed")),
    )
    never = pl.col("start").str.to_lowercase().is_in(NOT_A_TIME) | pl.col("end").str.to_lowercase().is_in(NOT_A_TIME)
    reject(frame.filter(never), "start/end", "state",
           lambda r: f"job never started or has not ended (state {r['state'] or '?'}, start {r['start']!r}, "
                     f"end {r['end']!r}): no energy to attribute yet",
           "re-import the export after the job has ended; pending and cancelled-before-start jobs use no energy")
    frame = frame.filter(~never)
    for column, raw in (("start_utc", "start"), ("end_utc", "end")):
        bad = frame.filter(pl.col(column).is_null())
        reject(bad, raw, raw, lambda r, raw=raw: f"{r[raw]!r} is not a time of {cluster.time_zone} "
               "(impossible date, wrong format, or inside a DST gap)",
               f"times are {TIME_FORMAT} in the cluster's local time; check cluster.yaml time_zone")
        frame = frame.filter(pl.col(column).is_not_null())
    backwards = frame.filter(pl.col("end_utc") < pl.col("start_utc"))
    reject(backwards, "end", "end", lambda r: f"ends before it starts ({r['start']} -> {r['end']})",
           "check the export: End must not precede Start")
    frame = frame.filter(pl.col("end_utc") >= pl.col("start_utc"))
    bad_tres = frame.filter(~pl.col("alloctres").str.contains(TRES_LIST) & (pl.col("alloctres") != ""))
    reject(bad_tres, "AllocTRES", "alloctres", "unparsable TRES list",
           "AllocTRES is a comma list of name=count (billing=8,cpu=8,gres/gpu=2,mem=64G,node=1)")
    frame = frame.filter(pl.col("alloctres").str.contains(TRES_LIST) | (pl.col("alloctres") == ""))

    rows, accelerators = [], {}
    for r in frame.iter_rows(named=True):
        accelerator = None
        if r["gpus"]:
            wanted = cluster.partition_gpus.get(r["partition"] or "") or r["gpu_type"] or cluster.default_gpu
            try:
                if wanted not in accelerators:
                    accelerators[wanted] = resolver.resolve(wanted) if wanted else None
                accelerator = accelerators[wanted]
            except LookupError as error:
                # "gres/gpu:a100" names a family; the cluster's default says which part it is
                if isinstance(error, AmbiguousAcceleratorError) and cluster.default_gpu and wanted == r["gpu_type"]:
                    accelerator = accelerators[wanted] = resolver.resolve(cluster.default_gpu)
                else:
                    rejected.append(Rejection(source_file, r["source_row"], r["jobid"], "AllocTRES", r["alloctres"],
                                              f"unknown GPU: {error}", "map the partition in cluster.yaml "
                                              "partition_gpus, or set default_gpu", {"line": r["line"]}))
                    continue
            if accelerator is None:
                rejected.append(Rejection(source_file, r["source_row"], r["jobid"], "AllocTRES", r["alloctres"],
                                          "GPU job with no GPU model in the export",
                                          "set default_gpu or partition_gpus in cluster.yaml", {"line": r["line"]}))
                continue
        energy = r["tres_energy"]
        if energy is None and r["consumedenergyraw"] not in (None, ""):
            energy = float(r["consumedenergyraw"])
        rows.append({"cluster": cluster.name, "job_id": r["jobid"], "account": r["account"] or r["user"],
                     "partition": r["partition"], "state": r["state"], "start": r["start_utc"], "end": r["end_utc"],
                     "elapsed_s": r["elapsed_s"],
                     "gpus": r["gpus"], "accelerator": accelerator, "energy_j": energy,
                     "node_list": r["nodelist"], "source_file": source_file, "source_row": r["source_row"]})
    return ParseResult(pl.DataFrame(rows, schema=SCHEMA), rejections_frame(rejected))

