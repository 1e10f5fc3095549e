"""The avatar page in a phone's browser shows the moving cut-out the preparation made."""
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from skimage import data

from inference.jobs import prepare_avatar
from theatre.models import Avatar, MatteStatus
from tests.support.clipmaker import write_clip
from tests.support.live_site import logged_in_session
from tests.support.matte_clips import FPS, StockOverPhoto

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_avatar_page_shows_the_cut_out_moving(live_server, phone_page, artifacts, private_media, alice, tmp_path):
    scene = StockOverPhoto("robot", data.chelsea(), size=(320, 180), side=165, sweep=75, bob=6, seconds=2.5)
    path = write_clip(tmp_path / "robot.mp4", size=scene.size, fps=FPS, seconds=scene.seconds, draw=scene)
    avatar = Avatar(owner=alice, name="Bolt", kind="cartoon")
    avatar.clip.save("clip.mp4", ContentFile(path.read_bytes()), save=False)
    avatar.save()
    prepare_avatar(avatar.pk)
    avatar.refresh_from_db()
    assert avatar.status == Avatar.Status.READY and avatar.matte_status == MatteStatus.READY
    page = phone_page
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": logged_in_session(alice), "url": live_server.url}])
    page.goto(f"{live_server.url}{avatar.get_absolute_url()}")
    cut_out = page.get_by_role("img", name="Bolt cut out of the clip, moving")
    cut_out.wait_for()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=cut_out.element_handle())
    assert page.get_by_text("Cut-out that moves in previews").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(artifacts / "avatar-matte-phone.png"), full_page=False)
