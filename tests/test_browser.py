"""The web page, driven through Debian's Chromium with Playwright against the real server.

The server runs as a subprocess (`videogen serve`) on a free port with its own data directory,
with real speech and real encoding; each test gets a fresh browser context (its own
localStorage). Playwright's sync API is used from plain test functions, so trio_mode leaves
them alone.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from PIL import Image, ImageChops, ImageStat

from videogen.media.compose import ffmpeg_exe
from videogen.media.models import Slide
from videogen.media.slides import render_slide

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from playwright.sync_api import (
        Browser,
        BrowserContext,
        ConsoleMessage,
        FilePayload,
        Locator,
        Page,
        Request,
        Route,
    )

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parent.parent
VIDEOGEN = Path(sys.executable).with_name("videogen")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]
SERVER_START_S = 60.0
GENERATION_MS = 90_000
CARD = "[data-testid=generation-card]"

pytestmark = pytest.mark.skipif(
    not os.path.exists(CHROMIUM), reason=f"Debian Chromium is not installed at {CHROMIUM}"
)


# -- the server -------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def _wait_healthy(base: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"the server exited ({proc.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{base}/health", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    pytest.fail(f"the server did not answer /health in {SERVER_START_S} s:\n{log.read_text()}")


@contextlib.contextmanager
def _serve(folder: Path, *extra: str) -> Iterator[str]:
    """The base URL of a real `videogen serve`; stopped (SIGTERM, then wait) at the end."""
    port = _free_port()
    log = folder / "server.log"
    command = [
        os.fspath(VIDEOGEN),
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--data-dir",
        os.fspath(folder / "data"),
        "--max-running",
        "3",
        *extra,
    ]
    with log.open("wb") as out:
        proc = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base, proc, log)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server without keys (the default single-user setup)."""
    with _serve(tmp_path_factory.mktemp("browser-server")) as base:
        yield base


ADMIN_KEY = "browser-admin-key"


@pytest.fixture(scope="module")
def keyed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server started with `--api-key`: every /api/ call needs the key or a session."""
    with _serve(tmp_path_factory.mktemp("keyed-server"), "--api-key", ADMIN_KEY) as base:
        yield base


# -- the browser ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        try:
            yield launched
        finally:
            launched.close()


class PageErrors:
    """Uncaught exceptions and console errors of the pages of one context."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def watch(self, page: Page) -> None:
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        page.on("console", self._console)

    def _console(self, message: ConsoleMessage) -> None:
        # The browser logs every 4xx it receives; the tests provoke some on purpose.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.errors.append(f"console: {message.text}")


@contextlib.contextmanager
def _context(browser: Browser, errors: PageErrors) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    context.on("page", errors.watch)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def errors() -> Iterator[PageErrors]:
    found = PageErrors()
    yield found
    assert found.errors == [], found.errors


@pytest.fixture
def context(browser: Browser, errors: PageErrors) -> Iterator[BrowserContext]:
    with _context(browser, errors) as ctx:
        yield ctx


def _open(context: BrowserContext, base: str) -> Page:
    page = context.new_page()
    page.goto(f"{base}/")
    page.wait_for_selector("html[data-ready=true]")
    return page


def _submit(page: Page, topic: str, slides: int) -> Locator:
    """Fill the form, submit it and return the new card (the first one)."""
    before = page.locator(CARD).count()
    page.get_by_role("textbox", name="Topic").fill(topic)
    page.get_by_label("Number of slides").fill(str(slides))
    page.get_by_test_id("submit").click()
    page.wait_for_function(
        "n => document.querySelectorAll('[data-testid=generation-card]').length > n", arg=before
    )
    gid = page.locator(CARD).first.get_attribute("data-generation-id")
    card = page.locator(f'{CARD}[data-generation-id="{gid}"]')
    assert card.locator(".card-title").inner_text() == topic
    return card


def _wait_status(card: Locator, status: str, timeout: float = GENERATION_MS) -> None:
    card.page.wait_for_function(
        "([el, s]) => el.dataset.status === s", arg=[card.element_handle(), status], timeout=timeout
    )


def _progress(card: Locator) -> int:
    return int(card.get_by_role("progressbar").get_attribute("aria-valuenow") or "-1")


RECORDER = """
() => {
  window.__samples = [];
  const record = () => {
    for (const card of document.querySelectorAll('[data-testid=generation-card]')) {
      const id = card.dataset.generationId;
      const value = Number(card.querySelector('[role=progressbar]').getAttribute('aria-valuenow'));
      const stage = card.querySelector('[data-testid=stage]').textContent;
      const mine = window.__samples.filter((s) => s.id === id);
      const last = mine[mine.length - 1];
      if (!last || last.value !== value || last.stage !== stage) {
        window.__samples.push({ id, value, stage });
      }
    }
  };
  new MutationObserver(record).observe(document.getElementById('cards'), {
    subtree: true, attributes: true, childList: true, characterData: true,
  });
}
"""


