"""One source table into approved reports (:func:`migrate_table`): the rows read, coordinates
made from columns or found in the gazetteer, fields mapped (domain codes translated through
their domain), the parent linked, every other column kept as ``extra``, dates kept, each row
citing its source, rows landed before skipped, and everything counted in a
:class:`~minewatch.services.migration.outcome.TableOutcome`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
import shapely

from minewatch.domain.records import Kind, record_type
from minewatch.domain.reports import ReportState
from minewatch.domain.schema import data_fields
from minewatch.domain.text import Message
from minewatch.errors import Location
from minewatch.io.mapping import apply_mapping
from minewatch.io.migration import Source, SourceRows, points_from_columns, read_rows
from minewatch.io.migration.mapping import TableMapping
from minewatch.io.migration.rows import OBJECT_ID
from minewatch.services.migration.later import check_later, land_later, occurrences
from minewatch.services.migration.outcome import TableOutcome
from minewatch.services.migration.places import Gazetteer
from minewatch.services.records import DraftBatch, Rejection, Workflow

SAMPLE_SIZE = 25


@dataclass
class RunContext:
    """What every table of one run shares: the source, the default Date of Information, the
    gazetteer, and each migrated parent table's rows by key (for children to link to).

    Examples
    --------
    >>> import pandas as pd
    >>> from minewatch.io.migration import open_source
    >>> pd.DataFrame({"AccID": ["A1"]}).to_csv(tmp / "accidents.csv", index=False)
    >>> context = RunContext(open_source(tmp / "accidents.csv"), date(2024, 1, 1))
    >>> context.parents
    {}
    """

    source: Source
    default_doi: date
    gazetteer: Gazetteer | None = None
    parents: dict[str, dict[str, str]] = field(default_factory=dict)  # table → key → code
    parent_dates: dict[str, dict[str, date]] = field(default_factory=dict)  # table → key → DOI


def _key_text(value: Any) -> str | None:
    """A key as text; GUIDs compared without braces and in upper case, as ArcGIS varies both."""
    if value is None or value != value or not str(value).strip():
        return None
    text = str(value).strip()
    if text.startswith("{") and text.endswith("}"):
        text = text[1:-1]
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    return text.upper() if len(text) == 36 and text.count("-") == 4 else text


def _day(value: Any) -> date | None:
    if value is None or value != value:
        return None
    if isinstance(value, datetime | pd.Timestamp):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def _plain(value: Any) -> Any:
    """A cell as ``extra`` keeps it: None for blanks, ISO text for dates, Python numbers."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp | datetime):
        stamp = pd.Timestamp(value)
        return stamp.date().isoformat() if stamp == stamp.normalize() else stamp.isoformat()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, str) and not value.strip():
        return None
    return value


