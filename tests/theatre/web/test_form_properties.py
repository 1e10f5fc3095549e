"""Property-based: every page of the site that takes a POST (the forms of accounts/, theatre/web/forms.py,
studio_forms.py, and every view that reads request.POST or request.FILES) answers any fields, of any
type and size, extra or missing, repeated, with files or without, and any formset counts, below 500;
a refusal says why (the form's errors, an error message, or a page that names the limit) and
changes nothing (the rows a request could touch are compared before and after).

The table below must name every URL of the site: a new page that takes a POST and has no case here
fails test_every_site_url_has_a_case. The API's endpoints have their own (tests/theatre/web/api/
test_refusals.py, and schemathesis in test_fuzz.py); Django's admin is Django's own.
Deterministic: derandomize=True, so CI runs the same examples every time."""
import inspect
from dataclasses import dataclass
from typing import Callable

import pytest
from django.contrib.messages import ERROR, get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st

from accounts.models import ApiToken, FriendRequest, Profile
from theatre.models import (Avatar, AvatarFrame, AvatarUseRequest, CastMember, Film, Notification, Role, Script,
                            ShareLink, Shot, TakeDown)
from theatre.services import casting

from tests.support.filmmaking import jpeg_bytes, make_avatar, make_story_script
from tests.support.users import make_user

SLOW = pytest.mark.slow  # the fuzzing: a few hundred requests; the table checks are instant


def rows():
    """Everything a form of the site could change, as comparable values."""
    from django.contrib.auth import get_user_model

    return (
        list(get_user_model().objects.order_by("pk").values_list("pk", "username", "password", "is_active")),
        list(Profile.objects.order_by("pk").values_list("pk", "handle", "display_name", "picture")),
        list(FriendRequest.objects.order_by("pk").values_list("pk", "from_user", "to_user", "status")),
        list(ApiToken.objects.order_by("pk").values_list("pk", "digest")),
        list(Avatar.objects.order_by("pk").values_list("pk", "name", "kind", "description", "policy", "status",
                                                       "voice_preset", "crop_box", "clip")),
        list(AvatarFrame.objects.order_by("pk").values_list("pk", "chosen")),
        list(AvatarUseRequest.objects.order_by("pk").values_list("pk", "status")),
        list(Script.objects.order_by("pk").values_list("pk", "title")),
        list(Role.objects.order_by("pk").values_list("pk", "key", "name")),
        list(Shot.objects.order_by("pk").values_list("pk", "script_id", "order", "framing", "camera_move", "action",
                                                     "role_keys", "dialogue", "duration")),
        list(Film.objects.order_by("pk").values_list("pk", "status", "title", "taken_down", "job_id")),
        list(CastMember.objects.order_by("pk").values_list("film_id", "role_id", "avatar_id")),
        list(ShareLink.objects.order_by("pk").values_list("pk", "revoked_at", "expires_at")),
        list(TakeDown.objects.order_by("pk").values_list("film_id", "by_id", "reason")),
        list(Notification.objects.order_by("pk").values_list("pk", "read")),
    )


# --- what hypothesis sends -------------------------------------------------------------------------

texts = (st.text(max_size=40) | st.sampled_from([
    "", " ", "0", "1", "-1", "1e400", "NaN", "99999999999999999999", "3.5", "true", "no", "null", "@hero", "hero",
    "Shot 1: @hero waves", "镜头一，@英雄 挥手", "Hero: Hello!", "\x00", "a\x00b", "<script>alert(1)</script>",
    "approve", "https://example.com/", "http://127.0.0.1/", "x" * 5000, "伞" * 3000]))
values = texts | st.lists(texts, min_size=2, max_size=3)  # a list: the field sent several times
files = st.none() | st.binary(max_size=600).map(lambda b: SimpleUploadedFile("f.mp4", b)) | st.just("jpeg")


def form_data(names):
    """Any subset of the form's own fields, plus made-up ones, each with any value."""
    return st.dictionaries(st.sampled_from(names) | st.text(min_size=1, max_size=10), values, max_size=len(names) + 2)


@dataclass
class Case:
    """A page that takes a POST: its URL's arguments, the fields its form knows, the file fields."""

    kwargs: Callable = lambda w: {}
    fields: tuple = ()
    file_fields: tuple = ()
    as_user: str = "alice"  # None: logged out
    renders_on_success: bool = False  # the page answers 200 when it did what was asked
    data: Callable = None  # a strategy of its own (the storyboard's formset), given the world


def fresh_avatar(w):
    return {"pk": make_avatar(w.alice, "Spare", with_files=False).pk}


