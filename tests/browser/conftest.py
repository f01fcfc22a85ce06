from pathlib import Path

import pytest

# From the npm registry, as package-lock.json pins it (scripts/run_tests.py runs `npm ci`).
AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


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