def migrate_table(
    workflow: Workflow,
    context: RunContext,
    name: str,
    mapping: TableMapping,
    outcome: TableOutcome,
    write: bool,
) -> None:
    """Validate one table's rows into reports; with ``write``, store the good ones.

    Examples
    --------
    >>> import pandas as pd
    >>> from minewatch.domain.access import local_admin
    >>> from minewatch.io.migration import open_source
    >>> from minewatch.io.migration.mapping import load_migration_mapping
    >>> from minewatch.store import open_store
    >>> pd.DataFrame({"OrgID": ["O1", "O2"], "Name": ["Synthetic NGO", None],
    ...               "Phone": ["n/a", None]}).to_csv(tmp / "organisations.csv", index=False)
    >>> mapping = load_migration_mapping({"tables": {"organisations": {
    ...     "kind": "organisation", "key": "OrgID", "fields": {"name": "Name"}}}})
    >>> workflow = Workflow(open_store(str(tmp / "o.gpkg"), create=True), local_admin())
    >>> outcome = TableOutcome("organisations", "organisation")
    >>> context = RunContext(open_source(tmp / "organisations.csv"), date(2024, 1, 1))
    >>> migrate_table(workflow, context, "organisations", mapping.tables["organisations"],
    ...               outcome, write=True)
    >>> outcome.landed, workflow.store.get_item("organisation", "ORG-000001").extra
    (2, {'Phone': 'n/a'})
    """
    assert mapping.kind is not None
    rows = read_rows(context.source, name)
    kind = mapping.kind
    outcome.read = len(rows)
    where = f"{context.source.path.name}/{name}"
    missing = [c for c in mapping.columns if c not in rows.frame.columns]
    if missing:
        outcome.rejected += [
            Rejection(
                Location(where, None, c), Message("no column {column!r} in the table", column=c)
            )
            for c in missing
        ]
        return
    changed = np.zeros(len(rows), dtype=bool)  # rows with a value translated or mapped
    frame = _translate_domains(context, name, mapping, rows.frame, outcome, changed)
    values, cell_errors = apply_mapping(mapping.as_mapping(), frame)
    rejected: dict[int, Rejection] = {}
    for error in cell_errors:
        rejected.setdefault(
            error.row, Rejection(_at(rows, where, error.row, error.field), error.message)
        )
    _count_value_maps(mapping, frame, outcome, changed)
    geometries = _geometries(context, mapping, rows, kind, where, rejected, outcome)
    extras = _extras(context, name, mapping, rows, frame)
    later_mode = mapping.repeated_key == "later_report"
    keys = _keys(mapping, rows, where, rejected, later_mode)
    if mapping.link is not None:
        _link(context, name, mapping, rows, values, where, rejected)
    dois = _dates(context, name, mapping, kind, rows.frame, values)
    later = occurrences(keys, dois) if later_mode else {}
    external_ids = [
        None if k is None else f"{name}:{k}" + (f"#{later[i]}" if i in later else "")
        for i, k in enumerate(keys)
    ]
    previous = workflow.store.find_reports_by_external_id(kind, [e for e in external_ids if e])
    skip = {i for i, e in enumerate(external_ids) if e in previous and i not in rejected}
    for i in sorted(skip):
        outcome.skipped.append(
            (_n(rows, i), keys[i] or "", previous[external_ids[i] or ""].item_code or "")
        )
    columns = {
        c: values[c].tolist() for c in values.columns if c not in ("date_of_information", "code")
    }
    if mapping.extra:
        columns["extra"] = extras
    locations = [_at(rows, where, i) for i in range(len(rows))]
    sources: list[str | None] = [
        f"migrate {where} row {_n(rows, i)}" + (f" {mapping.key}={keys[i]}" if keys[i] else "")
        for i in range(len(rows))
    ]
    todo = [i for i in range(len(rows)) if i not in rejected and i not in skip]
    keep = [i for i in todo if i not in later]
    batch = DraftBatch(kind, columns, geometries, dois, locations, external_ids, sources).take(keep)
    checked = workflow.validate_batch(batch, state=ReportState.APPROVED)
    for row, rejection in checked.rejected_rows.items():
        rejected[keep[row]] = rejection
    forms = (columns, geometries, dois, locations, external_ids, sources)
    updates = check_later(workflow, kind, [i for i in todo if i in later], *forms, rejected)
    outcome.rejected = [rejected[i] for i in sorted(rejected)]
    _remember_parent_keys(context, name, rows, previous, external_ids, skip)
    if not write:
        return
    result = workflow.write_batch(checked)
    outcome.landed = len(result.item_codes)
    outcome.transformed_rows = int(changed[[keep[r] for r in result.landed_rows]].sum())
    outcome.item_codes = list(result.item_codes)
    landed_rows = [keep[r] for r in result.landed_rows]
    _remember_landed(context, name, rows, landed_rows, result.item_codes, dois)
    if updates:
        codes = {
            keys[i] or "": previous[e].item_code or ""
            for i, e in enumerate(external_ids)
            if e in previous
        }
        codes.update(
            {keys[i] or "": c for i, c in zip(landed_rows, result.item_codes, strict=True)}
        )
        outcome.updated = land_later(workflow, kind, updates, keys, codes, *forms, rejected)
        outcome.rejected = [rejected[i] for i in sorted(rejected)]
    outcome.sample = _sample(
        rows, checked.geometries[result.landed_rows], landed_rows, result.item_codes, keys
    )


def _n(rows: SourceRows, i: int) -> int:
    return int(rows.numbers[i])


def _at(rows: SourceRows, where: str, i: int, field: str | None = None) -> Location:
    """Where row ``i`` is: the table and row, and its place in the file when that is not
    the row number (a maXML form's line)."""
    origin = None if rows.origins is None else rows.origins[i]
    return Location(f"{where} ({origin})" if origin else where, _n(rows, i), field)