def storyboard(w):
    """The storyboard's formset: the page's own rows, then rows added (with or without an id: a real,
    foreign, missing or junk one), fields dropped or set to anything, and any TOTAL/INITIAL counts."""
    shots = list(w.draft.script.shots.all())
    page_rows = [{"id": str(s.pk), "framing": s.framing, "camera_move": s.camera_move, "action": s.action,
                  "duration": str(s.duration), "dialogue_text": ""} for s in shots]
    names = ["id", "framing", "camera_move", "action", "duration", "dialogue_text"]
    new_row = st.fixed_dictionaries({"framing": st.just("wide"), "camera_move": st.just("static"),
                                     "action": st.just("@hero jumps"), "duration": st.just("3"), "dialogue_text": st.just("")},
                                    optional={"id": st.sampled_from([str(shots[0].pk), str(w.foreign_shot), "0", "x", ""])})
    field_value = (st.sampled_from(["wide", "close_up", "junk", "static", "pan", "1", "2.5", "15", "0", "16", "-1",
                                    "1e400", "Hero: Hi!", "Nobody: hi", "Hero:", "hero: " + "long " * 200])
                   | st.sampled_from([str(s.pk) for s in shots] + [str(w.foreign_shot)]) | texts)
    change = st.tuples(st.integers(0, 7), st.sampled_from(names), st.none() | field_value)  # None: the field is left out
    count = st.sampled_from(["rows", "rows", "rows", "+1", "-1", "0", "5000"]) | texts

    def build(added, changes, total, initial, extra):
        rows = [dict(r) for r in page_rows] + added
        for i, name, value in changes:
            if i < len(rows):
                if value is None:
                    rows[i].pop(name, None)
                else:
                    rows[i][name] = value

        def counted(word, rows_count):
            return {"rows": str(rows_count), "+1": str(rows_count + 1), "-1": str(rows_count - 1)}.get(word, word)

        data = {"shots-TOTAL_FORMS": counted(total, len(rows)), "shots-INITIAL_FORMS": counted(initial, len(shots)),
                "shots-MIN_NUM_FORMS": "0", "shots-MAX_NUM_FORMS": "1000", **extra}
        for i, row in enumerate(rows):
            data.update({f"shots-{i}-{name}": value for name, value in row.items()})
        return data

    return st.builds(build, st.lists(new_row, max_size=3), st.lists(change, max_size=4), count, count,
                     form_data(["shots-TOTAL_FORMS", "csrfmiddlewaretoken"]))


CASES = {
    # accounts/
    "accounts:signup": Case(fields=("handle", "display_name", "password1", "password2"), as_user=None),
    "accounts:login": Case(fields=("username", "password"), as_user=None),
    "accounts:logout": Case(fields=("next",)),
    "accounts:password_change": Case(fields=("old_password", "new_password1", "new_password2")),
    "accounts:edit_profile": Case(fields=("display_name", "picture-clear"), file_fields=("picture",)),
    "accounts:api_token": Case(fields=("action",), renders_on_success=True),
    "accounts:friends": Case(fields=("handle",)),
    "accounts:accept": Case(kwargs=lambda w: {"request_id": w.friend_request.pk}),
    "accounts:decline": Case(kwargs=lambda w: {"request_id": w.friend_request.pk}),
    "accounts:remove": Case(kwargs=lambda w: {"handle": "bob"}),
    # theatre/web/forms.py and the avatar pages
    "theatre:avatar_new": Case(fields=("name", "kind", "description", "policy"), file_fields=("clip",)),
    "theatre:avatar_settings": Case(kwargs=lambda w: {"pk": w.ally.pk}, fields=("name", "description", "policy", "voice_preset")),
    "theatre:avatar_retry": Case(kwargs=lambda w: {"pk": w.ally.pk}),
    "theatre:avatar_choose_frame": Case(kwargs=lambda w: {"pk": w.ally.pk, "frame_id": w.ally.frames.first().pk}),
    "theatre:avatar_crop": Case(kwargs=lambda w: {"pk": w.ally.pk}, fields=("left", "top", "right", "bottom")),
    "theatre:avatar_delete": Case(kwargs=fresh_avatar),
    "theatre:avatar_ask": Case(kwargs=lambda w: {"pk": w.dee.pk}),
    "theatre:use_request": Case(kwargs=lambda w: {"request_id": w.use_request.pk, "answer": "approve"}),
    "theatre:verify": Case(fields=("url",), file_fields=("file",), renders_on_success=True),
    # theatre/web/studio_forms.py and the film pages
    "theatre:film_from_template": Case(kwargs=lambda w: {"pk": w.template.pk}),
    "theatre:film_from_prompt": Case(fields=("prompt",)),
    "theatre:film_edit": Case(kwargs=lambda w: {"pk": w.draft.pk}, data=storyboard),
    "theatre:film_cast": Case(kwargs=lambda w: {"pk": w.draft.pk, "role_key": "hero"},
                              fields=("role-{hero}-avatar", "avatar")),
    "theatre:film_render": Case(kwargs=lambda w: {"pk": w.draft.pk}),
    "theatre:swap": Case(kwargs=lambda w: {"pk": w.film.pk}, fields=("role", "avatar", "via")),
    "theatre:share_create": Case(kwargs=lambda w: {"film_id": w.film.pk}, fields=("expires_in_days",)),
    "theatre:share_revoke": Case(kwargs=lambda w: {"film_id": w.film.pk, "link_id": w.link.pk}),
    "theatre:take_down": Case(kwargs=lambda w: {"film_id": w.film.pk}, as_user="dave"),
    "theatre:restore": Case(kwargs=lambda w: {"film_id": w.film.pk}),
    "theatre:notifications_read": Case(),
    # Django's own language switch
    "set_language": Case(fields=("language", "next"), as_user=None),
}

