"""The JSON API under /api/ (README "JSON API"): django-ninja routes built from the functions in
this package, one module per resource, and the OpenAPI 3.1 document derived from them at
/api/openapi.json. Like the views, the endpoints get rows through services.access and change
them through the domain functions in theatre/services; core.py holds the frame (token auth,
rate limits, the one error shape)."""
from django.urls import re_path

from theatre.web.api import avatars, films, links, shots, templates
from theatre.web.api.core import api, json_errors, unknown_route

for _module in (templates, avatars, films, shots, links):
    api.add_router("", _module.router)


def urls():
    """The API's URL patterns for `path("api/", …)`: ninja's, each answering its errors in JSON
    (ninja's own 405 is plain text), then a JSON 404 for anything else under /api/ (which also
    keeps APPEND_SLASH from redirecting, or failing on, a POST without its slash)."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = json_errors(pattern.callback)
    return patterns + [re_path(r"^.*$", unknown_route, name="unknown")], app_name, namespace


__all__ = ["api", "urls"]