def _translate_domains(
    context: RunContext,
    name: str,
    mapping: TableMapping,
    frame: pd.DataFrame,
    outcome: TableOutcome,
    changed: np.ndarray,
) -> pd.DataFrame:
    """Coded columns feeding a field with no value map hold the domain's description (the
    stored code is what the value maps of coded fields are keyed by); ``changed`` marks the
    rows whose value that changed."""
    out = frame
    for target, source in mapping.fields.items():
        column = source.column
        if column is None or source.values:
            continue
        described = _described(context, name, column, frame)
        if described is None:
            continue
        now = frame[column].notna() & (described.astype(str) != frame[column].astype(str))
        changed |= now.to_numpy()
        pairs = Counter(zip(frame.loc[now, column].tolist(), described[now].tolist(), strict=True))
        for (code, meaning), n in pairs.items():
            outcome.transform(target, column, code, meaning, n)
        out = out.assign(**{column: described})
    return out


def _described(
    context: RunContext, name: str, column: str, frame: pd.DataFrame
) -> pd.Series | None:
    """A coded column as its descriptions (through each row's subtype where ArcGIS subtypes
    choose the domain), codes no domain knows kept as they are; None without a domain."""
    catalogue = context.source.catalogue
    if catalogue.domain_of(name, column) is None:
        return None
    subtype_column = catalogue.table(name).subtype_field
    field = catalogue.table(name).field(column)
    by_subtype = field is not None and field.subtype_domains and subtype_column in frame.columns
    subtypes = frame[subtype_column] if by_subtype else pd.Series(None, index=frame.index)
    seen: dict[tuple[str, str], Any] = {}
    out = []
    for code, subtype in zip(frame[column].tolist(), subtypes.tolist(), strict=True):
        if code is None or code != code:
            out.append(code)
            continue
        key = (str(code), str(subtype))
        if key not in seen:
            seen[key] = catalogue.describe(name, column, code, subtype) or code
        out.append(seen[key])
    return pd.Series(out, index=frame.index, dtype=object)


def _count_value_maps(
    mapping: TableMapping, frame: pd.DataFrame, outcome: TableOutcome, changed: np.ndarray
) -> None:
    for target, source in mapping.fields.items():
        if not source.values or source.column is None:
            continue
        cells = frame[source.column].astype(str).str.strip().where(frame[source.column].notna())
        counts = cells.dropna().value_counts()
        folded = {k.casefold(): v for k, v in source.values.items()}
        for value, n in counts.items():
            after = source.values.get(str(value), folded.get(str(value).casefold()))
            if after is not None and str(after) != str(value):
                outcome.transform(target, source.column, value, after, int(n))
                changed |= (cells == value).to_numpy()


def _geometries(
    context: RunContext,
    mapping: TableMapping,
    rows: SourceRows,
    kind: Kind,
    where: str,
    rejected: dict[int, Rejection],
    outcome: TableOutcome,
) -> np.ndarray:
    geometries = rows.geometries.copy()
    if record_type(kind).geometry_type is not None:
        for row, reason in rows.geometry_problems.items():
            rejected.setdefault(row, Rejection(_at(rows, where, row, "geometry"), reason))
    spec = mapping.geometry
    if spec is not None and spec.x and spec.y:
        points, problems = points_from_columns(rows.frame, spec.x, spec.y, spec.crs)
        geometries = np.where(pd.isna(geometries), points, geometries)
        for row, reason in problems.items():
            rejected.setdefault(row, Rejection(_at(rows, where, row, spec.x), reason))
    elif spec is not None and spec.wkt:
        text = rows.frame[spec.wkt].where(rows.frame[spec.wkt].notna(), None)
        parsed = shapely.from_wkt(text.to_numpy(dtype=object), on_invalid="ignore")
        geometries = np.where(pd.isna(geometries), parsed, geometries)
    if record_type(kind).geometry_type is None:
        return np.full(len(rows), None, dtype=object)
    if mapping.place is not None and context.gazetteer is not None:
        _place(context.gazetteer, mapping, rows, kind, geometries, outcome)
    return np.asarray(geometries, dtype=object)


def _place(
    gazetteer: Gazetteer,
    mapping: TableMapping,
    rows: SourceRows,
    kind: Kind,
    geometries: np.ndarray,
    outcome: TableOutcome,
) -> None:
    """Rows without coordinates placed through the gazetteer: a point kind at a point inside
    the place; the match recorded in ``extra`` (``place_pcode``, ``place_match``)."""
    assert mapping.place is not None
    todo = [i for i in range(len(rows)) if geometries[i] is None]
    pcodes = rows.frame[mapping.place.pcode].tolist() if mapping.place.pcode else [None] * len(rows)
    names = rows.frame[mapping.place.name].tolist() if mapping.place.name else [None] * len(rows)
    matches = gazetteer.match([pcodes[i] for i in todo], [names[i] for i in todo])
    point_kind = record_type(kind).geometry_type == "POINT"
    placed: dict[int, tuple[str, str]] = {}
    for i, found in zip(todo, matches, strict=True):
        if not found.found:
            outcome.unmatched_places[found.wanted or "(blank)"] += 1
            continue
        outcome.places[(found.method or "").split(" (")[0]] += 1
        placed[i] = (found.pcode or "", found.method or "")
        if point_kind and found.geometry is not None:
            geometries[i] = found.geometry.representative_point()
    rows.frame.attrs["placed"] = placed


