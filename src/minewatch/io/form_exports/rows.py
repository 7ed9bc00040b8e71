"""One exported row into a :class:`~minewatch.io.form_exports.submission.Submission`: nested
groups flattened to paths, repeats gathered, split geopoints joined again, the instance ID each
server keeps stable, the attachments listed and the server's own refusal noted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any

from minewatch.io.form_exports.files import Table
from minewatch.io.form_exports.submission import (
    Answers,
    Attachment,
    Flavour,
    Submission,
    is_blank,
)

_KOBO_SPLIT_GEO = re.compile(r"^_(.+)_(latitude|longitude|altitude|precision)$")
_ODK_SPLIT_GEO = re.compile(r"^(.+)-(Latitude|Longitude|Altitude|Accuracy)$")
_INDEXED = re.compile(r"^(?:.*/)?([^/\[\]]+)\[(\d+)\]/(.+)$")
_GEO_PARTS = {
    "latitude": 0,
    "longitude": 1,
    "altitude": 2,
    "precision": 3,
    "Latitude": 0,
    "Longitude": 1,
    "Altitude": 2,
    "Accuracy": 3,
}


def _merge_split_geopoints(row: dict[str, Any], pattern: re.Pattern[str]) -> dict[str, Any]:
    """Rebuild ``"lat lon alt acc"`` from split columns where the whole value is missing."""
    parts: dict[str, list[Any]] = {}
    for key, value in row.items():
        m = pattern.match(key)
        if m:
            parts.setdefault(m.group(1), [None] * 4)[_GEO_PARTS[m.group(2)]] = value
    out = dict(row)
    for path, (lat, lon, alt, acc) in parts.items():
        if is_blank(out.get(path)) and not is_blank(lat) and not is_blank(lon):
            out[path] = " ".join(str(v) for v in (lat, lon, alt, acc) if not is_blank(v))
    return out


def _is_geojson(value: Any) -> bool:
    return isinstance(value, dict) and "coordinates" in value and "type" in value


def _flatten(obj: Mapping[str, Any], prefix: str = "") -> tuple[dict[str, Any], dict[str, Table]]:
    """Nested groups (OData, Kobo JSON) as path keys; lists of objects as repeats."""
    flat: dict[str, Any] = {}
    repeats: dict[str, Table] = {}
    for key, value in obj.items():
        if key.endswith("@odata.navigationLink"):
            continue
        path = f"{prefix}{key}"
        if isinstance(value, dict) and not _is_geojson(value):
            inner, inner_repeats = _flatten(value, f"{path}/")
            flat.update(inner)
            repeats.update(inner_repeats)
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            if key == "_attachments":
                flat[key] = value
            else:
                repeats[key.rsplit("/", 1)[-1]] = [_flatten(v)[0] for v in value]
        else:
            flat[path] = value
    return flat, repeats


def _explode_indexed(row: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Table]]:
    """Legacy Kobo CSV columns ``victims[2]/victim_age`` as repeat rows."""
    flat: dict[str, Any] = {}
    rows: dict[str, dict[int, dict[str, Any]]] = {}
    for key, value in row.items():
        m = _INDEXED.match(key)
        if m:
            rows.setdefault(m.group(1), {}).setdefault(int(m.group(2)), {})[m.group(3)] = value
        else:
            flat[key] = value
    repeats = {name: [by_index[i] for i in sorted(by_index)] for name, by_index in rows.items()}
    return flat, repeats


def _with_uuid_prefix(value: Any) -> str | None:
    if is_blank(value):
        return None
    text = str(value).strip()
    return text if text.startswith("uuid:") else f"uuid:{text}"


def _kobo_instance_id(answers: Answers) -> str | None:
    # rootUuid survives edits on KoboToolbox; instanceID and _uuid are the same for an
    # unedited submission, so CSV, XLSX and JSON exports of it agree.
    # globalid: the GUID ArcGIS (Survey123) gives each feature.
    candidates = ("meta/rootUuid", "rootUuid", "meta/instanceID", "instanceID", "_uuid")
    for column in (*candidates, "globalid", "GlobalID"):
        value = answers.data.get(column) if "/" in column else answers.get(column)
        if not is_blank(value):
            return _with_uuid_prefix(str(value).strip("{}").lower() if "lobal" in column else value)
    return None


def _odk_instance_id(answers: Answers) -> str | None:
    # KEY and __id are the instance ID the submission was first sent with: stable across
    # edits on ODK Central, whereas meta/instanceID changes with each edit.
    for column in ("KEY", "__id", "meta-instanceID", "meta/instanceID", "instanceID"):
        value = answers.data.get(column)
        if not is_blank(value):
            return str(value).strip()
    return None


def kobo_versions(row: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """A KoboToolbox submission's ID for good (its first version's) and this version's, as
    the intake reads them, from the API's JSON of it (or only its ``_uuid``,
    ``meta/instanceID`` and ``meta/rootUuid``).

    >>> kobo_versions({"_uuid": "b2", "meta/instanceID": "uuid:b2", "meta/rootUuid": "uuid:a1"})
    ('uuid:a1', 'uuid:b2')
    >>> kobo_versions({"_uuid": "a1"})
    ('uuid:a1', 'uuid:a1')
    """
    answers = Answers(row)
    instance = _kobo_instance_id(answers)
    return instance, _version_id(answers, "kobo", instance)


def _version_id(answers: Answers, flavour: Flavour, instance: str | None) -> str | None:
    """The instance ID of this version of the submission: ``meta/instanceID`` changes with
    each edit on both servers (ODK Central keeps the first in ``__id``/``KEY``, KoboToolbox in
    ``meta/rootUuid``), so it tells an edited submission from the one already imported."""
    for column in ("meta/instanceID", "meta-instanceID", "_uuid"):
        value = answers.data.get(column)
        if not is_blank(value):
            return str(value).strip() if flavour == "odk" else _with_uuid_prefix(value)
    return instance


def _kobo_attachments(raw: Any) -> list[Attachment]:
    if not isinstance(raw, list):
        return []
    out = []
    for item in raw:
        if not isinstance(item, dict):
            continue
        name = str(item.get("filename") or item.get("media_file_basename") or "")
        out.append(
            Attachment(
                filename=PurePosixPath(name).name or name,
                question=item.get("question_xpath"),
                url=item.get("download_url") or item.get("download_large_url"),
                mimetype=item.get("mimetype"),
            )
        )
    return out


def _submission(
    flat: dict[str, Any],
    repeats: Mapping[str, Table],
    flavour: Flavour,
    row: int | str,
) -> Submission:
    pattern = _ODK_SPLIT_GEO if flavour == "odk" else _KOBO_SPLIT_GEO
    answers = Answers(_merge_split_geopoints(flat, pattern))
    repeat_answers = {
        name: [Answers(_merge_split_geopoints(r, pattern), parent=answers) for r in rows]
        for name, rows in repeats.items()
    }
    instance = _odk_instance_id(answers) if flavour == "odk" else _kobo_instance_id(answers)
    form_id = flat.get("_xform_id_string")
    return Submission(
        instance_id=instance,
        row=row,
        answers=answers,
        repeats=repeat_answers,
        attachments=_kobo_attachments(flat.get("_attachments")),
        form_id=str(form_id) if form_id else None,
        server_refusal=_server_refusal(flat),
        version=_version_id(answers, flavour, instance),
    )


_NOT_APPROVED = {"validation_status_not_approved", "not approved", "rejected"}
_ENCRYPTED = "missing encrypted form data"


def _server_refusal(flat: Mapping[str, Any]) -> str | None:
    """Why the server says this submission must not be used: a supervisor rejected it there
    (ODK Central's review state, KoboToolbox's validation status), or it is still encrypted."""
    review = flat.get("ReviewState") or flat.get("__system/reviewState")
    if isinstance(review, str) and review.strip().lower() in _NOT_APPROVED:
        return f"rejected on the server (review state {review!r})"
    validation = flat.get("_validation_status/uid") or flat.get("_validation_status")
    if isinstance(validation, str) and validation.strip().lower() in _NOT_APPROVED:
        return f"not approved on the server (validation status {validation!r})"
    status = flat.get("Status") or flat.get("__system/status")
    if isinstance(status, str) and status.strip().lower() == _ENCRYPTED:
        return "the submission is encrypted: decrypt it on the server before exporting"
    return None
