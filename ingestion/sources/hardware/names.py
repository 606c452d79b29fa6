"""Resolve the many spellings of an accelerator to one canonical catalog name.

`nvidia-smi` prints "NVIDIA A100-SXM4-80GB", papers write "A100 80GB SXM", Epoch writes
"NVIDIA A100 SXM4 80 GB": all reduce to the same order-free token key.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

# Words that brand or decorate a name without telling two accelerators apart.
_NOISE = {
    "nvidia", "tesla", "geforce", "amd", "radeon", "instinct", "google", "intel", "habana",
    "aws", "amazon", "hbm2", "hbm2e", "hbm3", "hbm3e", "generation", "gpu", "chip", "graphics",
    "card", "accelerator", "the",
}
# Interface generations that do not change the part (SXM2/3/4/5 are all "SXM" boards).
_SYNONYMS = {"sxm2": "sxm", "sxm3": "sxm", "sxm4": "sxm", "sxm5": "sxm", "pcie4": "pcie",
             "pcie5": "pcie", "pci": "pcie"}


def name_key(name: str) -> str:
    """Order-free key of a name: lower case, memory sizes joined ("80 GB" -> "80gb"), noise dropped."""
    text = re.sub(r"(\d+)\s*gb\b", r"\1gb", name.lower())
    tokens = {_SYNONYMS.get(t, t) for t in re.split(r"[^a-z0-9]+", text) if t}
    return " ".join(sorted(tokens - _NOISE))


class UnknownAcceleratorError(LookupError):
    """No catalog entry matches; the message lists the closest known names."""


class AmbiguousAcceleratorError(LookupError):
    """Several catalog entries match; the message lists them."""


class AcceleratorResolver:
    """Maps any known spelling (canonical name or alias) to its canonical name."""

    def __init__(self, entries: Iterable[tuple[str, Iterable[str]]]):
        self._by_key: dict[str, set[str]] = {}
        self._names: dict[str, str] = {}  # display spelling -> canonical
        for canonical, aliases in entries:
            for spelling in [canonical, *aliases]:
                if spelling and spelling.strip():
                    self._by_key.setdefault(name_key(spelling), set()).add(canonical)
                    self._names[spelling.strip()] = canonical

    @classmethod
    def from_rows(cls, rows: Iterable[dict]) -> AcceleratorResolver:
        """Build from catalog rows with `canonical_name` and `|`-separated `aliases`."""
        return cls(
            (r["canonical_name"], (r.get("aliases") or "").split("|")) for r in rows
        )

    @property
    def canonical_names(self) -> list[str]:
        return sorted(set(self._names.values()))

    def alternatives(self, name: str, canonical: str) -> list[str]:
        """Other parts whose names contain every word of `name`: a name that resolves by an alias
        ("H100" -> the SXM5 board) is a default among them, and must say so."""
        tokens = set(name_key(name).split())
        return sorted({c for k, cs in self._by_key.items() if tokens and tokens < set(k.split())
                       for c in cs} - {canonical})

    def resolve_explained(self, name: str) -> tuple[str, str | None]:
        """The canonical name, and a note when it was a default among several parts."""
        canonical = self.resolve(name)
        others = self.alternatives(name, canonical)
        if not others:
            return canonical, None
        return canonical, (f"{name!r} is taken as {canonical} (the default for that name); also in the catalog: "
                           f"{', '.join(others)}: name one of them to choose it")

    def resolve(self, name: str) -> str:
        key = name_key(name)
        exact = self._by_key.get(key, set())
        if len(exact) == 1:
            return next(iter(exact))
        if len(exact) > 1:
            raise AmbiguousAcceleratorError(
                f"accelerator {name!r} matches several catalog entries: {', '.join(sorted(exact))}; "
                "use one of these names"
            )
        # A name that is part of longer names ("A100", "RTX 2080" within "RTX 2080 Ti") is never
        # completed silently: the missing word may be the one that tells two parts apart.
        tokens = set(key.split())
        partial = {c for k, cs in self._by_key.items() if tokens and tokens < set(k.split()) for c in cs}
        if len(partial) > 1:
            raise AmbiguousAcceleratorError(
                f"accelerator {name!r} is ambiguous; it could be {', '.join(sorted(partial))}; "
                "add the memory size or form factor (for example 'SXM 80GB')"
            )
        close = difflib.get_close_matches(name.strip(), list(self._names), n=5, cutoff=0.4)
        close_keys = difflib.get_close_matches(key, list(self._by_key), n=5, cutoff=0.4)
        suggestions = list(dict.fromkeys(
            sorted(partial) + [self._names[c] for c in close]
            + [c for k in close_keys for c in sorted(self._by_key[k])]
        ))[:5]
        hint = f"closest known: {', '.join(suggestions)}" if suggestions else "no similar name is known"
        raise UnknownAcceleratorError(
            f"unknown accelerator {name!r}; {hint}. Add it to data/hardware/accelerators.csv "
            "(or as an alias of an existing row) if it is missing"
        )