# -- image comparison -------------------------------------------------------------------------

COMPARE_SIZE = (320, 180)


def _expected_slides(content: dict[str, Any]) -> list[Image.Image]:
    """Every slide as the video's first frame of it shows it (request defaults, 16:9)."""
    images = []
    for raw in content["slides"]:
        slide = Slide.model_validate(raw)
        reveal = slide.needs_animation and len(slide.bullets) >= 2
        image = render_slide(
            slide,
            topic=content["topic"],
            total=content["total_slides"],
            language="english",
            theme="classic",
            size=(1280, 720),
            visible_bullets=1 if reveal else None,
        )
        images.append(image.convert("RGB").resize(COMPARE_SIZE, Image.Resampling.LANCZOS))
    return images


def _mean_abs_diff(a: Image.Image, b: Image.Image) -> float:
    means = ImageStat.Stat(ImageChops.difference(a, b)).mean
    return sum(means) / len(means)


# -- the tests --------------------------------------------------------------------------------


@pytest.mark.browser
def test_generate_watch_progress_play_and_seek_to_a_slide(
    server: str, context: BrowserContext
) -> None:
    page = _open(context, server)
    page.evaluate(RECORDER)
    card = _submit(page, "Photosynthesis in plants", 3)
    gid = card.get_attribute("data-generation-id")
    assert gid
    _wait_status(card, "completed")

    samples = [s for s in page.evaluate("window.__samples") if s["id"] == gid]
    values = [s["value"] for s in samples]
    assert values == sorted(values), values  # never goes down
    assert len(set(values)) >= 4 and values[-1] == 100, values
    stages = list(dict.fromkeys(s["stage"] for s in samples))
    assert len(stages) >= 4 and stages[-1] == "Completed", stages
    assert card.get_by_test_id("status-badge").inner_text() == "Completed"
    assert card.get_by_test_id("log").locator("li").count() >= 5
    assert card.get_by_test_id("cancel").count() == 0

    script = _get_json(f"{server}/api/script/{gid}")
    content = _get_json(f"{server}/api/content/{gid}")
    video = card.get_by_test_id("video")
    assert video.get_attribute("src") == f"/api/video/{gid}.mp4"
    assert video.get_attribute("preload") == "metadata"
    assert card.get_by_test_id("download").get_attribute("href") == f"/api/video/{gid}.mp4"
    assert card.get_by_test_id("download").get_attribute("download") is not None
    page.wait_for_function("v => v.readyState >= 1", arg=video.element_handle())
    duration = video.evaluate("v => v.duration")
    assert abs(duration - script["total_duration"]) < 0.2, (duration, script["total_duration"])

    # Subtitles: off at first, the button shows and hides them.
    toggle = card.get_by_test_id("subtitles-toggle")
    assert toggle.get_attribute("aria-pressed") == "false"
    assert video.evaluate("v => v.textTracks[0].mode") == "hidden"
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    assert video.evaluate("v => v.textTracks[0].mode") == "showing"
    page.wait_for_function(
        "v => v.textTracks[0].cues && v.textTracks[0].cues.length > 0", arg=video.element_handle()
    )
    toggle.click()
    assert video.evaluate("v => v.textTracks[0].mode") == "hidden"

    played = video.evaluate(
        """async (v) => {
            v.muted = true;
            await v.play();
            await new Promise((r) => setTimeout(r, 800));
            v.pause();
            return v.currentTime;
        }"""
    )
    assert played > 0.2, played

    # The chapters track: a cue per slide, titled with it, where the script says it starts.
    page.wait_for_function(
        "v => v.textTracks[1].kind === 'chapters' && v.textTracks[1].cues?.length > 0",
        arg=video.element_handle(),
    )
    chapters = video.evaluate("v => [...v.textTracks[1].cues].map((c) => [c.startTime, c.text])")
    assert [t for _, t in chapters] == [s["title"] for s in content["slides"]]
    starts = [s["start_time"] for s in script["slide_scripts"]]
    assert all(abs(a - b) < 0.002 for (a, _), b in zip(chapters, starts, strict=True))
    link = card.get_by_test_id("chapters-link").get_attribute("href")
    assert link == f"/api/chapters/{gid}?format=youtube"

    # The 3rd slide of the timeline seeks there.
    slides = card.get_by_test_id("timeline-slide")
    assert slides.count() == 3
    titles = [s["title"] for s in content["slides"]]
    assert titles[2] in slides.nth(2).inner_text()
    start = script["slide_scripts"][2]["start_time"]
    video.evaluate(
        """(v) => {
            window.__seeked = new Promise((resolve) =>
              v.addEventListener('seeked', () => v.requestVideoFrameCallback
                ? v.requestVideoFrameCallback(() => resolve(v.currentTime))
                : resolve(v.currentTime), { once: true }));
        }"""
    )
    slides.nth(2).click()
    page.evaluate("() => Promise.race([window.__seeked, new Promise((r) => setTimeout(r, 5000))])")
    current = video.evaluate("v => v.currentTime")
    assert abs(current - start) < 0.2, (current, start)
    assert slides.nth(2).get_attribute("aria-current") == "true"

    # What the video shows is the 3rd slide, not another one.
    video.evaluate("v => { v.controls = false; }")
    page.wait_for_timeout(300)
    shot = Image.open(BytesIO(video.screenshot())).convert("RGB")
    video.evaluate("v => { v.controls = true; }")
    shown = shot.resize(COMPARE_SIZE, Image.Resampling.LANCZOS)
    diffs = [_mean_abs_diff(shown, expected) for expected in _expected_slides(content)]
    assert diffs[2] < 12, diffs
    assert diffs[2] < min(diffs[0], diffs[1]), diffs


