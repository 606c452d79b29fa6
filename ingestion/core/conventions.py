"""Published accounting conventions a workload can select with `convention:`.

The warehouse's own accounting is `warehouse`. The others reproduce a published source as it was
computed, including its choices we would not make (Li et al. apply PUE on top of an energy that
already includes it). Each convention is described in the mart (`convention`, `power_basis`,
`pue_source`) so a reader sees which figures follow a source's rules.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Convention:
    name: str
    summary: str
    power_is_tdp: bool = False  # accelerator-hours x the catalog TDP, no measured power, no range
    pue_is_one: bool = False  # PUE fixed at 1.0 (excluded, or folded into an implied factor)
    needs_measured_power: bool = False
    needs_energy: bool = False
    given_energy_is_it: bool = False  # energy_kwh is the base of both water terms, whatever its basis


CONVENTIONS = {c.name: c for c in (
    Convention("warehouse",
               "IT energy x PUE = facility energy; location-based carbon = facility energy x intensity; on-site "
               "water = IT energy x WUE; off-site water = facility energy x EWIF; an energy given with "
               "energy_basis: facility is divided by the PUE to get IT energy"),
    Convention("patterson2021",
               "Patterson et al. 2021: measured average system power per accelerator (host share included) x "
               "hours x PUE x the grid factor; the reported energy is facility energy",
               needs_measured_power=True),
    Convention("meta-model-card",
               "Meta Llama model cards: GPU-hours x TDP x one implied factor per release; PUE is not applied "
               "(folded into the factor); market-based figures from Llama 3.1 on",
               power_is_tdp=True, pue_is_one=True),
    Convention("luccioni2022-dynamic",
               "Luccioni et al. 2022 (BLOOM) dynamic consumption: GPU-hours x TDP, PUE and idle excluded",
               power_is_tdp=True, pue_is_one=True),
    Convention("li2023",
               "Li et al. 2023 (Making AI Less Thirsty): the source's energy E (facility energy, PUE included) "
               "is the base of both terms: on-site = E x WUE, off-site = E x PUE x EWIF (PUE applied again, as "
               "published)",
               needs_energy=True, given_energy_is_it=True),
)}
