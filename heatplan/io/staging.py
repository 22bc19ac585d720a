"""The output folder: checks before a run, and writing a set of outputs all or nothing.

A run's outputs (a plan's GeoPackage, maps, report, ranking and residents' map; or the
ranking of ``heatplan rank``) are one set. :func:`staged_outputs` has them written into a
staging folder beside the output folder (``.maps.heatplan.staging`` next to ``maps/``, on the
same file system; inside ``maps/`` when its parent cannot be written to) and moves them in at
the end:

1. the staging folder is made, with a lock file naming the process (and any helper process
   it starts): another run writing into the same folder is refused while one of them lives;
2. every output is written into it (each file atomically);
3. a manifest (``<set>_manifest.json``: name, size and SHA-256 of each file) and a journal
   listing the files are written into it; from here on the set is complete;
4. the manifest of the previous set is removed from the output folder, the files are moved in
   one by one with :func:`os.replace`, and the new manifest is moved in last;
5. the staging folder is removed. When the output folder did not exist, steps 4–5 are one
   rename of the staging folder.

A run killed before step 3 leaves the previous set untouched and a staging folder without a
journal; the next run removes it. A run killed in step 4 leaves the journal; the next run
finishes the move before anything else (:func:`recover`). So the output folder holds a
complete set whenever the manifest is present, and nothing a killed run leaves behind blocks
the next run. An existing output is replaced only with ``overwrite``, checked per file before
any work and again before the move.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from heatplan.core.errors import OutputFolderError
from heatplan.io.atomic import atomic_path, check_writable
from heatplan.io.layers import GIS_DIR, LABELS_DIR

logger = logging.getLogger(__name__)

LOCK_NAME = ".lock"
JOURNAL_NAME = ".journal.json"
STAGING_SUFFIX = ".staging"


def manifest_name(set_name: str) -> str:
    """``"heatplan_manifest.json"``: the file naming the complete set ``set_name``."""
    return f"{set_name}_manifest.json"


def staging_dirs(out_dir: Path, set_name: str) -> list[Path]:
    """Where the staging folder of ``set_name`` for ``out_dir`` may be: beside it, or inside."""
    name = f".{out_dir.name}.{set_name}{STAGING_SUFFIX}"
    return [out_dir.parent / name, out_dir / name]


def check_output_dir(out_dir: Path | str) -> Path:
    """Raise :class:`OutputFolderError` unless ``out_dir`` is, or can be made, a writable folder.

    Returns the folder as a :class:`Path`; nothing is created.
    """
    out_dir = Path(out_dir)
    existing = out_dir
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if existing.exists() and not existing.is_dir():
        what = "is a file" if existing == out_dir else f"lies in {existing}, which is a file"
        msg = f"The output folder {out_dir} {what}, not a folder. Choose another --out."
        raise OutputFolderError(msg)
    try:
        fd, probe = tempfile.mkstemp(prefix=".heatplan-probe-", dir=existing)
    except OSError as err:
        target = "" if existing == out_dir else f" (it would be made in {existing})"
        msg = (f"The output folder {out_dir} cannot be written to{target}: {err.strerror or err}."
               f" Choose another --out, or give yourself write permission there "
               f"(chmod u+w {existing}).")
        raise OutputFolderError(msg) from err
    os.close(fd)
    Path(probe).unlink()
    return out_dir


def check_not_in_input(out_path: Path | str, data_dir: Path | str | None,
                       option: str = "--out") -> None:
    """Refuse an output folder (or file) that is the data folder or lies in what a run reads.

    A plan written into ``gis_data/`` or ``energy_labels/`` would be read as input by the next
    run; one written over the data folder itself mixes outputs with the data.
    """
    if data_dir is None:
        return
    out = Path(out_path).resolve()
    data = Path(data_dir).resolve()
    example = data / "maps"
    if out == data:
        msg = (f"{option} {out_path} is the data folder itself; outputs would mix with the "
               f"data. Choose a folder beside or below it, such as {example}.")
        raise OutputFolderError(msg)
    for sub in (GIS_DIR, LABELS_DIR):
        read = data / sub
        if out == read or read in out.parents:
            msg = (f"{option} {out_path} is inside the data folder's {sub}/ ({read}); the next "
                   f"run would read the outputs as input. Choose a folder outside {GIS_DIR}/ "
                   f"and {LABELS_DIR}/, such as {example}.")
            raise OutputFolderError(msg)


def _digest(path: Path) -> dict[str, object]:
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file())
        sha = hashlib.sha256()
        for file in files:
            sha.update(file.relative_to(path).as_posix().encode() + b"\0")
            sha.update(hashlib.sha256(file.read_bytes()).digest())
        return {"name": path.name, "bytes": sum(f.stat().st_size for f in files),
                "sha256": sha.hexdigest(), "folder": True}
    data = path.read_bytes()
    return {"name": path.name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def read_manifest(out_dir: Path | str, set_name: str = "heatplan") -> dict | None:
    """The manifest of the complete set ``set_name`` in ``out_dir``; ``None`` when absent."""
    path = Path(out_dir) / manifest_name(set_name)
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def _write_json(path: Path, payload: dict) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(payload, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def add_lock_holder(stage: Path, pid: int) -> None:
    """Record that process ``pid`` (a helper of this run) also writes into ``stage``."""
    with (stage / LOCK_NAME).open("a", encoding="utf-8") as lock:
        lock.write(f"{pid}\n")


def _is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, but another user's
    return True


def _lock_holder(stage: Path) -> int | None:
    """A live process other than this one holding ``stage``'s lock, else ``None``."""
    try:
        text = (stage / LOCK_NAME).read_text(encoding="utf-8")
    except OSError:
        return None
    pids = [int(word) for word in text.split() if word.isdigit()]
    return next((pid for pid in pids if pid != os.getpid() and _is_alive(pid)), None)