PPTX_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
FETCH_HEAD = """async (href) => {
  const r = await fetch(href);
  const body = await r.arrayBuffer();
  return [r.status, r.headers.get("Content-Type"), new Uint8Array(body.slice(0, 2)).join(",")];
}"""


@pytest.mark.browser
def test_the_download_menu_opens_with_the_keyboard_and_links_every_artifact(
    server: str, context: BrowserContext
) -> None:
    page = _open(context, server)
    card = _submit(page, "Bridges and arches", 2)
    gid = card.get_attribute("data-generation-id")
    assert gid
    _wait_status(card, "completed")
    button = card.get_by_test_id("download-menu-button")
    menu = card.get_by_test_id("download-menu")
    button.wait_for()
    assert button.get_attribute("aria-expanded") == "false"
    assert menu.is_hidden()
    assert button.get_attribute("aria-controls") == menu.get_attribute("id")

    # Enter on the focused button opens it and puts the focus on the first link.
    button.focus()
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    assert menu.is_visible()
    focused = "() => document.activeElement.dataset.testid"
    assert page.evaluate(focused) == "download"
    page.keyboard.press("ArrowDown")
    assert page.evaluate(focused) == "download-pptx"

    links = menu.get_by_role("link")
    found = {
        links.nth(n).inner_text(): links.nth(n).get_attribute("href") for n in range(links.count())
    }
    assert found == {
        "Video (MP4)": f"/api/video/{gid}.mp4",
        "Slides (PPTX, with speaker notes)": f"/api/export/{gid}.pptx",
        "Slides (PDF)": f"/api/export/{gid}.pdf",
        "Handout (PDF with narration)": f"/api/export/{gid}.pdf?handout=1",
        "Everything (ZIP)": f"/api/export/{gid}.zip",
        "Subtitles (VTT)": f"/api/subtitles/{gid}",
        "Subtitles (SRT)": f"/api/subtitles/{gid}?format=srt",
        "Chapters (VTT)": f"/api/chapters/{gid}",
        "Chapters (YouTube lines)": f"/api/chapters/{gid}?format=youtube",
    }, found
    assert all(links.nth(n).get_attribute("download") for n in range(links.count()))

    # The PPTX link, fetched as the page would: 200, the PPTX type, a ZIP container ("PK").
    pptx = card.get_by_test_id("download-pptx").get_attribute("href")
    status, kind, magic = page.evaluate(FETCH_HEAD, pptx)
    assert (status, kind, magic) == (200, PPTX_TYPE, "80,75"), (status, kind, magic)

    # Escape closes it and gives the focus back to the button; a click outside closes it too.
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    assert menu.is_hidden()
    assert page.evaluate(focused) == "download-menu-button"
    page.keyboard.press("Space")
    assert menu.is_visible()
    card.locator(".card-title").click()
    assert button.get_attribute("aria-expanded") == "false"
    assert menu.is_hidden()
    # Tabbing on from the last link leaves the menu, and closes it.
    button.click()
    page.keyboard.press("End")
    assert page.evaluate(focused) == "chapters-link"
    page.keyboard.press("Tab")
    assert button.get_attribute("aria-expanded") == "false"
    assert menu.is_hidden()


@pytest.mark.browser
def test_cancel_one_of_two_running_generations(server: str, context: BrowserContext) -> None:
    page = _open(context, server)
    first = _submit(page, "Ocean currents", 4)
    first_id = first.get_attribute("data-generation-id")
    second = _submit(page, "The history of printing", 30)
    second_id = second.get_attribute("data-generation-id")
    assert first_id != second_id
    assert page.locator(CARD).count() == 2

    page.wait_for_function(
        "el => Number(el.querySelector('[role=progressbar]').getAttribute('aria-valuenow')) >= 10",
        arg=second.element_handle(),
        timeout=30_000,
    )
    second.get_by_test_id("cancel").click()
    _wait_status(second, "cancelled", timeout=30_000)
    assert second.get_by_test_id("status-badge").inner_text() == "Cancelled"
    assert second.get_by_test_id("cancel").count() == 0
    assert second.get_by_test_id("video").count() == 0
    assert 0 < _progress(second) < 100
    _wait_status(first, "completed")
    first.get_by_test_id("video").wait_for()
    assert _get_json(f"{server}/api/status/{second_id}")["status"] == "cancelled"
    assert _get_json(f"{server}/api/status/{first_id}")["status"] == "completed"