# Pages that only show something: a POST to them must change nothing either (they are fuzzed too).
READ_ONLY = {
    "healthz": Case(), "theatre:home": Case(), "theatre:avatars": Case(), "theatre:templates": Case(),
    "theatre:films": Case(), "theatre:featuring": Case(), "theatre:notifications": Case(),
    "theatre:shared": Case(kwargs=lambda w: {"token": w.link.token}, as_user=None),
    "theatre:shared_video": Case(kwargs=lambda w: {"token": w.link.token}, as_user=None),
    "theatre:shared_poster": Case(kwargs=lambda w: {"token": w.link.token}, as_user=None),
    "theatre:shared_download": Case(kwargs=lambda w: {"token": w.link.token}, as_user=None),
    "theatre:avatar": Case(kwargs=lambda w: {"pk": w.ally.pk}),
    "theatre:avatar_status": Case(kwargs=lambda w: {"pk": w.ally.pk}),
    "theatre:avatar_voice_preview": Case(kwargs=lambda w: {"pk": w.ally.pk}),
    "theatre:avatar_file": Case(kwargs=lambda w: {"avatar_id": w.ally.pk, "kind": "poster"}),
    "theatre:avatar_frame": Case(kwargs=lambda w: {"avatar_id": w.ally.pk, "frame_id": w.ally.frames.first().pk}),
    "theatre:template_poster": Case(kwargs=lambda w: {"pk": w.template.pk}),
    "theatre:film": Case(kwargs=lambda w: {"film_id": w.film.pk}),
    "theatre:film_status": Case(kwargs=lambda w: {"pk": w.draft.pk}),
    "theatre:film_video": Case(kwargs=lambda w: {"film_id": w.film.pk}),
    "theatre:film_poster": Case(kwargs=lambda w: {"film_id": w.film.pk}),
    "theatre:film_download": Case(kwargs=lambda w: {"film_id": w.film.pk}),
    "accounts:password_done": Case(), "accounts:profile": Case(kwargs=lambda w: {"handle": "alice"}),
    "accounts:picture": Case(kwargs=lambda w: {"handle": "alice"}),
}
NOT_HERE = ("api/", "admin/")  # the API's own property tests and schemathesis; Django's admin


def site_urls():
    """(qualified name, view) of every named URL of the site outside NOT_HERE."""
    found = []

    def walk(patterns, namespace, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if route.startswith(NOT_HERE):
                continue
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace, route)
            elif isinstance(pattern, URLPattern) and pattern.name:
                found.append((f"{namespace}:{pattern.name}" if namespace else pattern.name, pattern.callback))

    walk(get_resolver().url_patterns, None, "")
    return found


