"""The README example checker (tests/readme_examples.py) itself: it finds the examples and catches a
printed figure that drifted from the warehouse. The integration build runs it on the real README."""

import duckdb

from tests.readme_examples import cell_matches, drift, examples

README = """Some text.

```sql
select name, round(kg, 1) as kg, n from t order by name;
```

| name | kg | n |
|---|---|---|
| a | 1,234.5 | 3 |
| b | 0.1 |  |

```sql
select 1;
```
Not an example: no table under it.
"""


def warehouse():
    conn = duckdb.connect()
    conn.execute("create table t as select * from (values ('a', 1234.46::double, 3), ('b', 0.06::double, null)) "
                 "v(name, kg, n)")
    return conn


def test_the_examples_are_the_sql_blocks_with_a_table(tmp_path):
    (tmp_path / "README.md").write_text(README)
    (example,) = examples(tmp_path / "README.md")
    assert example.line == 3 and example.header == ["name", "kg", "n"] and example.rows[1] == ["b", "0.1", ""]
    assert drift(tmp_path / "README.md", warehouse()) == []


def test_a_drifted_figure_a_missing_row_and_a_renamed_column_are_reported(tmp_path):
    (tmp_path / "README.md").write_text(README.replace("1,234.5", "1,234.6"))
    assert drift(tmp_path / "README.md", warehouse()) == [
        "README.md line 3, row 1, kg: printed '1,234.6', the warehouse gives 1234.5"]
    (tmp_path / "README.md").write_text(README.replace("| b | 0.1 |  |\n", ""))
    assert drift(tmp_path / "README.md", warehouse()) == ["README.md line 3: 1 rows printed, the query returns 2"]
    (tmp_path / "README.md").write_text(README.replace("| name | kg | n |", "| name | kgCO2e | n |"))
    assert "printed columns" in drift(tmp_path / "README.md", warehouse())[0]


def test_a_number_matches_at_the_decimals_it_is_printed_with():
    assert cell_matches("6,989", 6988.6) and not cell_matches("6,989", 6987.4)
    assert cell_matches("2.8", 2.84) and not cell_matches("2.8", 2.86)
    assert cell_matches("", None) and not cell_matches("", 0) and not cell_matches("0", None)
    assert cell_matches("norwayeast", "norwayeast") and not cell_matches("norway", "norwayeast")


def test_a_tagged_example_is_checked_only_against_the_warehouse_of_its_tag(tmp_path):
    tagged = README.replace("```sql\n", "```sql after-a-feed-day\n").replace("1,234.5", "99")
    (tmp_path / "README.md").write_text(README + "\n" + tagged)
    assert drift(tmp_path / "README.md", warehouse()) == []  # the bundled check does not run the tagged one
    (example,) = examples(tmp_path / "README.md", tag="after-a-feed-day")
    assert example.rows[0][1] == "99"
    assert drift(tmp_path / "README.md", warehouse(), tag="after-a-feed-day")[0].endswith(
        "kg: printed '99', the warehouse gives 1234.5")