@pytest.mark.browser
def test_two_users_each_see_only_their_own_generation(
    server: str, browser: Browser, errors: PageErrors
) -> None:
    with _context(browser, errors) as alice_ctx, _context(browser, errors) as bob_ctx:
        alice = _open(alice_ctx, server)
        bob = _open(bob_ctx, server)
        alice_card = _submit(alice, "Volcanoes of Iceland", 3)
        bob_card = _submit(bob, "Glaciers and climate", 4)
        alice_id = alice_card.get_attribute("data-generation-id")
        bob_id = bob_card.get_attribute("data-generation-id")
        _wait_status(alice_card, "completed")
        _wait_status(bob_card, "completed")
        for page, mine, theirs in ((alice, alice_id, bob_id), (bob, bob_id, alice_id)):
            ids = [c.get_attribute("data-generation-id") for c in page.locator(CARD).all()]
            assert ids == [mine], ids
            assert page.locator(f'{CARD}[data-generation-id="{theirs}"]').count() == 0
            kept = page.evaluate("() => JSON.stringify(localStorage)")
            assert mine in kept and theirs not in kept


@pytest.mark.browser
def test_validation_error_shows_the_servers_message(server: str, context: BrowserContext) -> None:
    page = _open(context, server)
    body = {"topic": "   ", "num_slides": 5}
    answer = page.request.post(f"{server}/api/generate", data=body)
    assert answer.status == 422
    expected = answer.json()["detail"][0]["msg"]

    page.get_by_role("textbox", name="Topic").fill("   ")
    page.get_by_test_id("submit").click()
    field_error = page.get_by_test_id("error-topic")
    field_error.wait_for(state="visible")
    assert expected in field_error.inner_text()
    assert page.get_by_role("textbox", name="Topic").get_attribute("aria-invalid") == "true"
    assert expected in page.get_by_test_id("form-error").inner_text()
    assert page.evaluate("document.activeElement.id") == "topic"
    assert page.locator(CARD).count() == 0

    # Typing clears it; a number of slides out of range is reported next to that field.
    page.get_by_role("textbox", name="Topic").fill("Rivers")
    assert page.get_by_test_id("error-topic").is_hidden()
    page.get_by_label("Number of slides").fill("31")
    page.get_by_test_id("submit").click()
    slides_error = page.get_by_test_id("error-num_slides")
    slides_error.wait_for(state="visible")
    assert "30" in slides_error.inner_text()
    assert page.get_by_test_id("error-topic").is_hidden()
    assert page.locator(CARD).count() == 0


@pytest.mark.browser
def test_the_resolution_select_lists_the_options_and_asks_for_1080p(
    server: str, context: BrowserContext, tmp_path: Path
) -> None:
    page = _open(context, server)
    select = page.get_by_label("Resolution")
    values = select.locator("option").evaluate_all("os => os.map(o => o.value)")
    assert values == _get_json(f"{server}/api/options")["resolutions"] == ["720p", "1080p", "2160p"]
    assert select.input_value() == "720p"
    select.select_option("1080p")
    card = _submit(page, "Tides", 1)
    _wait_status(card, "completed")
    gid = card.get_attribute("data-generation-id")
    video = tmp_path / "tides.mp4"
    video.write_bytes(page.request.get(f"{server}/api/video/{gid}.mp4").body())
    probe = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-i", str(video)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "1920x1080" in probe.stderr


@pytest.mark.browser
def test_reload_keeps_the_generation_cards(server: str, context: BrowserContext) -> None:
    page = _open(context, server)
    done = _submit(page, "Bees and pollination", 2)
    done_id = done.get_attribute("data-generation-id")
    _wait_status(done, "completed")
    running = _submit(page, "The printing press", 12)
    running_id = running.get_attribute("data-generation-id")
    page.wait_for_function(
        "el => Number(el.querySelector('[role=progressbar]').getAttribute('aria-valuenow')) >= 20",
        arg=running.element_handle(),
    )

    page.reload()
    page.wait_for_selector("html[data-ready=true]")
    ids = [c.get_attribute("data-generation-id") for c in page.locator(CARD).all()]
    assert ids == [running_id, done_id], ids
    again = page.locator(f'{CARD}[data-generation-id="{running_id}"]')
    _wait_status(again, "completed")
    again.get_by_test_id("video").wait_for()
    kept = page.locator(f'{CARD}[data-generation-id="{done_id}"]')
    _wait_status(kept, "completed", timeout=10_000)
    kept.get_by_test_id("video").wait_for()
    recent = page.locator(f'[data-testid=recent-item][data-generation-id="{done_id}"]')
    recent.wait_for()

    # Removing a card forgets it for this browser only.
    kept.get_by_test_id("remove").click()
    page.reload()
    page.wait_for_selector("html[data-ready=true]")
    ids = [c.get_attribute("data-generation-id") for c in page.locator(CARD).all()]
    assert ids == [running_id], ids


