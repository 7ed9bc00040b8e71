"""Uploaded files as the services want them: a file on disk, under the name the user gave it,
in a temporary folder that is always removed.

The readers (:mod:`minewatch.io.form_exports`, :mod:`minewatch.io.geodata`) take paths and
tell formats by suffix, and ODK's and Kobo's exports name their form in the file name, so the
upload keeps its own (sanitised) name. Errors and results name the file as the user knows it,
never the temporary folder. The size limit is FastAPI's ``max_body_size`` on the router
(``ApiSettings.max_upload_bytes``), checked while the body arrives; a zip is also refused
when it would expand far beyond that limit, before any reader opens it.

>>> import io
>>> upload = UploadFile(io.BytesIO(b"code;status\\nHA-1;open\\n"), filename="../Kobo export.csv")
>>> with saved_upload(upload, safe_name(upload.filename), limit=1 << 20) as path:
...     path.name, path.read_text()
('Kobo_export.csv', 'code;status\\nHA-1;open\\n')
>>> path.exists()   # the temporary folder is gone
False
>>> with saved_upload(UploadFile(io.BytesIO(b"x"), filename="a.csv"), "a.csv", 1 << 20) as path:
...     raise InvalidInput("no header", Location(file=str(path), row=1))
Traceback (most recent call last):
...
minewatch.errors.InvalidInput: a.csv, row 1: no header
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePath
from typing import Any

from fastapi import UploadFile

from minewatch.api.errors import HttpProblem
from minewatch.errors import InvalidInput, Location

#: How many times its own size a zipped upload may expand to (zipped CSV compresses ~10×).
ZIP_EXPANSION = 20

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(filename: str | None, suffix: str | None = None) -> str:
    """The upload's base name with only harmless characters, and ``suffix`` if given.

    >>> safe_name("../../etc/Kobo export (1).CSV")
    'Kobo_export_1_.CSV'
    >>> safe_name("data.bin", ".csv")
    'data.csv'
    """
    stem = _UNSAFE.sub("_", PurePath((filename or "").replace("\\", "/")).name).strip("._")
    stem = stem or "upload"
    return str(PurePath(stem).with_suffix(suffix)) if suffix else stem


def upload_suffix(name: str, allowed: tuple[str, ...]) -> str:
    """The file's suffix (``.csv``), or InvalidInput naming the suffixes accepted."""
    suffix = PurePath(name).suffix.lower()
    if suffix not in allowed:
        raise InvalidInput(
            f"cannot tell the format of {name!r}: send one of {', '.join(allowed)} "
            "or choose the format",
            Location(file=name, field="file"),
        )
    return suffix


def relabel(value: Any, folder: Path) -> Any:
    """``value`` (plain data) with the temporary folder removed from every string in it."""
    if isinstance(value, str):
        return value.replace(f"{folder}/", "").replace(str(folder), "")
    if isinstance(value, dict):
        return {k: relabel(v, folder) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [relabel(v, folder) for v in value]
    return value


def _check_zip(path: Path, limit: int) -> None:
    if not zipfile.is_zipfile(path):
        return
    try:
        with zipfile.ZipFile(path) as zf:
            expanded = sum(i.file_size for i in zf.infolist())
    except zipfile.BadZipFile as exc:  # looks like a zip, but its directory is damaged
        raise InvalidInput(
            f"{path.name} is a damaged zip file: {exc}", Location(file=path.name)
        ) from None
    if expanded > ZIP_EXPANSION * limit:
        raise HttpProblem(
            413,
            f"{path.name} expands to {expanded:,} bytes, more than this server reads "
            f"({ZIP_EXPANSION * limit:,}); import it with the command line",
        )


@contextmanager
def saved_upload(upload: UploadFile, name: str, limit: int) -> Iterator[Path]:
    """The upload saved as ``name`` in a fresh temporary folder, removed on the way out
    whatever happens; InvalidInput raised inside names the file, not the folder."""
    with tempfile.TemporaryDirectory(prefix="minewatch-upload-") as tmp:
        folder = Path(tmp)
        path = folder / name
        with path.open("wb") as out:
            shutil.copyfileobj(upload.file, out, 1 << 20)
        if path.stat().st_size == 0:
            raise InvalidInput("the uploaded file is empty", Location(file=name, field="file"))
        _check_zip(path, limit)
        try:
            yield path
        except InvalidInput as exc:
            where = exc.where
            # the template and its values apart, so that the message is still translated
            raise InvalidInput(
                relabel(exc.template, folder),
                Location(relabel(where.file, folder), where.row, where.field),
                **{k: relabel(_text(v), folder) for k, v in exc.params.items()},
            ) from None


def _text(value: Any) -> Any:
    """An exception given as a message's value, as its text (which may name the folder)."""
    return str(value) if isinstance(value, BaseException) else value
