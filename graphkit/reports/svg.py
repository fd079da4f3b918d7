"""Two small inline-SVG charts, so reports stay self-contained with no plotting dependency."""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

__all__ = ["bar_chart", "loglog_scatter"]

_W, _H, _PAD = 640, 320, 48


def _frame(title: str, xlabel: str, ylabel: str, body: list[str]) -> str:
    return "\n".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_W} {_H}" width="{_W}" height="{_H}" role="img">',
        f"<title>{escape(title)}</title>",
        f'<text x="{_W / 2}" y="18" text-anchor="middle" font-size="14">{escape(title)}</text>',
        f'<line x1="{_PAD}" y1="{_H - _PAD}" x2="{_W - 10}" y2="{_H - _PAD}" stroke="#333"/>',
        f'<line x1="{_PAD}" y1="{_H - _PAD}" x2="{_PAD}" y2="28" stroke="#333"/>',
        f'<text x="{_W / 2}" y="{_H - 8}" text-anchor="middle" font-size="12">{escape(xlabel)}</text>',
        f'<text x="14" y="{_H / 2}" text-anchor="middle" font-size="12" transform="rotate(-90 14 {_H / 2})">'
        f"{escape(ylabel)}</text>",
        *body,
        "</svg>",
    ])


def bar_chart(labels: Sequence[str], values: Sequence[float], *, title: str, xlabel: str, ylabel: str) -> str:
    """Vertical bars, one per label.

    >>> bar_chart(["a", "b"], [3, 1], title="t", xlabel="x", ylabel="y").count("<rect")
    2
    """
    top = max(values, default=0) or 1
    n = max(len(values), 1)
    width = (_W - _PAD - 20) / n
    body = [f'<text x="{_PAD - 4}" y="32" text-anchor="end" font-size="10">{top:g}</text>']
    for i, (label, value) in enumerate(zip(labels, values)):
        h = (_H - _PAD - 30) * value / top
        x = _PAD + 4 + i * width
        body.append(
            f'<rect x="{x:.1f}" y="{_H - _PAD - h:.1f}" width="{max(width - 2, 1):.1f}" height="{h:.1f}" '
            f'fill="#4a7ab5"><title>{escape(str(label))}: {value:g}</title></rect>'
        )
        if n <= 30:
            body.append(f'<text x="{x + width / 2:.1f}" y="{_H - _PAD + 12}" text-anchor="middle" '
                        f'font-size="9">{escape(str(label))}</text>')
    return _frame(title, xlabel, ylabel, body)


def loglog_scatter(x: Sequence[float], y: Sequence[float], *, title: str, xlabel: str, ylabel: str) -> str:
    """Points on log-log axes (non-positive values are left out).

    >>> loglog_scatter([1, 10, 100], [100, 10, 1], title="t", xlabel="x", ylabel="y").count("<circle")
    3
    """
    pts = [(math.log10(a), math.log10(b)) for a, b in zip(x, y) if a > 0 and b > 0]
    if not pts:
        return _frame(title, xlabel, ylabel, [])
    x0, x1 = min(p[0] for p in pts), max(p[0] for p in pts)
    y0, y1 = min(p[1] for p in pts), max(p[1] for p in pts)
    sx = (_W - _PAD - 30) / ((x1 - x0) or 1)
    sy = (_H - _PAD - 40) / ((y1 - y0) or 1)
    body = [
        f'<text x="{_PAD}" y="{_H - _PAD + 12}" font-size="10">{10 ** x0:g}</text>',
        f'<text x="{_W - 20}" y="{_H - _PAD + 12}" text-anchor="end" font-size="10">{10 ** x1:g}</text>',
        f'<text x="{_PAD - 4}" y="{_H - _PAD}" text-anchor="end" font-size="10">{10 ** y0:g}</text>',
        f'<text x="{_PAD - 4}" y="36" text-anchor="end" font-size="10">{10 ** y1:g}</text>',
    ]
    for a, b in pts:
        body.append(f'<circle cx="{_PAD + 10 + (a - x0) * sx:.1f}" cy="{_H - _PAD - 6 - (b - y0) * sy:.1f}" '
                    f'r="2.5" fill="#c0504d" fill-opacity="0.7"/>')
    return _frame(title, xlabel, ylabel, body)
