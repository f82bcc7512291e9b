"""The charts as Chromium draws them: every label and figure lies inside the drawing, in
English as in Chinese and with negative values (no server needed: the SVG alone)."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from reports import charts

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path("/usr/bin/chromium").exists(), reason="needs Chromium at /usr/bin/chromium"
    ),
]

OUTSIDE = """() => {
  const out = [];
  for (const svg of document.querySelectorAll('svg')) {
    const box = svg.viewBox.baseVal;
    for (const el of svg.querySelectorAll('text, rect')) {
      const b = el.getBBox();
      if (b.x < box.x - 0.5 || b.x + b.width > box.x + box.width + 0.5 ||
          b.y < box.y - 0.5 || b.y + b.height > box.y + box.height + 0.5) {
        out.push(el.textContent || el.outerHTML);
      }
    }
  }
  return out;
}"""


def test_english_labels_and_negative_bars_are_drawn_inside_the_chart(browser):
    with translation.override("en"):
        drawings = [
            charts.bar_chart(
                [
                    ("Employer shut down or partly shut down", 12),
                    ("Serious illness of a family member", Decimal("-1200.50")),
                    ("Other", 3),
                ],
                title="Mixed",
                unit=" yuan",
            ),
            charts.bar_chart([("Illness", -1000), ("Disability", -250)], title="All negative"),
            charts.bar_chart([("因病", 96), ("企业停产半停产", 12)], title="中文"),
            charts.column_chart(
                [(str(m), Decimal(v)) for m, v in enumerate([-900, 1200, -50000], 1)],
                title="Columns",
            ),
        ]
    page = browser.new_page(viewport={"width": 400, "height": 900})
    try:
        page.set_content("<!DOCTYPE html><html><body>" + "".join(drawings) + "</body></html>")
        assert page.evaluate(OUTSIDE) == []
        names = page.evaluate(
            "() => [...document.querySelectorAll('svg')].map(s => "
            "document.getElementById(s.getAttribute('aria-labelledby')).textContent)"
        )
        assert names == ["Mixed", "All negative", "中文", "Columns"]
    finally:
        page.close()
