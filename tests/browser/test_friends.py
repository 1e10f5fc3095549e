"""Two people sign up in Chromium, become friends, and the friends page is photographed at phone size."""
import pytest

from accounts import friends
from accounts.models import Profile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_up(page, base, handle, name):
    page.goto(f"{base}/accounts/signup/")
    page.get_by_label("Handle").fill(handle)
    page.get_by_label("Display name").fill(name)
    page.get_by_label("Password", exact=True).fill("balcony-guitar-2025")
    page.get_by_label("Password confirmation").fill("balcony-guitar-2025")
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_load_state()


def test_two_people_become_friends_in_the_browser(chromium, live_server, artifacts):
    base = live_server.url
    mia = chromium.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, locale="en-US")
    kai = chromium.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, locale="en-US")
    mia_page, kai_page = mia.new_page(), kai.new_page()

    sign_up(mia_page, base, "mia", "Mia")
    sign_up(kai_page, base, "kai", "Kai")

    mia_page.goto(f"{base}/accounts/friends/")
    mia_page.get_by_label("Friend's handle").fill("@kai")
    mia_page.get_by_role("button", name="Send request").click()
    assert "Friend request sent to @kai" in mia_page.content()

    kai_page.goto(f"{base}/accounts/friends/")
    kai_page.locator("#incoming").get_by_role("button", name="Accept").click()
    assert "Friend request accepted" in kai_page.content()
    assert kai_page.locator("#friend-list").inner_text().count("@mia") == 1

    mia_page.goto(f"{base}/accounts/friends/")
    assert "@kai" in mia_page.locator("#friend-list").inner_text()
    # Nothing may overflow sideways on a phone.
    assert mia_page.evaluate("document.documentElement.scrollWidth") <= 360
    mia_page.screenshot(path=str(artifacts / "friends-phone.png"), full_page=True)

    assert friends.are_friends(Profile.objects.get(handle="mia").user, Profile.objects.get(handle="kai").user)
    mia.close()
    kai.close()


def test_a_wrong_password_gets_a_clear_message_in_the_browser(chromium, live_server, artifacts):
    context = chromium.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("nobody")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    assert page.get_by_role("alert").count() >= 1
    page.screenshot(path=str(artifacts / "login-error-phone-zh.png"), full_page=True)
    context.close()
