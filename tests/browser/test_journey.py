"""The whole story in Chromium, on a live site (Daphne, RQ workers with the preview renderer, real
Redis): two people sign up and make avatars (one uploads, one records with the fake camera), become
friends, share consent, cast a film, watch it render live and play; a logged-out visitor opens the
share link, signs up and swaps in. Every step is photographed at phone and desktop size."""
import re
from pathlib import Path

import extruct
import pytest

from tests.support.clipmaker import write_clip
from tests.support.browser import CHROMIUM_ARGS
from tests.support.live_site import LiveSite

pytestmark = [pytest.mark.browser]

PASSWORD = "balcony-guitar-2025"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
PREPARE_TIMEOUT = 60_000  # ms: avatar preparation and a preview render each take seconds on 2 cores
RENDER_TIMEOUT = 90_000
AXE = Path(__file__).resolve().parent / "node_tools" / "node_modules" / "axe-core" / "axe.min.js"

# Installed before any page script: remembers every percent the live progress box shows, across the
# reload that happens when the render finishes, so the test can tell the bar moved over the socket.
RECORD_PERCENTS = """
(() => {
  const seen = () => JSON.parse(sessionStorage.getItem("percents") || "[]");
  const remember = (text) => { const list = seen(); list.push(parseInt(text, 10)); sessionStorage.setItem("percents", JSON.stringify(list)); };
  document.addEventListener("DOMContentLoaded", () => {
    const percent = document.querySelector("[data-live] [data-percent]");
    if (!percent) return;
    remember(percent.textContent);
    new MutationObserver(() => remember(percent.textContent)).observe(percent, {childList: true, characterData: true, subtree: true});
  });
})();
"""


class Shooter:
    """Screenshots of each step at phone size, then at desktop size, checking nothing overflows a phone."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count = 0
        self.axe = AXE.read_text() if AXE.exists() else None  # ./run tests installs it with npm

    def __call__(self, page, name):
        self.count += 1
        page.set_viewport_size(PHONE)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, f"{name} overflows a 360 px phone"
        if self.axe:
            assert serious_accessibility_problems(page, self.axe) == [], name
        page.screenshot(path=str(self.folder / f"{self.count:02d}-{name}-phone.png"), full_page=True)
        page.set_viewport_size(DESKTOP)
        page.screenshot(path=str(self.folder / f"{self.count:02d}-{name}-desktop.png"), full_page=True)
        page.set_viewport_size(PHONE)


def serious_accessibility_problems(page, axe_source):
    """axe-core's serious and critical findings (missing labels, low contrast, unnamed buttons...)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)
    violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [
        (violation["id"], [node["target"] for node in violation["nodes"]][:3])
        for violation in violations if violation["impact"] in ("serious", "critical")
    ]


def sign_up(page, base, handle, next_url=""):
    page.goto(f"{base}/accounts/signup/{next_url}")
    page.get_by_label("Handle").fill(handle)
    page.get_by_label("Display name").fill(handle.title())
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_load_state()


def fill_avatar_form(page, name, policy):
    page.get_by_label("Name").fill(name)
    page.get_by_label("Kind").select_option("person")
    page.get_by_label("Who may cast it").select_option(label=policy)


def wait_until_ready(page):
    """The avatar page reloads itself when preparation ends; the reference frames show it is ready."""
    page.get_by_role("heading", name="Reference frames").wait_for(timeout=PREPARE_TIMEOUT)


def wait_for_player(page):
    page.locator("video#film-player").wait_for(timeout=RENDER_TIMEOUT)


def plays(page):
    # Muted so headless Chromium's autoplay policy lets play() start without a gesture.
    return page.evaluate(
        """async () => {
            const v = document.querySelector('video#film-player');
            v.muted = true;
            const start = v.currentTime;
            await v.play();
            const deadline = Date.now() + 5000;
            while (v.currentTime <= start + 0.2 && Date.now() < deadline) await new Promise(r => setTimeout(r, 100));
            v.pause();
            return v.currentTime - start;
        }"""
    )


