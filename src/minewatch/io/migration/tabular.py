"""Sources that are tables of text: multi-sheet Excel workbooks and Survey123 exports (XLSX, or
CSV files in a folder or zip, one per layer and repeat), single CSV files, and Access
databases (``.mdb``/``.accdb``) read through Debian's mdbtools (``mdb-tables``,
``mdb-export``).

Survey123 writes each repeat as its own sheet (or CSV) whose ``ParentGlobalID`` holds the
``GlobalID`` of its parent row; the parent is found as the table whose GlobalIDs the child's
ParentGlobalIDs name, so nested repeats join to their own parent.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pandas as pd

from minewatch.errors import InvalidInput, Location
from minewatch.io.migration.catalogue import Catalogue, Relation, SourceField, SourceTable

ACCESS_SUFFIXES = (".mdb", ".accdb")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
_PARENT_KEYS = ("parentglobalid", "parent_globalid", "parentrowid")
_OWN_KEYS = ("globalid", "global_id")


def _clean(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.dropna(how="all")
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame.reset_index(drop=True)


def read_tables(path: Path) -> dict[str, pd.DataFrame]:
    """Every table of a tabular source, as text and numbers as the file holds them."""
    where = Location(file=str(path))
    suffix = path.suffix.lower()
    try:
        if suffix in WORKBOOK_SUFFIXES:
            sheets = pd.read_excel(path, sheet_name=None, dtype=object, engine="openpyxl")
            return {str(name): _clean(frame) for name, frame in sheets.items()}
        if suffix in ACCESS_SUFFIXES:
            return _read_access(path)
        if suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                names = [n for n in archive.namelist() if n.lower().endswith(".csv")]
                return {
                    Path(n).stem: _csv(io.BytesIO(archive.read(n)), f"{path}/{n}") for n in names
                }
        if path.is_dir():
            return {p.stem: _csv(p, str(p)) for p in sorted(path.glob("*.csv"))}
        return {path.stem: _csv(path, str(path))}
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise InvalidInput(
            "cannot read the file as tables: {problem}", where, problem=exc
        ) from None


def _csv(source: Path | io.BytesIO, name: str) -> pd.DataFrame:
    """A CSV file's rows as text, its delimiter (comma, semicolon, tab …) found by
    ``csv.Sniffer``. UTF-8 (with or without a byte-order mark) is read as such; any other
    bytes as Windows-1252 (what Excel saves as "CSV" in western locales), and the frame's
    ``attrs["note"]`` says so, since those bytes could also be another code page."""
    data = source.read_bytes() if isinstance(source, Path) else source.getvalue()
    try:
        text, note = data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        text = data.decode("cp1252", errors="replace")
        note = (
            f"{Path(name).name} is not UTF-8 (byte {exc.start}): read as Windows-1252; "
            "check its accented letters, or save it as CSV UTF-8 and run again"
        )
    frame = _clean(
        pd.read_csv(
            io.StringIO(text),
            dtype=object,
            keep_default_na=False,
            na_values=[""],
            sep=None,
            engine="python",
        )
    )
    if note:
        frame.attrs["note"] = note
    return frame


def _mdbtool(tool: str, *args: str, path: Path) -> str:
    executable = shutil.which(tool)
    if executable is None:
        raise InvalidInput(
            "reading Access databases needs mdbtools ({tool}); install Debian's mdbtools (./run setup does)",
            Location(file=str(path)),
            tool=tool,
        )
    done = subprocess.run(
        [executable, *args, str(path)], capture_output=True, check=False, timeout=600
    )
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip()
        raise InvalidInput(
            "{tool} cannot read the database: {said}",
            Location(file=str(path)),
            tool=tool,
            said=said,
        )
    try:
        return done.stdout.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            "{tool} gave text that is not UTF-8 (byte {start})",
            Location(file=str(path)),
            tool=tool,
            start=exc.start,
        ) from None


#: Tables ArcGIS keeps in a Personal Geodatabase (.mdb) to describe it: no one's records.
_ARCGIS_SYSTEM_PREFIXES = ("GDB_", "SDE_")


def _arcgis_system_table(name: str) -> bool:
    """Whether an Access table is one of ArcGIS's own (its catalogue, or a layer's spatial
    index), not data.

    >>> [_arcgis_system_table(n) for n in ("GDB_Items", "points_Shape_Index", "Victims")]
    [True, True, False]
    """
    return name.upper().startswith(_ARCGIS_SYSTEM_PREFIXES) or name.lower().endswith("_shape_index")


def _read_access(path: Path) -> dict[str, pd.DataFrame]:
    names = [n for n in _mdbtool("mdb-tables", "-1", path=path).splitlines() if n.strip()]
    out = {}
    system = [n for n in names if _arcgis_system_table(n)]
    for name in names:
        if name in system:
            continue
        # mdb-export takes the database, then the table: _mdbtool puts the path last
        text = _mdbtool_table(path, name)
        out[name] = _clean(
            pd.read_csv(io.StringIO(text), dtype=object, keep_default_na=False, na_values=[""])
        )
    if any(n.upper() == "GDB_GEOMCOLUMNS" for n in system):
        for frame in out.values():
            frame.attrs["note"] = (
                f"{path.name} is an ArcGIS Personal Geodatabase: its tables are read through "
                f"mdbtools without their shapes, and ArcGIS's own tables ({len(system)}: "
                f"{', '.join(sorted(system)[:3])}…) are left out; export it to a File "
                "Geodatabase in ArcGIS to migrate its geometries"
            )
    return out


def _mdbtool_table(path: Path, table: str) -> str:
    """One table as CSV (ISO dates), by ``mdb-export -D FORMAT DATABASE TABLE``."""
    executable = shutil.which("mdb-export")
    if executable is None:
        return _mdbtool("mdb-export", path=path)  # raises, naming the missing tool
    done = subprocess.run(
        [executable, "-b", "strip", "-D", "%Y-%m-%d %H:%M:%S", str(path), table],
        capture_output=True,
        check=False,
        timeout=600,
    )
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip()
        raise InvalidInput(
            "mdb-export cannot read table {table}: {said}",
            Location(file=str(path), field=table),
            table=table,
            said=said,
        )
    return done.stdout.decode("utf-8", "replace")


def _key(columns: list[str], candidates: tuple[str, ...]) -> str | None:
    return next((c for c in columns if c.lower().replace(" ", "") in candidates), None)


def tabular_catalogue(path: Path, tables: dict[str, pd.DataFrame], fmt: str) -> Catalogue:
    """Tables with their fields, keys and the parent each repeat table names."""
    described = []
    for name, frame in tables.items():
        columns = list(frame.columns)
        fields = tuple(SourceField(c, None, _column_type(frame[c])) for c in columns)
        described.append(SourceTable(name, fields, len(frame), None, _own_key(name, columns)))
    notes = tuple(dict.fromkeys(n for f in tables.values() if (n := f.attrs.get("note"))))
    if not tables:
        notes += (f"{path.name} holds no tables",)
    return Catalogue(str(path), fmt, tuple(described), {}, tuple(_relations(tables)), notes)


def _own_key(table: str, columns: list[str]) -> str | None:
    """A GlobalID, else a GUID column named for the table (IMSMA NG's staging area names
    HAZARD's ``hazard_guid``) or just ``guid``."""
    found = _key(columns, _OWN_KEYS)
    if found is None:
        named = {f"{table.lower().replace(' ', '_')}_guid", "guid"}
        found = next((c for c in columns if c.lower() in named), None)
    return found


def _guid_text(value: object) -> str:
    return str(value).strip().strip("{}").upper()


def _relations(tables: dict[str, pd.DataFrame]) -> list[Relation]:
    """A repeat's ParentGlobalID names its parent's GlobalID; any other column ending in
    ``guid`` that holds another table's keys links to it too (IMSMA NG's staging area: an
    accident's ``hazard_guid``). Each found by content: the table whose keys it names most."""
    own = {
        name: (key, {_guid_text(v) for v in frame[key].dropna()})
        for name, frame in tables.items()
        if (key := _own_key(name, list(frame.columns))) is not None
    }
    out = []
    for name, frame in tables.items():
        columns = list(frame.columns)
        mine = own.get(name, (None, set()))[0]
        parent_key = _key(columns, _PARENT_KEYS)
        guids = [c for c in columns if c.lower().endswith("guid") and c not in (mine, parent_key)]
        for child_key in [parent_key, *guids] if parent_key else guids:
            wanted = {_guid_text(v) for v in frame[child_key].dropna()}
            best = max(
                (
                    (len(wanted & ids), parent, key)
                    for parent, (key, ids) in own.items()
                    if parent != name
                ),
                default=None,
            )
            if best is not None and best[0] > 0:
                out.append(Relation(f"{best[1]}_{name}", best[1], name, best[2], child_key))
    return out


def _column_type(series: pd.Series) -> str | None:
    values = series.dropna()
    if values.empty:
        return None
    if pd.api.types.is_numeric_dtype(values):
        return "real"
    numeric = pd.to_numeric(values, errors="coerce")
    if numeric.notna().all():
        return "integer" if (numeric % 1 == 0).all() else "real"
    return "text"
