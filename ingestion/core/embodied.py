"""Embodied (manufacturing) carbon per accelerator, low/central/high, for every catalog row.

A published per-device figure is used as published. Every other accelerator gets a component model
in the manner of LLMCarbon (Faiz et al. 2024, ICLR, after ACT, Gupta et al. 2022) and Boavizta's
bottom-up method, anchored on the one product carbon footprint NVIDIA publishes:

    die    = die area (cm2) x carbon per area of its process node   (LLMCarbon's CPA per node)
    memory = memory (GB) x 0.4 kgCO2e/GB                             (LLMCarbon's DRAM figure)
    board  = TDP (W) x k                                             (substrate, package, PCB, power
             delivery and heat sink: sized for the power the part carries)
    k      = (NVIDIA HGX H100 PCF per GPU - the H100's die - its memory) / 700 W

so the model gives the H100 SXM exactly its published 164 kg. Ranges: the board term x0.5-x1.5 and
memory x0.75-x1.25 (the method's own uncertainty); where the catalog has no die area or node, the
median of the part's family (else vendor, else all parts) is assumed with the die term x0.5-x1.5, and
the method says so. Every row states its `embodied_method`.
"""

from __future__ import annotations

import numpy as np
import polars as pl

# LLMCarbon data/hardware.csv (Apache-2.0): kgCO2e per cm2 of die by node: 16 nm 1.0 (TPUv3, CPU),
# 12 nm 1.2 (V100), 7 nm 1.6 (TPUv4), 4 nm 1.8 (H100). Between nodes: linear; older than 16 nm: 1.0;
# newer than 4 nm: 1.8 (no published figure below 4 nm).
CPA_NODES_NM = (4.0, 7.0, 12.0, 16.0)
CPA_KG_PER_CM2 = (1.8, 1.6, 1.2, 1.0)
CPA_UNKNOWN = (1.0, 1.4, 1.8)  # node unknown: the published span
MEMORY_KG_PER_GB = 0.4
# NVIDIA HGX H100 product carbon footprint: 164 kgCO2e per GPU (as used by EcoLogits); H100 SXM5:
# 814 mm2 at TSMC 4N, 80 GB HBM3, 700 W.
ANCHOR_KG, ANCHOR_DIE_CM2, ANCHOR_NODE_NM, ANCHOR_MEMORY_GB, ANCHOR_TDP_W = 164.0, 8.14, 4.0, 80.0, 700.0
METHOD = ("component model: die area x CPA by node (Faiz et al. 2024, LLMCarbon) + memory x 0.4 kg/GB + board "
          "by TDP anchored on NVIDIA's HGX H100 PCF (164 kg per GPU)")


def cpa(node_nm: float | None) -> float:
    return float(np.interp(node_nm, CPA_NODES_NM, CPA_KG_PER_CM2))


BOARD_KG_PER_W = (ANCHOR_KG - ANCHOR_DIE_CM2 * cpa(ANCHOR_NODE_NM) - ANCHOR_MEMORY_GB * MEMORY_KG_PER_GB) / ANCHOR_TDP_W


def _median_die(rows: list[dict], row: dict) -> tuple[float, str]:
    for scope, same in (("family", lambda r: r["vendor"] == row["vendor"] and r["family"] == row["family"]),
                        ("vendor", lambda r: r["vendor"] == row["vendor"]), ("all parts", lambda r: True)):
        areas = [r["die_area_mm2"] for r in rows if same(r) and r["die_area_mm2"] is not None]
        if areas:
            label = f"{row['family']} median" if scope == "family" else (
                f"{row['vendor']} median" if scope == "vendor" else "median of all parts")
            return float(np.median(areas)), label
    raise ValueError("no die area anywhere in the catalog")


def modelled(row: dict, rows: list[dict]) -> tuple[tuple[float, float, float], str]:
    """(low, central, high) kgCO2e of one accelerator by the component model, and the method."""
    notes = []
    area_mm2, assumed_area = row.get("die_area_mm2"), False
    if area_mm2 is None:
        area_mm2, label = _median_die(rows, row)
        assumed_area = True
        notes.append(f"die area assumed ({label}, {area_mm2:g} mm2)")
    node = row.get("process_nm")
    if node is None:
        per_cm2 = CPA_UNKNOWN
        notes.append("process node unknown (CPA 1.0-1.8)")
    else:
        per_cm2 = (cpa(node),) * 3
    die = tuple(area_mm2 / 100 * c for c in per_cm2)
    if assumed_area:
        die = (die[0] * 0.5, die[1], die[2] * 1.5)
    memory = (row.get("memory_gb") or 0.0) * MEMORY_KG_PER_GB
    if row.get("memory_gb") is None:
        notes.append("memory unknown (not counted)")
    board = row["tdp_w"] * BOARD_KG_PER_W
    values = (die[0] + memory * 0.75 + board * 0.5, die[1] + memory + board, die[2] + memory * 1.25 + board * 1.5)
    return values, METHOD + ("; " + "; ".join(notes) if notes else "")


