"""`make report`: one self-contained HTML file (inline SVG and CSS, no script, no CDN) from the
published warehouse: hourly intensity, training or using at real usage, footprints with ranges, siting options,
job footprints and carbon-aware savings, the four remedies side by side, and the claims audit."""

from __future__ import annotations

import datetime as dt
from html import escape
from pathlib import Path

import duckdb

from dagster_project.lib.report import svg
from dagster_project.lib.report.numbers import duration, human, share, spread
from dagster_project.lib.warehouse import named_rows

STYLE = """body{font:15px/1.45 system-ui,sans-serif;max-width:900px;margin:2em auto;color:#222;padding:0 1em}
h1{font-size:1.6em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ddd}
svg.chart{margin:1em 0;overflow:visible}.title{font-weight:600;font-size:14px}.label,.legend,.value{font-size:12px}
.tick,.axis-title{font-size:11px;fill:#555}.axis-title{font-style:italic}.grid{stroke:#e4e4e4}
.whisker{stroke:#222;stroke-width:1.2;fill:none}.ref{stroke:#222;stroke-width:1.5;stroke-dasharray:5 3}
table{border-collapse:collapse;font-size:12.5px;width:100%}td.n,th.n{text-align:right}td.n{white-space:nowrap}
td,th{border-bottom:1px solid #eee;padding:4px 6px;text-align:left;vertical-align:top}
.holds{color:#2e7d32}.roughly{color:#b26a00}.not{color:#c62828}.mis{color:#6a1b9a}.small{color:#666;font-size:12px}"""
VERDICT_CLASS = {"holds": "holds", "roughly holds": "roughly", "does not hold": "not", "misattributed": "mis"}


def _table(head: list[str], rows: list[list[str]], numeric_from: int = 1) -> str:
    """An HTML table; columns from `numeric_from` on are numbers, right-aligned."""
    cls = [' class="n"' if i >= numeric_from else "" for i in range(len(head))]
    return ("<table><tr>" + "".join(f"<th{c}>{escape(h)}</th>" for c, h in zip(cls, head, strict=True)) + "</tr>"
            + "".join("<tr>" + "".join(f"<td{c}>{escape(v)}</td>" for c, v in zip(cls, row, strict=True)) + "</tr>"
                      for row in rows) + "</table>")


MAX_POINTS = 24 * 14  # two weeks of hours per line; years of hourly data are drawn as daily means


def _daily_means(hours: list[dict]) -> list[float]:
    days: dict = {}
    for r in hours:
        days.setdefault(r["hour_start"].date(), []).append(r["g"])
    return [sum(v) / len(v) for _, v in sorted(days.items())]


def hourly_section(conn) -> str:
    series, stats = {}, {}
    for zone in ("GB", "SE-SE4", "FI", "NO-NO5"):
        hours = named_rows(conn, f"""
            select hour_start, gco2e_per_kwh as g from marts.fct_grid_intensity_hourly
            where zone_id = '{zone}' and is_preferred and basis = (
                select case when count(*) filter (where basis = 'lifecycle') > 0 then 'lifecycle' else 'direct' end
                from marts.fct_grid_intensity_hourly where zone_id = '{zone}')
            order by hour_start""")
        values = [r["g"] for r in hours]
        first = conn.execute(f"select min(hour_start)::date from marts.fct_grid_intensity_hourly "
                             f"where zone_id = '{zone}'").fetchone()[0]
        if values:
            series[f"{zone}, from {first}"] = hours
            stats[zone] = (min(values), sum(values) / len(values), max(values))
    if not stats:
        return svg.lines({}, title="Hourly carbon intensity", x_title="", y_title="")
    dirtiest, cleanest = max(stats, key=lambda z: stats[z][1]), min(stats, key=lambda z: stats[z][1])
    swings = max(stats, key=lambda z: stats[z][2] - stats[z][0])
    compared = (f"{dirtiest}'s power averages {human(stats[dirtiest][1] / stats[cleanest][1], 2)} times the carbon "
                f"per kWh of {cleanest}'s, and " if dirtiest != cleanest else "")
    title = (f"{compared}{swings} swings from {human(stats[swings][0])} to {human(stats[swings][2])} gCO2e/kWh "
             "within its sample: when and where a job runs matters")
    daily = max(len(v) for v in series.values()) > MAX_POINTS
    lines = {name: _daily_means(hours) if daily else [r["g"] for r in hours] for name, hours in series.items()}
    return svg.lines(lines, title=title, x_title=f"{'days' if daily else 'hours'} from the start of each zone's "
                     f"sample{' (daily means)' if daily else ''}",
                     y_title="gCO2e per kWh (life-cycle where the feed gives it)")


