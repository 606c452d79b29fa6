"""Numbers as people read them: significant figures with thousands separators, never scientific
notation (a report that prints `8.94e+03` or `7e+05` makes its reader do the arithmetic); durations in
hours, days, months or years; shares in per cent."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

HOURS_PER_DAY, DAYS_PER_MONTH, DAYS_PER_YEAR = 24, 365.25 / 12, 365.25


def human(value: float | None, sig: int = 3) -> str:
    """`value` to `sig` significant figures: 8,940; 1,290; 0.0263; 2.5 billion above a billion."""
    if value is None:
        return ""
    value = float(value)  # an int or a DECIMAL column as well (repr(Decimal) is not a number)
    if math.isnan(value):
        return ""
    if value == 0:
        return "0"
    if abs(value) >= 1e9:
        return f"{human(value / 1e9, sig)} billion"
    exponent = math.floor(math.log10(abs(value)))
    # half up, as people round (91.25 -> 91.3), on the decimal the float prints as
    rounded = float(Decimal(repr(value)).quantize(Decimal(1).scaleb(exponent - sig + 1), rounding=ROUND_HALF_UP))
    decimals = max(0, sig - 1 - math.floor(math.log10(abs(rounded))))
    text = f"{rounded:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def duration(days: float | None) -> str:
    """A span of `days` in the unit that reads best: 5 hours, 21 days, 7 months, 471 years."""
    if days is None:
        return ""
    if days < 1:
        return _count(days * HOURS_PER_DAY, "hour")
    if days < 2 * DAYS_PER_MONTH:
        return _count(days, "day")
    if days < 2 * DAYS_PER_YEAR:
        return _count(days / DAYS_PER_MONTH, "month")
    return _count(days / DAYS_PER_YEAR, "year")


def _count(amount: float, unit: str) -> str:
    text = human(amount, 2 if amount < 100 else 3)
    return f"{text} {unit}" + ("" if text == "1" else "s")


def share(value: float | None, decimals: int = 1) -> str:
    return "" if value is None else f"{100 * value:.{decimals}f} %"


def spread(low: float | None, central: float | None, high: float | None, unit: str = "") -> str:
    """central (low–high) unit, the range left out where it is one value."""
    text = human(central)
    if low is not None and high is not None and human(low) != human(high):
        text += f" ({human(low)}–{human(high)})"
    return f"{text} {unit}".strip()
