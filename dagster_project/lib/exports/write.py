"""`footprint export`: the reports others define, from a published warehouse, into one folder.

    ai_act.json          EU AI Act model documentation fields per training workload (marts.fct_report_ai_act)
    sci.json             SCI for AI per workload and functional unit (marts.fct_report_sci)
    boamps/<id>.json     a BoAmps report per workload and per job from the logs (marts.fct_report_boamps)

Every document is validated against its schema (exports/schemas.py) before anything is written: an
invalid one is an error naming the document and the field, and no file of that format is written.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb

from dagster_project.lib.exports import boamps, schemas
from dagster_project.lib.warehouse import named_rows

FORMATS = ("ai-act", "sci", "boamps")
AI_ACT = ("field", "form_item", "value", "value_text", "unit", "significant_figures", "basis", "missing_reason",
          "mart_columns", "sources")
SCI = ("functional_unit", "r_units", "e_kwh", "i_g_per_kwh", "i_source", "m_gco2e", "m_source",
       "operational_gco2e_per_unit", "embodied_gco2e_per_unit", "sci_gco2e_per_unit", "sci_missing_reason",
       "market_based_gco2e_per_unit", "boundary")


def _grouped(rows: list[dict], key: str, head: tuple[str, ...], fields: tuple[str, ...], name: str) -> list[dict]:
    out: dict[str, dict] = {}
    for row in rows:
        entry = out.setdefault(row[key], {k: row[k] for k in head} | {name: []})
        entry[name].append({f: row[f] for f in fields})
    return list(out.values())


def file_name(subject: str) -> str:
    """A job key (cluster/job id) or workload id as a file name."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", subject) + ".json"


def documents(conn: duckdb.DuckDBPyConnection, fmt: str, subject: str | None = None) -> dict[str, dict]:
    """The documents of one format, by relative path; `subject` keeps one workload (or job key)."""
    build_id, built_at = conn.execute("select build_id, built_at from meta.build").fetchone()
    build = {"build_id": build_id, "built_at": built_at.isoformat(timespec="seconds") + "Z"}
    where, params = ("where workload_id = ?", [subject]) if subject else ("", [])
    if fmt == "ai-act":
        rows = named_rows(conn, f"select * from marts.fct_report_ai_act {where} order by workload_id, field_order",
                          params)
        if subject and not rows:
            return {}  # not a training workload: no file, rather than one without workloads
        return {"ai_act.json": {
            "format": "EU AI Act, Annex XI section 1(2)(d)-(e): training compute, time and energy, as the Code of "
                      "Practice's Model Documentation Form asks (two significant figures)",
            **build, "workloads": _grouped(rows, "workload_id", ("workload_id", "model"), AI_ACT, "fields")}}
    if fmt == "sci":
        rows = named_rows(conn, f"select * from marts.fct_report_sci {where} order by workload_id, functional_unit",
                          params)
        if subject and not rows:
            return {}
        return {"sci.json": {
            "format": "SCI for AI (Green Software Foundation; ISO/IEC 21031:2024): SCI = (E x I + M) per R, "
                      "gCO2e per functional unit; market-based figures beside the score, not in it",
            **build, "workloads": _grouped(rows, "workload_id", ("workload_id", "model", "kind"), SCI, "scores")}}
    if fmt == "boamps":
        rows = named_rows(conn, "select * from marts.fct_report_boamps "
                           + ("where subject_id = ? " if subject else "") + "order by report_subject, subject_id",
                     params)
        return {f"boamps/{row['report_subject']}s/{file_name(row['subject_id'])}":
                boamps.report(row, build_id=build_id, built_at=built_at) for row in rows}
    raise ValueError(f"unknown export format {fmt!r}: one of {', '.join(FORMATS)}")


SCHEMA = {"ai-act": "ai_act", "sci": "sci", "boamps": "boamps"}


def write_exports(database: Path, folder: Path, formats: tuple[str, ...] = FORMATS,
                  subject: str | None = None) -> list[Path]:
    """Validate then write each format's documents under `folder`; returns the files written."""
    written = []
    with duckdb.connect(str(database), read_only=True) as conn:
        for fmt in formats:
            docs = documents(conn, fmt, subject)
            for path, document in docs.items():
                schemas.validate(SCHEMA[fmt], document, f"{fmt} export {path}")
            for path, document in docs.items():
                target = folder / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n",
                                  encoding="utf-8")
                written.append(target)
    return written
