"""Pulling submissions from the field-data servers programmes use, through their APIs.

KoboToolbox (:mod:`.kobo`): the API v2 data endpoint ``/api/v2/assets/<uid>/data/``, pages
followed through ``next``, new submissions asked for with the endpoint's ``query`` on
``_submission_time``, files from each submission's ``_attachments``. ODK Central
(:mod:`.odk`): a session from ``/v1/sessions``, the form's OData ``Submissions`` with repeats
expanded, filtered on ``__system/submissionDate`` and ``__system/updatedAt`` (edits and review
changes), paged with ``$top``/``$skip`` or the server's ``@odata.nextLink``, files from each
submission's attachments list. Both answer a :class:`Pulled`: the submissions as the server
gave them, written as the JSON export the intake already reads
(:func:`minewatch.io.form_exports.read_export`), the files saved beside them, and the newest
server timestamp seen, from which the next pull starts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from minewatch.io.form_exports import Flavour


@dataclass
class Pulled:
    """What one pull fetched. ``files`` maps a submission's position in ``submissions`` to
    its files (file name → where it was saved); ``skipped_files`` names the files not fetched
    and why."""

    flavour: Flavour
    address: str
    submissions: list[dict[str, Any]]
    watermark: str | None
    files: dict[int, dict[str, Path]] = field(default_factory=dict)
    skipped_files: dict[int, dict[str, str]] = field(default_factory=dict)
    attachments_url: str | None = None
    requests: int = 0

    def write_export(self, path: Path) -> Path:
        """The submissions as the server's own JSON document (KoboToolbox's ``results``,
        OData's ``value``), for :func:`minewatch.io.forms.parse_export`."""
        key = "results" if self.flavour == "kobo" else "value"
        path.write_text(json.dumps({key: self.submissions}, ensure_ascii=False), "utf-8")
        return path


def newest(*stamps: Any) -> str | None:
    """The latest of ISO 8601 timestamps as the server writes them (text of one format
    compares as time); blanks ignored.

    >>> newest(None, "2024-08-01T10:00:00.000Z", "2024-08-02T09:00:00.000Z", "")
    '2024-08-02T09:00:00.000Z'
    """
    found = [s for s in stamps if isinstance(s, str) and s.strip()]
    return max(found) if found else None
