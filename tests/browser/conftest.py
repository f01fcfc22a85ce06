import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
# From the npm registry, as package-lock.json pins it (scripts/run_tests.py runs `npm ci`).
AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (Playwright's own browser download fails here)."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"browser tests need Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, accept_downloads=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    yield context.new_page()
    context.close()


@pytest.fixture(scope="session")
def axe():
    """axe-core's script, for the accessibility tests to inject into pages."""
    if not AXE_SCRIPT.exists():
        pytest.skip(f"accessibility tests need axe-core at {AXE_SCRIPT}: run `npm ci`")
    return AXE_SCRIPT