def _extras(
    context: RunContext, name: str, mapping: TableMapping, rows: SourceRows, frame: pd.DataFrame
) -> list[dict[str, Any] | None]:
    """Each row's columns that feed no field, the relation key and blanks left out; coded
    values as their domain's description."""
    used = set(mapping.columns) | {OBJECT_ID}
    # The key that names the parent is the link, not data; links to other items are kept.
    relation = context.source.catalogue.parent_of(
        name, None if mapping.link is None else mapping.link.parent
    )
    if relation is not None:
        used.add(relation.child_key)
    catalogue = context.source.catalogue
    table = catalogue.table(name)
    binary = {f.name for f in table.fields if f.type == "binary"}  # photos stay in attachments
    kept = [str(c) for c in frame.columns if c not in used and c not in binary]
    shown = frame[kept]
    if mapping.extra:  # coded values kept as their descriptions
        described = {c: _described(context, name, c, frame) for c in kept}
        shown = shown.assign(**{c: d for c, d in described.items() if d is not None})
    out: list[dict[str, Any] | None] = []
    records: list[dict[str, Any]] = (
        [{str(k): v for k, v in r.items()} for r in shown.to_dict("records")]
        if kept
        else [{} for _ in range(len(frame))]
    )
    created = rows.frame[mapping.created].tolist() if mapping.created else None
    edited = rows.frame[mapping.edited].tolist() if mapping.edited else None
    placed = rows.frame.attrs.get("placed", {})
    for i, record in enumerate(records):
        extra: dict[str, Any] = {}
        for column, value in record.items():
            plain = _plain(value)
            if plain is not None:
                extra[column] = plain
        if created is not None and _plain(created[i]) is not None:
            extra["source_created"] = _plain(created[i])
        if edited is not None and _plain(edited[i]) is not None:
            extra["source_edited"] = _plain(edited[i])
        if i in placed:
            extra["place_pcode"], extra["place_match"] = placed[i]
        out.append(extra or None)
    return out


def _keys(
    mapping: TableMapping,
    rows: SourceRows,
    where: str,
    rejected: dict[int, Rejection],
    repeats_allowed: bool = False,
) -> list[str | None]:
    if mapping.key is None:
        return [str(_n(rows, i)) for i in range(len(rows))]
    keys = [_key_text(v) for v in rows.frame[mapping.key].tolist()]
    first: dict[str, int] = {}
    for i, key in enumerate(keys):
        if key is None:
            rejected.setdefault(
                i,
                Rejection(
                    _at(rows, where, i, mapping.key),
                    Message("no key: the row cannot be told apart on a re-run"),
                ),
            )
        elif key in first and not repeats_allowed:
            rejected.setdefault(
                i,
                Rejection(
                    _at(rows, where, i, mapping.key),
                    Message("key {key!r} repeats row {row}", key=key, row=_n(rows, first[key])),
                ),
            )
        else:
            first[key] = i
    return keys


def _link(
    context: RunContext,
    name: str,
    mapping: TableMapping,
    rows: SourceRows,
    values: pd.DataFrame,
    where: str,
    rejected: dict[int, Rejection],
) -> None:
    assert mapping.link is not None
    relation = context.source.catalogue.parent_of(name, mapping.link.parent)
    parent_codes = context.parents.get(mapping.link.parent, {})
    child_key = relation.child_key if relation is not None else None
    if child_key is None or child_key not in rows.frame.columns:
        rejected.update(
            {
                i: Rejection(
                    _at(rows, where, i),
                    Message(
                        "no relationship joins {table} to {parent}",
                        table=name,
                        parent=mapping.link.parent,
                    ),
                )
                for i in range(len(rows))
            }
        )
        return
    codes: list[str | None] = []
    for i, value in enumerate(rows.frame[child_key].tolist()):
        key = _key_text(value)
        code = None if key is None else parent_codes.get(key)
        if code is None and key is not None:  # blank: no parent, not a wrong one
            rejected.setdefault(
                i,
                Rejection(
                    _at(rows, where, i, child_key),
                    Message(
                        "{value!r} names no row of {parent} that was migrated",
                        value=value,
                        parent=mapping.link.parent,
                    ),
                ),
            )
        codes.append(code)
    # a field of several codes (a task order's areas) takes the one parent as a tuple
    if mapping.kind is not None and data_fields(mapping.kind)[mapping.link.field].many:
        values[mapping.link.field] = [() if c is None else (c,) for c in codes]
    else:
        values[mapping.link.field] = codes


