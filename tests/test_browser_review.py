"""The page's review and revisions, driven through Debian's Chromium against the real server.

A draft is made with "Review the script before rendering", one slide's narration edited on its
card (a concurrent edit from elsewhere first: the 409 reloads it and keeps what was typed), then
rendered; the finished card's "Edit" changes another slide's title and "Re-render" makes a new
generation (parent_id) whose card, once it is ready, takes the old card's place and plays the new
video from where the old one was ("previous version" brings the old card back). Slides of a
draft are moved up and down by keyboard. Another browser, without the owner token,
is told it cannot. The server, browser and context fixtures are those of tests/test_browser.py.
"""

from __future__ import annotations

import json
import urllib.request
from typing import TYPE_CHECKING, Any

import pytest

from tests import test_browser
from tests.test_browser import (
    CARD,
    GENERATION_MS,
    _context,
    _get_json,
    _open,
    _submit,
    _wait_status,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Locator, Page, Request

    from tests.test_browser import PageErrors

pytestmark = [pytest.mark.browser, test_browser.pytestmark]

# The fixtures of tests/test_browser.py (a server of this module's own, module-scoped).
server = test_browser.server
browser = test_browser.browser
context = test_browser.context
errors = test_browser.errors

EDITED = "Slide two, as the reviewer wrote it."
ELSEWHERE = "Retitled from another tab"
TYPED_DURING = "Typed while someone else was editing."
NEW_TITLE = "A better first title"


def _owner_token(page: Page, gid: str) -> str:
    saved = page.evaluate("() => JSON.parse(localStorage.getItem('videogen.generations.v1'))")
    token = next(g["ownerToken"] for g in saved if g["id"] == gid)
    assert isinstance(token, str)
    return token


def _patch(base: str, gid: str, n: int, body: dict[str, Any], token: str, version: int) -> int:
    request = urllib.request.Request(
        f"{base}/api/generations/{gid}/slides/{n}",
        data=json.dumps(body).encode(),
        method="PATCH",
        headers={
            "Content-Type": "application/json",
            "X-Owner-Token": token,
            "If-Match": f'"{version}"',
        },
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        status: int = response.status
        return status


def _field(card: Locator, n: int, name: str) -> Locator:
    return card.get_by_label(f"Slide {n} {name}", exact=True)


def _make_draft(page: Page) -> tuple[Locator, str]:
    page.get_by_label("Review the script before rendering").check()
    card = _submit(page, "Tides and the moon", 3)
    gid = card.get_attribute("data-generation-id")
    assert gid
    _wait_status(card, "awaiting_review")
    card.get_by_test_id("draft-editor").wait_for()
    page.wait_for_function(
        "el => el.querySelectorAll('[data-testid=slide-edit]').length === 3",
        arg=card.element_handle(),
    )
    return card, gid


def test_review_a_draft_edit_render_then_revise_from_the_finished_card(
    server: str, context: BrowserContext, browser: Browser, errors: PageErrors
) -> None:
    page = _open(context, server)
    card, gid = _make_draft(page)
    status = _get_json(f"{server}/api/status/{gid}")
    assert status["status"] == "awaiting_review" and status["version"] == 0
    # Each field is labelled with its slide number, and a keyboard reaches it.
    narration = _field(card, 2, "narration")
    draft = _get_json(f"{server}/api/script/{gid}")
    assert narration.input_value() == draft["slide_scripts"][1]["narration_text"]
    _field(card, 2, "bullets").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.dataset.field") == "narration"

    # Someone else edits slide 1 meanwhile; saving slide 2 against version 0 is refused (409):
    # the draft is reloaded with their title, and what was typed here stays in its field.
    token = _owner_token(page, gid)
    assert _patch(server, gid, 1, {"title": ELSEWHERE}, token, 0) == 200
    narration.fill(TYPED_DURING)
    card.get_by_test_id("draft-save").click()
    status_line = card.get_by_test_id("editor-status")
    page.wait_for_function(
        "el => el.textContent.includes('changed elsewhere — reloaded')",
        arg=status_line.element_handle(),
    )
    assert _field(card, 1, "title").input_value() == ELSEWHERE
    assert _field(card, 2, "narration").input_value() == TYPED_DURING
    assert "is-changed" in (_field(card, 2, "narration").get_attribute("class") or "")

    # "+ slide after" slide 3 adds slide 4 (saving the typed text first); "delete" removes it.
    _field(card, 2, "narration").fill(TYPED_DURING)
    card.locator("[data-testid=slide-edit][data-slide='3'] [data-testid=slide-insert]").click()
    _field(card, 4, "title").wait_for()
    assert page.evaluate("() => document.activeElement.dataset.field") == "title"
    assert len(_get_json(f"{server}/api/content/{gid}")["slides"]) == 4
    script = _get_json(f"{server}/api/script/{gid}")
    assert script["slide_scripts"][1]["narration_text"] == TYPED_DURING
    card.get_by_role("button", name="Delete slide 4").click()
    _field(card, 4, "title").wait_for(state="detached")
    assert len(_get_json(f"{server}/api/content/{gid}")["slides"]) == 3

    # After a reload the draft's card comes back with its editor, as the server has it.
    page.reload()
    page.wait_for_selector("html[data-ready=true]")
    card = page.locator(f'{CARD}[data-generation-id="{gid}"]')
    _field(card, 2, "narration").wait_for()
    assert _field(card, 2, "narration").input_value() == TYPED_DURING
    assert _field(card, 1, "title").input_value() == ELSEWHERE

    # The reviewer's final words, then Render: saved (against the reloaded version), rendered.
    _field(card, 2, "narration").fill(EDITED)
    card.get_by_test_id("draft-render").click()
    card.get_by_test_id("draft-editor").wait_for(state="detached")
    _wait_status(card, "completed")
    script = _get_json(f"{server}/api/script/{gid}")
    assert script["slide_scripts"][1]["narration_text"] == EDITED
    content = _get_json(f"{server}/api/content/{gid}")
    assert content["slides"][0]["title"] == ELSEWHERE
    assert card.get_by_test_id("video").get_attribute("src") == f"/api/video/{gid}.mp4"

    # Edit on the finished card: the same fields, from the finished content and script.
    card.get_by_test_id("edit").click()
    editor = card.get_by_test_id("revision-editor")
    editor.wait_for()
    assert _field(card, 2, "narration").input_value() == EDITED
    rerender = card.get_by_test_id("rerender")
    assert rerender.is_disabled()
    _field(card, 1, "title").fill(NEW_TITLE)
    said = card.get_by_test_id("editor-status").inner_text()
    assert said == "Slide 1 will be redone; the rest comes from the cache.", said
    # The old video is paused 1.5 s in: the new one will pick up there.
    old_video = card.get_by_test_id("video")
    page.wait_for_function("v => v.readyState >= 1", arg=old_video.element_handle())
    old_video.evaluate("v => { v.currentTime = 1.5; }")
    before = page.locator(CARD).count()
    revision_request: list[Any] = []

    def sent(request: Request) -> None:
        if request.url.endswith("/revisions"):
            revision_request.append(request.post_data_json)

    page.on("request", sent)
    rerender.click()
    page.wait_for_function(
        "n => document.querySelectorAll('[data-testid=generation-card]').length > n", arg=before
    )
    # Only what changed goes as an edit.
    edits = [{"slide_number": 1, "title": NEW_TITLE}]
    assert revision_request == [{"edits": edits, "render": True}]
    nid = page.locator(CARD).first.get_attribute("data-generation-id")
    assert nid and nid != gid
    revision = page.locator(f'{CARD}[data-generation-id="{nid}"]')
    link = revision.get_by_test_id("previous-version")
    assert link.get_attribute("data-parent-id") == gid
    _wait_status(revision, "completed")
    new_status = _get_json(f"{server}/api/status/{nid}")
    assert new_status["parent_id"] == gid
    assert new_status["reuse"]["slides_total"] == 3
    assert new_status["reuse"]["slides_reused"] == 2, new_status["reuse"]
    assert _get_json(f"{server}/api/content/{nid}")["slides"][0]["title"] == NEW_TITLE
    new_video = revision.get_by_test_id("video")
    assert new_video.get_attribute("src") == f"/api/video/{nid}.mp4"
    # The new version takes the old one's place: the parent's card folds away, and the new
    # video is where the old one was (same time, paused as it was).
    card.wait_for(state="hidden")
    assert card.get_attribute("data-superseded-by") == nid
    page.wait_for_function(
        "v => v.readyState >= 1 && Math.abs(v.currentTime - 1.5) < 0.05",
        arg=new_video.element_handle(),
    )
    assert new_video.evaluate("v => v.paused")
    assert page.locator(f"{CARD}:visible").first.get_attribute("data-generation-id") == nid
    # The parent stays as it was, reachable: "previous version" brings its card back.
    assert _get_json(f"{server}/api/content/{gid}")["slides"][0]["title"] == ELSEWHERE
    assert card.get_by_test_id("video").get_attribute("src") == f"/api/video/{gid}.mp4"
    link.click()
    card.wait_for(state="visible")
    assert card.get_attribute("data-superseded-by") is None
    assert page.evaluate("() => document.activeElement.dataset.generationId") == gid

    # Another browser has no owner token for it: Re-render says so, clearly.
    with _context(browser, errors) as other:
        stranger = _open(other, server)
        item = stranger.locator(f'[data-testid=recent-item][data-generation-id="{gid}"]')
        item.get_by_test_id("recent-open").click()
        theirs = stranger.locator(f'{CARD}[data-generation-id="{gid}"]')
        _wait_status(theirs, "completed", timeout=GENERATION_MS)
        theirs.get_by_test_id("edit").click()
        _field(theirs, 3, "title").fill("Not mine to change")
        theirs.get_by_test_id("rerender").click()
        problem = theirs.get_by_test_id("editor-error")
        problem.wait_for()
        assert "Only the browser that made this video" in problem.inner_text()


def test_move_a_draft_slide_up_and_down_by_keyboard(
    server: str, context: BrowserContext, errors: PageErrors
) -> None:
    page = _open(context, server)
    card, gid = _make_draft(page)
    titles = [s["title"] for s in _get_json(f"{server}/api/content/{gid}")["slides"]]

    def button(n: int, which: str) -> Locator:
        return card.get_by_role("button", name=f"Move slide {n} {which}", exact=True)

    # Disabled at the ends: the first cannot go up, the last cannot go down.
    assert button(1, "up").is_disabled() and button(3, "down").is_disabled()
    assert not button(2, "up").is_disabled() and not button(1, "down").is_disabled()
    # By keyboard: slide 1 "Move down" with Enter; it becomes slide 2, in the page and the API.
    button(1, "down").focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "([el, t]) => el.querySelector('[data-slide=\"2\"] [data-field=title]')?.value === t",
        arg=[card.element_handle(), titles[0]],
    )
    want = [titles[1], titles[0], titles[2]]
    assert [_field(card, n, "title").input_value() for n in (1, 2, 3)] == want
    assert [s["title"] for s in _get_json(f"{server}/api/content/{gid}")["slides"]] == want
    assert _get_json(f"{server}/api/status/{gid}")["version"] == 1
    said = card.get_by_test_id("editor-status").inner_text()
    assert said == "Slide 1 is now slide 2.", said
    # The focus followed the slide; once the action is done the ends are still off.
    focused = page.evaluate("() => document.activeElement.getAttribute('aria-label')")
    assert focused == "Move slide 2 down"
    assert button(1, "up").is_disabled() and button(3, "down").is_disabled()
    # A typed, unsaved title is saved before the move, then moves with its slide.
    _field(card, 3, "title").fill("Typed on the last slide")
    button(3, "up").click()
    page.wait_for_function(
        "el => el.querySelector('[data-slide=\"2\"] [data-field=title]')?.value"
        " === 'Typed on the last slide'",
        arg=card.element_handle(),
    )
    after = [s["title"] for s in _get_json(f"{server}/api/content/{gid}")["slides"]]
    assert after == [titles[1], "Typed on the last slide", titles[0]]
