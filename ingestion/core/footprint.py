"""The footprint model of docs/ARCHITECTURE.md, per workload, with low/central/high ranges.

    E_IT        = n x hours x (power + host overhead) / 1000 + idle energy   (or the energy a source gives)
                  for a deployment priced per request: max(requests x energy per request, reserved idle floor)
    E_facility  = E_IT x PUE
    CO2e_loc    = E_facility x CI_location   (hourly mean over the period where the zone has it, else annual)
    CO2e_market = E_facility x market factor, or CO2e_loc x (1 - carbon-free share), else = CO2e_loc
    W_onsite    = E_IT x WUE                 W_offsite = E_facility x EWIF
    Embodied    = n x hours / (lifetime hours x use rate) x (kgCO2e + server kgCO2e / accelerators per server)
                  (the server's: the workload's, else the published server LCA of the part's generation)
    Total       = CO2e_loc + Embodied        (and CO2e_market + Embodied)
Each fallback is named in the output (pue_source, intensity_source, ...), so every figure traces
back to a reference row or to the workload's own override. A workload may select a published
source's convention (ingestion/core/conventions.py) to reproduce it as published.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

import polars as pl

from ingestion.core.conventions import CONVENTIONS

BOUNDS = ("low", "central", "high")
HOURS_PER_YEAR = 8760


@dataclass(frozen=True)
class References:
    accelerators: pl.DataFrame  # canonical_name, tdp_low_w, tdp_w, tdp_high_w, embodied_kgco2e
    zones: pl.DataFrame  # zone_id, country_zone_id
    annual: pl.DataFrame  # zone_id, year, gco2e_per_kwh (lifecycle)
    hourly: pl.DataFrame  # zone_id, hour_start, gco2e_per_kwh (preferred values)
    ewif: pl.DataFrame  # zone_id, year, ewif_low_l_per_kwh, ewif_l_per_kwh, ewif_high_l_per_kwh
    efficiency: pl.DataFrame  # provider, scope, year, pue_low/central/high, wue_*_l_per_kwh, sources

    @cached_property
    def hourly_by_zone(self) -> dict[str, pl.DataFrame]:
        """The hourly series split by zone once, so pricing a period filters one zone's hours, not every
        zone's (a variant of a workload is priced per region: thousands of calls on years of hours)."""
        return {zone: frame for (zone,), frame in self.hourly.partition_by("zone_id", as_dict=True).items()}

    @cached_property
    def fleet_values(self) -> dict:
        """_fleet's answers, memoised per (provider, metric): the same few providers are asked for again
        by every workload and every variant of it."""
        return {}

    @classmethod
    def from_frames(cls, *, accelerators, zones, annual, hourly, ewif, efficiency) -> References:
        """The reference rows every pricing reads, from the staging and intermediate models that resolve
        them (never from a mart; each dbt python model names its refs literally, so dbt sees the
        dependencies; the selection is here)."""
        return cls(
            accelerators=accelerators,
            zones=zones.select("zone_id", "country_zone_id"),
            annual=annual.filter(pl.col("basis") == "lifecycle").select("zone_id", "year", "gco2e_per_kwh"),
            hourly=hourly.select("zone_id", "hour_start", "gco2e_per_kwh"),
            ewif=annual_ewif(ewif),
            efficiency=efficiency,
        )


def annual_ewif(ewif: pl.DataFrame) -> pl.DataFrame:
    """The annual off-site water intensities (int_zone_water_intensities rows) pricing chooses from."""
    return (ewif.filter(pl.col("granularity") == "annual")
            .select("zone_id", "year", "ewif_low_l_per_kwh", "ewif_l_per_kwh", "ewif_high_l_per_kwh"))


def off_site_water_intensity(ewif: pl.DataFrame, zone: str | None, country: str | None,
                             year: int | None) -> tuple[tuple | None, str]:
    """The EWIF (L per kWh generated; low, central, high) a footprint in `zone` in `year` is priced at:
    the zone's value for that year or its latest earlier one (else its latest), else its country's the
    same way; with its source. Workloads and jobs from the logs both take it from here."""
    found = (_latest(ewif, zone, year) if zone else None) or (_latest(ewif, country, year) if country else None)
    if not found:
        return None, "no EWIF for this zone"
    return ((found["ewif_low_l_per_kwh"], found["ewif_l_per_kwh"], found["ewif_high_l_per_kwh"]),
            f"annual {found['zone_id']} {found['year']} (Macknick x mix)")


