"""Everything that lands in raw.hardware_accelerators: the bundled catalog plus user imports."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from ingestion.files import load_id_of
from ingestion.quarantine import ParseResult, Rejection, rejections_frame
from ingestion.sources.hardware.catalog import parse_catalog, read_vendors
from ingestion.sources.hardware.imports import parse_upstream, reconcile


@dataclass(frozen=True)
class HardwareInputs:
    catalog: Path  # data/hardware/accelerators.csv
    vendors: Path  # data/hardware/vendors.csv
    imports_dir: Path  # data/hardware/imports/: upstream tables users drop in

    def import_files(self) -> list[Path]:
        if not self.imports_dir.is_dir():
            return []
        return sorted(p for p in self.imports_dir.iterdir() if p.suffix.lower() == ".csv")

    def files(self) -> list[Path]:
        return [self.catalog, self.vendors, *self.import_files()]

    def load_id(self) -> str:
        return load_id_of(self.files())


def load_accelerators(inputs: HardwareInputs) -> ParseResult:
    vendors = read_vendors(inputs.vendors)
    load_id = inputs.load_id()
    result = parse_catalog(inputs.catalog, known_vendors=vendors, load_id=load_id)
    rows, rejected = [result.rows], [result.rejected]
    for path in inputs.import_files():
        try:
            parsed = parse_upstream(path, known_vendors=vendors, load_id=load_id)
        except ValueError as error:  # unknown format or undecodable bytes: the file is rejected, the others load
            rejected.append(rejections_frame([Rejection(path.name, 0, None, "(file)", None, str(error),
                                                        "save it as UTF-8 CSV in one of the formats of "
                                                        "data/hardware/imports/README.md")]))
            continue
        imported = reconcile(parsed, pl.concat(rows))
        rows.append(imported.rows)
        rejected.append(imported.rejected)
    return ParseResult(pl.concat(rows), pl.concat(rejected))