def test_three_people_make_share_and_remix_a_film_in_the_browser(chromium, tmp_path, artifacts):
    shoot = Shooter(artifacts / "journey")
    clip_a = write_clip(tmp_path / "ada.mp4", size=(320, 240), seconds=3.0, audio="aac")
    clip_c = write_clip(tmp_path / "cyd.mp4", size=(320, 240), seconds=3.0, audio="aac")
    camera_browser = chromium.browser_type.launch(
        executable_path="/usr/bin/chromium",
        args=[*CHROMIUM_ARGS, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"])
    site = LiveSite(tmp_path / "site", redis_db=6)
    site.env["SITE_URL"] = site.url  # link previews carry absolute URLs of this very site
    with site:
        base = site.url
        a_context = chromium.new_context(viewport=PHONE, locale="en-US")
        b_context = camera_browser.new_context(viewport=PHONE, locale="en-US", permissions=["camera", "microphone"])
        c_context = chromium.new_context(viewport=PHONE, locale="en-US")
        for context in (a_context, b_context, c_context):
            context.set_default_timeout(20_000)
        a, b, c = a_context.new_page(), b_context.new_page(), c_context.new_page()
        a.add_init_script(RECORD_PERCENTS)

        # A visitor's first look, then two people sign up.
        a.goto(base)
        shoot(a, "home-visitor")
        sign_up(a, base, "ada")
        sign_up(b, base, "ben")
        shoot(b, "new-avatar")

        # Ada uploads a clip made here.
        fill_avatar_form(a, "Ada", "Friends I approve one by one")
        a.get_by_label("Reference clip").set_input_files(str(clip_a))
        a.get_by_role("button", name="Create avatar").click()
        a.wait_for_url(re.compile(r"/avatars/\d+/$"))
        shoot(a, "avatar-preparing")
        wait_until_ready(a)
        shoot(a, "avatar-ready")

        # Ben records four seconds with Chromium's fake camera and microphone.
        b.get_by_role("button", name="Record 4 seconds with my camera").click()
        b.get_by_text("Recorded.").wait_for(timeout=15_000)
        fill_avatar_form(b, "Ben", "Friends I approve one by one")
        shoot(b, "avatar-recorded")
        b.get_by_role("button", name="Create avatar").click()
        b.wait_for_url(re.compile(r"/avatars/\d+/$"), timeout=20_000)
        ben_avatar_url = b.url
        wait_until_ready(b)

        # They become friends.
        a.goto(f"{base}/accounts/friends/")
        a.get_by_label("Friend's handle").fill("@ben")
        a.get_by_role("button", name="Send request").click()
        a.get_by_text("Friend request sent to @ben").wait_for()
        b.goto(f"{base}/accounts/friends/")
        b.locator("#incoming").get_by_role("button", name="Accept").click()
        b.locator("#friend-list").get_by_text("@ada").wait_for()
        shoot(b, "friends")

        # Ada asks to cast Ben's avatar; Ben approves.
        a.goto(ben_avatar_url)
        a.get_by_role("button", name="Ask to cast this avatar").click()
        a.get_by_text("You asked; waiting for the owner's answer.").wait_for()
        b.goto(ben_avatar_url)
        b.locator("#use-requests").get_by_role("button", name="Approve").click()
        b.locator("#use-requests").get_by_text("Approved").wait_for()
        shoot(b, "avatar-approved")

        # Ada picks a template with two person roles and casts both.
        a.goto(f"{base}/templates/")
        shoot(a, "templates")
        a.get_by_role("button", name="Make this “Rooftop Detective”").click()
        a.wait_for_url(re.compile(r"/films/\d+/edit/$"))
        shoot(a, "film-edit")
        for role, star in (("The detective", "Ada (@ada)"), ("The suspect", "Ben (@ben)")):
            form = a.locator("form.cast-row", has=a.get_by_label(role, exact=True))
            form.get_by_label(role, exact=True).select_option(label=star)
            form.get_by_role("button", name="Cast").click()
            a.get_by_text(f"{star.split()[0]} plays {role}.").wait_for()
        shoot(a, "film-cast")
        # The status URL is the polling fallback: no request to it means the bar moved over the WebSocket.
        status_polls = []
        a.on("request", lambda request: "/status/" in request.url and status_polls.append(request.url))
        a.get_by_role("button", name="Render the film").click()
        a.wait_for_url(re.compile(r"/films/\d+/$"))
        film_url = a.url
        shoot(a, "film-rendering")
        wait_for_player(a)
        percents = a.evaluate("JSON.parse(sessionStorage.getItem('percents') || '[]')")
        assert any(later > earlier for earlier, later in zip(percents, percents[1:])), percents
        assert status_polls == []
        assert plays(a) > 0.2
        shoot(a, "film-watch")

        # Ada makes a share link.
        a.get_by_role("button", name="Make a share link").click()
        a.get_by_text("Share link made").wait_for()
        share_url = a.locator("input.share-url").first.input_value()
        shoot(a, "share-link")

        # A logged-out visitor opens it: the preview tags are there for chat apps.
        response = c.goto(share_url)
        og = {
            key: value
            for item in extruct.extract(response.text(), base_url=share_url, syntaxes=["opengraph"], uniform=True)["opengraph"]
            for key, value in item.items()
        }
        assert og["og:title"] == "Rooftop Detective"
        assert og["og:image"].startswith(base) and og["og:video"].startswith(base)
        assert c.request.get(og["og:video"]).headers["content-type"] == "video/mp4"
        assert plays(c) > 0.2
        shoot(c, "shared-visitor")

        # Cy signs up from there, makes an avatar and swaps in as the suspect.
        c.get_by_role("link", name="Swap me in").click()
        c.get_by_role("link", name="Sign up").last.click()
        sign_up_here = c.url.split("/accounts/signup/", 1)[1]
        sign_up(c, base, "cyd", sign_up_here)
        assert c.url == share_url  # back on the film, now logged in
        c.get_by_role("link", name="Swap me in").click()
        shoot(c, "swap-needs-avatar")
        c.get_by_role("link", name="Make one now").click()
        fill_avatar_form(c, "Cyd", "Only me")
        c.get_by_label("Reference clip").set_input_files(str(clip_c))
        c.get_by_role("button", name="Create avatar").click()
        c.wait_for_url(re.compile(r"/avatars/\d+/$"))
        wait_until_ready(c)
        c.goto(share_url)
        c.get_by_role("link", name="Swap me in").click()
        c.get_by_label("Which role do you take?").select_option(label="The suspect")
        c.get_by_label("As which of your avatars?").select_option(label="Cyd")
        shoot(c, "swap")
        c.get_by_role("button", name="Swap me in").click()
        c.wait_for_url(re.compile(r"/films/\d+/$"))
        assert c.url != film_url
        wait_for_player(c)
        assert plays(c) > 0.2
        cast = c.locator("#cast").inner_text()
        # Cyd takes the suspect; Ada only lets people she approves cast her, so a stock character stands in.
        assert "The suspect · Cyd" in cast and "Ada" not in cast
        shoot(c, "remix-watch")

        a.goto(base)
        shoot(a, "home-member")
        for context in (a_context, b_context, c_context):
            context.close()
    camera_browser.close()
