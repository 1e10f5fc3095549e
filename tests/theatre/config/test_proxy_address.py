"""Behind a proxy (PROXY_HEADERS=true) each visitor is limited by their own address, taken from
X-Forwarded-For; without it the header is ignored, so nobody can pick an address of their own.
Real Daphne processes, as `./run site` starts them."""
import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.support.live_site import LiveSite

pytestmark = pytest.mark.slow
TIGHT = {"RATE_LIMIT_LOGIN": "2/300"}


def failed_log_ins(site, address, attempts):
    """HTTP statuses of `attempts` wrong-password log-ins sent as if from `address`."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    url, headers = site.url + "/accounts/login/", {"X-Forwarded-For": address}
    page = opener.open(urllib.request.Request(url, headers=headers), timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    statuses = []
    for _ in range(attempts):
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": "nobody", "password": "wrong"}).encode()
        try:
            statuses.append(opener.open(urllib.request.Request(url, data=form, headers=headers), timeout=30).status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)
    return statuses


def test_behind_a_proxy_each_client_address_has_its_own_limit(tmp_path):
    with LiveSite(tmp_path, redis_db=12, workers=(), extra_env={**TIGHT, "PROXY_HEADERS": "true"}) as site:
        assert failed_log_ins(site, "203.0.113.7", 3) == [200, 200, 429]
        assert failed_log_ins(site, "198.51.100.9", 1) == [200]


def test_without_proxy_headers_a_forged_address_changes_nothing(tmp_path):
    with LiveSite(tmp_path, redis_db=12, workers=(), extra_env=TIGHT) as site:
        assert failed_log_ins(site, "203.0.113.7", 3) == [200, 200, 429]
        assert failed_log_ins(site, "198.51.100.9", 1) == [429]