@pytest.mark.browser
def test_screenshot_mid_generation(server: str, context: BrowserContext, tmp_path: Path) -> None:
    """One finished video and a 12-slide one on its way. Written to docs/screenshot.png (the
    README's picture) only when VIDEOGEN_SCREENSHOT=1, so a test run never edits the tree."""
    page = _open(context, server)
    page.set_viewport_size({"width": 1280, "height": 1320})
    finished = _submit(page, "How vaccines work", 3)
    _wait_status(finished, "completed")
    finished.get_by_test_id("timeline-slide").first.wait_for()
    page.wait_for_function(
        "v => v.readyState >= 3 && v.networkState !== 2",
        arg=finished.get_by_test_id("video").element_handle(),
    )
    page.wait_for_timeout(2000)  # the player's loading spinner fades out
    # The bar's width transition would lag behind aria-valuenow in a still picture.
    page.add_style_tag(content=".progress-bar { transition: none !important; }")
    card = _submit(page, "The history of the internet", 12)
    page.wait_for_function(
        "el => { const v = Number(el.querySelector('[role=progressbar]')"
        ".getAttribute('aria-valuenow')); return v >= 30 && v <= 75; }",
        arg=card.element_handle(),
        polling=50,
    )
    target = ROOT / "docs" if os.environ.get("VIDEOGEN_SCREENSHOT") == "1" else tmp_path
    target.mkdir(exist_ok=True)
    page.screenshot(path=target / "screenshot.png")
    assert (target / "screenshot.png").stat().st_size > 10_000
    assert 20 <= _progress(card) <= 95
    _wait_status(card, "completed")


def _busy(status: int, detail: str, wait: str) -> Callable[[Route], None]:
    def answer(route: Route) -> None:
        route.fulfill(
            status=status,
            headers={"Retry-After": wait},
            content_type="application/json",
            body=json.dumps({"detail": detail}),
        )

    return answer


@pytest.mark.browser
def test_busy_server_answers_mention_retry_after(server: str, context: BrowserContext) -> None:
    """429 and 503 (provoked here by answering for the server) say when to try again."""
    page = _open(context, server)
    answers = [
        (429, "Too many requests: slow down", "7"),
        (503, "Too many generations waiting (100); try again later", "12"),
    ]
    for status, detail, wait in answers:
        page.route("**/api/generate", _busy(status, detail, wait))
        page.get_by_role("textbox", name="Topic").fill("Migrating birds")
        page.get_by_test_id("submit").click()
        message = page.get_by_test_id("form-error")
        page.wait_for_function(
            "([el, d]) => !el.hidden && el.textContent.includes(d)",
            arg=[message.element_handle(), detail],
        )
        text = message.inner_text()
        assert detail in text and f"{wait} s" in text, text
        page.unroute("**/api/generate")
    assert page.locator(CARD).count() == 0


@pytest.mark.browser
def test_sign_in_with_the_key_then_generate_watch_and_play(
    keyed_server: str, context: BrowserContext
) -> None:
    page = _open(context, keyed_server)
    signin = page.get_by_test_id("signin-panel")
    assert signin.is_visible()
    assert page.get_by_test_id("generate-form").is_hidden()
    assert page.evaluate("document.activeElement.id") == "signin-key"

    page.get_by_label("Key").fill("not-the-key")
    page.get_by_test_id("signin-submit").click()
    error = page.get_by_test_id("signin-error")
    error.wait_for(state="visible")
    assert "not valid" in error.inner_text()

    page.get_by_label("Key").fill(ADMIN_KEY)
    page.get_by_test_id("signin-submit").click()
    page.get_by_test_id("generate-form").wait_for(state="visible")
    assert signin.is_hidden()
    assert page.get_by_test_id("account-name").inner_text() == "Signed in as admin"
    # The session cookie is HttpOnly: no script of the page (or injected into it) can read it.
    assert "videogen_session" not in page.evaluate("document.cookie")
    cookies = {c["name"]: c for c in context.cookies()}
    assert cookies["videogen_session"]["httpOnly"] is True
    assert cookies["videogen_session"]["sameSite"] == "Strict"

    # EventSource and <video> cannot send a header: they carry the cookie.
    card = _submit(page, "Signed-in tides", 2)
    _wait_status(card, "completed")
    video = card.get_by_test_id("video")
    page.wait_for_function("v => v.readyState >= 1", arg=video.element_handle())
    # So does a download: the menu's plain links need no header either.
    pdf = card.get_by_test_id("download-pdf").get_attribute("href")
    status, kind, magic = page.evaluate(FETCH_HEAD, pdf)
    assert (status, kind, magic) == (200, "application/pdf", "37,80"), (status, kind, magic)

    page.reload()
    page.wait_for_selector("html[data-ready=true]")
    assert page.get_by_test_id("signin-panel").is_hidden()
    gid = card.get_attribute("data-generation-id")
    kept = page.locator(f'{CARD}[data-generation-id="{gid}"]')
    _wait_status(kept, "completed", timeout=10_000)

    page.get_by_test_id("sign-out").click()
    page.wait_for_load_state()
    page.wait_for_selector("html[data-ready=true]")
    page.get_by_test_id("signin-panel").wait_for(state="visible")
    assert "videogen_session" not in {c["name"] for c in context.cookies()}


