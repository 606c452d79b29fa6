"""`make report`: one self-contained HTML file (inline SVG and CSS, no script, no CDN) from the
published warehouse: hourly intensity, training or using at real usage, footprints with ranges, siting options,
job footprints and carbon-aware savings, the four remedies side by side, and the claims audit."""

from __future__ import annotations

import datetime as dt
from html import escape
from pathlib import Path

import duckdb

from dagster_project.lib.report import svg

STYLE = """body{font:15px/1.45 system-ui,sans-serif;max-width:900px;margin:2em auto;color:#222;padding:0 1em}
h1{font-size:1.6em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ddd}
.t{font-weight:600;font-size:14px}.l{font-size:12px}.a{font-size:11px;fill:#555}
.g{stroke:#e4e4e4}.w{stroke:#222;stroke-width:1.2}table{border-collapse:collapse;font-size:13px;width:100%}
td,th{border-bottom:1px solid #eee;padding:4px 6px;text-align:left;vertical-align:top}
.holds{color:#2e7d32}.roughly{color:#b26a00}.not{color:#c62828}.mis{color:#6a1b9a}.small{color:#666;font-size:12px}"""
VERDICT_CLASS = {"holds": "holds", "roughly holds": "roughly", "does not hold": "not", "misattributed": "mis"}


