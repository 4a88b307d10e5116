"""Addresses read as a browser reads them: only relative, http(s) and mailto links pass."""

import pytest

from articles.core.limits import TimeOutOfRange, check_moment, year_in_range
from articles.core.weburl import UnsafeURL, checked_url, scheme_of


@pytest.mark.parametrize(
    "value",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "\x01javascript:alert(document.domain)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "\x00https://example.com/",
    ],
)
def test_addresses_a_browser_would_not_open_as_pages_are_refused(value):
    with pytest.raises(UnsafeURL):
        checked_url(value)


@pytest.mark.parametrize(
    "value",
    [
        "https://example.com/story",
        "http://example.com/?a=b:c",
        "mailto:desk@example.com",
        "/search/?q=Gaza%3A+talks",
        "//example.com/x",
        "#comments",
    ],
)
def test_web_and_mail_addresses_pass_unchanged(value):
    assert checked_url(value) == value


def test_the_scheme_is_read_after_controls_tabs_and_newlines_are_dropped():
    assert scheme_of("\x01 java\tscr\nipt:alert(1)") == "javascript"
    assert scheme_of("/relative:path") is None
    assert scheme_of("story:1") == "story"


def test_times_outside_the_archive_and_schedule_years_are_refused():
    import datetime

    with pytest.raises(TimeOutOfRange):
        check_moment(datetime.datetime(9999, 12, 31, tzinfo=datetime.UTC))
    with pytest.raises(TimeOutOfRange):
        check_moment(datetime.datetime(1, 1, 1, tzinfo=datetime.UTC))
    moment = datetime.datetime(2025, 7, 25, 10, tzinfo=datetime.UTC)
    assert check_moment(moment) is moment
    assert year_in_range(2025) and not year_in_range(9999)
