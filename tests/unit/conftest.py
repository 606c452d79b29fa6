import polars as pl
import pytest

from ingestion.sources.grid.mix_intensity import read_factors
from ingestion.sources.grid.reference import GridReference
from ingestion.sources.hardware.catalog import read_csv_records
from ingestion.sources.hardware.names import AcceleratorResolver
from ingestion.places import Places, places_from_frames
from tests.conftest import DATA


@pytest.fixture(scope="session")
def reference() -> GridReference:
    return GridReference.from_folder(DATA / "grid")


@pytest.fixture(scope="session")
def factors():
    return read_factors(DATA / "grid/emission_factors.csv")


@pytest.fixture(scope="session")
def resolver() -> AcceleratorResolver:
    """Every name and alias of the bundled accelerator catalog."""
    return AcceleratorResolver.from_rows(read_csv_records(DATA / "hardware/accelerators.csv"))


@pytest.fixture(scope="session")
def places() -> Places:
    """The cloud regions, grid zones and countries a workload or log may name."""
    return places_from_frames(pl.read_csv(DATA / "grid/cloud_regions.csv"), pl.read_csv(DATA / "grid/zones.csv"),
                              pl.read_csv(DATA / "grid/countries.csv"))
