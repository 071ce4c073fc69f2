"""Unpacked copies of packed models, kept in the user's cache directory between runs.

A model shipped compressed (the language identifier's, 4.5 MB packed, 68 MB unpacked) costs
every process the unpacking. The arrays are written once, uncompressed, under
``$XDG_CACHE_HOME/cleaner`` (``~/.cache/cleaner``), in a folder named after the digest of the
packed file, so an upgraded model is never read from an older copy; later processes map them
from there. The cache is only ever a shortcut: a folder that cannot be read or written (no
home, read-only, a full disk, a file-size limit, a damaged copy) means the model is unpacked
in memory instead, and the arrays, so the answers, are the same either way.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

# Bumped when the way arrays are kept changes, so an older layout is never read.
CACHE_LAYOUT = 1


def cache_root() -> Path | None:
    if os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"]) / "cleaner"
    try:
        return Path.home() / ".cache" / "cleaner"
    except RuntimeError:  # no home directory to be found
        return None


def cached_arrays(
    name: str, packed: Path, unpack: Callable[[Path], dict[str, np.ndarray]]
) -> dict[str, np.ndarray]:
    """`unpack(packed)`'s arrays, read from the cache when a copy of this file is there."""
    root = cache_root()
    if root is None:
        return unpack(packed)
    try:
        folder = root / f"{name}-{_digest(packed)}-v{CACHE_LAYOUT}"
    except OSError:
        return unpack(packed)
    arrays = _read(folder)
    if arrays is not None:
        return arrays
    arrays = unpack(packed)
    _write(folder, arrays)
    return arrays


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def _read(folder: Path) -> dict[str, np.ndarray] | None:
    names_file = folder / "arrays.txt"
    try:
        names = names_file.read_text(encoding="utf-8").split()
        # Mapped, not read: pages are loaded as the model touches them.
        return {name: np.load(folder / f"{name}.npy", mmap_mode="r") for name in names}
    except (OSError, ValueError, EOFError):
        return None


def _write(folder: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write into a new folder beside the final one and rename it into place, so a reader
    never sees half a copy; a failure (or another process that got there first) leaves
    the cache as it was."""
    scratch = None
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
        for name, values in arrays.items():
            np.save(scratch / f"{name}.npy", np.asarray(values), allow_pickle=False)
        # Written last: its presence means every array was written.
        (scratch / "arrays.txt").write_text(" ".join(arrays), encoding="utf-8")
        os.rename(scratch, folder)
        scratch = None
    except OSError:
        pass
    finally:
        if scratch is not None:
            with contextlib.suppress(OSError):
                shutil.rmtree(scratch)
