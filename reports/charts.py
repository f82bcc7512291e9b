"""Charts drawn on the server as SVG, so the page and the PDF show the same picture and no
script is needed. Only attributes, no inline style: the Content-Security-Policy forbids it."""

from decimal import Decimal

from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe

PALETTE = ("#a4161a", "#e5383b", "#ba181b", "#f4a261", "#2a9d8f", "#264653", "#6c757d", "#e9c46a")
FONT = 'font-family="Noto Sans SC, WenQuanYi Micro Hei, sans-serif"'


def _number(value) -> str:
    if isinstance(value, Decimal | float):
        return f"{value:,.2f}"
    return f"{value:,}"


def _compact(value) -> str:
    """A column's label where twelve stand side by side: from 100,000 on, 927.8万 (in English
    105k or 9.28M); the exact figure is the column's tooltip."""
    amount = float(value)
    if abs(amount) < 100_000:
        return _number(value)
    if not (translation.get_language() or "").startswith("en"):
        return f"{amount / 10_000:,.1f}万"
    if abs(amount) < 1_000_000:
        return f"{amount / 1_000:,.0f}k"
    return f"{amount / 1_000_000:,.2f}M"


def bar_chart(items, *, width=560, bar_height=22, label_width=150, unit="") -> str:
    """Horizontal bars, one per (label, value)."""
    items = [(str(label), value) for label, value in items]
    largest = max((float(v) for _label, v in items), default=0) or 1
    height = max(bar_height, len(items) * (bar_height + 8)) + 8
    room = width - label_width - 110
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" class="chart" {FONT} font-size="12">'
    ]
    for index, (label, value) in enumerate(items):
        y = 4 + index * (bar_height + 8)
        length = max(1.0, float(value) / largest * room) if value else 0
        colour = PALETTE[index % len(PALETTE)]
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar_height * 0.7:.1f}" text-anchor="end" fill="#212529">'
            f"{escape(label)}</text>"
            f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height}" fill="{colour}" rx="2"/>'
            f'<text x="{label_width + length + 6:.1f}" y="{y + bar_height * 0.7:.1f}" fill="#212529">'
            f"{escape(_number(value))}{escape(unit)}</text>"
        )
    if not items:
        parts.append(f'<text x="{width / 2}" y="18" text-anchor="middle" fill="#6c757d">—</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def column_chart(items, *, width=560, height=200) -> str:
    """Vertical columns for a series such as the twelve months of a year. A month whose
    reversals outweigh its payments is negative and hangs below the zero line."""
    items = [(str(label), value) for label, value in items]
    highest = max([0.0, *(float(v) for _label, v in items)])
    lowest = min([0.0, *(float(v) for _label, v in items)])
    span = (highest - lowest) or 1
    below = 14 if lowest < 0 else 0  # room for the labels under negative columns
    left, bottom, top = 10, 30 + below, 20
    slot = (width - 2 * left) / max(1, len(items))
    room = height - bottom - top
    zero = top + room * highest / span
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" class="chart" {FONT} font-size="11">',
        f'<line x1="{left}" y1="{zero:.1f}" x2="{width - left}" y2="{zero:.1f}" stroke="#adb5bd"/>',
    ]
    for index, (label, value) in enumerate(items):
        x = left + index * slot + slot * 0.15
        bar = abs(float(value)) / span * room
        y = zero - bar if value > 0 else zero
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{bar:.1f}" fill="{PALETTE[0]}" rx="2">'
            f"<title>{escape(label)}: {escape(_number(value))}</title></rect>"
            f'<text x="{x + slot * 0.35:.1f}" y="{height - 10}" text-anchor="middle" fill="#212529">'
            f"{escape(label)}</text>"
        )
        if value:
            label_y = y - 4 if value > 0 else y + bar + 11
            parts.append(
                f'<text x="{x + slot * 0.35:.1f}" y="{label_y:.1f}" text-anchor="middle" fill="#495057" font-size="9">'
                f"{escape(_compact(value))}</text>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))