def _remove(path: Path) -> None:
    """Remove a staging folder (a killed run's map process may still be finishing in it)."""
    for _ in range(5):
        shutil.rmtree(path, ignore_errors=True)
        if not path.exists():
            return
        time.sleep(0.2)


def recover(out_dir: Path | str) -> list[str]:
    """Finish or discard what a killed run left beside (or in) ``out_dir``; say what was done.

    A staging folder with a journal holds a complete set: its move is finished. One without
    is removed. A staging folder a live run holds is refused.

    Raises
    ------
    OutputFolderError
        If another heatplan process is writing into ``out_dir`` now.
    """
    out_dir = Path(out_dir).resolve()  # beside the real folder: the same file system
    done = []
    pattern = f".{out_dir.name}.*{STAGING_SUFFIX}"
    candidates = [*sorted(out_dir.parent.glob(pattern)),
                  *(sorted(out_dir.glob(pattern)) if out_dir.is_dir() else [])]
    for stage in candidates:
        if not stage.is_dir():
            continue
        holder = _lock_holder(stage)
        if holder is not None:
            msg = (f"Another heatplan run (process {holder}) is writing to {out_dir} "
                   f"(staging folder {stage}). Wait for it to finish, or choose another --out.")
            raise OutputFolderError(msg)
        if (stage / JOURNAL_NAME).is_file():
            _move_in(stage, out_dir)
            done.append(f"finished moving the outputs of an interrupted run into {out_dir}")
        else:
            _remove(stage)
            done.append(f"removed the unfinished outputs of an interrupted run ({stage.name})")
    for line in done:
        logger.warning("Output folder: %s.", line)
    return done


def _move(source: Path, target: Path, stage: Path) -> None:
    """Move ``source`` onto ``target`` in one step (a folder target is set aside first)."""
    if target.is_dir() and not target.is_symlink():
        aside = stage / f".replaced-{target.name}"
        _remove(aside)
        os.replace(target, aside)
    os.replace(source, target)


