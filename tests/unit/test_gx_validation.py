import subprocess
import sys

import pandas as pd
import pytest

from dagster_project.lib.expectations import hardware
from dagster_project.lib.gx import ValidationEngineError, validate_frame


def raw_frame(**changes):
    base = {
        "canonical_name": ["A", "B"], "tdp_w": [300.0, 700.0], "memory_gb": [40.0, 80.0],
        "release_year": [2020, 2022], "source": ["s", "s"], "licence": ["CC BY 4.0", "MIT"],
        "tdp_basis": ["vendor_tdp", "estimate"],
    }
    return pd.DataFrame({**base, **changes})


def test_a_clean_frame_passes_every_expectation():
    result = validate_frame(raw_frame(), "t_pass", hardware.raw_accelerators)
    assert result.passed
    assert result.metadata["evaluated_expectations"].value == result.metadata["successful_expectations"].value


@pytest.mark.parametrize(("column", "values", "expectation"), [
    ("tdp_w", [300.0, 5000.0], "expect_column_values_to_be_between"),
    ("memory_gb", [40.0, 0.0], "expect_column_values_to_be_between"),
    ("canonical_name", ["A", "A"], "expect_column_values_to_be_unique"),
    ("release_year", [1999, 2022], "expect_column_values_to_be_between"),
])
def test_a_violation_fails_and_names_the_expectation(column, values, expectation):
    result = validate_frame(raw_frame(**{column: values}), f"t_{column}", hardware.raw_accelerators)
    assert not result.passed
    failed = result.metadata["failed_expectations"].value
    assert [f for f in failed if f["expectation"] == expectation and column in f["kwargs"]]


def test_an_engine_error_is_raised_not_reported_as_bad_data():
    with pytest.raises(ValidationEngineError):
        validate_frame(raw_frame().drop(columns=["tdp_w"]), "t_missing_column", hardware.raw_accelerators)


def test_gx_imports_in_a_process_without_a_main_file_beside_pyspark():
    """A run launched from the UI executes in a process whose __main__ has no file (as `python -c`);
    there pyspark's connect module, which GX imports when pyspark is installed, exited the process
    (sys.exit(0), its doctest guard) unless Spark Connect's packages are installed (the spark extra)."""
    pytest.importorskip("pyspark", reason="the Spark extra is not installed: nothing to import beside")
    done = subprocess.run([sys.executable, "-c", "import great_expectations; print('imported')"],
                          capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 0 and done.stdout.strip().endswith("imported"), done.stderr[-2000:]
