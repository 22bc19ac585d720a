"""Write files atomically: a killed run never leaves a half-written output behind."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from heatplan.core.errors import OutputExistsError


def check_writable(path: Path, *, overwrite: bool) -> None:
    """Raise :class:`OutputExistsError` if ``path`` exists and ``overwrite`` is false."""
    if path.exists() and not overwrite:
        msg = f"{path} already exists. Use --overwrite to replace it, or choose another --out."
        raise OutputExistsError(msg)


@contextlib.contextmanager
def atomic_path(path: Path | str, *, overwrite: bool = True) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success move it onto ``path`` in one step.

    The temporary file has the same suffix (GDAL picks its driver from it). If the block raises,
    the temporary file is removed and ``path`` is left as it was.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> with atomic_path(target) as tmp:
    ...     _ = tmp.write_text("done")
    >>> target.read_text()
    'done'
    """
    path = Path(path)
    check_writable(path, overwrite=overwrite)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    tmp.unlink()  # let the writer create it (GDAL refuses to open an empty file as GeoPackage)
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        for suffix in ("", "-journal", "-wal"):
            with contextlib.suppress(FileNotFoundError):
                leftover = tmp.with_name(tmp.name + suffix)
                leftover.unlink()
