"""A person's whole visit in a real browser: start, answer, go back and change an
answer, read the result, download the PDF, delete. Plus accessibility (axe-core)
and a 360-px phone screenshot."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

PHONE = {"width": 360, "height": 740}
SERIOUS = {"serious", "critical"}


@pytest.fixture
def context(browser: Browser, site: str) -> Iterator[BrowserContext]:
    ctx = browser.new_context(base_url=site, accept_downloads=True)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    p = context.new_page()
    blocked: list[str] = []
    p.on(
        "console",
        lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None,
    )
    yield p
    assert not blocked, f"the CSP blocked something the page needs: {blocked}"


def _question_id(page: Page) -> str:
    return page.locator('input[name="question_id"]').input_value()


def _answer(page: Page, *, prefer: str = "first") -> None:
    """Answer the question on screen like a person would (keyboard for numbers)."""
    number = page.locator("#number")
    if number.count():
        top = number.get_attribute("max")
        number.fill(str(min(58.0, float(top))) if top else "58")
        number.press("Enter")  # the keyboard path: Enter submits
        return
    if page.locator('input[name="items"]').count():
        page.get_by_role("button", name="None of these").click()
        return
    buttons = page.locator('.answers button[name="value"]:not([value="unknown"])')
    (buttons.last if prefer == "last" else buttons.first).click()


def _start(page: Page) -> str:
    page.goto("/")
    page.get_by_role("button", name="Start").click()
    page.wait_for_url(re.compile(r"/i/[A-Za-z0-9_-]{22}$"))
    return page.url


def _to_result(page: Page) -> None:
    for _ in range(40):
        if page.url.endswith("/result"):
            return
        _answer(page)
        page.wait_for_load_state()
    raise AssertionError("the interview did not reach a result")


def test_complete_change_download_and_delete(page: Page, tmp_path: Path) -> None:
    page.goto("/")
    expect(
        page.get_by_role("heading", name=re.compile("Call emergency services now"))
    ).to_be_visible()
    link = _start(page)

    # The emergency screen first ("None of these"), then age by keyboard, then sex;
    # then back, and change the sex answer.
    assert _question_id(page) == "screen_emergency"
    _answer(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("How old")
    _answer(page)
    expect(page.locator(".progress-text")).to_contain_text("Question 3")
    asked_third = _question_id(page)
    _answer(page, prefer="first")
    page.get_by_role("button", name=re.compile("Back to the previous question")).click()
    assert _question_id(page) == asked_third
    expect(page.locator(".progress-text")).to_contain_text("Question 3")
    _answer(page, prefer="last")  # a different answer this time

    # "Why we ask this" opens and closes without script.
    why = page.locator("details.why")
    if why.count():
        why.locator("summary").click()
        expect(why.locator("p")).to_be_visible()

    _to_result(page)
    expect(page.locator("section.triage")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Possible causes"))).to_be_visible()
    assert page.locator("ol.causes > li").count() >= 3

    def answer_shown(label: str) -> str:
        exact = re.compile(f"^{re.escape(label)}$")
        row = page.locator(".answers-list div").filter(has=page.locator("dt", has_text=exact))
        return (row.locator("dd").text_content() or "").strip()  # in a collapsed section

    assert answer_shown("age") == "58 years"  # typed with the keyboard
    assert asked_third == "sex"
    assert answer_shown("sex") == "male"  # changed from the first choice to the last

    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Download PDF")).click()
    pdf = tmp_path / "result.pdf"
    download_info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert pdf.stat().st_size > 5000

    page.get_by_role("link", name="Delete my answers").first.click()
    page.get_by_role("button", name=re.compile("Delete my answers now")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("deleted")
    response = page.goto(link)
    assert response is not None
    assert response.status == 404


def _axe(page: Page, axe_source: str) -> list[dict[str, Any]]:
    page.evaluate(axe_source)
    result: dict[str, Any] = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"""
    )
    return [v for v in result["violations"] if v.get("impact") in SERIOUS]


def test_accessibility_of_every_kind_of_page(browser: Browser, site: str, axe_source: str) -> None:
    # bypass_csp only so the test can inject axe; the app's CSP is checked elsewhere.
    ctx = browser.new_context(base_url=site, bypass_csp=True)
    page = ctx.new_page()
    problems: dict[str, list[str]] = {}

    def check(name: str) -> None:
        found = _axe(page, axe_source)
        if found:
            problems[name] = [f"{v['id']} ({v['impact']}): {v['help']}" for v in found]

    page.goto("/")
    check("start")
    _start(page)
    seen: set[str] = set()
    for _ in range(40):
        if page.url.endswith("/result"):
            break
        kind = (
            "number"
            if page.locator("#number").count()
            else "group"
            if page.locator('input[name="items"]').count()
            else "buttons"
        )
        if kind not in seen:
            seen.add(kind)
            check(f"question ({kind})")
        _answer(page)
        page.wait_for_load_state()
    check("result")
    page.get_by_role("link", name="Delete my answers").first.click()
    check("delete")
    page.goto("/resume?code=%3F%3F")
    check("start with an error")
    page.goto("/")
    page.get_by_label("What do you feel").fill("My left calf is swollen and warm. No chest pain.")
    page.get_by_role("button", name="Read my description").click()
    check("what legpain understood")
    ctx.close()
    assert seen == {"number", "group", "buttons"}
    assert not problems, problems


def test_phone_width_screenshots(browser: Browser, site: str, artifacts: Path) -> None:
    ctx = browser.new_context(base_url=site, viewport=PHONE, device_scale_factor=1)
    page = ctx.new_page()

    def fits(name: str) -> None:
        page.screenshot(path=str(artifacts / f"360px-{name}.png"), full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{name} scrolls sideways at 360 px ({width} px)"

    page.goto("/")
    fits("start")
    page.get_by_label("What do you feel").fill(
        "Both legs restless every evening, I have to get up."
    )
    page.get_by_role("button", name="Read my description").click()
    fits("understood")
    page.goto("/")
    _start(page)
    fits("question")
    _to_result(page)
    fits("result")
    for button in page.locator("button, a.button").all():
        if button.is_visible():
            box = button.bounding_box()
            assert box is not None
            assert box["height"] >= 24  # WCAG 2.2 target size (minimum)
    ctx.close()


def test_describe_then_correct_the_chips_then_answer(page: Page) -> None:
    """Free text becomes chips; an unticked chip is not used; the interview goes on."""
    page.goto("/")
    box = page.get_by_label("What do you feel")
    box.fill("I'm 67. My left calf is swollen and warm since Tuesday. No chest pain.")
    page.get_by_role("button", name="Read my description").click()
    assert page.get_by_role("heading", name="What legpain understood").is_visible()
    side = page.get_by_label("Which leg: left")
    side.uncheck()  # as if it were wrong
    page.get_by_role("button", name="Continue to the questions").click()
    page.wait_for_load_state()
    assert _question_id(page) == "screen_emergency"  # chest pain denied in text: asked again
    _answer(page)  # None of these
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="What sex were you assigned at birth?").is_visible()