def _triple(row: dict, name: str) -> tuple | None:
    values = tuple(row.get(f"{name}_{b}") for b in BOUNDS)
    return None if values[1] is None else values


def _flat(value: float) -> tuple:
    return (value, value, value)


def _latest(frame: pl.DataFrame, zone: str, year: int | None) -> dict | None:
    rows = frame.filter(pl.col("zone_id") == zone)
    if year is not None and rows.filter(pl.col("year") <= year).height:
        rows = rows.filter(pl.col("year") <= year)
    return rows.sort("year").tail(1).to_dicts()[0] if rows.height else None


def _fleet(efficiency: pl.DataFrame, provider: str | None, metric: str) -> tuple[tuple, str]:
    """Latest fleet-wide value of the provider, else the stated default (low/central/high)."""
    column = "pue" if metric == "pue" else "wue"
    central = f"{column}_central" if metric == "pue" else "wue_central_l_per_kwh"
    low, high = (f"{column}_low", f"{column}_high") if metric == "pue" else (
        "wue_low_l_per_kwh", "wue_high_l_per_kwh")
    for who, scope_filter in ((provider, pl.col("scope").str.starts_with("global")), ("default", pl.lit(True))):
        if who is None:
            continue
        rows = efficiency.filter((pl.col("provider") == who) & scope_filter & pl.col(central).is_not_null())
        if rows.height:
            r = rows.sort("year").tail(1).to_dicts()[0]
            c = r[central]
            source = r[f"{column}_source"]
            return (r[low] if r[low] is not None else c, c, r[high] if r[high] is not None else c), \
                f"{who} {r['scope']} {r['year']}: {source}"
    raise LookupError(f"no {metric.upper()} for {provider} and no default")


def flat_input(name: str, value: float | None) -> dict:
    """A workload input given as one value for all bounds (`pue_low/central/high`): how a variant of
    a workload fixes a factor before it is priced again."""
    return {f"{name}_{b}": value for b in BOUNDS}


def total_water_l(priced: dict) -> float:
    """On-site + off-site water of a priced workload (central), the off-site term zero where the zone
    has no EWIF."""
    return priced["water_onsite_l_central"] + (priced["water_offsite_l_central"] or 0.0)


def _fleet_of(refs: References, provider: str | None, metric: str) -> tuple[tuple, str]:
    key = (provider, metric)
    if key not in refs.fleet_values:
        refs.fleet_values[key] = _fleet(refs.efficiency, provider, metric)
    return refs.fleet_values[key]