# -- sources: documents, the encyclopedia, what a card rests on (issue 11) ---------------------

ENCYCLOPEDIA = "Look the topic up in the offline encyclopedia"
CHIP = "[data-testid=upload-chip]"

CORAL_NOTES = """# Coral reefs

Coral reefs are underwater ecosystems built by colonies of tiny animals called coral polyps.
The polyps secrete calcium carbonate, which forms the hard skeleton of the reef over thousands
of years. Reefs cover less than one percent of the ocean floor, yet they shelter about a quarter
of all marine species.

## How corals feed

Most reef-building corals live in partnership with microscopic algae called zooxanthellae.
The algae live inside the coral tissue and make food by photosynthesis. In return the coral
gives the algae shelter and the carbon dioxide they need. This partnership is why reefs grow
in clear, shallow and sunlit water.

## Threats to reefs

Warmer seas make corals expel their algae, a process known as coral bleaching. Ocean
acidification slows the growth of the calcium carbonate skeleton. Overfishing, pollution and
coastal building also damage reefs. The Great Barrier Reef in Australia has suffered several
mass bleaching events since 1998.
"""

WATER_NOTES = """# Notes on the water cycle

Water evaporates from oceans, lakes and rivers when the sun heats it. The water vapour rises,
cools and condenses into the tiny droplets that form clouds. When the droplets grow heavy they
fall back as precipitation: rain, snow, sleet or hail. On land the water soaks into the ground
or runs off into rivers that carry it back to the sea.
"""


def _sources_server(base: str) -> dict[str, Any]:
    """`GET /api/options` of a server with issue 11's server side; skip the test otherwise."""
    probe = urllib.request.Request(
        f"{base}/api/uploads",
        data=b"--x--\r\n",
        method="POST",
        headers={"Content-Type": "multipart/form-data; boundary=x"},
    )
    try:
        urllib.request.urlopen(probe, timeout=10).close()
    except urllib.error.HTTPError as err:
        err.close()
        if err.code in (404, 405):
            pytest.skip(
                f"POST /api/uploads answers {err.code}: the server side of issue 11 (uploads, "
                "sources, grounding) is not merged into this tree yet"
            )
    options: dict[str, Any] = _get_json(f"{base}/api/options")
    if "sources" not in options or "upload_bytes" not in options.get("limits", {}):
        pytest.skip("GET /api/options has no `sources` / `limits.upload_bytes` yet (issue 11)")
    return options


def _size_text(n: int) -> str:
    """A size as the page writes it (dom.js `formatBytes`), up to megabytes."""
    if n < 1000:
        return f"{n} B"
    value, unit = (n / 1000, "kB") if n < 999_950 else (n / 1_000_000, "MB")
    shown = math.floor(value * 10 + 0.5) / 10 if value < 10 else math.floor(value + 0.5)
    return f"{shown:g} {unit}"


def _upload_requests(page: Page) -> list[str]:
    """The URLs of every `POST /api/uploads` the page sends from now on."""
    sent: list[str] = []
    page.on(
        "request",
        lambda r: sent.append(r.url) if r.method == "POST" and "/api/uploads" in r.url else None,
    )
    return sent


def _chip(page: Page, name: str) -> Locator:
    return page.locator(CHIP).filter(has=page.locator(".chip-name", has_text=name))


def _wait_chip(chip: Locator, state: str) -> None:
    chip.page.wait_for_function(
        "([el, s]) => el.dataset.state === s", arg=[chip.element_handle(), state]
    )


def _said(page: Page, *parts: str) -> None:
    """Wait until the uploads' aria-live line says all of `parts`."""
    page.wait_for_function(
        "parts => { const t = document.getElementById('uploads-live').textContent;"
        " return parts.every((p) => t.includes(p)); }",
        arg=list(parts),
        timeout=10_000,
    )


DROP = """([zone, name, type, text, size]) => {
  const data = new DataTransfer();
  data.items.add(new File([text === null ? new Uint8Array(size) : text], name, { type }));
  for (const kind of ['dragenter', 'dragover', 'drop']) {
    const init = { dataTransfer: data, bubbles: true, cancelable: true };
    zone.dispatchEvent(new DragEvent(kind, init));
  }
}"""


