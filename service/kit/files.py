"""Durable file writes: a file is either absent or whole, and its name survives a crash."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_new_file(directory: Path, data: bytes, *, prefix: str, suffix: str, mode: int) -> Path:
    """A new file with a unique name in ``directory`` holding ``data``, fsynced, with ``mode``.
    A failure leaves nothing behind. (The directory entry is made durable by the caller's
    ``fsync_directory``, once its rename or link is done.)"""
    fd, name = tempfile.mkstemp(dir=directory, prefix=prefix, suffix=suffix)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def write_file_atomically(path: Path, data: bytes, *, mode: int) -> None:
    """Write ``data`` to a temporary file beside ``path``, fsync it, rename over, fsync the dir."""
    temporary = write_new_file(path.parent, data, prefix=f".{path.name}.", suffix=".tmp", mode=mode)
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    fsync_directory(path.parent)


def fsync_directory(directory: Path) -> None:
    """Make a rename, link or unlink in ``directory`` durable."""
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