def hourly_intensity(hourly: pl.DataFrame, zone: str, start: dt.datetime, end: dt.datetime) -> float | None:
    """Mean intensity over [start, end) for a constant load, partial first and last hours weighted
    by their overlap; None unless every hour of the period has a value."""
    first = start.replace(minute=0, second=0, microsecond=0)
    hours = hourly.filter((pl.col("zone_id") == zone) & (pl.col("hour_start") >= first)
                          & (pl.col("hour_start") < end)).sort("hour_start")
    needed = int(((end - first).total_seconds() + 3599) // 3600)
    if hours.height < needed:
        return None
    weighted = total = 0.0
    for h, value in zip(hours["hour_start"], hours["gco2e_per_kwh"], strict=True):
        overlap = (min(h + dt.timedelta(hours=1), end) - max(h, start)).total_seconds()
        weighted += value * overlap
        total += overlap
    return weighted / total if total else None


def workload_footprint(row: dict, refs: References) -> dict:
    out = {k: row.get(k) for k in ("workload_id", "kind", "model", "accelerator", "accelerator_count", "zone_id",
                                   "provider", "region", "source", "source_file", "load_id",
                                   "input_warnings", "accelerator_resolution")}
    convention = CONVENTIONS[row.get("convention") or "warehouse"]
    out["convention"] = convention.name
    n = row["accelerator_count"] or 1
    acc = None
    if row.get("accelerator"):
        acc = (refs.accelerators.filter(pl.col("canonical_name") == row["accelerator"]).to_dicts() or [None])[0]
    hours = _hours_per_accelerator(row, n)
    pue, pue_source = _pue(row, refs, convention)  # first: an energy given as facility energy is divided by it
    it, facility, power_basis, floor_basis = _it_energy(row, acc, n, hours, pue, convention)
    idle = _triple(row, "idle_energy_kwh")
    if idle:  # IT energy of hardware powered but not computing, on top of the dynamic energy
        it = tuple(e + i for e, i in zip(it, idle, strict=True))
        if facility is not None:
            facility = tuple(f + i * p for f, i, p in zip(facility, idle, pue, strict=True))
        power_basis += " + idle energy given by the source"
    out.update(power_basis=power_basis, accelerator_hours=hours[1] * n if hours else None,
               energy_floor_basis=floor_basis)
    facility = facility or tuple(e * p for e, p in zip(it, pue, strict=True))

    zone = row.get("zone_id")
    country = _country_of(refs, zone)
    year = row.get("year") or (row["period_start"].year if row.get("period_start") else None)
    ci, ci_source, intensity_year, intensity_zone = _intensity(row, refs, zone, country, year)
    location = tuple(f * c / 1000 for f, c in zip(facility, ci, strict=True))
    market, market_basis = _market(row, facility, location)
    (wue, wue_source), (ewif, ewif_source) = _water_intensities(row, refs, zone, country, year)
    embodied, embodied_source = _embodied(row, acc, n, hours)

    for name, values in (("it_energy_kwh", it), ("pue", pue), ("facility_energy_kwh", facility),
                         ("intensity_g_per_kwh", ci), ("location_kgco2e", location), ("market_kgco2e", market),
                         ("wue_l_per_kwh", wue),
                         ("water_onsite_l", tuple(e * w for e, w in zip(it, wue, strict=True))),
                         ("ewif_l_per_kwh", ewif),
                         ("water_offsite_l",
                          tuple(f * w for f, w in zip(facility, ewif, strict=True)) if ewif else None),
                         ("embodied_kgco2e", embodied),
                         ("idle_energy_kwh", idle),
                         ("total_location_kgco2e", _plus(location, embodied)),
                         ("total_market_kgco2e", _plus(market, embodied))):
        for bound, value in zip(BOUNDS, values or (None, None, None), strict=True):
            out[f"{name}_{bound}"] = value
    out.update(country_zone_id=country, intensity_zone_id=intensity_zone, intensity_source=ci_source,
               intensity_year=intensity_year, total_includes_embodied=embodied is not None,
               pue_source=pue_source, market_basis=market_basis, wue_source=wue_source, ewif_source=ewif_source,
               embodied_source=embodied_source)
    return out


def _country_of(refs: References, zone: str | None) -> str | None:
    """The country a zone lies in (a country is its own)."""
    if not zone:
        return None
    match = refs.zones.filter(pl.col("zone_id") == zone)
    return match["country_zone_id"][0] if match.height else zone


def _water_intensities(row: dict, refs: References, zone, country, year) -> tuple[tuple, tuple]:
    """(WUE, its source) and (EWIF, its source): the workload's overrides, else the provider's fleet WUE
    and the zone's (else its country's) off-site intensity for the year."""
    wue = ((_triple(row, "wue_l_per_kwh"), "workload override") if _triple(row, "wue_l_per_kwh")
           else _fleet_of(refs, row.get("provider"), "wue"))
    ewif = ((_triple(row, "ewif_l_per_kwh"), "workload override") if _triple(row, "ewif_l_per_kwh")
            else off_site_water_intensity(refs.ewif, zone, country, year))
    return wue, ewif


def _hours_per_accelerator(row: dict, n: int) -> tuple | None:
    if _triple(row, "accelerator_hours"):
        return tuple(v / n for v in _triple(row, "accelerator_hours"))
    if _triple(row, "days"):
        per_day = _triple(row, "hours_per_day") or _flat(24.0)
        return tuple(d * h for d, h in zip(_triple(row, "days"), per_day, strict=True))
    return None


def _pue(row: dict, refs: References, convention) -> tuple[tuple, str]:
    if convention.pue_is_one:
        return _flat(1.0), f"convention {convention.name}: PUE not applied"
    if _triple(row, "pue"):
        return _triple(row, "pue"), "workload override"
    return _fleet_of(refs, row.get("provider"), "pue")


def _it_energy(row: dict, acc: dict | None, n: int, hours: tuple | None, pue: tuple,
               convention) -> tuple[tuple, tuple | None, str, str | None]:
    """IT energy (and the facility energy where the source gives that), how it was found, and which
    bound set a per-request deployment's energy. Dividing a facility energy by the PUE takes the
    opposite bound (the lowest IT energy comes with the highest PUE)."""
    if _triple(row, "energy_kwh"):
        it, power_basis = _triple(row, "energy_kwh"), "energy given by the source"
        if row.get("energy_basis") == "facility" and not convention.given_energy_is_it:
            return tuple(e / p for e, p in zip(it, (pue[2], pue[1], pue[0]), strict=True)), it, \
                "facility energy given by the source / PUE", None
        if convention.given_energy_is_it:
            power_basis = f"energy given by the source, taken as the base of PUE and water ({convention.name})"
        return it, None, power_basis, None
    if row["kind"] == "inference" and _triple(row, "energy_per_request_wh"):
        return _per_request_energy(row, acc, n, hours, pue)
    tdp = (acc["tdp_low_w"], acc["tdp_w"], acc["tdp_high_w"])
    if convention.power_is_tdp:
        power, power_basis = _flat(acc["tdp_w"]), f"catalog TDP, no range ({convention.name})"
    elif _triple(row, "measured_w"):
        power, power_basis = _triple(row, "measured_w"), "measured average power"
    elif _triple(row, "utilisation"):
        power = tuple(u * t for u, t in zip(_triple(row, "utilisation"), tdp, strict=True))
        power_basis = "utilisation x TDP"
    else:
        power, power_basis = tdp, "catalog TDP"
    host = _triple(row, "host_overhead_w") or _flat(0.0)
    return tuple(n * h * (p + o) / 1000 for h, p, o in zip(hours, power, host, strict=True)), None, power_basis, None


def _per_request_energy(row: dict, acc: dict | None, n: int, hours: tuple | None,
                        pue: tuple) -> tuple[tuple, tuple | None, str, str]:
    days = _triple(row, "days") or _flat(365.0)
    it = tuple(r * e * d / 1000 for r, e, d in zip(_triple(row, "requests_per_day"),
                                                  _triple(row, "energy_per_request_wh"), days, strict=True))
    power_basis = "energy per request x requests" + (
        f" ({row['energy_per_request_source']})" if row.get("energy_per_request_source") else "")
    facility = None
    if row.get("energy_basis") == "facility":  # a provider's per-prompt figure with overhead included
        facility, it = it, tuple(e / p for e, p in zip(it, (pue[2], pue[1], pue[0]), strict=True))
        power_basis += ", facility energy given / PUE"
    bounded, floor_basis = _reserved_floor(row, acc, n, hours, it)
    if bounded != it:  # the idle floor set the IT energy: facility energy follows from it
        it, facility = bounded, None
    return it, facility, power_basis, floor_basis


def _intensity(row: dict, refs: References, zone: str | None, country: str | None,
               year: int | None) -> tuple[tuple, str, int | None, str | None]:
    """Carbon intensity (g/kWh): the workload's own, else the hourly mean over its period where every
    hour is there, else the zone's (or its country's) annual value for its year; with its source, the
    year and the zone used."""
    if _triple(row, "grid_kg_per_kwh"):
        return tuple(v * 1000 for v in _triple(row, "grid_kg_per_kwh")), "workload override", None, None
    if row.get("period_start") and zone:
        hourly = hourly_intensity(refs.hourly_by_zone.get(zone, refs.hourly.clear()), zone,
                                  row["period_start"], row["period_end"])
        if hourly is not None:
            return _flat(hourly), f"hourly ({zone})", None, zone
    annual = _latest(refs.annual, zone, year) or _latest(refs.annual, country, year)
    if annual is None:
        raise LookupError(f"{row['workload_id']}: no annual intensity for zone {zone} or {country}")
    source = f"annual {annual['zone_id']} {annual['year']}" + (
        f" (zone {zone} has no annual series: its country's)" if annual["zone_id"] != zone else "")
    return _flat(annual["gco2e_per_kwh"]), source, annual["year"], annual["zone_id"]


def _market(row: dict, facility: tuple, location: tuple) -> tuple[tuple, str]:
    if _triple(row, "market_kg_per_kwh"):
        return tuple(f * m for f, m in zip(facility, _triple(row, "market_kg_per_kwh"), strict=True)), \
            "market factor given"
    if _triple(row, "carbon_free_share"):
        cfe = _triple(row, "carbon_free_share")
        return tuple(loc * (1 - s) for loc, s in zip(location, (cfe[2], cfe[1], cfe[0]), strict=True)), (
            "location-based x (1 - carbon-free share): the share of the energy covered by the workload's "
            "contractual instruments (certificates, PPAs), not an hourly CFE percentage")
    return location, "no contractual instrument stated: equals location-based"


def _reserved_floor(row: dict, acc: dict | None, n: int, hours: tuple | None, it: tuple) -> tuple[tuple, str]:
    """A deployment priced per request still holds its accelerators between requests: its IT energy is
    at least n x hours x the idle draw (power.idle_w), else utilisation x TDP when the deployment's
    utilisation is declared. Returns the energy and which bound applied, per the central value."""
    if not hours:
        return it, "requests x energy per request: no reserved accelerators declared (no duration)"
    if _triple(row, "idle_w"):
        draw, basis = _triple(row, "idle_w"), "idle draw (power.idle_w)"
    elif _triple(row, "utilisation") and acc:
        draw = tuple(u * t for u, t in zip(_triple(row, "utilisation"),
                                           (acc["tdp_low_w"], acc["tdp_w"], acc["tdp_high_w"]), strict=True))
        basis = "utilisation x TDP"
    else:
        return it, "requests x energy per request: no idle draw or utilisation declared, no floor applied"
    floor = tuple(n * h * w / 1000 for h, w in zip(hours, draw, strict=True))
    bounded = tuple(max(e, f) for e, f in zip(it, floor, strict=True))
    if floor[1] > it[1]:
        return bounded, f"reserved accelerators' {basis}: the floor applied (above requests x energy per request)"
    return bounded, f"requests x energy per request (above the reserved accelerators' {basis})"


def _embodied(row: dict, acc: dict | None, n: int, hours: tuple | None) -> tuple[tuple | None, str]:
    """Each accelerator's manufacturing carbon (+ its share of the server's), charged for the hours
    used out of the hours it is in use over its life (lifetime x use rate)."""
    override = _triple(row, "embodied_accelerator_kg")
    central = acc.get("embodied_kgco2e") if acc else None
    catalog = None if central is None else (
        acc.get("embodied_low_kgco2e") or central, central, acc.get("embodied_high_kgco2e") or central)
    per_acc = override or catalog
    if acc is None and not override:
        return None, "no accelerator named: embodied carbon not counted"
    if not per_acc:
        return None, "no embodied figure for this accelerator"
    if not hours:
        return None, "no duration: embodied carbon not counted"
    life = (row.get("lifetime_years") or 4) * HOURS_PER_YEAR * (row.get("use_rate") or 1.0)
    server, server_source = _server(row, acc)
    per_server = row.get("accelerators_per_server") or (acc or {}).get("server_accelerators") or 8
    embodied = tuple(n * h / life * (a + s / per_server) for h, a, s in zip(hours, per_acc, server, strict=True))
    method = (acc or {}).get("embodied_method") or "published"
    source = "workload override" if override else f"catalog ({method.split(':')[0]})"
    return embodied, f"{source} + {server_source}"


def _server(row: dict, acc: dict | None) -> tuple[tuple, str]:
    """The embodied carbon of the server hosting the accelerators (per server, without them): the
    workload's `embodied.server_kg`, else the published server LCA the catalog gives the part."""
    if _triple(row, "embodied_server_kg"):
        return _triple(row, "embodied_server_kg"), "server share (workload)"
    if acc and acc.get("server_embodied_kgco2e") is not None:
        return ((acc["server_embodied_low_kgco2e"], acc["server_embodied_kgco2e"], acc["server_embodied_high_kgco2e"]),
                "server share (published server LCA)")
    return _flat(0.0), "no server share (no published server LCA for this host)"


def _plus(operational: tuple, embodied: tuple | None) -> tuple:
    return operational if embodied is None else tuple(o + e for o, e in zip(operational, embodied, strict=True))


def footprints(workloads: pl.DataFrame, refs: References) -> pl.DataFrame:
    frame = pl.DataFrame([workload_footprint(r, refs) for r in workloads.to_dicts()], infer_schema_length=None)
    # A column no workload filled (no idle energy declared anywhere) still has its type.
    return frame.with_columns(
        pl.col(c).cast(pl.Float64 if c.endswith(BOUNDS) else pl.String)
        for c, t in frame.schema.items() if t == pl.Null)
