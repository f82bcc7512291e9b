"""axe-core (the npm package, installed by `npm ci`; never fetched from a CDN) on every page
of the authorisation matrix, in Chromium, as the person who uses the page: no violation of
WCAG 2.0 / 2.1 A and AA. The pages come from the matrix (tests/pagewalk.py), so a page added
there is checked here as well."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from pagewalk import AXE_JS, NOT_INSTALLED, html_pages
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path("/usr/bin/chromium").exists(), reason="needs Chromium at /usr/bin/chromium"
    ),
    pytest.mark.django_db(transaction=True),
]

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations.map((v) => ({
    id: v.id,
    help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
  }));
}"""


def _session_cookie(user, base_url: str) -> list[dict]:
    if user is None:
        return []
    client = Client()
    client.force_login(user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return [{"name": settings.SESSION_COOKIE_NAME, "value": value, "url": base_url}]


def _tab_states(tab):
    """The page as loaded, then with each of its tabs (role="tab") opened in turn."""
    yield "as loaded"
    tabs = tab.locator('[role="tab"]')
    for index in range(tabs.count()):
        button = tabs.nth(index)
        button.click()
        expect(button).to_have_attribute("aria-selected", "true")
        # Bootstrap fades the panel in; axe would measure contrast half-way through.
        panel = button.get_attribute("aria-controls") or button.get_attribute("data-bs-target")
        panel = panel.removeprefix("#")
        tab.wait_for_function(
            "id => getComputedStyle(document.getElementById(id)).opacity === '1'", arg=panel
        )
        yield f"tab {button.inner_text().strip()}"


def test_axe_finds_no_wcag_violation_on_any_page_of_the_matrix(browser, live_server, served_world):
    assert AXE_JS.exists(), NOT_INSTALLED
    world = served_world
    pages = [page for page, _html in html_pages(Client(), world)]
    assert len(pages) >= 30
    tabs, problems, violations = {}, [], []
    current = [None]  # the page being checked, for the error listener
    try:
        for page in pages:
            if page.role not in tabs:
                # bypass_csp: the page's Content-Security-Policy would refuse the injected axe.
                context = browser.new_context(
                    locale="zh-CN", timezone_id="Asia/Shanghai", bypass_csp=True
                )
                context.add_cookies(_session_cookie(world.users.get(page.role), live_server.url))
                # axe comes with every document the tab loads: one tab per person.
                context.add_init_script(path=str(AXE_JS))
                tab = context.new_page()
                tab.on("pageerror", lambda error: problems.append(f"{current[0]}: {error}"))
                tabs[page.role] = tab
            tab, current[0] = tabs[page.role], page
            response = tab.goto(live_server.url + page.url)
            assert response.status == 200, (page, response.status)
            found = {}
            for state in _tab_states(tab):  # axe skips hidden panels: open each in turn
                for violation in tab.evaluate(RUN_AXE, TAGS):
                    key = (violation["id"], tuple(violation["nodes"]))
                    found.setdefault(key, f"{violation['help']} ({state})")
            violations += [
                f"{page.name} ({page.role}): {rule}: {help} at {', '.join(nodes)}"
                for (rule, nodes), help in found.items()
            ]
    finally:
        for tab in tabs.values():
            tab.context.close()
    assert problems == []
    assert violations == [], "\n".join(violations)


def test_after_show_the_focus_is_on_the_revealed_value(browser, live_server, served_world):
    """After "显示" replaces itself with the value, keyboard focus lands on the value, not on
    the top of the page."""
    world = served_world
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    try:
        context.add_cookies(_session_cookie(world.users["caseworker_g1a"], live_server.url))
        tab = context.new_page()
        tab.goto(f"{live_server.url}/households/{world.household.pk}/")
        tab.locator("#reveal-id_number").get_by_role("button", name="显示").click()
        shown = tab.locator("#reveal-id_number")
        expect(shown).to_have_text(world.household.id_number)
        expect(shown).to_be_focused()
    finally:
        context.close()
