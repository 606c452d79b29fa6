"""The one load routine's lineage: where each raw row came from, and the load it came in."""

import datetime as dt

import polars as pl
import pytest

from dagster_project.lib.warehouse import LINEAGE, with_lineage
from ingestion.files import read_csv_frame
from ingestion.growing_files import Landed, landed_id

AT = dt.datetime(2026, 1, 2, 3, 4, 5)


def test_lineage_is_stamped_last_and_the_parsers_lines_are_kept():
    frame = pl.DataFrame({"source_row": [7, 9], "x": [1.0, 2.0], "source_file": ["a.csv", "a.csv"],
                          "load_id": ["stale", "stale"]})
    stamped = with_lineage(frame, "abc", AT)
    assert stamped.columns == ["x", *LINEAGE]
    assert stamped.rows() == [(1.0, "a.csv", 7, "abc", AT), (2.0, "a.csv", 9, "abc", AT)]
    assert stamped.schema["source_row"] == pl.Int64 and stamped.schema["loaded_at"] == pl.Datetime("us")


def test_a_frame_that_does_not_say_where_its_rows_came_from_is_refused():
    with pytest.raises(ValueError, match="source_file, source_row on every row"):
        with_lineage(pl.DataFrame({"x": [1]}), "abc", AT)
    with pytest.raises(ValueError, match="needs source_row"):
        with_lineage(pl.DataFrame({"x": [1], "source_file": ["f"]}), "abc", AT)


def test_a_reference_csv_row_is_numbered_by_its_line_even_after_a_field_spanning_lines(tmp_path):
    path = tmp_path / "refs.csv"
    path.write_text('id,note,value\na,"two\nlines",1.5\nb,,2\n', encoding="utf-8")
    frame = read_csv_frame(path)
    assert frame.select("id", "note", "value", "source_file", "source_row").rows() == [
        ("a", "two\nlines", 1.5, "refs.csv", 3), ("b", None, 2.0, "refs.csv", 4)]


def test_a_growing_log_load_has_the_id_of_what_was_landed_wherever_it_was_landed(tmp_path):
    def load(a_size, a_generation=1, folder="one"):
        return {"c/a.txt": Landed(tmp_path / folder / "a", a_generation, a_size, 0, False),
                "c/b.txt": Landed(tmp_path / folder / "b", 1, 50, 0, False)}

    assert landed_id(load(100)) == landed_id(load(100, folder="two"))
    assert len({landed_id(load(100)), landed_id(load(120)), landed_id(load(100, a_generation=2))}) == 3
    assert landed_id({}) == "none"
