"""The result pages in a real browser (issue 10): an emergency sign ends the visit at
once; the emergency page has no words of a lower level; on a 360x740 phone the first
screen holds the level, what to do and the first step, and the whole page (details
collapsed) is at most 4 screens; the PDF has at most 3 pages and bars to scale;
axe-core finds nothing serious on any page, /docs included. The phone screenshots of
each triage level are saved into docs/img/ for docs/web.md."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from result_checks import LOWER_THAN_EMERGENCY, pdf_pages_and_bars

PHONE = {"width": 360, "height": 740}
SERIOUS = {"serious", "critical"}
DOCS_IMG = Path(__file__).resolve().parents[2] / "docs" / "img"
# One assessment per triage level (what is already known; the rest answered "no").
LEVELS: dict[str, dict[str, Any]] = {
    "emergency": {"chest_pain": True, "age": 58, "sex": "female"},
    "urgent": {"age": 62, "swelling_one_leg": True, "calf_tenderness": True},
    "routine": {
        "age": 50,
        "urge_to_move": True,
        "relieved_by_movement": True,
        "worse_evening_night": True,
    },
    "self_care": {"age": 60, "sudden_tight_muscle": True, "episodes_seconds_minutes": True},
}


@pytest.fixture
def phone(browser: Browser, site: str) -> Iterator[Page]:
    ctx: BrowserContext = browser.new_context(
        base_url=site,
        viewport=PHONE,
        device_scale_factor=1,
        accept_downloads=True,
        bypass_csp=True,  # only so axe can be injected; the CSP is tested elsewhere
    )
    yield ctx.new_page()
    ctx.close()


def _value(q: dict[str, Any], unsure: bool = False) -> Any:
    if unsure and q["id"].startswith("screen_"):
        return "unknown"  # every warning screen answered "don't know" (asked again too)
    if q["type"] == "group":
        return []
    if q["type"] == "boolean":
        return False
    if q["type"] == "number":
        return 60 if q["id"] == "age" else 4
    return q["choices"][0]


def _complete(page: Page, answers: dict[str, Any], unsure: bool = False) -> str:
    api = page.request
    r = api.post("/api/v1/interviews", data={"answers": answers})
    assert r.status == 201, r.text()
    iid: str = r.json()["id"]
    for _ in range(40):
        q = api.get(f"/api/v1/interviews/{iid}/next").json()["question"]
        if q is None:
            return iid
        r = api.post(
            f"/api/v1/interviews/{iid}/answers",
            data={"question_id": q["id"], "value": _value(q, unsure)},
        )
        assert r.status == 200, r.text()
    raise AssertionError("the interview did not end")


def _axe(page: Page, axe_source: str) -> list[str]:
    page.evaluate(axe_source)
    result: dict[str, Any] = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"""
    )
    return [
        f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes): {v['help']}"
        for v in result["violations"]
        if v.get("impact") in SERIOUS
    ]


def test_ticking_an_emergency_sign_leads_straight_to_the_emergency_page(phone: Page) -> None:
    phone.goto("/")
    phone.get_by_role("button", name="Start").click()
    phone.wait_for_url(re.compile(r"/i/[A-Za-z0-9_-]{22}$"))
    phone.check('input[name="items"][value="chest_pain"]')
    phone.get_by_role("button", name="Continue").click()
    phone.wait_for_load_state()
    assert phone.url.endswith("/result"), f"another screen came first: {phone.url}"
    call = phone.locator("a.call")
    assert call.get_attribute("href") == "tel:999"
    box = call.bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"]
    text = phone.locator("body").inner_text().lower()
    found = [w for w in LOWER_THAN_EMERGENCY if re.search(w, text)]
    assert not found, f"lower-level words on the emergency page: {found}"


@pytest.mark.parametrize("level", [*LEVELS, "unsure"])
def test_phone_result_first_screen_height_and_screenshot(phone: Page, level: str) -> None:
    if level == "unsure":  # "don't know" to every warning sign: at least urgent
        iid = _complete(phone, {"age": 70}, unsure=True)
        phone.goto(f"/i/{iid}/result")
        assert phone.locator("section.triage-urgent, section.triage-emergency").count() == 1
        parts: tuple[str, ...] = ("h1", ".unsure", ".triage-action", ".first-step")
    else:
        iid = _complete(phone, LEVELS[level])
        phone.goto(f"/i/{iid}/result")
        assert phone.locator(f"section.triage-{level}").count() == 1, "another level than planned"
        parts = ("h1", ".triage-action", ".first-step")
    for part in parts:
        el = phone.locator(f"section.triage {part}")
        assert el.count(), f"{part} missing"
        box = el.first.bounding_box()
        assert box is not None
        assert box["y"] + box["height"] <= PHONE["height"], f"{part} below the first screen"
    assert phone.locator("details[open]").count() == 0
    height = phone.evaluate("document.documentElement.scrollHeight")
    assert height <= 4 * PHONE["height"], f"{level}: {height} px is over 4 screens"
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    DOCS_IMG.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(DOCS_IMG / f"result-phone-{level}.png"), full_page=True)


@pytest.mark.parametrize("level", ["urgent", "routine", "emergency"])
def test_pdf_download_pages_and_bars(phone: Page, level: str, tmp_path: Path) -> None:
    iid = _complete(phone, LEVELS[level])
    result = phone.request.get(f"/api/v1/interviews/{iid}/result").json()["result"]
    phone.goto(f"/i/{iid}/result")
    with phone.expect_download() as download:
        phone.get_by_role("link", name=re.compile("Download PDF")).click()
    path = tmp_path / "result.pdf"
    download.value.save_as(path)
    pdf = path.read_bytes()
    pages, bars = pdf_pages_and_bars(pdf)
    assert 1 <= pages <= 3, f"{level}: {pages} pages"
    probs = [c["probability"] for c in result["conditions"] if c["probability"] >= 0.02][:3]
    assert len(bars) >= len(probs)
    for (fill, track), p in zip(bars, probs, strict=False):
        assert abs(fill / track - p) <= 0.006


def test_axe_on_every_result_page_docs_and_errors(phone: Page, axe_source: str) -> None:
    problems: dict[str, list[str]] = {}
    for level, answers in LEVELS.items():
        phone.goto(f"/i/{_complete(phone, answers)}/result")
        phone.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        if found := _axe(phone, axe_source):
            problems[f"result {level}"] = found
    phone.goto("/i/nosuchassessment00/result")
    if found := _axe(phone, axe_source):
        problems["404"] = found
    phone.goto("/docs")
    phone.wait_for_selector(".swagger-ui .info", timeout=20000)
    phone.locator(".opblock-summary").first.click()  # an open operation, too
    phone.wait_for_timeout(300)
    if found := _axe(phone, axe_source):
        problems["/docs"] = found
    assert not problems, problems
