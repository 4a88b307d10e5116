"""Bounds every story time must keep, wherever it comes from: the desk, a fixture or a partner's feed."""

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
