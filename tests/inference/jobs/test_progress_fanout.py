"""Live progress reaches every open page: many subscribers on one Daphne process, events sent from
another process through the Redis channel layer, as a render worker sends them."""
import pytest

from tests.support.fanout import run_fan_out
from tests.support.live_site import LiveSite

pytestmark = pytest.mark.slow


def test_fifty_subscribers_each_receive_every_event_in_order(tmp_path):
    with LiveSite(tmp_path / "site", workers=()) as site:
        received = run_fan_out(site, subscribers=50, events=10, interval=0.1)
    assert len(received) == 50
    for events in received:
        assert [event["seq"] for _at, event in events] == list(range(10))
