"""`nvidia-smi --query-gpu=timestamp,name,index,power.draw,... --format=csv` logs, with or without
header and units. Host-local timestamps become UTC with the cluster's time zone; each sample stands
for the time until the GPU's next sample (capped, so a logging gap is not billed). A sample that
repeats a GPU's timestamp (a log appended twice, or concatenated with itself) is quarantined as a
duplicate of the first: counted twice it would give both copies an interval of zero. Format facts:
NVIDIA's `nvidia-smi --help-query-gpu`.
"""

from __future__ import annotations

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
SAMPLE_SCHEMA = {k: v for k, v in SCHEMA.items() if k != "interval_s"}  # as read, before stand_for


def _number(col: str) -> pl.Expr:
    """'245.67 W' or '245.67' -> 245.67; '[N/A]', 'ERR!' and the like -> null. The unit is stripped and
    the rest must be a number ('nan', 'inf' and '1.2.3' are not readings)."""
    number = pl.col(col).str.strip_chars_end(" WATSHZMBwatshzmb%").cast(pl.Float64, strict=False)
    return pl.when(number.is_finite()).then(number)


def field_names(first_line: str, source_file: str, cluster: Cluster) -> tuple[list[str], bool]:
    """The columns of a log (from its header line, else the cluster's --query-gpu fields) and whether
    the first line is that header. Raises ValueError naming the file when a needed field is missing."""
    has_header = first_line.strip().lstrip("\ufeff").lower().startswith("timestamp")
    if has_header:
        names = [f.strip().split(" [")[0] for f in first_line.strip().lstrip("\ufeff").split(",")]
    else:
        names = [f.strip() for f in (cluster.nvidia_smi_fields or DEFAULT_FIELDS).split(",")]
    missing = {"timestamp", "name", "index", "power.draw"} - set(names)
    if missing:
        raise ValueError(f"{source_file}: nvidia-smi fields {', '.join(sorted(missing))} are missing; log with "
                         f"--query-gpu={DEFAULT_FIELDS} --format=csv")
    return names, has_header


def parse_nvidia_smi(text: str, source_file: str, host: str, cluster: Cluster,
                     resolver: AcceleratorResolver) -> ParseResult:
    """A whole log: its samples (read_samples) with the time each stands for (stand_for)."""
    names, has_header = field_names(text.split("\n", 1)[0], source_file, cluster)
    body = text.split("\n", 1)[1] if has_header and "\n" in text else ("" if has_header else text)
    read = read_samples(body.encode(), names, 2 if has_header else 1, source_file, host, cluster, resolver)
    timed = stand_for(read.rows)
    return ParseResult(timed.rows, pl.concat([read.rejected, timed.rejected]))