def _drop(page: Page, name: str, mime: str, *, text: str | None = None, size: int = 0) -> None:
    """Drag a file made in the page onto the drop area and drop it: `text`, or `size` zero
    bytes (made there: no 20 MB through Playwright). The page sees real drag events."""
    zone = page.get_by_test_id("drop-zone").element_handle()
    page.evaluate(DROP, [zone, name, mime, text, size])


def _body(request: Request) -> dict[str, Any]:
    """The JSON body the page sent."""
    body = request.post_data_json
    assert isinstance(body, dict), body
    return body


def _sources_of(card: Locator, gid: str, base: str) -> tuple[dict[str, Any], list[str]]:
    """The generation's content (from the API) and the card's source lines, once shown."""
    card.get_by_test_id("sources").wait_for()
    content: dict[str, Any] = _get_json(f"{base}/api/content/{gid}")
    return content, card.get_by_test_id("source-item").all_inner_texts()


@pytest.mark.browser
def test_documents_are_checked_on_the_page_and_the_encyclopedia_can_be_turned_off(
    server: str, context: BrowserContext
) -> None:
    """Runs on any server: the checks made before an upload, the checkbox's request field, and
    a card that says it rests on no source."""
    page = _open(context, server)
    # Playwright turns the interception of file choosers on when a listener is added, and not
    # always before a chooser opened at once: on early, the `expect_file_chooser` below is sure.
    page.on("filechooser", lambda _chooser: None)
    sent = _upload_requests(page)
    assert page.get_by_label(ENCYCLOPEDIA).is_checked()
    page.locator("#more-options summary").click()

    # Keyboard only: "Choose files…" opens the file chooser.
    choose = page.get_by_role("button", name="Choose files…")
    choose.focus()
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Enter")
    assert chooser.value.is_multiple()
    refused: list[FilePayload] = [
        {"name": "setup.exe", "mimeType": "application/octet-stream", "buffer": b"MZ\x90\x00"},
        {"name": "empty.md", "mimeType": "text/markdown", "buffer": b""},
    ]
    chooser.value.set_files(refused)
    exe, empty = _chip(page, "setup.exe"), _chip(page, "empty.md")
    assert exe.get_attribute("data-state") == "error"
    assert "Markdown, text, PDF or HTML" in exe.get_by_test_id("upload-status").inner_text()
    assert empty.get_by_test_id("upload-status").inner_text() == "This file is empty."
    _said(page, "setup.exe not uploaded", "empty.md not uploaded: This file is empty.")
    assert sent == []

    # Removing a chip from the keyboard keeps the focus in the list, then on "Choose files…".
    exe.get_by_role("button", name="Remove setup.exe").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Remove empty.md"
    page.keyboard.press("Enter")
    assert page.locator(CHIP).count() == 0
    assert page.evaluate("document.activeElement.id") == "sources"

    page.get_by_label(ENCYCLOPEDIA).uncheck()
    with page.expect_request("**/api/generate") as generate:
        card = _submit(page, "A topic without any source", 1)
    body = _body(generate.value)
    assert body["knowledge"] == "none" and "sources" not in body, body
    gid = card.get_attribute("data-generation-id")
    assert gid
    _wait_status(card, "completed")
    content, lines = _sources_of(card, gid, server)
    assert content["grounded"] is False and lines == []
    note = card.get_by_test_id("ungrounded-note")
    assert note.inner_text() == "No source found: a structured outline"
    assert card.get_by_test_id("grounded-badge").count() == 0