WEIGHTS = (  # per workload: (column, divisor, unit, what, what it counts)
    ("location_kgco2e", 1000, "tCO2e", "carbon", "location-based, embodied excluded"),
    ("facility_energy_kwh", 1000, "MWh", "energy", "facility, PUE included"),
    ("water", 1000, "m³", "water", "on-site cooling and off-site generation"),
)


def footprint_section(conn) -> str:
    rows = named_rows(conn, """select workload_id, kind, location_kgco2e_low, location_kgco2e_central,
                          location_kgco2e_high, facility_energy_kwh_low, facility_energy_kwh_central,
                          facility_energy_kwh_high, water_onsite_l_low + water_offsite_l_low as water_low,
                          water_onsite_l_central + water_offsite_l_central as water_central,
                          water_onsite_l_high + water_offsite_l_high as water_high
                          from marts.fct_workload_footprint order by location_kgco2e_central desc""")
    charts = []
    for column, divisor, unit, what, counts in WEIGHTS:
        bars = [svg.Bar(r["workload_id"], r[f"{column}_central"] / divisor, (r[f"{column}_low"] or 0) / divisor,
                        (r[f"{column}_high"] or 0) / divisor, r["kind"]) for r in rows if r[f"{column}_central"]]
        bars.sort(key=lambda b: -b.central)
        charts.append(svg.bars(bars, title=_heaviest(bars, unit, what, counts),
                               axis_title=f"{unit}, bar: central estimate, whisker: low to high",
                               value=lambda b, u=unit: f"{human(b.central)} {u}"))
    return "\n".join(charts) + per_request(conn)


def _heaviest(bars: list[svg.Bar], unit: str, what: str, counts: str) -> str:
    """The finding of a footprint chart: the heaviest use against the heaviest training run."""
    by_kind = {kind: max((b for b in bars if b.group == kind), key=lambda b: b.central, default=None)
               for kind in ("inference", "training")}
    use, train = by_kind["inference"], by_kind["training"]
    if not use or not train:
        return f"Each workload's {what} ({counts})"
    heavier, lighter = (use, train) if use.central >= train.central else (train, use)
    return (f"{what.capitalize()}: {heavier.label} ({human(heavier.central)} {unit}) weighs "
            f"{human(heavier.central / lighter.central, 2)} times {lighter.label} ({human(lighter.central)} {unit}), "
            f"the heaviest {'training run' if lighter is train else 'use'}; {counts}")


def per_request(conn) -> str:
    rows = named_rows(conn, """select workload_id, requests_per_day, energy_wh_per_request, location_gco2e_per_request,
                          water_ml_per_request from marts.fct_inference_footprint
                          order by location_gco2e_per_request desc""")
    body = [[r["workload_id"], human(r["requests_per_day"]), human(r["energy_wh_per_request"]),
             human(r["location_gco2e_per_request"]), human(r["water_ml_per_request"])] for r in rows]
    return ("<p>Per request, for each inference workload (energy at the facility, location-based carbon, "
            "water on site and off site):</p>"
            + _table(["workload", "requests per day", "Wh per request", "gCO2e per request", "mL water per request"],
                     body))