def read_samples(data: bytes, names: list[str], first_row: int, source_file: str, host: str, cluster: Cluster,
                 resolver: AcceleratorResolver) -> ParseResult:
    """Lines of a log (UTF-8 bytes, no header; `first_row` is the first one's line number) as samples in
    UTC, without their intervals, and the unreadable lines quarantined. Every line is judged on its own,
    so a log can be read in pieces (as it grows) and give the same rows as read whole."""
    if not data.strip():
        return ParseResult(pl.DataFrame(schema=SAMPLE_SCHEMA), pl.DataFrame(schema=REJECTED_SCHEMA))
    raw = pl.read_csv(data, has_header=False, new_columns=names, infer_schema=False, truncate_ragged_lines=True,
                      quote_char=None, encoding="utf8-lossy")
    frame = raw.with_row_index("source_row", offset=first_row).with_columns(
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
    good = (pl.col("timestamp").is_not_null() & (pl.col("power_w") >= 0) & pl.col("gpu_index").is_not_null()
            & pl.col("accelerator").is_not_null() & ~pl.col("accelerator").str.starts_with("!"))
    # the reasons are strings built per row: only for the lines that have one (usually none of a million)
    frame = frame.with_columns(_good=good.fill_null(False))
    rejected = _rejected_samples(frame.filter(~pl.col("_good")), names, source_file, host)
    rows = frame.filter(pl.col("_good")).select(
        pl.lit(cluster.name).alias("cluster"), pl.lit(host).alias("host"), "gpu_index", "accelerator", "timestamp",
        "power_w", "utilization_pct", pl.lit(source_file).alias("source_file"),
        pl.col("source_row").cast(pl.Int64)).cast(SAMPLE_SCHEMA)
    return ParseResult(rows, rejected)


def _rejected_samples(bad: pl.DataFrame, names: list[str], source_file: str, host: str) -> pl.DataFrame:
    """The quarantine rows of unreadable samples: the first fault of each line, with its field and value."""
    reason = (pl.when(pl.col("timestamp").is_null())
              .then(pl.format("timestamp {} is not {} local time", pl.col("raw_timestamp"), pl.lit(TIME_FORMAT)))
              .when(pl.col("power_w").is_null())
              .then(pl.format("no power reading ({})", pl.col("power.draw")))
              .when(pl.col("power_w") < 0).then(pl.lit("negative power"))
              .when(pl.col("gpu_index").is_null()).then(pl.lit("GPU index is not a number"))
              .when(pl.col("accelerator").is_null() | pl.col("accelerator").str.starts_with("!"))
              .then(pl.format("unknown GPU: {}", pl.col("accelerator").str.strip_prefix("!")))
              .otherwise(None))
    bad = bad.with_columns(reason=reason)
    return bad.select(
        pl.lit(source_file).alias("source_file"), pl.col("source_row").cast(pl.Int64),
        pl.format("{} GPU {}", pl.lit(host), pl.col("index")).alias("record_name"),
        pl.when(pl.col("timestamp").is_null()).then(pl.lit("timestamp"))
        .when(pl.col("reason").str.starts_with("unknown GPU")).then(pl.lit("name"))
        .when(pl.col("gpu_index").is_null()).then(pl.lit("index")).otherwise(pl.lit("power.draw")).alias("field"),
        pl.when(pl.col("timestamp").is_null()).then(pl.col("raw_timestamp"))
        .when(pl.col("reason").str.starts_with("unknown GPU")).then(pl.col("name"))
        .otherwise(pl.col("power.draw")).alias("value"),
        "reason",
        pl.lit("unreadable samples (N/A, ERR!, GPU lost) carry no energy; log power.draw on a supported GPU, "
               "name GPUs as nvidia-smi prints them, and keep the YYYY/MM/DD HH:MM:SS.mmm timestamps").alias("fix"),
        pl.concat_str([pl.col(c).fill_null("") for c in names], separator=", ").alias("raw_record"),
    ).cast(REJECTED_SCHEMA)


def stand_for(samples: pl.DataFrame, following: pl.DataFrame | None = None) -> ParseResult:
    """The time each sample stands for: until its GPU's next sample (in `samples`, else the GPU's first in
    `following`: host, gpu_index, timestamp), capped at GAP_CAP x the GPU's median interval, so a logging
    gap is not billed. A repeated (host, GPU, timestamp) is quarantined as a duplicate of its first copy
    (in file and line order): counted twice it would give both copies an interval of zero."""
    ordered = samples.sort("host", "gpu_index", "timestamp", "source_file", "source_row")
    key = ("host", "gpu_index", "timestamp")
    # sorted: a repeat equals the row before it on the whole key (cheaper than a distinct over a struct)
    repeat = pl.all_horizontal((pl.col(c) == pl.col(c).shift(1)).fill_null(False) for c in key)
    ordered = ordered.with_columns(_repeat=repeat)
    dups = ordered.filter(pl.col("_repeat"))
    if dups.height:  # rare: find each repeat's first copy
        firsts = ordered.filter(~pl.col("_repeat")).select(*key, first_file=pl.col("source_file"),
                                                            first_row=pl.col("source_row"))
        dups = dups.join(firsts, on=list(key), how="left")
    else:
        dups = dups.with_columns(first_file=pl.col("source_file"), first_row=pl.col("source_row"))
    rejected = dups.select(
        "source_file", "source_row",
        pl.format("{} GPU {}", pl.col("host"), pl.col("gpu_index")).alias("record_name"),
        pl.lit("timestamp").alias("field"),
        pl.col("timestamp").dt.to_string("%Y-%m-%d %H:%M:%S%.3f UTC").alias("value"),
        pl.format("duplicate sample: GPU {} at {} UTC is already at line {}{}", pl.col("gpu_index"),
                  pl.col("timestamp").dt.to_string("%Y-%m-%d %H:%M:%S%.3f"), pl.col("first_row"),
                  pl.when(pl.col("first_file") != pl.col("source_file"))
                  .then(pl.format(" of {}", pl.col("first_file"))).otherwise(pl.lit(""))).alias("reason"),
        pl.lit("the first copy is priced; keep one copy of each log (do not append a log to itself)").alias("fix"),
        pl.format("{}, {}, {}, {}", pl.col("timestamp"), pl.col("accelerator"), pl.col("gpu_index"),
                  pl.col("power_w")).alias("raw_record"),
    ).cast(REJECTED_SCHEMA)
    good = ordered.filter(~pl.col("_repeat")).drop("_repeat")
    gpu = ("host", "gpu_index")
    # sorted by GPU and time: the next row is the GPU's next sample unless it belongs to another GPU
    same_gpu = pl.all_horizontal((pl.col(c).shift(-1) == pl.col(c)).fill_null(False) for c in gpu)
    gap = pl.when(same_gpu).then(pl.col("timestamp").shift(-1) - pl.col("timestamp"))
    good = good.with_columns(gap_s=gap.dt.total_microseconds() / 1e6)
    if following is not None and following.height:
        following_first = following.group_by(gpu).agg(pl.col("timestamp").min().alias("_next_first"))
        good = good.join(following_first, on=list(gpu), how="left", maintain_order="left").with_columns(
            gap_s=pl.col("gap_s").fill_null((pl.col("_next_first") - pl.col("timestamp")).dt.total_microseconds()
                                            / 1e6)).drop("_next_first")
    medians = good.group_by(gpu).agg(median_s=pl.col("gap_s").median())
    good = good.join(medians, on=list(gpu), how="left", maintain_order="left")
    interval = pl.min_horizontal(pl.col("gap_s").fill_null(pl.col("median_s")).fill_null(1.0),
                                 GAP_CAP * pl.col("median_s").fill_null(1.0))
    rows = good.with_columns(interval.alias("interval_s")).drop("gap_s", "median_s")  # extra columns kept
    return ParseResult(rows.select(*SCHEMA, *(c for c in rows.columns if c not in SCHEMA)), rejected)
