import pytest

from ingestion.sources.grid.mix_intensity import read_factors
from ingestion.sources.grid.reference import GridReference
from tests.conftest import DATA


@pytest.fixture(scope="session")
def reference() -> GridReference:
    return GridReference.from_folder(DATA / "grid")


@pytest.fixture(scope="session")
def factors():
    return read_factors(DATA / "grid/emission_factors.csv")
