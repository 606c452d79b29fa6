"""`nvidia-smi --query-gpu=timestamp,name,index,power.draw,... --format=csv` logs, with or without
header and units. Host-local timestamps become UTC with the cluster's time zone; each sample stands
for the time until the GPU's next sample (capped, so a logging gap is not billed). A sample that
repeats a GPU's timestamp (a log appended twice, or concatenated with itself) is quarantined as a
duplicate of the first: counted twice it would give both copies an interval of zero. Format facts:
NVIDIA's `nvidia-smi --help-query-gpu`.
"""

from __future__ import annotations

import io

import polars as pl

from ingestion.quarantine import REJECTED_SCHEMA, ParseResult
from ingestion.sources.hardware.names import AcceleratorResolver
from ingestion.sources.logs.cluster import Cluster

DEFAULT_FIELDS = "timestamp,name,index,power.draw,utilization.gpu"
TIME_FORMAT = "%Y/%m/%d %H:%M:%S%.f"
GAP_CAP = 5  # a sample stands for at most 5 x the GPU's median interval
SCHEMA = {"cluster": pl.String, "host": pl.String, "gpu_index": pl.Int64, "accelerator": pl.String,
          "timestamp": pl.Datetime("us"), "power_w": pl.Float64, "utilization_pct": pl.Float64,
          "interval_s": pl.Float64, "source_file": pl.String, "source_row": pl.Int64}


def _number(col: str) -> pl.Expr:
    """'245.67 W' or '245.67' -> 245.67; '[N/A]', 'ERR!' and the like -> null."""
    return pl.col(col).str.strip_chars().str.extract(r"^(-?[0-9.]+)(?:\s*[A-Za-z%]+)?$", 1).cast(pl.Float64,
                                                                                                  strict=False)


def parse_nvidia_smi(text: str, source_file: str, host: str, cluster: Cluster,
                     resolver: AcceleratorResolver) -> ParseResult:
    first = text.split("\n", 1)[0]
    has_header = first.strip().lower().startswith("timestamp")
    if has_header:
        names = [f.strip().split(" [")[0] for f in first.split(",")]
    else:
        names = [f.strip() for f in (cluster.nvidia_smi_fields or DEFAULT_FIELDS).split(",")]
    missing = {"timestamp", "name", "index", "power.draw"} - set(names)
    if missing:
        raise ValueError(f"{source_file}: nvidia-smi fields {', '.join(sorted(missing))} are missing; log with "
                         f"--query-gpu={DEFAULT_FIELDS} --format=csv")
    raw = pl.read_csv(io.StringIO(text), has_header=False, skip_rows=1 if has_header else 0, new_columns=names,
                      infer_schema=False, truncate_ragged_lines=True, quote_char=None)
    frame = raw.with_row_index("source_row", offset=2 if has_header else 1).with_columns(
        pl.col(c).str.strip_chars() for c in names)
    frame = frame.with_columns(
        timestamp=pl.col("timestamp").str.to_datetime(TIME_FORMAT, strict=False, time_unit="us")
        .dt.replace_time_zone(cluster.time_zone, ambiguous="earliest", non_existent="null")
        .dt.convert_time_zone("UTC").dt.replace_time_zone(None),
        raw_timestamp=pl.col("timestamp"), power_w=_number("power.draw"),
        gpu_index=pl.col("index").cast(pl.Int64, strict=False),
        utilization_pct=_number("utilization.gpu") if "utilization.gpu" in names else pl.lit(None, pl.Float64),
    )
    resolved = {}
    for name in frame["name"].unique().drop_nulls().to_list():
        try:
            resolved[name] = resolver.resolve(name)
        except LookupError as error:
            resolved[name] = f"!{error}"
    frame = frame.with_columns(accelerator=pl.col("name").replace_strict(resolved, default=None))
    reason = (pl.when(pl.col("timestamp").is_null())
              .then(pl.format("timestamp {} is not {} local time", pl.col("raw_timestamp"), pl.lit(TIME_FORMAT)))
              .when(pl.col("power_w").is_null())
              .then(pl.format("no power reading ({})", pl.col("power.draw")))
              .when(pl.col("power_w") < 0).then(pl.lit("negative power"))
              .when(pl.col("gpu_index").is_null()).then(pl.lit("GPU index is not a number"))
              .when(pl.col("accelerator").is_null() | pl.col("accelerator").str.starts_with("!"))
              .then(pl.format("unknown GPU: {}", pl.col("accelerator").str.strip_prefix("!")))
              .otherwise(None))
    frame = frame.with_columns(reason=reason)
    first = pl.when(pl.col("reason").is_null()).then(pl.col("source_row")).min().over("gpu_index", "timestamp")
    frame = frame.with_columns(reason=pl.when(pl.col("reason").is_null() & (pl.col("source_row") != first)).then(
        pl.format("duplicate sample: GPU {} at {} is already at line {}", pl.col("index"), pl.col("raw_timestamp"),
                  first)).otherwise(pl.col("reason")))
    bad = frame.filter(pl.col("reason").is_not_null())
    rejected = bad.select(
        pl.lit(source_file).alias("source_file"), pl.col("source_row").cast(pl.Int64),
        pl.format("{} GPU {}", pl.lit(host), pl.col("index")).alias("record_name"),
        pl.when(pl.col("timestamp").is_null() | pl.col("reason").str.starts_with("duplicate"))
        .then(pl.lit("timestamp"))
        .when(pl.col("reason").str.starts_with("unknown GPU")).then(pl.lit("name"))
        .when(pl.col("gpu_index").is_null()).then(pl.lit("index")).otherwise(pl.lit("power.draw")).alias("field"),
        pl.when(pl.col("timestamp").is_null() | pl.col("reason").str.starts_with("duplicate"))
        .then(pl.col("raw_timestamp"))
        .when(pl.col("reason").str.starts_with("unknown GPU")).then(pl.col("name"))
        .otherwise(pl.col("power.draw")).alias("value"),
        "reason",
        pl.when(pl.col("reason").str.starts_with("duplicate"))
        .then(pl.lit("the first copy is priced; keep one copy of each log (do not append a log to itself)"))
        .otherwise(pl.lit("unreadable samples (N/A, ERR!, GPU lost) carry no energy; log power.draw on a supported "
                          "GPU, name GPUs as nvidia-smi prints them, and keep the YYYY/MM/DD HH:MM:SS.mmm "
                          "timestamps")).alias("fix"),
        pl.concat_str([pl.col(c).fill_null("") for c in names], separator=", ").alias("raw_record"),
    ).cast(REJECTED_SCHEMA)
    good = frame.filter(pl.col("reason").is_null()).sort("gpu_index", "timestamp")
    gap = pl.col("timestamp").shift(-1).over("gpu_index") - pl.col("timestamp")
    good = good.with_columns(gap_s=gap.dt.total_microseconds() / 1e6)
    good = good.with_columns(median_s=pl.col("gap_s").median().over("gpu_index"))
    interval = pl.min_horizontal(pl.col("gap_s").fill_null(pl.col("median_s")).fill_null(1.0),
                                 GAP_CAP * pl.col("median_s").fill_null(1.0))
    rows = good.select(
        pl.lit(cluster.name).alias("cluster"), pl.lit(host).alias("host"), "gpu_index", "accelerator", "timestamp",
        "power_w", "utilization_pct", interval.alias("interval_s"), pl.lit(source_file).alias("source_file"),
        pl.col("source_row").cast(pl.Int64)).cast(SCHEMA)
    return ParseResult(rows, rejected)
