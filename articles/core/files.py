"""Writing files the way operators expect: whole or not at all, with the permissions their umask gives."""

import os
import secrets
from pathlib import Path

# What a new file may allow before the umask takes its part away: read and write for all, as open() does.
NEW_FILE_MODE = 0o666


def write_atomically(path, text):
    """Write text to path so that readers see the old file or the whole new one, never a part.

    The temporary file is created with os.open's mode, which the process umask trims as it trims any new
    file (0644 under umask 022), rather than tempfile's owner-only 0600.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, NEW_FILE_MODE)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