@pytest.mark.browser
def test_upload_a_markdown_document_and_the_card_cites_it(
    server: str, context: BrowserContext, tmp_path: Path
) -> None:
    options = _sources_server(server)
    page = _open(context, server)
    hint = page.get_by_test_id("knowledge-hint").inner_text()
    for source in options["sources"]:
        assert source["name"] in hint, (source, hint)
    notes = tmp_path / "coral-reef-notes.md"
    notes.write_text(CORAL_NOTES, encoding="utf-8")
    stray = tmp_path / "stray.txt"
    stray.write_text("Not about reefs at all: a shopping list. Milk, bread, eggs.\n")

    page.locator("#more-options summary").click()
    with page.expect_response("**/api/uploads") as answered:
        page.get_by_label("My own documents").set_input_files(notes)
    assert answered.value.status == 201
    upload = answered.value.json()
    assert upload["filename"] == notes.name and upload["bytes"] == notes.stat().st_size
    chip = _chip(page, notes.name)
    _wait_chip(chip, "ready")
    assert chip.get_attribute("data-upload-id") == upload["upload_id"]
    meta = chip.locator(".chip-meta").inner_text()
    title = upload.get("title")
    assert meta == (
        f"{_size_text(upload['bytes'])} · {title}" if title else _size_text(upload["bytes"])
    )
    _said(page, f"Uploaded {notes.name}")

    # A second file, removed again: it is not sent.
    page.get_by_label("My own documents").set_input_files(stray)
    _wait_chip(_chip(page, stray.name), "ready")
    page.get_by_role("button", name=f"Remove {stray.name}").click()
    assert page.locator(CHIP).count() == 1

    # Only the document: the encyclopedia off, so what the card cites is the upload.
    page.get_by_label(ENCYCLOPEDIA).uncheck()
    with page.expect_request("**/api/generate") as generate:
        card = _submit(page, "Coral reefs", 3)
    body = _body(generate.value)
    assert body["sources"] == [{"type": "upload", "upload_id": upload["upload_id"]}], body
    assert body["knowledge"] == "none", body
    gid = card.get_attribute("data-generation-id")
    assert gid
    _wait_status(card, "completed")

    content, lines = _sources_of(card, gid, server)
    assert content["grounded"] is True, content
    assert len(lines) == len(content["sources"]) >= 1, (lines, content["sources"])
    assert any(notes.name in line for line in lines), lines
    for line, source in zip(lines, content["sources"], strict=True):
        assert source["title"] in line and source["license"] in line, (line, source)
    assert card.get_by_test_id("grounded-badge").inner_text() == "Grounded"
    assert card.get_by_test_id("ungrounded-note").count() == 0
    faithfulness = content.get("faithfulness")
    if faithfulness is not None:
        expected = (
            f"{faithfulness['supported']} of {faithfulness['sentences']} "
            "statements matched to a source"
        )
        assert card.get_by_test_id("faithfulness").inner_text() == expected


@pytest.mark.browser
def test_a_too_big_or_unreadable_document_shows_why_next_to_it(
    server: str, context: BrowserContext
) -> None:
    options = _sources_server(server)
    limit = int(options["limits"]["upload_bytes"])
    page = _open(context, server)
    sent = _upload_requests(page)
    page.locator("#more-options summary").click()
    assert page.locator("#upload-limit").inner_text().startswith(", up to ")

    # One byte over the server's limit: refused on the page, never sent.
    _drop(page, "huge-notes.txt", "text/plain", size=limit + 1)
    huge = _chip(page, "huge-notes.txt")
    assert huge.get_attribute("data-state") == "error"
    assert huge.get_by_test_id("upload-status").inner_text().startswith("Too big to upload")
    _said(page, "huge-notes.txt not uploaded: Too big")
    assert sent == []

    # A binary file named .txt (not a picture either: a picture is now taken whatever its
    # name): the server reads it and refuses it (422), the chip says why.
    binary_bytes = bytes(range(256)) * 16
    with page.expect_response("**/api/uploads") as answered:
        page.get_by_label("My own documents").set_input_files(
            {"name": "diagram.txt", "mimeType": "text/plain", "buffer": binary_bytes}
        )
    assert answered.value.status == 422, answered.value.text()
    detail = answered.value.json()["detail"]
    binary = _chip(page, "diagram.txt")
    _wait_chip(binary, "error")
    shown = binary.get_by_test_id("upload-status").inner_text()
    messages = [item["msg"] for item in detail] if isinstance(detail, list) else [detail]
    assert all(m in shown for m in messages) and shown, (shown, detail)
    _said(page, "diagram.txt not uploaded", messages[0])
    assert len(sent) == 1

    # Two good documents dropped after them go in the order they were added; refused ones not.
    with page.expect_response("**/api/uploads") as first:
        _drop(page, "water-notes.md", "text/markdown", text=WATER_NOTES)
    page.get_by_label("My own documents").set_input_files(
        {"name": "more-water.md", "mimeType": "text/markdown", "buffer": CORAL_NOTES.encode()}
    )
    _wait_chip(_chip(page, "water-notes.md"), "ready")
    _wait_chip(_chip(page, "more-water.md"), "ready")
    ids = [
        _chip(page, name).get_attribute("data-upload-id")
        for name in ("water-notes.md", "more-water.md")
    ]
    assert ids[0] == first.value.json()["upload_id"]
    with page.expect_request("**/api/generate") as generate:
        card = _submit(page, "The water cycle", 2)
    body = _body(generate.value)
    assert body["sources"] == [{"type": "upload", "upload_id": i} for i in ids], body
    assert body["knowledge"] == "auto", body
    gid = card.get_attribute("data-generation-id")
    assert gid
    _wait_status(card, "completed")
    content, lines = _sources_of(card, gid, server)
    assert content["grounded"] is True and len(lines) == len(content["sources"]), content
    # A web address is a link that opens apart from the page and tells it nothing.
    items = card.get_by_test_id("source-item")
    for n, source in enumerate(content["sources"]):
        link = items.nth(n).locator("a")
        if source["origin"].startswith(("http://", "https://")):
            assert link.get_attribute("href") == source["origin"]
            assert link.get_attribute("rel") == "noopener noreferrer"
            assert link.get_attribute("target") == "_blank"
        else:
            assert link.count() == 0
            assert source["origin"] in items.nth(n).inner_text()