def _move_in(stage: Path, out_dir: Path) -> None:
    """Steps 4–5: move the staged set named by the journal into ``out_dir``."""
    journal = json.loads((stage / JOURNAL_NAME).read_text(encoding="utf-8"))
    manifest = journal["manifest"]
    if not out_dir.exists():
        for name in (JOURNAL_NAME, LOCK_NAME):
            (stage / name).unlink(missing_ok=True)
        os.replace(stage, out_dir)
        return
    (out_dir / manifest).unlink(missing_ok=True)  # the folder's set is incomplete from here on
    for name in journal["files"]:
        if (stage / name).exists():
            _move(stage / name, out_dir / name, stage)
    if (stage / manifest).exists():
        os.replace(stage / manifest, out_dir / manifest)
    _remove(stage)


def _commit(stage: Path, out_dir: Path, set_name: str, *, overwrite: bool) -> None:
    """Steps 3–5: after every existing target is checked, journal the set and move it in."""
    hidden = {LOCK_NAME, JOURNAL_NAME, manifest_name(set_name)}
    names = sorted(p.name for p in stage.iterdir()
                   if p.name not in hidden and not p.name.startswith("."))
    for name in names:  # nothing is replaced without overwrite, however it was written
        check_writable(out_dir / name, overwrite=overwrite)
    manifest = {"set": set_name, "files": [_digest(stage / name) for name in names]}
    _write_json(stage / manifest_name(set_name), manifest)
    _write_json(stage / JOURNAL_NAME, {"files": names, "manifest": manifest_name(set_name)})
    _move_in(stage, out_dir)


@contextlib.contextmanager
def staged_outputs(
    out_dir: Path | str, *, set_name: str = "heatplan", names: Iterable[str] = (),
    overwrite: bool = False,
) -> Iterator[Path]:
    """Yield a staging folder to write a set of outputs into; move them into ``out_dir`` after.

    Parameters
    ----------
    out_dir
        The output folder (created when missing).
    set_name
        Names the set's manifest (``<set_name>_manifest.json``) and staging folder.
    names
        The file names the set will have, checked before any work.
    overwrite
        Replace existing outputs; without it an existing one stops the run, before any work
        for ``names`` and before the move for every file written.

    Raises
    ------
    OutputExistsError
        If an output exists and ``overwrite`` is false; nothing is moved then.
    OutputFolderError
        If ``out_dir`` cannot be written to, or another run is writing to it.
    """
    out_dir = check_output_dir(out_dir).resolve()  # beside the real folder: one file system
    recover(out_dir)
    for name in names:
        check_writable(out_dir / name, overwrite=overwrite)
    stage = _make_stage(out_dir, set_name)
    try:
        yield stage
        _commit(stage, out_dir, set_name, overwrite=overwrite)
    except BaseException:
        if stage.exists() and not (stage / JOURNAL_NAME).exists():
            _remove(stage)
        raise


def _make_stage(out_dir: Path, set_name: str) -> Path:
    """Make the staging folder (beside ``out_dir``, else inside it) holding this run's lock."""
    beside, inside = staging_dirs(out_dir, set_name)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    try:
        beside.mkdir()
        stage = beside
    except PermissionError:
        out_dir.mkdir(parents=True, exist_ok=True)
        inside.mkdir()
        stage = inside
    except FileExistsError as err:  # recover() has just removed any; a run started meanwhile
        msg = f"Another heatplan run is writing to {out_dir} ({beside} exists). Wait for it."
        raise OutputFolderError(msg) from err
    (stage / LOCK_NAME).write_text(f"{os.getpid()}\n", encoding="utf-8")
    return stage


def prepare_output_dir(
    out_dir: Path | str, *, data_dir: Path | str | None, names: Iterable[str] = (),
    overwrite: bool = False,
) -> Path:
    """Everything checked before a run's work: the folder, its place, an interrupted run, names.

    ``data_dir`` is the dataset folder read (``None`` when every layer is given by path).

    Raises
    ------
    OutputFolderError
        If ``out_dir`` cannot be written to or lies in the data folder's inputs.
    OutputExistsError
        If one of ``names`` exists in ``out_dir`` and ``overwrite`` is false.
    """
    out_dir = check_output_dir(out_dir)
    check_not_in_input(out_dir, data_dir)
    recover(out_dir)
    for name in names:
        check_writable(out_dir / name, overwrite=overwrite)
    return out_dir
