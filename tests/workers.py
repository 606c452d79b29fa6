"""How `make test` splits the suite over two pytest-xdist workers (pyproject.toml: -n auto).

One worker runs the modules whose tests start from the run's one build of the bundled data
(tests/bundled_build.py), which it builds first; the other runs everything else, then the crash test
and the bad-catalog-rows tests: those start from the bundled build too, which by then is built. Each half
takes about the same time on two cores. xdist's own `xdist_group` marks would say this, but pytest 9.2's
structured node ids make xdist ignore them silently (pytest-dev/pytest-xdist#1386), hence a scheduler of our own.
"""

from __future__ import annotations

from xdist.scheduler import LoadScopeScheduling

BUNDLED_BUILD_MODULES = frozenset({
    "tests/integration/test_build_warehouse.py",
    "tests/integration/test_exports.py",
    "tests/integration/test_incremental_refresh.py",
    "tests/integration/test_report_in_browser.py",
    "tests/spark/test_spark_marts.py",
})
# Start from the bundled build too, on the other worker after its other tests (which balances the halves).
LAST_MODULES = frozenset({"tests/e2e/test_crash_recovery.py", "tests/integration/test_bad_catalog_rows.py"})


def module_of(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


class TwoHalves(LoadScopeScheduling):
    """Two work units: the bundled build's modules, and the rest."""

    def _split_scope(self, nodeid: str) -> str:
        return "bundled_build" if module_of(nodeid) in BUNDLED_BUILD_MODULES else "the_rest"


def check_and_order(items: list) -> None:
    """Every test that asks for the bundled build is in one of the modules above, so the halves stay
    balanced when tests are added; the last modules go last."""
    strays = sorted({module_of(item.nodeid) for item in items
                     if "bundled_build" in getattr(item, "fixturenames", ())}
                    - BUNDLED_BUILD_MODULES - LAST_MODULES)
    if strays:
        raise RuntimeError(f"{strays} use the bundled_build fixture: add them to BUNDLED_BUILD_MODULES "
                           f"(or LAST_MODULES) in tests/workers.py, so that they run where it is built")
    items.sort(key=lambda item: module_of(item.nodeid) in LAST_MODULES)