def reads_a_form(view):
    """Whether a view takes input from a POST: a form view, or code that reads request.POST/FILES."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return "post" in view_class.http_method_names and hasattr(view_class, "post")
    source = inspect.getsource(inspect.unwrap(view))
    return any(word in source for word in ("request.POST", "request.FILES", "require_POST", 'method == "POST"'))


def test_every_site_url_has_a_case():
    names = {name for name, _view in site_urls()}
    assert names - CASES.keys() - READ_ONLY.keys() == set(), "a page without a property-test case"
    assert (CASES.keys() | READ_ONLY.keys()) - names == set(), "a case for a page that is gone"


def test_pages_that_read_a_form_are_fuzzed_as_forms():
    views = dict(site_urls())
    readers = {name for name, view in views.items() if reads_a_form(view)}
    assert readers & READ_ONLY.keys() == set(), "these read a POST: give them a case in CASES"
    assert len(readers) >= 25  # the detection itself works


# --- the world the requests land in -----------------------------------------------------------------

@pytest.fixture
def site(world, settings, redis_conn):
    settings.RATE_LIMITS_ENABLED = False  # the requests reach the forms, not the rate limit
    w = world
    w.template = make_story_script(template=True)  # not the stock gallery: it takes seconds to load
    hero = make_avatar(w.alice, "Hero", with_files=False)
    w.draft = casting.start_film(w.alice, make_story_script(template=False, owner=w.alice))
    casting.cast_roles(w.draft, w.alice, {"hero": hero.pk, "sidekick": w.ally.pk})
    w.foreign_shot = make_story_script(owner=w.bob).shots.first().pk
    w.friend_request = FriendRequest.objects.create(from_user=w.erin, to_user=w.alice)
    w.use_request = AvatarUseRequest.objects.create(avatar=w.ally, requester=w.bob)
    Notification.objects.create(user=w.alice, text="hello")
    return w


def send(client, site, name, case, data):
    if case.as_user:
        client.force_login(getattr(site, case.as_user))
    else:
        client.logout()
    kwargs = case.kwargs(site)
    payload = dict(data)
    for name_ in case.file_fields:
        upload = payload.pop("__file__" + name_, None)
        if upload == "jpeg":
            upload = SimpleUploadedFile("p.jpg", jpeg_bytes(), content_type="image/jpeg")
        if upload is not None:
            upload.seek(0)
            payload[name_] = upload
    before = rows()
    response = client.post(reverse(name, kwargs=kwargs), payload)
    return response, before


def error_messages(response):
    """The error messages this request added (not those left unread by earlier examples)."""
    queued = getattr(get_messages(response.wsgi_request), "_queued_messages", [])
    return [str(m) for m in queued if m.level >= ERROR]


def assert_answered_and_clean(response, before, case, form_page):
    status = response.status_code
    assert status < 500, response.content[:800]
    if status == 405:
        assert response["Allow"]
        refused = True
    elif status >= 400:
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert body.strip(), status  # a page (or JSON) that says what went wrong
        refused = True
    elif status in (301, 302, 303):
        refused = bool(error_messages(response))
    else:
        refused = form_page and not case.renders_on_success
        if refused:
            page = response.content.decode()
            assert 'role="alert"' in page or 'class="error' in page or error_messages(response), page[:2000]
    if refused or not form_page:
        assert rows() == before, (status, error_messages(response))


HYPOTHESIS = dict(max_examples=10, deadline=None, derandomize=True, database=None,
                  suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                         HealthCheck.data_too_large])


@SLOW
@pytest.mark.parametrize("name", sorted(name for name, case in CASES.items() if case.data is None))
@hypothesis_settings(**HYPOTHESIS)
@given(data=st.data())
def test_any_post_to_a_form_is_answered_and_a_refusal_changes_nothing(client, site, name, data):
    case = CASES[name]
    own = [f.replace("{hero}", str(site.draft.script.roles.get(key="hero").pk)) for f in case.fields]
    fields = data.draw(form_data(own + ["csrfmiddlewaretoken"]))
    for name_ in case.file_fields:
        fields["__file__" + name_] = data.draw(files)
    response, before = send(client, site, name, case, fields)
    assert_answered_and_clean(response, before, case, form_page=True)


@SLOW
@hypothesis_settings(**{**HYPOTHESIS, "max_examples": 40})
@given(data=st.data())
def test_any_storyboard_post_is_answered_and_a_refusal_changes_nothing(client, site, data):
    """The formset: more examples, since its rows and counts can be wrong in more ways."""
    case = CASES["theatre:film_edit"]
    response, before = send(client, site, "theatre:film_edit", case, data.draw(case.data(site)))
    assert_answered_and_clean(response, before, case, form_page=True)
    if response.status_code == 200:
        assert len(response.context["shots"].forms) <= 6  # whatever TOTAL_FORMS claimed


@SLOW
@pytest.mark.parametrize("name", sorted(READ_ONLY))
@hypothesis_settings(**{**HYPOTHESIS, "max_examples": 2})
@given(fields=form_data(["name", "action", "id", "csrfmiddlewaretoken"]))
def test_a_post_to_a_page_that_only_shows_changes_nothing(client, site, name, fields):
    response, before = send(client, site, name, READ_ONLY[name], fields)
    assert_answered_and_clean(response, before, READ_ONLY[name], form_page=False)
