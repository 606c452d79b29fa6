"""The optional Spark backend of the log attribution (`pip install '.[spark]'`): the polars core runs
inside Spark tasks, on Arrow batches, over the partitioned facts (attribution.py)."""
