"""A token client per person for the API tests: `api(alice).post("/api/films/", {...})` sends JSON
with Alice's token."""
import json

import pytest

from accounts.models import ApiToken


class ApiClient:
    def __init__(self, client, user):
        self.client, self.headers = client, {"HTTP_AUTHORIZATION": f"Token {ApiToken.issue(user)}"}

    def get(self, path, **params):
        return self.client.get(path, params, **self.headers)

    def _send(self, method, path, body):
        data = "" if body is None else json.dumps(body)
        return getattr(self.client, method)(path, data, content_type="application/json", **self.headers)

    def post(self, path, body=None):
        return self._send("post", path, body)

    def put(self, path, body=None):
        return self._send("put", path, body)

    def patch(self, path, body=None):
        return self._send("patch", path, body)


@pytest.fixture
def api(client, private_media, redis_conn):
    return lambda user: ApiClient(client, user)
