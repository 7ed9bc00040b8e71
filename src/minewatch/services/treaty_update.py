"""Updating a treaty data directory (:func:`update_data`): from newer saved depositary status
pages and from sourced additions to the curated files, checked in a scratch copy first, then
swapped in, with a report of what changed (:func:`data_changes`).

Nothing in the target changes unless every page parses, every added row has its source URL
and quotation, and the result loads.
"""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib.abc import Traversable
from pathlib import Path
from typing import Any

from minewatch.errors import InvalidInput, Location
from minewatch.io.treaty_data import data_source, read_rows
from minewatch.services.treaty import TreatyMonitor
from minewatch.services.treaty_import import CURATED_FILES, import_pages
from minewatch.services.treaty_sources import missing_sources

#: Each file's rows are matched on these columns when two data directories are compared.
KEYS: dict[str, tuple[str, ...]] = {
    "instruments.csv": ("instrument",),
    "participants_apmbc.csv": ("instrument", "state"),
    "participants_ccw-ap2.csv": ("instrument", "state"),
    "withdrawals.csv": ("instrument", "state"),
    "communications.csv": ("instrument", "state", "received", "notification"),
    "notes.csv": ("instrument", "state", "end_note"),
    "communications_extra.csv": ("instrument", "state", "received", "kind"),
    "armed_conflict.csv": ("state", "since"),
    "art5_extensions.csv": ("state", "new_deadline"),
    "art5_completions.csv": ("state", "declared_on"),
    "art5_mined_areas.csv": ("state", "known_by"),
    "effect_facts.csv": ("instrument", "state"),
    "stockpiles.csv": ("instrument", "state"),
    "groups.csv": ("group", "iso3"),
}
#: Columns whose change alone is not news (every row of a newer page has a new date).
QUIET = {"status_as_at", "source"}


@dataclass
class UpdateReport:
    """What an update changed: one row per added, removed or changed fact.

    >>> UpdateReport(Path("treaty-data")).written
    False
    """

    target: Path
    changes: list[dict[str, Any]] = field(default_factory=list)
    status_as_at: dict[str, tuple[str, str]] = field(default_factory=dict)  # before, after
    written: bool = False


def _rows(source: Traversable, name: str) -> list[dict[str, str]]:
    return read_rows(source, name) if (source / name).is_file() else []


def data_changes(before: Traversable, after: Traversable) -> list[dict[str, Any]]:
    """Facts added, removed or changed between two data directories, file by file.

    >>> import shutil
    >>> old = shutil.copytree(data_source(), tmp / "old")
    >>> lines = (old / "stockpiles.csv").read_text().splitlines()
    >>> _ = (old / "stockpiles.csv").write_text("\\n".join(lines[:-1]) + "\\n")
    >>> [(c["file"], c["key"], c["change"]) for c in data_changes(old, data_source())]
    [('stockpiles.csv', 'apmbc / Greece', 'added')]
    """
    out = []
    for name, key in KEYS.items():
        old = {tuple(r.get(k, "") for k in key): r for r in _rows(before, name)}
        new = {tuple(r.get(k, "") for k in key): r for r in _rows(after, name)}
        for k in sorted(set(old) | set(new)):
            label = " / ".join(x for x in k if x)
            if k not in old:
                out.append({"file": name, "key": label, "change": "added", "what": ""})
            elif k not in new:
                out.append({"file": name, "key": label, "change": "removed", "what": ""})
            else:
                diffs = [
                    f"{c}: {old[k].get(c, '')!r} -> {new[k].get(c, '')!r}"
                    for c in new[k]
                    if c not in QUIET and old[k].get(c, "") != new[k].get(c, "")
                ]
                if diffs:
                    out.append(
                        {"file": name, "key": label, "change": "changed", "what": "; ".join(diffs)}
                    )
    return out


def _add_rows(target: Path, addition: Path) -> int:
    """Append the rows of ``addition`` (named like the curated file it adds to, with the same
    columns) to that file in ``target``."""
    name = addition.name
    if name not in CURATED_FILES or not name.endswith(".csv") or name == "states.csv":
        raise InvalidInput(
            f"an addition is named like the curated file it adds to ({', '.join(KEYS)})",
            Location(file=str(addition)),
        )
    try:
        text = addition.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"cannot read: {exc}", Location(file=str(addition))) from None
    added = list(csv.DictReader(io.StringIO(text)))
    existing = target / name
    header = next(csv.reader(io.StringIO(existing.read_text(encoding="utf-8"))))
    if not added or list(added[0]) != header:
        raise InvalidInput(
            f"needs the columns of {name}: {','.join(header)}", Location(file=str(addition), row=1)
        )
    with existing.open("a", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, header, lineterminator="\n")  # read back by minewatch only
        writer.writerows(added)
    return len(added)


def update_data(
    target: str | Path,
    pages: Sequence[str | Path] = (),
    additions: Sequence[str | Path] = (),
    *,
    dry_run: bool = False,
) -> UpdateReport:
    """Update the data directory ``target`` (created from the shipped data if absent) from
    newer saved status pages and sourced additions, and report what changed.

    >>> addition = tmp / "communications_extra.csv"
    >>> header = (data_source() / "communications_extra.csv").read_text().splitlines()[0]
    >>> _ = addition.write_text(header + "\\n" + "apmbc,Canada,CAN,2027-01-05,,,communication,"
    ...     "synthetic example,,synthetic source,https://example.org/synthetic,2027-01-06,"
    ...     "a synthetic quotation,,,,\\n")
    >>> report = update_data(tmp / "mine", additions=[addition])
    >>> [(c["file"], c["key"], c["change"]) for c in report.changes], report.written
    ([('communications_extra.csv', 'apmbc / Canada / 2027-01-05 / communication', 'added')], True)
    """
    out = Path(target)
    before = out if out.is_dir() else data_source()
    with tempfile.TemporaryDirectory(prefix=".treaty-update-", dir=out.parent) as scratch:
        work = Path(scratch) / "data"
        shutil.copytree(str(before), work)
        imported = import_pages(pages, work) if pages else None
        for addition in additions:
            _add_rows(work, Path(addition))
        unsourced = missing_sources(work)
        if unsourced:
            first = unsourced[0]
            raise InvalidInput(
                f"{len(unsourced)} row(s) without a source URL or quotation ({first['missing']})",
                Location(file=str(first["file"]), row=first["row"]),
            )
        TreatyMonitor.load(work)  # the result must load: bad dates, stray states are refused
        report = UpdateReport(out, data_changes(before, work))
        if imported is not None:
            old = {r["instrument"]: r["status_as_at"] for r in _rows(before, "instruments.csv")}
            report.status_as_at = {
                i: (old.get(i, ""), new) for i, new in imported.status_as_at.items()
            }
        if not dry_run:
            out.mkdir(parents=True, exist_ok=True)
            for item in work.iterdir():
                shutil.copyfile(item, Path(scratch) / f"{item.name}.swap")
                (Path(scratch) / f"{item.name}.swap").replace(out / item.name)
            report.written = True
    return report
