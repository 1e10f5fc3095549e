"""schemathesis fuzzes the API from its own OpenAPI document against a live site (Daphne, RQ
workers, a SQLite file of its own), as a seeded user with a token: no endpoint answers 5xx, and
every answer (status, content type, headers, body) matches the document. Path ids are the seeded
user's own rows half the time, so the fuzzing reaches past the 404s."""
import json

import pytest
import schemathesis
from schemathesis import checks
from hypothesis import HealthCheck, settings as hypothesis_settings, strategies as st

from theatre.web.api import api

from tests.support.live_site import LiveSite

pytestmark = pytest.mark.slow

SEED = """
import json
from accounts.models import ApiToken
from theatre.models import Avatar, Script, ShareLink
from theatre.services import casting
from tests.support.filmmaking import make_avatar, make_film
from tests.support.users import make_user
alice, bob = make_user("alice", "Alice"), make_user("bob", "Bob")
ally = make_avatar(alice, "Ally", with_files=False, policy=Avatar.Policy.EVERYONE)
draft = casting.start_film(alice, Script.objects.filter(is_template=True, language="en").first())
done = make_film(alice, cast=[ally])
link = ShareLink.objects.create(film=done)
print(json.dumps({"token": ApiToken.issue(alice), "avatar_id": ally.pk, "film_ids": [draft.pk, done.pk],
                  "link_id": link.pk, "token_of_link": link.token}))
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    # Workers for avatars and webhooks; renders stay queued (the fuzzing is about the API, and a
    # render would take the CPU the requests need). Rate limits off, so the requests reach the
    # validators rather than a 429 (which the document describes too); the render caps stay.
    with LiveSite(tmp_path_factory.mktemp("fuzz-site"), redis_db=13, workers=(("cpu", "default"),),
                  extra_env={"RATE_LIMITS": "off"}) as live:
        live.seeded = json.loads(live.manage("shell", "-c", SEED).stdout.strip().splitlines()[-1])
        yield live


# The document as the code makes it (pytest-django has set Django up by now); the live site must
# serve the same one (test below). Loaded at collection, so each operation is a test of its own.
schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
REAL_IDS = {}  # path parameter -> the seeded user's own ids, filled in when the site starts


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    # Half the time, ids of rows the user owns; otherwise what schemathesis made up.
    if not path_parameters:
        return st.just(path_parameters)
    mine = {name: st.sampled_from(REAL_IDS[name]) for name in path_parameters if name in REAL_IDS}
    return st.one_of(st.just(path_parameters), st.fixed_dictionaries(mine).map(lambda ids: {**path_parameters, **ids}))


@pytest.fixture(scope="module")
def seeded(site):
    ids = site.seeded
    REAL_IDS.update(film_id=ids["film_ids"], avatar_id=[ids["avatar_id"]], link_id=[ids["link_id"]],
                    token=[ids["token_of_link"]], number=[1, 2])
    return ids


def test_the_site_serves_the_document_the_code_makes(site):
    import requests

    served = requests.get(f"{site.url}/api/openapi.json", timeout=30).json()
    assert served == json.loads(json.dumps(api.get_openapi_schema()))


# Every check schemathesis has (no 5xx; status codes, content types, headers and bodies as
# documented; 405 for other methods; …) but two that judge input rules the document cannot hold:
# "valid data accepted" fails on the domain's refusals (a role the film does not have, a shot too
# short for its lines: 400 by design), and "invalid data rejected" counts the token we add to
# every case as missing, and unknown query parameters, which the API ignores, as accepted.
EXCLUDED = [checks.positive_data_acceptance, checks.negative_data_rejection]


@schema.parametrize()
@hypothesis_settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_matches_its_document_and_never_fails(case, site, seeded):
    case.call_and_validate(base_url=site.url, headers={"Authorization": f"Token {seeded['token']}"},
                           excluded_checks=EXCLUDED, timeout=30)
