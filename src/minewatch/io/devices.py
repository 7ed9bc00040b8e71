"""The shipped device catalogue of remotely delivered mines (``minewatch/data/devices``).

Each row holds only what a public source states, with that source; a blank is unknown and
becomes a user input (see the folder's README).

>>> entry = find_device("pfm-1s")
>>> entry.sd_time_min_hours, entry.sd_time_max_hours, entry.sd_failure_probability
(1.0, 40.0, None)
"""

from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass
from importlib import resources

from minewatch.errors import InvalidInput, Location, NotFound

CATALOGUE_FILE = "residual_devices.csv"


@dataclass(frozen=True)
class DeviceEntry:
    """One catalogue row; None wherever the source gives nothing."""

    model: str
    family: str | None
    category: str | None
    delivery: str | None
    has_self_destruct: bool | None
    has_self_deactivation: bool | None
    sd_time_min_hours: float | None
    sd_time_max_hours: float | None
    sd_failure_probability: float | None
    sda_time_days: float | None
    sda_failure_probability: float | None
    source_document: str
    source_url: str
    source_date: str
    notes: str | None

    @property
    def source(self) -> str:
        return f"{self.source_document}, {self.source_url} ({self.source_date})"


def _blank(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None


def _float(row: dict[str, str], name: str, line: int) -> float | None:
    text = _blank(row.get(name))
    if text is None:
        return None
    try:
        return float(text)
    except ValueError:
        raise InvalidInput(
            "not a number: {text!r}", Location(CATALOGUE_FILE, line, name), text=text
        ) from None


def _yes_no(row: dict[str, str], name: str, line: int) -> bool | None:
    text = (_blank(row.get(name)) or "").lower()
    if not text:
        return None
    if text not in ("yes", "no"):
        raise InvalidInput(
            "expected yes, no or blank, got {text!r}",
            Location(CATALOGUE_FILE, line, name),
            text=text,
        )
    return text == "yes"


def parse_catalogue(text: str) -> list[DeviceEntry]:
    """Catalogue rows from CSV text; every row must name its source."""
    entries = []
    for line, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        for required in ("model", "source_document", "source_url", "source_date"):
            if not _blank(row.get(required)):
                raise InvalidInput(
                    "every row needs its source", Location(CATALOGUE_FILE, line, required)
                )
        entries.append(
            DeviceEntry(
                model=row["model"].strip(),
                family=_blank(row.get("family")),
                category=_blank(row.get("category")),
                delivery=_blank(row.get("delivery")),
                has_self_destruct=_yes_no(row, "has_self_destruct", line),
                has_self_deactivation=_yes_no(row, "has_self_deactivation", line),
                sd_time_min_hours=_float(row, "sd_time_min_hours", line),
                sd_time_max_hours=_float(row, "sd_time_max_hours", line),
                sd_failure_probability=_float(row, "sd_failure_probability", line),
                sda_time_days=_float(row, "sda_time_days", line),
                sda_failure_probability=_float(row, "sda_failure_probability", line),
                source_document=row["source_document"].strip(),
                source_url=row["source_url"].strip(),
                source_date=row["source_date"].strip(),
                notes=_blank(row.get("notes")),
            )
        )
    return entries


@functools.cache
def device_catalogue() -> tuple[DeviceEntry, ...]:
    """Every shipped catalogue row."""
    text = resources.files("minewatch.data").joinpath("devices", CATALOGUE_FILE).read_text("utf-8")
    return tuple(parse_catalogue(text))


def find_device(model: str) -> DeviceEntry:
    """The catalogue row for ``model`` (case and spacing ignored); NotFound lists the known ones."""
    key = model.strip().lower()
    for entry in device_catalogue():
        if entry.model.lower() == key:
            return entry
    known = ", ".join(e.model for e in device_catalogue())
    raise NotFound(
        "no device {model!r} in the catalogue (known: {known})", model=model, known=known
    )