def embodied_estimates(accelerators: pl.DataFrame) -> pl.DataFrame:
    """embodied_low/central/high_kgco2e and embodied_method for every row: the published figure where one
    exists (embodied_kgco2e from the catalog), else the component model."""
    rows = accelerators.select("canonical_name", "vendor", "family", "tdp_w", "memory_gb", "die_area_mm2",
                               "process_nm", "embodied_kgco2e", "embodied_source").to_dicts()
    out = []
    for row in rows:
        if row["embodied_kgco2e"] is not None:
            value = row["embodied_kgco2e"]
            out.append({"canonical_name": row["canonical_name"], "embodied_low_kgco2e": value,
                        "embodied_central_kgco2e": value, "embodied_high_kgco2e": value,
                        "embodied_method": f"published: {row['embodied_source']}"})
            continue
        (low, central, high), method = modelled(row, rows)
        out.append({"canonical_name": row["canonical_name"], "embodied_low_kgco2e": low,
                    "embodied_central_kgco2e": central, "embodied_high_kgco2e": high, "embodied_method": method})
    estimates = pl.DataFrame(out, schema={"canonical_name": pl.String, "embodied_low_kgco2e": pl.Float64,
                                          "embodied_central_kgco2e": pl.Float64, "embodied_high_kgco2e": pl.Float64,
                                          "embodied_method": pl.String})
    return (accelerators.drop("embodied_kgco2e").join(estimates, on="canonical_name", how="left")
            .rename({"embodied_central_kgco2e": "embodied_kgco2e"})
            .with_columns(embodied_source=pl.coalesce("embodied_source", pl.lit(
                "estimated by this project's component model (ingestion/core/embodied.py; method in "
                "embodied_method)"))))


# Form factors hosted in an 8-accelerator GPU server, the kind the published server LCAs describe.
# Google's TPU hosts, AWS Trainium/Inferentia hosts, custom boards, superchip nodes and consumer cards
# in desktops have no published LCA here: their server share is not counted, and the method says so.
SERVER_HOSTED = ("SXM", "OAM", "PCIe", "PCIe (NVL)", "PCIe (NVL pair)")


def server_embodied(accelerators: pl.DataFrame, servers: pl.DataFrame) -> pl.DataFrame:
    """Per accelerator, the manufacturing carbon of the server it is hosted in, without the accelerators
    (server_embodied_low/_kgco2e/_high_kgco2e, per server), the server's accelerator count
    (server_accelerators) and server_embodied_method. servers: the published LCAs (seed
    published_server_embodied). Central: the LCA of the generation nearest the part's release (a tie, or
    no release year: the newer); low and high: the lowest and highest published LCA."""
    lcas = servers.sort("generation_year").to_dicts()
    low, high = min(s["embodied_kgco2e"] for s in lcas), max(s["embodied_kgco2e"] for s in lcas)
    out = []
    for row in accelerators.select("canonical_name", "form_factor", "release_year").to_dicts():
        if row["form_factor"] not in SERVER_HOSTED:
            out.append({"canonical_name": row["canonical_name"], "server_embodied_method":
                        f"no published server LCA for a {row['form_factor'] or 'unknown'} host: not counted"})
            continue
        year = row["release_year"]
        nearest = lcas[-1] if year is None else min(
            reversed(lcas), key=lambda s: abs(s["generation_year"] - year))
        out.append({"canonical_name": row["canonical_name"], "server_embodied_low_kgco2e": low,
                    "server_embodied_kgco2e": nearest["embodied_kgco2e"], "server_embodied_high_kgco2e": high,
                    "server_accelerators": nearest["accelerators_per_server"],
                    "server_embodied_method": (
                        f"published server LCA of the nearest generation: {nearest['server']} "
                        f"({nearest['embodied_kgco2e']:,.0f} kg, {nearest['source']}); range the published "
                        f"server LCAs ({low:,.0f}-{high:,.0f} kg)")})
    frame = pl.DataFrame(out, schema={"canonical_name": pl.String, "server_embodied_low_kgco2e": pl.Float64,
                                      "server_embodied_kgco2e": pl.Float64, "server_embodied_high_kgco2e": pl.Float64,
                                      "server_accelerators": pl.Int64, "server_embodied_method": pl.String})
    return accelerators.join(frame, on="canonical_name", how="left")
