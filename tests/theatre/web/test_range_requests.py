"""Players seek with HTTP Range requests; the film's video answers them with 206 and the right bytes."""
import pytest
from django.urls import reverse

from theatre.web.ranges import Unsatisfiable, parse_range
from tests.support.filmmaking import body, mp4_bytes


@pytest.fixture
def video_url(world):
    return reverse("theatre:shared_video", args=[world.link.token])


def test_a_first_range_gets_206_and_exactly_those_bytes(client, video_url):
    response = client.get(video_url, HTTP_RANGE="bytes=0-99")
    size = len(mp4_bytes())
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 0-99/{size}"
    assert response["Content-Length"] == "100"
    assert response["Content-Type"] == "video/mp4"
    assert body(response) == mp4_bytes()[:100]


def test_an_open_ended_range_runs_to_the_end(client, video_url):
    size = len(mp4_bytes())
    response = client.get(video_url, HTTP_RANGE="bytes=1000-")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 1000-{size - 1}/{size}"
    assert body(response) == mp4_bytes()[1000:]


def test_a_suffix_range_gets_the_last_bytes(client, video_url):
    size = len(mp4_bytes())
    response = client.get(video_url, HTTP_RANGE="bytes=-500")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {size - 500}-{size - 1}/{size}"
    assert body(response) == mp4_bytes()[-500:]


def test_a_range_past_the_end_is_clipped_to_the_file(client, video_url):
    size = len(mp4_bytes())
    response = client.get(video_url, HTTP_RANGE=f"bytes=10-{size + 5000}")
    assert response.status_code == 206
    assert body(response) == mp4_bytes()[10:]


def test_an_unsatisfiable_range_gets_416(client, video_url):
    size = len(mp4_bytes())
    response = client.get(video_url, HTTP_RANGE=f"bytes={size}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{size}"


def test_no_range_gets_the_whole_file_and_says_ranges_are_accepted(client, video_url):
    response = client.get(video_url)
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Length"] == str(len(mp4_bytes()))
    assert body(response) == mp4_bytes()


def test_the_private_film_url_supports_ranges_too(client, world):
    client.force_login(world.bob)
    response = client.get(reverse("theatre:film_video", args=[world.film.pk]), HTTP_RANGE="bytes=0-9")
    assert response.status_code == 206
    assert body(response) == mp4_bytes()[:10]


def test_a_stranger_gets_404_not_416_for_a_range(client, world):
    client.force_login(world.erin)
    response = client.get(reverse("theatre:film_video", args=[world.film.pk]), HTTP_RANGE="bytes=999999999-")
    assert response.status_code == 404


def test_the_download_is_an_attachment_named_after_the_film(client, video_url, world):
    response = client.get(reverse("theatre:shared_download", args=[world.link.token]))
    assert response["Content-Disposition"].startswith('attachment; filename="balcony-duet.mp4"')
    assert body(response) == mp4_bytes()


@pytest.mark.parametrize(
    "header,size,expected",
    [
        ("bytes=0-0", 10, (0, 0)),
        ("bytes=5-", 10, (5, 9)),
        ("bytes=-3", 10, (7, 9)),
        ("bytes=-30", 10, (0, 9)),
        ("bytes=2-100", 10, (2, 9)),
        ("bytes=0-1,4-5", 10, None),  # several ranges: the whole file
        ("items=0-1", 10, None),
        ("bytes=5-2", 10, None),
        ("bytes=-", 10, None),
        ("", 10, None),
        (None, 10, None),
    ],
)
def test_parse_range_reads_single_byte_ranges(header, size, expected):
    assert parse_range(header, size) == expected


@pytest.mark.parametrize("header,size", [("bytes=10-", 10), ("bytes=-0", 10), ("bytes=0-", 0), ("bytes=-5", 0)])
def test_parse_range_refuses_ranges_outside_the_file(header, size):
    with pytest.raises(Unsatisfiable):
        parse_range(header, size)