def _rows(conn: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    cursor = conn.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def hourly_section(conn) -> str:
    series = {}
    for zone in ("GB", "SE-SE4", "FI", "NO-NO5"):
        values = [r["g"] for r in _rows(conn, f"""
            select gco2e_per_kwh as g from marts.fct_grid_intensity_hourly
            where zone_id = '{zone}' and is_preferred and basis = (
                select case when count(*) filter (where basis = 'lifecycle') > 0 then 'lifecycle' else 'direct' end
                from marts.fct_grid_intensity_hourly where zone_id = '{zone}')
            order by hour_start""")]
        first = conn.execute(f"select min(hour_start)::date from marts.fct_grid_intensity_hourly "
                             f"where zone_id = '{zone}'").fetchone()[0]
        if values:
            series[f"{zone} from {first}"] = values
    return svg.lines(series, title="Hourly carbon intensity of the bundled samples", unit="gCO2e/kWh",
                     x_label="hours from the start of each sample")


def footprint_section(conn) -> str:
    rows = _rows(conn, """select workload_id as label, location_kgco2e_low / 1000 as low,
                          location_kgco2e_central / 1000 as central, location_kgco2e_high / 1000 as high, kind
                          from marts.fct_workload_footprint order by location_kgco2e_central desc""")
    return svg.ranged_bars(rows, title="Location-based carbon of each workload (low, central, high)", unit="tCO2e",
                           highlight=lambda r: r["kind"] == "inference")


def training_or_using_section(conn) -> str:
    """One answer, from fct_model_lifecycle: the years until use overtakes training for each model at
    each usage level (its deployment as declared, and the published usage levels), and the audit's
    finding on the claim that training is most of a model's energy."""
    rows = _rows(conn, """select model || ' at ' || case when usage_level = 'declared'
                                 then deployment_workload_id || ' (as declared)' else usage_level end as label,
                          years_to_overtake_carbon * 365 as central, usage_level <> 'declared' as at_scale
                          from marts.fct_model_lifecycle order by years_to_overtake_carbon""")
    finding = conn.execute("select finding from marts.fct_claims_audit where claim_id = 'c11'").fetchone()
    return (svg.ranged_bars(rows, title="Days of use after which use outweighs training (carbon, embodied "
                                         "included; red: at a published usage level)", unit="days",
                            highlight=lambda r: r["at_scale"])
            + (f"<p>{escape(finding[0])}.</p>" if finding and finding[0] else ""))


def siting_section(conn) -> str:
    parts = []
    for (workload,) in conn.execute("select distinct workload_id from marts.fct_siting_options order by 1").fetchall():
        rows = _rows(conn, f"""select candidate_region || ' (' || candidate_zone_id || ')' as label,
                               location_kgco2e as central, is_current_region from marts.fct_siting_options
                               where workload_id = '{workload}' and (carbon_rank <= 8 or is_current_region)
                               order by location_kgco2e""")
        parts.append(svg.ranged_bars(rows, title=f"{workload}: the 8 lowest-carbon regions and where it ran (red)",
                                     unit="kgCO2e", highlight=lambda r: r["is_current_region"]))
    return "\n".join(parts)


def jobs_section(conn) -> str:
    daily = _rows(conn, """select cast(day as varchar) || ' ' || cluster as label, sum(location_kgco2e) as central
                           from marts.fct_job_footprint_daily group by day, cluster order by day, cluster""")
    savings = _rows(conn, """select 'may wait ' || flexibility_h || ' h' as label, sum(original_kgco2e) as original,
                             sum(saving_kgco2e) as saving from marts.fct_carbon_aware_savings
                             group by flexibility_h order by flexibility_h""")
    table = "".join(f"<tr><td>{escape(r['label'])}</td><td>{r['saving']:.2f} kgCO2e</td>"
                    f"<td>{(100 * r['saving'] / r['original']) if r['original'] else 0:.1f} %</td></tr>"
                    for r in savings)
    return (svg.ranged_bars(daily, title="Jobs from the bundled logs, per UTC day and cluster", unit="kgCO2e",
                            log=False)
            + f"<p>Carbon-aware replay of the jobs priced on hourly data:</p><table><tr><th>flexibility</th>"
              f"<th>saving</th><th>share</th></tr>{table}</table>")


# Per workload, the best each remedy does (share of location-based carbon saved; energy for newer
# hardware). A remedy that does not apply to a workload is left empty.
REMEDIES_SQL = """
select workload_id as workload, kind, declared_kgco2e / 1000 as declared_t,
       greenest_region_saving_share as greenest_region, carbon_free_share_saving_share as carbon_free_share,
       best_efficiency_saving_share as best_pue_wue, newer_hardware_saving_share as newer_hardware,
       smaller_model_saving_share as smaller_model, finetune_instead_saving_share as finetune_instead
from marts.fct_remedies_summary
order by kind, declared_kgco2e desc
"""
REMEDY_COLUMNS = {"greenest_region": "greenest region", "carbon_free_share": "carbon-free share (market)",
                  "best_pue_wue": "best PUE/WUE", "newer_hardware": "newest efficient part (energy)",
                  "smaller_model": "smaller model", "finetune_instead": "fine-tune, not pretrain"}


def remedies_section(conn) -> str:
    rows = _rows(conn, REMEDIES_SQL)

    def share(value) -> str:
        return "" if value is None else f"{100 * value:.1f} %"

    head = "".join(f"<th>{escape(name)}</th>" for name in REMEDY_COLUMNS.values())
    body = "".join(f"<tr><td>{escape(r['workload'])}</td><td>{r['declared_t']:,.3g}</td>"
                   + "".join(f"<td>{share(r[c])}</td>" for c in REMEDY_COLUMNS) + "</tr>" for r in rows)
    return ("<p>Share of each workload's location-based carbon each remedy saves at best (newer hardware: "
            "energy, same work at the stated utilisation); empty where the remedy does not apply. The "
            "carbon-free share is an accounting view: it saves the stated share by construction.</p>"
            f"<table><tr><th>workload</th><th>declared tCO2e</th>{head}</tr>{body}</table>")


def audit_section(conn) -> str:
    rows = _rows(conn, """select claim_id, claim, claimed_central, recomputed_low, recomputed_central,
                          recomputed_high, unit, verdict, finding from marts.fct_claims_audit order by claim_number""")

    def number(value) -> str:
        return "" if value is None else f"{value:,.3g}"

    body = "".join(
        f"<tr><td>{escape(r['claim_id'])}</td><td>{escape(r['claim'])}</td>"
        f"<td>{number(r['claimed_central'])}</td>"
        f"<td>{number(r['recomputed_central'])}<br><span class=small>{number(r['recomputed_low'])}–"
        f"{number(r['recomputed_high'])} {escape(r['unit'] or '')}</span></td>"
        f"<td class={VERDICT_CLASS.get(r['verdict'], '')}>{escape(r['verdict'])}</td>"
        f"<td>{escape(r['finding'] or '')}</td></tr>" for r in rows)
    return ("<table><tr><th></th><th>claim</th><th>claimed</th><th>recomputed</th><th>verdict</th>"
            f"<th>finding</th></tr>{body}</table>")


def write_report(published: Path, target: Path) -> Path:
    with duckdb.connect(str(published), read_only=True) as conn:
        build_id, built_at = conn.execute("select build_id, built_at from meta.build").fetchone()
        sections = [
            ("Grid carbon intensity, hour by hour", hourly_section(conn)),
            ("What each workload weighs", footprint_section(conn)),
            ("Training or using, at the usage models really have", training_or_using_section(conn)),
            ("Where to run: siting options", siting_section(conn)),
            ("Jobs from the logs, and what waiting for greener hours saves", jobs_section(conn)),
            ("The four remedies, side by side", remedies_section(conn)),
            ("The article's claims, recomputed", audit_section(conn)),
        ]
    html = [f"<!doctype html><html lang=en><head><meta charset=utf-8><title>AI footprint report</title>"
            f"<style>{STYLE}</style></head><body><h1>AI footprint warehouse: report</h1>"
            f"<p class=small>Build {escape(build_id)}, built {built_at:%Y-%m-%d %H:%M} UTC, from "
            f"{escape(str(published))}; written {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC. Every figure comes "
            "from the published marts; sources and fallbacks are in their lineage columns.</p>"]
    html += [f"<h2>{escape(title)}</h2>\n{body}" for title, body in sections]
    html.append("</body></html>")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(html), encoding="utf-8")
    return target


