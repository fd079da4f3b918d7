"""A small harness that opens a local HTML file in Debian's headless Chromium, as a reader's browser would.

Playwright's Python package drives ``/usr/bin/chromium`` (``executable_path``): it speaks the
DevTools protocol for us, waits for the page, gathers console and page errors and every
request through documented events, and takes screenshots; its own browser download is never
used (unreachable here; ``scripts/setup-browser`` installs Chromium and a CJK font with apt).
The browser starts with its own background traffic switched off (:data:`FLAGS`), so every
request recorded is the page's.

Chromium missing is a skip on a developer's machine and a failure under CI (``CI`` set).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("GRAPHKIT_CHROMIUM", "/usr/bin/chromium"))
#: Keep the browser's own traffic (component updates, sync, field trials) out of the page's requests.
FLAGS = ("--disable-background-networking", "--disable-component-update", "--disable-sync")
VIEWPORT = {"width": 1200, "height": 900}


def require_chromium() -> Path:
    """The Chromium executable; skip without it, or fail under CI, saying how to install it."""
    if CHROMIUM.exists():
        try:
            import playwright  # noqa: F401  (the test extra installs it)
        except ImportError:
            _missing("the playwright package is missing: scripts/setup-env test")
        return CHROMIUM
    _missing(f"no Chromium at {CHROMIUM}: run scripts/setup-browser (Debian's chromium and fonts-noto-cjk)")
    raise AssertionError("unreachable")


def _missing(why: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"browser tests need Chromium under CI; {why}")
    pytest.skip(why)


@dataclass
class PageVisit:
    """One page opened: what it logged and asked for, and a handle to question it."""

    url: str
    page: Any
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def evaluate(self, expression: str, arg: Any = None) -> Any:
        """The value of a JavaScript expression or function in the page."""
        return self.page.evaluate(expression, arg)

    def screenshot(self, path: Path, selector: str | None = None) -> Path:
        """A PNG of the whole page, or of the element ``selector`` names."""
        path.parent.mkdir(parents=True, exist_ok=True)
        if selector is None:
            self.page.screenshot(path=str(path), full_page=True)
        else:
            self.page.locator(selector).first.screenshot(path=str(path))
        return path

    def external_requests(self) -> list[str]:
        """Every request but the file itself (``data:`` URLs are inside the page, not requests out of it)."""
        return [u for u in self.requests if u != self.url and not u.startswith("data:")]


@contextmanager
def browser() -> Iterator[Any]:
    """A headless Chromium (the system one), closed on exit."""
    from playwright.sync_api import sync_playwright

    executable = require_chromium()
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(executable), args=list(FLAGS), headless=True)
        try:
            yield instance
        finally:
            instance.close()


@contextmanager
def open_page(instance: Any, path: Path, *, settle_ms: int = 500) -> Iterator[PageVisit]:
    """Open a local file in a fresh page and wait for it to load and draw; errors and requests are recorded."""
    url = path.resolve().as_uri()
    page = instance.new_page(viewport=VIEWPORT)
    visit = PageVisit(url, page)
    page.on("console", lambda m: visit.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: visit.page_errors.append(str(e)))
    page.on("request", lambda r: visit.requests.append(r.url))
    try:
        page.goto(url, wait_until="load")
        page.wait_for_timeout(settle_ms)  # sigma draws on the next animation frames
        yield visit
    finally:
        page.close()
