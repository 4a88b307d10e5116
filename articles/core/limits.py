"""Bounds every story time and text must keep, wherever it comes from: the desk, a fixture or a partner's feed."""

import datetime

# A newsroom's archive and schedule fit well inside these years; times outside them are typing slips or
# hostile input, and near the ends of Python's date range they overflow in date arithmetic.
EARLIEST_YEAR = 1900
LATEST_YEAR = 2099
EARLIEST = datetime.datetime(EARLIEST_YEAR, 1, 1, tzinfo=datetime.UTC)
LATEST = datetime.datetime(LATEST_YEAR, 12, 31, 23, 59, 59, 999000, tzinfo=datetime.UTC)


class TimeOutOfRange(ValueError):
    """A time before EARLIEST or after LATEST."""


def check_moment(moment: datetime.datetime | None) -> datetime.datetime | None:
    """Return moment unchanged if it lies within the bounds (or is None); raise TimeOutOfRange otherwise."""
    if moment is None:
        return None
    probe = moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)
    if not EARLIEST <= probe <= LATEST:
        raise TimeOutOfRange(f"times must lie between the years {EARLIEST_YEAR} and {LATEST_YEAR}")
    return moment


def year_in_range(year: int) -> bool:
    """Tell whether a year (from an address, say) is one a story can be dated in."""
    return EARLIEST_YEAR <= year <= LATEST_YEAR


# Lengths, in characters, of the text a story and its parts carry. The models size their columns with
# these, and the wire parser, the fixture builder and the ninjs importer check against them, so a value
# one of them accepts always fits the database. Changing one here changes the column: add a migration.
GUID_MAX_LENGTH = 100
HEADLINE_MAX_LENGTH = 255
TITLE_KEY_MAX_LENGTH = 255  # the folded headline that read-more links are matched on
STORY_SLUG_MAX_LENGTH = 255
DATELINE_MAX_LENGTH = 120
SOURCE_MAX_LENGTH = 120
SOURCE_ID_MAX_LENGTH = 120
SEO_TITLE_MAX_LENGTH = 70
SEO_DESCRIPTION_MAX_LENGTH = 160

# Not a column (the body is a TextField): the longest body, in characters, the desk keeps a draft copy of.
# The longest long read runs to some 150,000 characters of HTML; this leaves room and still fits a request
# well within Django's DATA_UPLOAD_MAX_MEMORY_SIZE.
BODY_MAX_LENGTH = 250_000
# An autosave carries the body twice (as typed and as opened), each up to 4 bytes a character in UTF-8,
# plus the short fields.
AUTOSAVE_MAX_BYTES = 2 * 4 * BODY_MAX_LENGTH + 64 * 1024

SECTION_NAME_MAX_LENGTH = 100
SECTION_SLUG_MAX_LENGTH = 100
SECTION_PATH_MAX_LENGTH = 255

PERSON_NAME_MAX_LENGTH = 200
PERSON_SLUG_MAX_LENGTH = 200
JOB_TITLE_MAX_LENGTH = 300
AFFILIATION_MAX_LENGTH = 200

IMAGE_KEY_MAX_LENGTH = 64
ALT_TEXT_MAX_LENGTH = 300
CREDIT_MAX_LENGTH = 200

# The incoming queue: an agency's guid (NewsML-G2 guids are URIs, often long), slugline, format name and
# the file an item came in.
WIRE_GUID_MAX_LENGTH = 255
SLUGLINE_MAX_LENGTH = 255
WIRE_FORMAT_MAX_LENGTH = 20
WIRE_FILENAME_MAX_LENGTH = 500

MENTION_TITLE_MAX_LENGTH = 300
LINK_TITLE_MAX_LENGTH = 300
LINK_URL_MAX_LENGTH = 500

# Webhook subscribers: a name for the desk, the address deliveries go to, the shared secret they are signed with.
SUBSCRIBER_NAME_MAX_LENGTH = 200
SUBSCRIBER_URL_MAX_LENGTH = 500
SUBSCRIBER_SECRET_MAX_LENGTH = 128
DIGEST_MAX_LENGTH = 64  # a SHA-256 in hex

REDIRECT_PATH_MAX_LENGTH = 600  # room for the longest section path, a date and the longest slug

# django-taggit declares its own columns (Tag.name and Tag.slug); this is their length, not a choice of ours.
TAG_MAX_LENGTH = 100
