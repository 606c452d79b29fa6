"""Two chart shapes as inline SVG, so the report opens offline with no script and no CDN."""

from __future__ import annotations

import math
from html import escape

PALETTE = ("#1b6ca8", "#d1495b", "#edae49", "#00798c", "#66a182", "#8d6a9f", "#30638e", "#a36d5f")


def _ticks(low: float, high: float, log: bool) -> list[float]:
    if log:
        return [10.0 ** e for e in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1)]
    step = 10 ** math.floor(math.log10((high - low) or 1))
    if (high - low) / step < 4:
        step /= 2
    first = math.floor(low / step) * step
    return [first + i * step for i in range(int((high - first) / step) + 2) if first + i * step <= high * 1.0001]


def _fmt(value: float) -> str:
    if value == 0:
        return "0"
    if abs(value) >= 1e6 or abs(value) < 1e-2:
        return f"{value:.0e}".replace("e+0", "e").replace("e-0", "e-")
    return f"{value:,.0f}" if abs(value) >= 10 else f"{value:g}"


def ranged_bars(rows: list[dict], *, title: str, unit: str, log: bool = True, highlight=None) -> str:
    """Horizontal bars of `central` with a low-high whisker, one per row (label, low, central, high)."""
    rows = [r for r in rows if r["central"] and r["central"] > 0]
    if not rows:
        return f"<p>{escape(title)}: no data.</p>"
    width, label_w, bar_h = 860, 260, 22
    height = 40 + bar_h * len(rows) + 30
    values = [v for r in rows for v in (r.get("low") or r["central"], r.get("high") or r["central"]) if v and v > 0]
    low, high = min(values), max(values)
    low, high = (low / 1.5, high * 1.5) if log else (0, high * 1.05)

    def x(value: float) -> float:
        if log:
            return label_w + (math.log10(value) - math.log10(low)) / (math.log10(high) - math.log10(low)) * (
                width - label_w - 20)
        return label_w + (value - low) / (high - low) * (width - label_w - 20)

    out = [f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" aria-label="{escape(title)}">',
           f'<text x="0" y="16" class="t">{escape(title)}</text>']
    for tick in _ticks(low, high, log):
        if low <= tick <= high:
            out.append(f'<line x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="28" y2="{height - 24}" class="g"/>'
                       f'<text x="{x(tick):.1f}" y="{height - 8}" class="a" text-anchor="middle">{_fmt(tick)}</text>')
    for i, row in enumerate(rows):
        y = 32 + i * bar_h
        color = PALETTE[1] if highlight and highlight(row) else PALETTE[0]
        out.append(f'<text x="{label_w - 8}" y="{y + 15}" class="l" text-anchor="end">{escape(row["label"])}</text>')
        out.append(f'<rect x="{label_w}" y="{y + 4}" width="{max(x(row["central"]) - label_w, 1):.1f}" '
                   f'height="{bar_h - 8}" fill="{color}"><title>{escape(row["label"])}: '
                   f'{_fmt(row["central"])} {escape(unit)}</title></rect>')
        lo, hi = row.get("low") or row["central"], row.get("high") or row["central"]
        if hi > lo > 0:
            out.append(f'<line x1="{x(lo):.1f}" x2="{x(hi):.1f}" y1="{y + 11}" y2="{y + 11}" class="w"/>'
                       f'<line x1="{x(lo):.1f}" x2="{x(lo):.1f}" y1="{y + 6}" y2="{y + 16}" class="w"/>'
                       f'<line x1="{x(hi):.1f}" x2="{x(hi):.1f}" y1="{y + 6}" y2="{y + 16}" class="w"/>')
    out.append(f'<text x="{width - 20}" y="{height - 8}" class="a" text-anchor="end">{escape(unit)}'
               f'{" (log scale)" if log else ""}</text></svg>')
    return "\n".join(out)


def lines(series: dict[str, list[float]], *, title: str, unit: str, x_label: str) -> str:
    """One line per series over its own index (hours from the series' start)."""
    series = {k: v for k, v in series.items() if v}
    if not series:
        return f"<p>{escape(title)}: no data.</p>"
    width, height, left, bottom = 860, 300, 60, 40
    longest = max(len(v) for v in series.values())
    top = max(max(v) for v in series.values()) * 1.1

    def px(i: int) -> float:
        return left + i / max(longest - 1, 1) * (width - left - 170)

    def py(value: float) -> float:
        return height - bottom - value / top * (height - bottom - 30)

    out = [f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" aria-label="{escape(title)}">',
           f'<text x="0" y="16" class="t">{escape(title)}</text>']
    for tick in _ticks(0, top, False):
        out.append(f'<line x1="{left}" x2="{width - 170}" y1="{py(tick):.1f}" y2="{py(tick):.1f}" class="g"/>'
                   f'<text x="{left - 6}" y="{py(tick) + 4:.1f}" class="a" text-anchor="end">{_fmt(tick)}</text>')
    for n, (name, values) in enumerate(series.items()):
        color = PALETTE[n % len(PALETTE)]
        points = " ".join(f"{px(i):.1f},{py(v):.1f}" for i, v in enumerate(values))
        out.append(f'<polyline points="{points}" fill="none" stroke="{color}" stroke-width="2">'
                   f'<title>{escape(name)}</title></polyline>')
        out.append(f'<text x="{width - 160}" y="{40 + 18 * n}" class="l" fill="{color}">{escape(name)}</text>')
    out.append(f'<text x="{left}" y="{height - 8}" class="a">{escape(x_label)}</text>'
               f'<text x="{width - 170}" y="{height - 8}" class="a" text-anchor="end">{escape(unit)}</text></svg>')
    return "\n".join(out)
