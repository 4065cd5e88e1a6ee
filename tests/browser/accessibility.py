"""axe-core, as the browser tests run it: the WCAG 2.0, 2.1 and 2.2 A and AA rules only.

The accessibility statement (templates/accessibility.html) names the axe-core version and
these tags; tests/protocol_portal/test_accessibility_statement.py keeps the two in step.
"""

import re

from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import BrowserContext, Page

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
# The bundled script starts "/*! axe v4.12.1".
AXE_CORE_VERSION = re.match(r"/\*! axe v(\S+)", AXE_SCRIPT).group(1)


def preload_axe(context: BrowserContext) -> None:
    """Put axe-core in every page the context opens, instead of sending it to each page checked."""
    context.add_init_script(AXE_SCRIPT)


class Accessibility:
    """Runs axe-core on each page it is shown and keeps every violation for one report."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.checked: list[str] = []
        self.violations: list[str] = []

    def check(self, name: str, *, exclude: list[str] | None = None) -> None:
        """Check the page as it is now; ``exclude`` lists CSS selectors of markup we do not own."""
        self.page.wait_for_load_state("load")
        if not self.page.evaluate("typeof window.axe === 'object'"):
            self.page.evaluate(AXE_SCRIPT)
        context = {"exclude": [[selector] for selector in exclude]} if exclude else None
        results = self.page.evaluate(
            "([context, options]) => axe.run(context || document, options)", [context, AXE_OPTIONS]
        )
        self.checked.append(name)
        for violation in results["violations"]:
            targets = [node["target"] for node in violation["nodes"]]
            self.violations.append(f"{name} ({self.page.url}): {violation['id']} – {violation['help']} – {targets}")

    def assert_no_violations(self) -> None:
        assert not self.violations, "axe-core found WCAG 2.2 AA violations:\n" + "\n".join(self.violations)