def training_or_using_section(conn) -> str:
    """One answer, from fct_model_lifecycle: how long use takes to outweigh training for each model at
    each usage level the mart holds (the deployment as declared, and published usage levels), against
    the service life; and the audit's finding on the claim that training is most of a model's energy."""
    rows = named_rows(conn, """select model, deployment_workload_id, usage_level, usage_source, requests_per_day,
                          years_to_overtake_carbon * 365.25 as days, service_life_years
                          from marts.fct_model_lifecycle where years_to_overtake_carbon > 0
                          order by years_to_overtake_carbon""")
    if not rows:
        return "<p>No model has both a training run and a deployment.</p>"
    declared, published = "as deployed (declared usage)", "at a published usage level"
    bars = [svg.Bar(f"{r['model']} at {human(r['requests_per_day'])} requests a day", r["days"],
                    group=declared if r["usage_level"] == "declared" else published) for r in rows]
    levels = sorted({(r["usage_level"], r["usage_source"]) for r in rows if r["usage_level"] != "declared"})
    life = rows[0]["service_life_years"]
    at_scale = [b for b in bars if b.group == published]
    slow = [b for b in bars if b.group == declared]
    finding = []
    if at_scale:
        finding.append("at a published usage level, use outweighs training within "
                       f"{duration(max(b.central for b in at_scale))}")
    if slow:
        finding.append(f"as deployed, it takes {duration(min(b.central for b in slow))} to "
                       f"{duration(max(b.central for b in slow))}")
    title = ("Training or using? It depends on usage: " + "; ".join(finding)
             + f" (service life: {human(life)} years)")
    chart = svg.bars(bars, title=title, axis_title="time until use outweighs training (carbon, embodied included)",
                     groups=[declared, published], value=lambda b: duration(b.central),
                     reference=(life * 365.25, f"service life, {human(life)} years"), in_days=True)
    audit = conn.execute("select finding from marts.fct_claims_audit where claim_id = 'c11'").fetchone()
    sources = "".join(f"<li>{escape(level)}: {escape(source or 'no source given')}</li>" for level, source in levels)
    return (chart + (f"<p class=small>Published usage levels:</p><ul class=small>{sources}</ul>" if levels else "")
            + (f"<p>{escape(audit[0])}.</p>" if audit and audit[0] else ""))


def siting_section(conn) -> str:
    """Per workload whose region is known: where it ran beside the greenest region it could run in."""
    rows = named_rows(conn, """select workload_id, candidate_region, location_kgco2e, is_current_region
                          from marts.fct_siting_options
                          where (carbon_rank = 1 or is_current_region) and workload_id in
                                (select workload_id from marts.fct_siting_options where is_current_region)
                          qualify row_number() over (partition by workload_id, is_current_region
                                                     order by candidate_region) = 1  -- one of tied regions
                          order by workload_id, is_current_region desc""")
    ran, best = "where it ran", "the lowest-carbon region offered"
    current = {r["workload_id"]: r["location_kgco2e"] for r in rows if r["is_current_region"]}
    rows.sort(key=lambda r: (-current[r["workload_id"]], r["workload_id"], not r["is_current_region"]))
    bars = [svg.Bar(f"{r['workload_id']}: {r['candidate_region']}", r["location_kgco2e"],
                    group=ran if r["is_current_region"] else best) for r in rows]
    savings = {}
    for r in rows:
        savings.setdefault(r["workload_id"], {})[r["is_current_region"]] = r["location_kgco2e"]
    cuts = [1 - s[False] / s[True] for s in savings.values() if s.get(True) and s.get(False) is not None]
    if not cuts:
        return "<p>No workload with a known region has siting options.</p>"
    title = (f"Moving to the lowest-carbon region its provider offers would cut {human(100 * min(cuts), 2)} to "
             f"{human(100 * max(cuts), 2)} % of the carbon of each of the {len(cuts)} workloads whose region is known")
    return svg.bars(bars, title=title, axis_title="kgCO2e (location-based)", groups=[ran, best],
                    value=lambda b: f"{human(b.central)} kg")


MAX_BARS = 40  # months of fleet logs would draw a bar per day and cluster: thousands
PERIODS = {"day": "%Y-%m-%d", "week": "week of %Y-%m-%d", "month": "%Y-%m", "year": "%Y"}


def jobs_period(conn) -> str:
    """The finest of day, week, month and year at which the logs' clusters take at most MAX_BARS bars."""
    counts = conn.execute("select " + ", ".join(
        f"count(distinct (date_trunc('{p}', day), cluster))" for p in PERIODS)
        + " from marts.fct_job_footprint_daily").fetchone()
    return next((p for p, n in zip(PERIODS, counts, strict=True) if n <= MAX_BARS), "year")


