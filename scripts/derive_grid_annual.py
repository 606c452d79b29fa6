"""Derive the bundled annual grid files from OWID's energy dataset (CC BY 4.0).

    python scripts/derive_grid_annual.py --owid <owid energy CSV> --out data/grid

Runs the same OWID importer the warehouse uses, then writes the warehouse's own compact format:
one intensity row per country and year, and the generation mix in long format (fuel, share).
A provenance record: the build reads the CSVs, not this script.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import polars as pl

from ingestion.sources.grid.owid import parse_owid_energy
from ingestion.sources.grid.reference import GridReference


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--owid", required=True, type=Path)
    parser.add_argument("--out", default=Path("data/grid"), type=Path)
    args = parser.parse_args()
    reference = GridReference.load(args.out / "countries.csv", args.out / "fuels.csv")
    result = parse_owid_energy(args.owid, reference=reference, load_id="derive")
    # Incomplete mixes (a vintage gap in the source) are left out of the bundled file; the rest
    # must be clean.
    incomplete = result.rejected.filter(result.rejected["reason"].str.contains("mix sums to"))
    if result.rejected.height > incomplete.height:
        raise SystemExit("\n".join(result.messages))
    print(f"left out {incomplete['record_name'].n_unique()} incomplete zone-year mixes: "
          f"{', '.join(sorted(set(incomplete['record_name'])))}")
    keep = ["zone_id", "year", "gco2e_per_kwh", "basis", "generation_twh", "source", "source_url",
            "vintage", "licence"]
    result.intensity.select(keep).sort("zone_id", "year").write_csv(args.out / "annual_intensity.csv")
    mix_keep = ["zone_id", "year", "fuel", "share_pct", "source", "vintage", "licence"]
    # Zero shares are left out (a fuel absent from a mix): it keeps the file small, and sums,
    # intensities and water figures are the same without them.
    mix = result.mix.with_columns(share_pct=result.mix["share_pct"].round(4)).filter(pl.col("share_pct") > 0)
    mix = mix.select(mix_keep)
    mix.sort("zone_id", "year", "fuel").write_csv(args.out / "annual_generation_mix.csv")
    print(f"{result.intensity.height} intensity rows, {result.intensity['zone_id'].n_unique()} zones; "
          f"{result.mix.height} mix rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