def _dates(
    context: RunContext,
    name: str,
    mapping: TableMapping,
    kind: Kind,
    frame: pd.DataFrame,
    values: pd.DataFrame,
) -> list[date]:
    """Each report's Date of Information: the mapped column, else the record's own date
    (an accident's date …), else the source's edit, else its creation, else its parent's
    (a victim's, its accident's), else the run's."""
    own = next(
        (n for n, s in data_fields(kind).items() if s.storage == "date" and n in values.columns),
        None,
    )
    candidates = [
        frame[mapping.date_of_information].tolist() if mapping.date_of_information else None,
        values[own].tolist() if own else None,
        frame[mapping.edited].tolist() if mapping.edited else None,
        frame[mapping.created].tolist() if mapping.created else None,
        _parent_dates(context, name, mapping, frame),
    ]
    out = []
    for i in range(len(frame)):
        day = next((d for c in candidates if c is not None and (d := _day(c[i])) is not None), None)
        out.append(day or context.default_doi)
    return out


def _parent_dates(
    context: RunContext, name: str, mapping: TableMapping, frame: pd.DataFrame
) -> list[date | None] | None:
    if mapping.link is None:
        return None
    relation = context.source.catalogue.parent_of(name, mapping.link.parent)
    if relation is None or relation.child_key not in frame.columns:
        return None
    dates = context.parent_dates.get(mapping.link.parent, {})
    return [dates.get(_key_text(v) or "") for v in frame[relation.child_key].tolist()]


def _remember_parent_keys(
    context: RunContext,
    name: str,
    rows: SourceRows,
    previous: dict[str, Any],
    external_ids: list[str | None],
    skip: set[int],
) -> None:
    """Rows landed by an earlier run still link their children, by the relation's key."""
    column = _parent_key_column(context, name)
    if column is None:
        return
    codes = context.parents.setdefault(name, {})
    dates = context.parent_dates.setdefault(name, {})
    values = rows.frame[column].tolist()
    for i in skip:
        key = _key_text(values[i])
        if key is not None:
            report = previous[external_ids[i] or ""]
            codes[key] = report.item_code or ""
            dates[key] = report.date_of_information


def _remember_landed(
    context: RunContext,
    name: str,
    rows: SourceRows,
    landed: list[int],
    item_codes: list[str],
    dois: list[date],
) -> None:
    column = _parent_key_column(context, name)
    if column is None:
        return
    codes = context.parents.setdefault(name, {})
    dates = context.parent_dates.setdefault(name, {})
    values = rows.frame[column].tolist()
    for i, code in zip(landed, item_codes, strict=True):
        key = _key_text(values[i])
        if key is not None:
            codes[key] = code
            dates[key] = dois[i]


def _parent_key_column(context: RunContext, name: str) -> str | None:
    relations = [
        r for r in context.source.catalogue.relations if r.parent == name and not r.attachment
    ]
    return relations[0].parent_key if relations else None


def _sample(
    rows: SourceRows,
    geometries: np.ndarray,
    landed: list[int],
    codes: list[str],
    keys: list[str | None],
) -> list[dict[str, Any]]:
    """Up to :data:`SAMPLE_SIZE` landed rows spread over the table, with a point to look at."""
    if not landed:
        return []
    picks = np.unique(np.linspace(0, len(landed) - 1, min(SAMPLE_SIZE, len(landed))).astype(int))
    out = []
    for p in picks.tolist():
        geometry = geometries[p]
        point = (
            None
            if geometry is None
            else shapely.get_coordinates(geometry.representative_point())[0]
        )
        out.append(
            {
                "item_code": codes[p],
                "row": _n(rows, landed[p]),
                "key": keys[landed[p]],
                "lon": None if point is None else round(float(point[0]), 6),
                "lat": None if point is None else round(float(point[1]), 6),
                "wkt": None
                if geometry is None
                else shapely.to_wkt(geometry, rounding_precision=6)[:2000],
            }
        )
    return out