def jobs_section(conn) -> str:
    period = jobs_period(conn)
    daily = named_rows(conn, f"""select strftime(date_trunc('{period}', day), '{PERIODS[period]}') as label, cluster,
                                   sum(location_kgco2e) as kg, sum(jobs) as jobs
                            from marts.fct_job_footprint_daily group by date_trunc('{period}', day), cluster
                            order by date_trunc('{period}', day), cluster""")
    savings = named_rows(conn, """select flexibility_h, sum(original_kgco2e) as original, sum(saving_kgco2e) as saving,
                                    sum(saving_as_decided_kgco2e) as decided,
                                    count(distinct job_key) filter (where decision = 'forecast') as on_forecast
                             from marts.fct_carbon_aware_savings where signal = 'average'
                             group by flexibility_h order by flexibility_h""")
    if not daily:
        return "<p>No jobs in the logs.</p>"
    bars = [svg.Bar(f"{r['label']} {r['cluster']}", r["kg"], group=r["cluster"]) for r in daily]
    heaviest = max(daily, key=lambda r: r["kg"])
    title = (f"{human(sum(r['jobs'] for r in daily))} job-days in the logs weigh {human(sum(r['kg'] for r in daily))} "
             f"kgCO2e; the heaviest {period} is {heaviest['label']} on {heaviest['cluster']} "
             f"({human(heaviest['kg'])} kg)")
    chart = svg.bars(bars, title=title, axis_title=f"kgCO2e per UTC {period} (location-based)", log=False,
                     value=lambda b: f"{human(b.central)} kg")
    best = max(savings, key=lambda r: r["saving"], default=None)
    lead = (f"<p>Letting the jobs priced on hourly data wait up to {best['flexibility_h']} h for greener hours would "
            f"save {share(best['saving'] / best['original'])} of their carbon (in hindsight, on the grid's average "
            "intensity; a scheduler deciding on the forecast it had saves what the last columns say):</p>"
            if best and best["original"] else "<p>Carbon-aware replay of the jobs priced on hourly data:</p>")
    table = _table(["may wait", "carbon as run", "saving in hindsight", "share", "saving as decided on the forecast",
                    "jobs with a forecast"],
                   [[f"{r['flexibility_h']} h", f"{human(r['original'])} kg", f"{human(r['saving'])} kg",
                     share(r["saving"] / r["original"]) if r["original"] else "",
                     f"{human(r['decided'])} kg" if r["decided"] is not None else "", human(r["on_forecast"])]
                    for r in savings])
    return chart + lead + table


OPERATOR_ROWS = 60  # the latest months first: a year of a busy cluster's accounts would bury the page
WASTE_KINDS = {"failed": "failed", "cancelled": "cancelled", "timeout": "timed out", "out_of_memory": "out of memory"}


def operators_section(conn) -> str:
    """marts.fct_operator_monthly: per cluster, account and month, with the share wasted on jobs that
    did not complete."""
    rows = named_rows(conn, f"""select strftime(month, '%Y-%m') as month, cluster, account, user_name, gpu_hours,
                                  facility_energy_kwh,
                                  location_kgco2e, water_l, waste_share_of_energy,
                                  {", ".join(f"{k}_share_of_energy" for k in WASTE_KINDS)}
                           from marts.fct_operator_monthly
                           order by month desc, cluster, waste_energy_kwh desc, facility_energy_kwh desc, account,
                                    user_name
                           limit {OPERATOR_ROWS}""")
    if not rows:
        return "<p>No jobs in the logs.</p>"
    total = conn.execute("select sum(waste_energy_kwh) / nullif(sum(facility_energy_kwh), 0) "
                         "from marts.fct_operator_monthly").fetchone()[0]

    def waste(r: dict) -> str:
        parts = [f"{WASTE_KINDS[k]} {share(r[f'{k}_share_of_energy'])}" for k in WASTE_KINDS
                 if r[f"{k}_share_of_energy"]]
        return "; ".join(parts)

    body = [[r["month"], r["cluster"], r["account"] or "", r["user_name"] or "", human(r["gpu_hours"]),
             human(r["facility_energy_kwh"]), human(r["location_kgco2e"]), human(r["water_l"]),
             share(r["waste_share_of_energy"]), waste(r)]
            for r in rows]
    return (f"<p>Per cluster, account, user and UTC month (marts.fct_operator_monthly): {share(total or 0)} of the "
            "jobs' energy went to jobs that failed, were cancelled, timed out or ran out of memory. Latest months first"
            f"{f', the first {OPERATOR_ROWS} rows' if len(rows) == OPERATOR_ROWS else ''}.</p>"
            + _table(["month", "cluster", "account", "user", "GPU-hours", "kWh", "kgCO2e", "water L", "wasted",
                      "of which"], body, numeric_from=4))


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
    rows = named_rows(conn, REMEDIES_SQL)
    body = [[r["workload"], human(r["declared_t"]), *(share(r[c]) for c in REMEDY_COLUMNS)] for r in rows]
    return ("<p>Share of each workload's location-based carbon each remedy saves at best (newer hardware: "
            "energy, same work at the stated utilisation); empty where the remedy does not apply. The "
            "carbon-free share is an accounting view: it saves the stated share by construction.</p>"
            + _table(["workload", "tCO2e as declared", *REMEDY_COLUMNS.values()], body))


