"""Atomic file writes: a reader sees the old file or the new one, never half of either.

:func:`atomic_write` is the one place the package writes a file through a temporary file:
the caches (features, DFT), the search store, the chapter timings, the claim records, the run
status and the model bundle. It imports nothing from ``reviewlib``, so the science and the book
machinery can both use it.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import IO

#: suffix of the temporary files (hidden: ``.<name>.<pid>.<token>.tmp`` next to the target)
TMP_SUFFIX = ".tmp"


def _open_temp(path: Path) -> tuple[int, Path]:
    """A new, exclusively created temporary file next to ``path`` (mode 0o666 less the umask,
    as an ordinary ``open(path, "w")`` would give).
    """
    for _ in range(100):
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}{TMP_SUFFIX}")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"{path.parent}: could not create a unique temporary file for {path.name}")


def atomic_write(
    path: str | os.PathLike,
    content: bytes | str | Callable[[IO[bytes]], None],
    *,
    encoding: str = "utf-8",
    mode: int | None = None,
) -> Path:
    """Write ``content`` to ``path`` atomically and return ``path``.

    ``content`` is the bytes, the text (encoded with ``encoding``) or a callable that writes to
    the binary file handle it is given (``np.savez``, ``zipfile.ZipFile``, ...). The data go to a
    temporary file in the same folder, are flushed and fsynced, and the temporary file replaces
    ``path`` with :func:`os.replace`; when writing fails (an exception in ``content``, a full
    disk) the temporary file is removed, the exception propagates and an existing ``path`` is left
    as it was. The folder must exist. The new file has the permissions ``open(path, "w")``
    would give (0o666 less the umask) unless ``mode`` (e.g. ``0o644``) is given.
    """
    path = Path(path)
    if not (isinstance(content, (bytes, bytearray, str)) or callable(content)):
        raise TypeError(
            f"atomic_write({path}): content must be bytes, str or a callable taking a binary file, "
            f"got {type(content).__name__}"
        )
    fd, tmp = _open_temp(path)
    try:
        with os.fdopen(fd, "wb") as fh:
            if isinstance(content, str):
                fh.write(content.encode(encoding))
            elif isinstance(content, (bytes, bytearray)):
                fh.write(content)
            else:
                content(fh)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.remove(tmp)
        except FileNotFoundError:
            pass
        raise
    return path
