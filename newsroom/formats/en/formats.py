"""Date and time formats for English (en, en-gb, en-us): one 24-hour style on the desk.

Django's English formats mix "18:41" and "6:41 p.m."; the desk's columns, history, messages and notices
all read DATETIME_FORMAT, so setting it here gives them one format. Reader pages name their own formats.
"""

DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
