"""The condition library in a real browser: from /conditions to a condition page, by a
link and by a search in lay words; axe-core on both; no sideways scrolling at 360 px.
(The link from a result page is tested with the result page.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, expect

PHONE = {"width": 360, "height": 740}
SERIOUS = {"serious", "critical"}


def _axe(page: Any, axe_source: str) -> list[str]:
    page.evaluate(axe_source)
    result: dict[str, Any] = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"""
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in result["violations"]
        if v.get("impact") in SERIOUS
    ]


def test_open_a_condition_page_from_the_library(
    browser: Browser, site: str, axe_source: str, artifacts: Path
) -> None:
    # bypass_csp only so the test can inject axe; the app's CSP is checked elsewhere.
    ctx = browser.new_context(base_url=site, viewport=PHONE, bypass_csp=True)
    page = ctx.new_page()
    problems: dict[str, list[str]] = {}

    def check(name: str) -> None:
        if found := _axe(page, axe_source):
            problems[name] = found
        page.screenshot(path=str(artifacts / f"360px-{name}.png"), full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{name} scrolls sideways at 360 px ({width} px)"

    page.goto("/conditions")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check("conditions")
    page.get_by_role("link", name="Deep vein thrombosis").click()
    page.wait_for_url("**/conditions/deep_vein_thrombosis")
    expect(page.get_by_role("heading", level=1)).to_have_text("Deep vein thrombosis")
    expect(page.get_by_role("heading", name="When to get help")).to_be_visible()
    expect(page.get_by_role("heading", name="Sources")).to_be_visible()
    check("condition")

    page.goto("/conditions")
    page.get_by_label("What do you feel?").fill("my legs feel restless and I have to move them")
    page.get_by_role("button", name="Search").click()
    check("conditions-search")
    page.locator("ul.matches a").first.click()
    page.wait_for_url("**/conditions/restless_legs_syndrome")
    ctx.close()
    assert not problems, problems


def test_a_result_links_each_cause_to_its_library_page(browser: Browser, site: str) -> None:
    """From a finished (non-emergency) result, "Why these causes" opens a cause's page."""
    ctx = browser.new_context(base_url=site, viewport=PHONE)
    page = ctx.new_page()
    page.goto("/")
    page.get_by_label("What do you feel").fill(
        "I'm 70. Every night my calves cramp into hard knots and stretching eases it. "
        "No swelling, no chest pain."
    )
    page.get_by_role("button", name="Read my description").click()
    page.get_by_role("button", name="Continue to the questions").click()
    for _ in range(40):
        if page.url.endswith("/result"):
            break
        if page.locator("#number").count():
            page.locator("#number").fill("70")
            page.locator("#number").press("Enter")
        elif page.locator('input[name="items"]').count():
            page.get_by_role("button", name="None of these").click()
        else:
            page.get_by_role("button", name="Don't know").click()
        page.wait_for_load_state()
    assert page.url.endswith("/result"), "the interview did not reach a result"
    page.get_by_text("Why these causes").click()
    link = page.locator("a.condition-link").first
    expect(link).to_be_visible()
    name = (link.text_content() or "").removeprefix("About ").strip()
    link.click()
    page.wait_for_url("**/conditions/*")
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    ctx.close()