def audit_section(conn) -> str:
    rows = named_rows(conn, """select claim_id, claim, claimed_central, recomputed_low, recomputed_central,
                          recomputed_high, unit, verdict, finding from marts.fct_claims_audit order by claim_number""")
    body = "".join(
        f"<tr><td>{escape(r['claim_id'])}</td><td>{escape(r['claim'])}</td>"
        f"<td class=n>{escape(human(r['claimed_central'], 6))}</td>"  # as claimed
        f"<td class=n>{escape(spread(r['recomputed_low'], r['recomputed_central'], r['recomputed_high']))}</td>"
        f"<td>{escape(r['unit'] or '')}</td>"
        f"<td class={VERDICT_CLASS.get(r['verdict'], '')}>{escape(r['verdict'])}</td>"
        f"<td>{escape(r['finding'] or '')}</td></tr>" for r in rows)
    return ("<table><tr><th></th><th>claim</th><th class=n>claimed</th><th class=n>recomputed (low–high)</th>"
            f"<th>unit</th><th>verdict</th><th>finding</th></tr>{body}</table>")


def write_report(published: Path, target: Path) -> Path:
    with duckdb.connect(str(published), read_only=True) as conn:
        build_id, built_at = conn.execute("select build_id, built_at from meta.build").fetchone()
        sections = [
            ("Grid carbon intensity, hour by hour", hourly_section(conn)),
            ("What each workload weighs: carbon, energy and water", footprint_section(conn)),
            ("Training or using, at the usage models really have", training_or_using_section(conn)),
            ("Where to run: siting options", siting_section(conn)),
            ("Jobs from the logs, and what waiting for greener hours saves", jobs_section(conn)),
            ("An operator's month: GPU-hours, energy and the share wasted", operators_section(conn)),
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
# renders markdown tables but not inline SVG); numbers as the report prints them.
METADATA_TABLES = {
    "claims_audit": ("select claim_id as id, claim, verdict, claimed_central as claimed, recomputed_central as "
                     "recomputed, unit from marts.fct_claims_audit order by claim_number"),
    "footprints": ("select workload_id as workload, location_kgco2e_low / 1000 as t_low, location_kgco2e_central "
                   "/ 1000 as t_central, location_kgco2e_high / 1000 as t_high from marts.fct_workload_footprint "
                   "order by location_kgco2e_central desc"),
    "training_vs_use": ("select model, deployment_workload_id as deployment, usage_level, requests_per_day, "
                        "years_to_overtake_carbon as years_until_use_outweighs_training, "
                        "training_share_of_carbon as training_share "
                        "from marts.fct_model_lifecycle order by years_to_overtake_carbon"),
    "siting_best": ("select workload_id as workload, candidate_region as best_region, location_kgco2e as kg, "
                    "carbon_saving_kgco2e as saving_kg from marts.fct_siting_options where carbon_rank = 1 "
                    "qualify row_number() over (partition by workload_id order by candidate_region) = 1 "  # ties once
                    "order by workload_id"),
    "hourly_intensity": ("select zone_id as zone, min(hour_start) as first_hour, count(*) as hours, "
                         "min(gco2e_per_kwh) as min_g, avg(gco2e_per_kwh) as mean_g, max(gco2e_per_kwh) as max_g "
                         "from marts.fct_grid_intensity_hourly where is_preferred group by zone_id order by zone_id"),
    "remedies": REMEDIES_SQL,
    "carbon_aware_savings": ("select flexibility_h, sum(original_kgco2e) as original_kg, sum(saving_kgco2e) as "
                             "saving_kg, sum(saving_as_decided_kgco2e) as decided_saving_kg "
                             "from marts.fct_carbon_aware_savings where signal = 'average' group by 1 order by 1"),
}


def metadata_tables(published: Path) -> dict[str, str]:
    with duckdb.connect(str(published), read_only=True) as conn:
        return {name: _markdown(named_rows(conn, sql)) for name, sql in METADATA_TABLES.items()}


def _markdown(rows: list[dict]) -> str:
    if not rows:
        return "no rows"

    def cell(value) -> str:
        text = human(value) if isinstance(value, float) else "" if value is None else str(value)
        return text.replace("|", "\\|")

    header = list(rows[0])
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(r[c]) for c in header) + " |" for r in rows]
    return "\n".join(lines)
