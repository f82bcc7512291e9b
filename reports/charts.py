"""Charts drawn on the server as SVG, so the page and the PDF show the same picture and no
script is needed. Only attributes, no inline style: the Content-Security-Policy forbids it.

Every chart has a zero axis with negative values drawn on the other side of it, is as wide
as its longest label needs (the drawing scales to its box, so nothing is clipped), and
carries its text alternative: the SVG is an image named by its <title>, and `figure()`
adds the figures as a table behind a "数据表" toggle for screen readers and anyone who wants
the exact numbers."""

import itertools
import unicodedata
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

PALETTE = ("#a4161a", "#e5383b", "#ba181b", "#f4a261", "#2a9d8f", "#264653", "#6c757d", "#e9c46a")
# "Report Sans" is the shipped font the PDFs declare (static/fonts): the PDF's charts use it
# rather than whatever the machine has; a browser falls through to the installed fonts.
FONT = (
    "font-family=\"'Report Sans', 'Noto Sans SC', 'Noto Sans CJK SC', "
    "'WenQuanYi Micro Hei', sans-serif\""
)
AXIS = "#6c757d"
_ids = itertools.count(1)


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


def text_width(text: str, size: float) -> float:
    """A generous estimate of the drawn width: a CJK character is one em, anything else 0.62."""
    return sum(
        size if unicodedata.east_asian_width(ch) in "WF" else size * 0.62 for ch in str(text)
    )


def _open(width: float, height: float, title: str, size: int) -> tuple[str, str]:
    """The <svg> start tag and its <title>: an image whose accessible name is the title."""
    ident = f"chart-{next(_ids)}-title"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="100%" role="img" aria-labelledby="{ident}" class="chart" {FONT} '
        f'font-size="{size}"><title id="{ident}">{escape(title or _("图表"))}</title>',
        ident,
    )


def bar_chart(items, *, title="", width=560, bar_height=22, unit="", least_room=160) -> str:
    """Horizontal bars, one per (label, value), from a zero axis: right for positive values,
    left for negative ones. The bars get what the labels and figures leave of `width`; when
    that is less than `least_room`, the drawing grows wider (and scales down) instead."""
    items = [(str(label), value) for label, value in items]
    values = [float(v) for _label, v in items]
    highest, lowest = max([0.0, *values]), min([0.0, *values])
    span = (highest - lowest) or 1
    size = 12
    shown = [f"{_number(v)}{unit}" for _label, v in items]
    label_width = max([40.0, *(text_width(label, size) + 12 for label, _v in items)])
    # Room for the figure beside each bar: left of the axis for negatives, right otherwise.
    figures = list(zip(shown, values, strict=True))
    left_room = max([0.0, *(text_width(s, size) + 8 for s, v in figures if v < 0)])
    right_room = max([24.0, *(text_width(s, size) + 8 for s, v in figures if v >= 0)])
    room = max(least_room, width - label_width - left_room - right_room)
    zero = label_width + left_room + room * (-lowest) / span
    width = label_width + left_room + room + right_room
    height = max(bar_height, len(items) * (bar_height + 8)) + 8
    start, _ident = _open(width, height, title, size)
    parts = [start]
    for index, ((label, _value), (figure, number)) in enumerate(zip(items, figures, strict=True)):
        y = 4 + index * (bar_height + 8)
        length = max(1.0, abs(number) / span * room) if number else 0
        x = zero if number >= 0 else zero - length
        text_y = f"{y + bar_height * 0.7:.1f}"
        if number < 0:
            figure_at = f'x="{x - 4:.1f}" text-anchor="end"'
        else:
            figure_at = f'x="{zero + length + 4:.1f}"'
        parts.append(
            f'<text x="{label_width - 6:.1f}" y="{text_y}" text-anchor="end" fill="#212529">'
            f"{escape(label)}</text>"
            f'<rect x="{x:.1f}" y="{y}" width="{length:.1f}" height="{bar_height}" '
            f'fill="{PALETTE[index % len(PALETTE)]}" rx="2"/>'
            f'<text {figure_at} y="{text_y}" fill="#212529">{escape(figure)}</text>'
        )
    parts.append(
        f'<line x1="{zero:.1f}" y1="0" x2="{zero:.1f}" y2="{height}" stroke="{AXIS}" '
        'stroke-width="1"/>'
    )
    if not items:
        parts.append(f'<text x="{width / 2}" y="18" text-anchor="middle" fill="#6c757d">—</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def column_chart(items, *, title="", width=560, height=200) -> str:
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
    start, _ident = _open(width, height, title, 11)
    parts = [
        start,
        f'<line x1="{left}" y1="{zero:.1f}" x2="{width - left}" y2="{zero:.1f}" stroke="{AXIS}"/>',
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


def figure(items, *, title, kind="bar", unit="", label_header="", value_header=""):
    """A chart with its figures as a table behind a toggle (the page's text alternative)."""
    items = [(str(label), value) for label, value in items]
    if kind == "column":
        chart = column_chart(items, title=title)
    else:
        chart = bar_chart(items, title=title, unit=unit)
    return render_to_string(
        "reports/includes/_chart.html",
        {
            "chart": chart,
            "title": title,
            "rows": [(label, _number(value)) for label, value in items],
            "label_header": label_header or _("项目"),
            "value_header": value_header or _("数值"),
        },
    )
