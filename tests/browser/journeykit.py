"""What every browser journey needs: a person at a time in a fresh browser context, signed
in through the login form; screenshots under var/screenshots/<journey>-<step>.png; and a
record of every server error (HTTP 5xx) and every console or page error, which fails the
journey at the next screenshot and at its end. Nothing is filtered out."""

import datetime
import re
from pathlib import Path

from django.conf import settings
from PIL import Image, ImageDraw
from playwright.sync_api import Browser, Page, expect

from hardship.idnumber import check_character

PASSWORD = "demo-pass-2026"
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
VIEWPORT = {"width": 1280, "height": 800}
TIMEOUT_MS = 20_000


class Journey:
    def __init__(self, browser: Browser, base_url: str, name: str):
        self.browser = browser
        self.base_url = base_url.rstrip("/")
        self.name = name
        self.labels: list[str] = []
        self.problems: list[str] = []
        self.context = None
        self.page: Page | None = None
        self.user = ""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for old in SCREENSHOTS.glob(f"{name}-*.png"):
            old.unlink()

    # People ------------------------------------------------------------------------------

    def open(self) -> Page:
        """A fresh browser context (no cookies): as a new person at their own computer."""
        self.close_context()
        self.context = self.browser.new_context(
            viewport=VIEWPORT, locale="zh-CN", timezone_id="Asia/Shanghai", accept_downloads=True
        )
        self.context.set_default_timeout(TIMEOUT_MS)
        page = self.context.new_page()
        self.watch(page)
        self.page = page
        return page

    def watch(self, page: Page) -> None:
        page.on("console", lambda msg: self._console(page, msg))
        page.on(
            "pageerror", lambda error: self.problems.append(f"page error on {page.url}: {error}")
        )
        page.on("response", lambda response: self._response(response))

    def _console(self, page, msg):
        if msg.type == "error":
            where = msg.location.get("url") or page.url
            self.problems.append(f"console error ({self.user}) on {where}: {msg.text}")

    def _response(self, response):
        if response.status >= 500:
            self.problems.append(
                f"HTTP {response.status} ({self.user}) {response.request.method} {response.url}"
            )

    def login(self, username: str, *, shot: str = "") -> Page:
        """Sign in through the login form as one of the demo accounts."""
        page = self.open()
        self.user = username
        page.goto(self.url("/accounts/login/"))
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(PASSWORD)
        if shot:
            self.shot(shot)
        page.locator("main").get_by_role("button", name="登录").click()
        expect(page.locator("main h1")).to_have_text("工作台")
        return page

    def close_context(self) -> None:
        if self.context is not None:
            self.context.close()
        self.context = self.page = None

    # Navigation --------------------------------------------------------------------------

    def url(self, path: str) -> str:
        return self.base_url + path

    def menu(self, top: str, item: str | None = None) -> None:
        """Use the header navigation: a top-level link, or a dropdown and one of its items."""
        nav = self.page.locator("#main-nav")
        # A top-level link's name may end in a count badge ("待我处理 2").
        nav.locator("a.nav-link", has_text=re.compile("^" + re.escape(top))).first.click()
        if item is not None:
            nav.locator(".dropdown-menu.show").get_by_role("link", name=item, exact=True).click()
        self.page.wait_for_load_state()

    def tab(self, name: str) -> None:
        """Open a tab on a page with Bootstrap tabs (the household file)."""
        self.page.get_by_role("tab", name=name).click()
        expect(self.page.get_by_role("tab", name=name)).to_have_class("nav-link active")

    def expect_message(self, text: str) -> None:
        expect(self.page.locator("main .alert").filter(has_text=text).first).to_be_visible()

    # Evidence ----------------------------------------------------------------------------

    def shot(self, label: str, *, full_page: bool = False, element=None) -> Path:
        """Save <journey>-<label>.png (the page, the whole page, or one element of it) after
        checking nothing has gone wrong. The names stay put so the user guide can link them."""
        self.check()
        assert label not in self.labels, f"two screenshots named {label!r}"
        self.labels.append(label)
        path = SCREENSHOTS / f"{self.name}-{label}.png"
        self.page.wait_for_load_state("networkidle")
        if element is not None:
            element.screenshot(path=str(path))
        else:
            self.page.screenshot(path=str(path), full_page=full_page)
        self.check()
        return path

    def check(self) -> None:
        assert not self.problems, "The journey met errors:\n" + "\n".join(self.problems)

    def finish(self) -> None:
        if self.page is not None:
            self.page.wait_for_load_state("networkidle")
        self.close_context()
        self.check()


def id_number(region: str, birth: datetime.date, sequence: int) -> str:
    """A valid 18-digit resident ID number (GB 11643): odd sequence for men, even for women."""
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)


def scanned_png(path: Path, title: str) -> Path:
    """A small PNG standing in for a scanned certificate."""
    image = Image.new("RGB", (480, 320), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 10, 469, 309), outline="black", width=3)
    draw.text((30, 40), title, fill="black")
    draw.text((30, 80), "Demo scan for the browser journeys", fill="gray")
    image.save(path, format="PNG")
    return path
