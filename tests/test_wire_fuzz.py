"""Property tests: whatever text arrives, the parser returns an article or raises its own error."""

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.interchange.wire import MAX_INPUT_BYTES, WireArticle, WireError, decode, parse, parse_bytes

# No per-example deadline: a loaded CI machine must not fail a property; hangs are caught by the huge-input tests.
FUZZ = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Lines shaped like wire copy, so the fuzzer reaches deep into the parser rather than failing early.
wire_line = st.one_of(
    st.text(max_size=120),
    st.sampled_from(
        [
            "-",
            "—",
            "Read more:",
            "Read more: ",
            "More:",
            "Related Stories",
            "Key Points",
            "• ",
            "•",
            "(AP)",
            "[File: Reuters]",
            "Photo: ",
            "BEIRUT (Reuters) -",
            "(Reporting by ; Editing by )",
            "By ",
            "al-",
            "Syrian Foreign Minister Asaad al-Shaibani said.",
            "\u200b",
            "\ufeff",
        ]
    ),
    st.builds(
        lambda a, b: f"{a} {b}",
        st.sampled_from(["President", "Minister", "By", "Reporting by", "Read more:", "CAIRO —", "In"]),
        st.text(alphabet=st.characters(codec="utf-8"), max_size=60),
    ),
)


def _check(result_or_error):
    assert isinstance(result_or_error, WireArticle | WireError)
    if isinstance(result_or_error, WireArticle):
        assert result_or_error.headline
        assert result_or_error.blocks


def _run(callable_, *args):
    try:
        return callable_(*args)
    except WireError as error:
        assert error.message
        # The parser turns its own bugs into "cannot parse wire copy (…)" so callers never crash;
        # the fuzzer must still see them as failures.
        assert not error.message.startswith("cannot parse wire copy"), error.message
        return error


@FUZZ
@given(st.text(max_size=3000))
def test_any_text_gives_an_article_or_a_wire_error(text):
    _check(_run(parse, text))


@FUZZ
@given(st.lists(wire_line, min_size=0, max_size=40))
def test_any_arrangement_of_wire_shaped_lines(lines):
    _check(_run(parse, "\n".join(lines)))


@FUZZ
@given(st.binary(max_size=3000))
def test_any_bytes_decode_or_fail_cleanly(data):
    _check(_run(parse_bytes, data))


@FUZZ
@given(st.lists(wire_line, min_size=3, max_size=30), st.sampled_from(["utf-8", "utf-16", "latin-1", "cp1252"]))
def test_other_encodings_give_a_clear_error_or_parse(lines, encoding):
    data = "\n".join(lines).encode(encoding, errors="replace")
    result = _run(decode, data)
    assert isinstance(result, str | WireError)


@pytest.mark.parametrize(
    "text",
    [
        "H\n-\n" + "a" * (MAX_INPUT_BYTES - 10),  # one enormous line
        "H\n-\n" + "Word " * (MAX_INPUT_BYTES // 6),  # one enormous paragraph of words
        "H\n-\n" + "President Al-" * (MAX_INPUT_BYTES // 14),  # pathological name-like tokens
        "H\n-\n" + "(" * (MAX_INPUT_BYTES // 2),  # unbalanced brackets
        "H\n-\n" + "Read more: x\n" * (MAX_INPUT_BYTES // 14),  # a flood of related lines
    ],
    ids=["long-line", "long-paragraph", "name-tokens", "brackets", "related-flood"],
)
def test_huge_inputs_finish_in_bounded_time(text):
    started = time.monotonic()
    _check(_run(parse, text))
    # A generous bound: the point is "no hang" (no catastrophic backtracking), not speed.
    assert time.monotonic() - started < 60


def test_input_over_the_limit_is_refused_at_once():
    started = time.monotonic()
    with pytest.raises(WireError, match="larger than"):
        parse("H\n-\n" + "x" * (MAX_INPUT_BYTES + 1))
    assert time.monotonic() - started < 1