# The report's figures as markdown tables, for the published asset's page in the Dagster UI (which
# renders markdown tables but not inline SVG).
METADATA_TABLES = {
    "claims_audit": ("select claim_id as claim, verdict, claimed_central as claimed, recomputed_central as "
                     "recomputed, unit from marts.fct_claims_audit order by claim_number"),
    "footprints": ("select workload_id as workload, location_kgco2e_low / 1000 as t_low, location_kgco2e_central "
                   "/ 1000 as t_central, location_kgco2e_high / 1000 as t_high from marts.fct_workload_footprint "
                   "order by location_kgco2e_central desc"),
    "training_vs_use": ("select model, deployment_workload_id as deployment, usage_level, requests_per_day, "
                        "years_to_overtake_carbon as years, training_share_of_carbon as training_share "
                        "from marts.fct_model_lifecycle order by years_to_overtake_carbon"),
    "siting_best": ("select workload_id as workload, candidate_region as best_region, location_kgco2e as kg, "
                    "carbon_saving_kgco2e as saving_kg from marts.fct_siting_options where carbon_rank = 1 "
                    "order by workload_id"),
    "hourly_intensity": ("select zone_id as zone, min(hour_start) as first_hour, count(*) as hours, "
                         "min(gco2e_per_kwh) as min_g, avg(gco2e_per_kwh) as mean_g, max(gco2e_per_kwh) as max_g "
                         "from marts.fct_grid_intensity_hourly where is_preferred group by zone_id order by zone_id"),
    "remedies": REMEDIES_SQL,
    "carbon_aware_savings": ("select flexibility_h, sum(original_kgco2e) as original_kg, sum(saving_kgco2e) as "
                             "saving_kg from marts.fct_carbon_aware_savings group by 1 order by 1"),
}


def metadata_tables(published: Path) -> dict[str, str]:
    with duckdb.connect(str(published), read_only=True) as conn:
        return {name: _markdown(_rows(conn, sql)) for name, sql in METADATA_TABLES.items()}


def _markdown(rows: list[dict]) -> str:
    if not rows:
        return "no rows"

    def cell(value) -> str:
        if isinstance(value, float):
            return f"{value:,.4g}"
        return "" if value is None else str(value)

    header = list(rows[0])
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(r[c]) for c in header) + " |" for r in rows]
    return "\n".join(lines)
