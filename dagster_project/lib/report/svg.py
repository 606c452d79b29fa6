"""Two chart shapes as inline SVG, so the report opens offline with no script and no CDN.

Each chart is laid out in rows from the top: its title (the finding, wrapped), its legend (where colour
or a line means something), the plot, the tick labels and the axis title under them. Text widths are
estimated from the character count (a generous em fraction, so labels fit in wide fallback fonts);
tests/e2e/test_report_in_browser.py checks the rendered layout in Chromium: no text overlaps
another or leaves its chart.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from dagster_project.lib.report.numbers import DAYS_PER_MONTH, DAYS_PER_YEAR, duration, human

PALETTE = ("#1b6ca8", "#d1495b", "#edae49", "#00798c", "#66a182", "#8d6a9f", "#30638e", "#a36d5f")
WIDTH, TITLE_PX, LABEL_PX, AXIS_PX = 860, 14, 12, 11


def text_width(text: str, px: int, bold: bool = False) -> float:
    return len(text) * px * (0.66 if bold else 0.6)


def _wrap(text: str, px: int, width: float) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and text_width(candidate, px, bold=True) > width:
            lines.append(line)
            candidate = word
        line = candidate
    return [*lines, line]


def _truncate(text: str, px: int, width: float) -> str:
    if text_width(text, px) <= width:
        return text
    keep = max(int(width / (px * 0.6)) - 1, 1)
    return text[:keep] + "…"


@dataclass
class Axis:
    """Maps values to pixels between `left` and `right` on a linear or log scale, with ticks."""

    low: float
    high: float
    left: float
    right: float
    log: bool
    fmt: Callable[[float], str] = human

    def x(self, value: float) -> float:
        if self.log:
            share = (math.log10(value) - math.log10(self.low)) / (math.log10(self.high) - math.log10(self.low))
        else:
            share = (value - self.low) / ((self.high - self.low) or 1)
        return self.left + share * (self.right - self.left)

    def ticks(self, candidates: list[float] | None = None, data: tuple[float, float] | None = None) -> list[float]:
        """Every candidate whose label keeps 8 px from the next; else only those within the `data`
        range (the padding's ticks go first); else every k-th, the smallest k that fits (even
        spacing, no gaps)."""
        if candidates is None:
            candidates = _log_ticks(self.low, self.high) if self.log else _linear_ticks(self.low, self.high)
        within = [t for t in candidates if data and data[0] <= t <= data[1]]
        for kept in [candidates, *([within] if len(within) >= 4 else []),
                     *(candidates[::k] for k in range(2, len(candidates) + 1))]:
            spans = [(self.x(t) - half, self.x(t) + half) for t in kept
                     for half in [text_width(self.fmt(t), AXIS_PX) / 2]]
            apart = all(b[0] - a[1] >= 8 for a, b in zip(spans, spans[1:], strict=False))
            if apart and all(0 <= a and b <= WIDTH for a, b in spans):
                return kept
        return candidates[:1]


def _linear_ticks(low: float, high: float) -> list[float]:
    step = 10 ** math.floor(math.log10((high - low) or 1))
    while (high - low) / step < 4:
        step /= 2
    first = math.ceil(low / step) * step
    return [first + i * step for i in range(int((high - first) / step) + 1)]


def _log_ticks(low: float, high: float) -> list[float]:
    decades = range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1)
    steps = (1,) if len(decades) > 4 else (1, 2, 5)  # at least four ticks on a short log axis
    return [m * 10.0 ** e for e in decades for m in steps if low <= m * 10.0 ** e <= high]


SPANS = {1 / 24: "1 hour", 1: "1 day", 7: "1 week", DAYS_PER_MONTH: "1 month", DAYS_PER_YEAR: "1 year",
         **{DAYS_PER_YEAR * 10 ** e: f"{10 ** e:,} years" for e in range(1, 8)}}


def span_label(days: float) -> str:
    return SPANS.get(days) or duration(days)


class Chart:
    """An SVG under construction: a title at the top, then rows added downwards."""

    def __init__(self, title: str):
        self.parts: list[str] = []
        self.title, self.y = title, 0.0
        for line in _wrap(title, TITLE_PX, WIDTH):
            self.y += TITLE_PX + 4
            self.parts.append(f'<text x="0" y="{self.y:.0f}" class="title">{escape(line)}</text>')
        self.y += 6

    def text(self, x: float, y: float, text: str, cls: str, anchor: str = "start", full: str | None = None):
        tip = f"<title>{escape(full)}</title>" if full and full != text else ""
        self.parts.append(f'<text x="{x:.1f}" y="{y:.1f}" class="{cls}" text-anchor="{anchor}">{tip}'
                          f'{escape(text)}</text>')

    def legend(self, items: list[tuple[str, str]]) -> None:
        """One row of swatches: (colour, label); a colour "dashed" draws a dashed line instead."""
        if not items:
            return
        x, y = 0.0, self.y + LABEL_PX
        for colour, label in items:
            width = 16 + text_width(label, LABEL_PX) + 18
            if x and x + width > WIDTH:
                x, y = 0.0, y + LABEL_PX + 6
            if colour == "dashed":
                self.parts.append(f'<line x1="{x:.1f}" x2="{x + 12:.1f}" y1="{y - 4:.1f}" y2="{y - 4:.1f}" '
                                  f'class="ref"/>')
            else:
                self.parts.append(f'<rect x="{x:.1f}" y="{y - 10:.1f}" width="12" height="10" fill="{colour}" '
                                  f'class="swatch"/>')
            self.text(x + 16, y, label, "legend")
            x += width
        self.y = y + 10

    def svg(self) -> str:
        return (f'<svg viewBox="0 0 {WIDTH} {self.y:.0f}" width="100%" role="img" aria-label="{escape(self.title)}" '
                f'class="chart">\n' + "\n".join(self.parts) + "\n</svg>")


@dataclass
class Bar:
    label: str
    central: float
    low: float | None = None
    high: float | None = None
    group: str | None = None  # the legend entry its colour stands for


def bars(rows: list[Bar], *, title: str, axis_title: str, log: bool = True, groups: list[str] | None = None,
         value: Callable[[Bar], str] | None = None, reference: tuple[float, str] | None = None,
         in_days: bool = False) -> str:
    """Horizontal bars of `central` with a low-high whisker where the row has a range; the value printed
    after each bar; colours by `group`, named in the legend; `reference` a dashed line (value, legend
    label). `in_days`: values are days, the axis ticks named spans (a month, 10 years)."""
    rows = [r for r in rows if r.central and r.central > 0]
    if not rows:
        return f"<p>{escape(title)}: no data.</p>"
    value = value or (lambda r: human(r.central))
    groups = groups or sorted({r.group for r in rows if r.group})
    colour = {g: PALETTE[i % len(PALETTE)] for i, g in enumerate(groups)}
    chart = Chart(title)
    chart.legend([(colour[g], g) for g in groups if len(groups) > 1]
                 + ([("dashed", reference[1])] if reference else []))
    label_w = min(max(text_width(r.label, LABEL_PX) for r in rows) + 10, 390)
    value_w = max(text_width(value(r), LABEL_PX) for r in rows) + 12
    ends = [v for r in rows for v in (r.low, r.central, r.high, reference and reference[0]) if v and v > 0]
    data = min(ends), max(ends)
    low, high = (data[0] / 1.6, data[1] * 1.6) if log else (0.0, data[1] * 1.05)
    axis = Axis(low, high, label_w, WIDTH - value_w, log, fmt=span_label if in_days else human)
    bar_h, top = 22, chart.y + 4
    bottom = top + bar_h * len(rows)
    ticks = axis.ticks([t for t in SPANS if low <= t <= high] if in_days else None, data)
    for tick in ticks:
        chart.parts.append(f'<line x1="{axis.x(tick):.1f}" x2="{axis.x(tick):.1f}" y1="{top:.1f}" '
                           f'y2="{bottom:.1f}" class="grid"/>')
        chart.text(axis.x(tick), bottom + 14, axis.fmt(tick), "tick", "middle")
    for i, row in enumerate(rows):
        y = top + i * bar_h
        fill = colour.get(row.group, PALETTE[0])
        chart.text(label_w - 8, y + 15, _truncate(row.label, LABEL_PX, label_w - 10), "label", "end", full=row.label)
        end = axis.x(row.central)
        chart.parts.append(f'<rect x="{label_w}" y="{y + 4:.1f}" width="{max(end - label_w, 1):.1f}" '
                           f'height="{bar_h - 8}" fill="{fill}"><title>{escape(row.label)}: {escape(value(row))}'
                           f'</title></rect>')
        if row.low and row.high and row.high > row.low > 0:
            lo, hi = axis.x(row.low), axis.x(row.high)
            chart.parts.append(f'<path d="M{lo:.1f} {y + 11:.1f}H{hi:.1f}M{lo:.1f} {y + 6:.1f}V{y + 16:.1f}'
                               f'M{hi:.1f} {y + 6:.1f}V{y + 16:.1f}" class="whisker"/>')
            end = max(end, hi)
        chart.text(end + 5, y + 15, value(row), "value")
    if reference:
        x = axis.x(reference[0])
        chart.parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 2:.1f}" y2="{bottom:.1f}" class="ref"/>')
    chart.y = bottom + 20
    chart.text((label_w + axis.right) / 2, chart.y + 12, axis_title + (", log scale" if log else ""), "axis-title",
               "middle")
    chart.y += 20
    return chart.svg()


def lines(series: dict[str, list[float]], *, title: str, x_title: str, y_title: str) -> str:
    """One line per series over its own index (hours from the series' start), a legend naming each."""
    series = {k: v for k, v in series.items() if v}
    if not series:
        return f"<p>{escape(title)}: no data.</p>"
    chart = Chart(title)
    chart.legend([(PALETTE[i % len(PALETTE)], name) for i, name in enumerate(series)])
    chart.text(0, chart.y + 12, y_title, "axis-title")
    longest, top_value = max(len(v) for v in series.values()), max(max(v) for v in series.values()) * 1.1
    top, height = chart.y + 24, 240
    y_axis = Axis(0, top_value, top + height, top, log=False)  # pixels run upwards
    left = max(text_width(human(t), AXIS_PX) for t in _linear_ticks(0, top_value)) + 10
    x_axis = Axis(0, max(longest - 1, 1), left, WIDTH - 10, log=False)
    for tick in _linear_ticks(0, top_value):
        chart.parts.append(f'<line x1="{left}" x2="{WIDTH - 10}" y1="{y_axis.x(tick):.1f}" y2="{y_axis.x(tick):.1f}" '
                           f'class="grid"/>')
        chart.text(left - 6, y_axis.x(tick) + 4, human(tick), "tick", "end")
    for tick in x_axis.ticks():
        chart.text(x_axis.x(tick), top + height + 14, human(tick), "tick", "middle")
    for i, (name, values) in enumerate(series.items()):
        points = " ".join(f"{x_axis.x(j):.1f},{y_axis.x(v):.1f}" for j, v in enumerate(values))
        chart.parts.append(f'<polyline points="{points}" fill="none" stroke="{PALETTE[i % len(PALETTE)]}" '
                           f'stroke-width="2"><title>{escape(name)}</title></polyline>')
    chart.y = top + height + 20
    chart.text((left + WIDTH - 10) / 2, chart.y + 12, x_title, "axis-title", "middle")
    chart.y += 20
    return chart.svg()

