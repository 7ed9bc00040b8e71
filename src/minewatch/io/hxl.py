"""Public tables in the Humanitarian Exchange Language (HXL), for HDX and other platforms.

An HXL CSV is an ordinary CSV with one extra row under the headers: a hashtag per column
(``#adm1+name``, ``#geo+lat``, ``#affected+killed``…) from the HXL core schema
(https://hxlstandard.org/standard/1-1final/dictionary/). Mine-action concepts the core
schema lacks use extension hashtags, which HXL reserves for that purpose by their ``#x_``
prefix (``#x_hazard+code``).

Personal data never leaves through here, twice over: every table is built from an explicit
list of public columns from frames that :mod:`minewatch.services.publish` has already passed
through the personal-data guard (:func:`minewatch.services.disclosure.public_frame`, which
also checks these lists before anything is written), and victims are published only as
counts on their accident.

>>> [c.tag for c in PUBLIC_COLUMNS[Kind.ACCIDENT] if c.name.startswith("killed")]
['#affected+killed', '#affected+killed+f', '#affected+killed+m', '#affected+killed+children']
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from minewatch.domain.area import ellipsoidal_area
from minewatch.domain.casualties import CHILD_UNDER, device_type
from minewatch.domain.cells import safe_row
from minewatch.domain.records import Kind, LocationLevel, SexAge, record_type

SECTOR = "Mine action"


@dataclass(frozen=True)
class HxlColumn:
    """One published column: its name (header), HXL hashtag, and what it means."""

    name: str
    tag: str
    description: str


def _c(name: str, tag: str, description: str) -> HxlColumn:
    return HxlColumn(name, tag, description)


_PLACE = (
    _c("adm1_name", "#adm1+name", "First-level administrative area"),
    _c("adm1_pcode", "#adm1+code", "Its P-code"),
    _c("adm2_name", "#adm2+name", "Second-level administrative area"),
    _c("adm2_pcode", "#adm2+code", "Its P-code"),
    _c("location_code", "#loc+code", "Gazetteer code of the location"),
    _c("lat", "#geo+lat", "Latitude (WGS84) of a point on the feature"),
    _c("lon", "#geo+lon", "Longitude (WGS84) of a point on the feature"),
)

_SEX_AGE = {"girls": "+f+children", "boys": "+m+children", "women": "+f+adults", "men": "+m+adults"}

#: The columns each public table has, in order. Nothing else is ever published.
PUBLIC_COLUMNS: dict[Kind, tuple[HxlColumn, ...]] = {
    Kind.HAZARDOUS_AREA: (
        _c("code", "#x_hazard+code", "Hazardous area code"),
        _c("name", "#x_hazard+name", "Local name of the area"),
        _c("classification", "#x_hazard+class", "SHA (suspected) or CHA (confirmed)"),
        _c("hazard_types", "#x_hazard+type", "Types of hazard, space-separated"),
        _c("status", "#status", "open, suspended, closed or released"),
        _c("area_m2", "#indicator+area_m2+num", "Area in m² (geodesic, equal-area)"),
        *_PLACE,
        _c("organisation_code", "#org+code", "Organisation that reported it"),
        *(
            _c(f"affected_{who}", f"#affected{attrs}", f"{who.capitalize()} living near it")
            for who, attrs in _SEX_AGE.items()
        ),
        _c("date_of_information", "#date+reported", "Date of Information"),
        _c("sector", "#sector", "Humanitarian sector"),
    ),
    Kind.ACCIDENT: (
        _c("code", "#event+code", "Accident code"),
        _c("accident_date", "#date+occurred", "Date of the accident"),
        _c("device_category", "#x_device+type", "Category of explosive ordnance"),
        _c(
            "device_type",
            "#x_device+type+monitor",
            "Device by the Landmine Monitor's casualty types (unknown where not recorded)",
        ),
        _c("during_demining", "#x_demining", "Whether it happened during demining (1/0)"),
        *_PLACE,
        _c("killed", "#affected+killed", "People killed"),
        _c("killed_f", "#affected+killed+f", "Women and girls killed"),
        _c("killed_m", "#affected+killed+m", "Men and boys killed"),
        _c("killed_children", "#affected+killed+children", "Children (under 18) killed"),
        _c("injured", "#affected+injured", "People injured"),
        _c("injured_f", "#affected+injured+f", "Women and girls injured"),
        _c("injured_m", "#affected+injured+m", "Men and boys injured"),
        _c("injured_children", "#affected+injured+children", "Children (under 18) injured"),
        _c(
            "outcome_unknown",
            "#affected+outcome_unknown",
            "People for whom it is not known whether they were killed or injured",
        ),
        _c("date_of_information", "#date+reported", "Date of Information"),
        _c("sector", "#sector", "Humanitarian sector"),
    ),
    Kind.RELEASE_PRODUCT: (
        _c("code", "#x_release+code", "Release product code"),
        _c("product_type", "#x_release+type", "cancelled, reduced or cleared"),
        _c("hazardous_area_code", "#x_hazard+code", "Hazardous area it came from"),
        _c("activity_code", "#activity+code", "Land release activity"),
        _c("release_date", "#date+released", "Date the land was released"),
        _c("area_m2", "#indicator+area_m2+num", "Area in m² (geodesic, equal-area)"),
        *_PLACE[5:],
        _c("organisation_code", "#org+code", "Organisation that released it"),
        _c("date_of_information", "#date+reported", "Date of Information"),
        _c("sector", "#sector", "Humanitarian sector"),
    ),
    Kind.RISK_EDUCATION_SESSION: (
        _c("code", "#activity+code", "Session code"),
        _c("session_date", "#date", "Date of the session"),
        _c("method", "#activity+type", "Method"),
        *_PLACE,
        _c("organisation_code", "#org+code", "Organisation that held it"),
        *(
            _c(f"reached_{who}", f"#reached{attrs}", f"{who.capitalize()} reached")
            for who, attrs in _SEX_AGE.items()
        ),
        _c("reached", "#reached", "People reached"),
        _c(
            "reached_with_disability",
            "#reached+with_disability",
            "People reached with a disability (blank where not recorded for every group)",
        ),
        *(
            _c(
                f"indirect_{who}",
                f"#reached+indirect{attrs}",
                f"{who.capitalize()} reached indirectly",
            )
            for who, attrs in _SEX_AGE.items()
        ),
        _c("reached_indirect", "#reached+indirect", "People reached indirectly"),
        _c("date_of_information", "#date+reported", "Date of Information"),
        _c("sector", "#sector", "Humanitarian sector"),
    ),
    Kind.TASK_ORDER: (
        _c("code", "#x_task+code", "Task order code"),
        _c("name", "#x_task+name", "Name of the task"),
        _c("organisation_code", "#org+code", "Organisation tasked"),
        _c("authority_code", "#org+code+authority", "National authority that issued it"),
        _c("hazardous_area_codes", "#x_hazard+code+list", "Hazardous areas, space-separated"),
        _c("activity_type", "#activity+type", "Non-technical survey, technical survey, clearance…"),
        _c("method", "#x_method", "Method: manual, mechanical, animal detection…"),
        _c(
            "priority_rank",
            "#x_priority+rank+num",
            "The areas' rank in the prioritisation (1 first)",
        ),
        _c("priority_score", "#x_priority+score+num", "The prioritisation's score for its areas"),
        _c("priority_scenario", "#x_priority+scenario", "The prioritisation scenario ranked by"),
        _c("issue_date", "#date+issued", "Date issued"),
        _c("start_date", "#date+start", "Planned start"),
        _c("due_date", "#date+due", "Due date"),
        _c("status", "#status", "issued, accepted, in_progress, suspended, completed, cancelled"),
        _c("status_date", "#date+status", "When the status last changed"),
        _c("area_m2", "#indicator+area_m2+num", "Area of its outline in m² (geodesic)"),
        _c("released_m2", "#indicator+released_m2+num", "Land released when completed, m²"),
        _c("remaining_m2", "#indicator+remaining_m2+num", "Land remaining when completed, m²"),
        *_PLACE[5:],
        _c("date_of_information", "#date+reported", "Date of Information"),
        _c("sector", "#sector", "Humanitarian sector"),
    ),
    Kind.ACCREDITATION: (
        _c("code", "#x_accreditation+code", "Accreditation code"),
        _c("organisation_code", "#org+code", "Organisation accredited"),
        _c("methods", "#x_method+list", "Methods accredited, space-separated"),
        _c("asset_types", "#x_asset+type+list", "Asset types accredited, space-separated"),
        _c("valid_from", "#date+start", "First day valid"),
        _c("valid_until", "#date+end", "Last day valid (blank: no end date)"),
        _c("certificate_reference", "#x_accreditation+certificate", "Certificate reference"),
        _c("issuing_authority_code", "#org+code+authority", "National authority that issued it"),
        _c("status", "#status", "granted, suspended or withdrawn"),
        _c("conditions", "#x_accreditation+conditions", "Conditions written on the certificate"),
        _c("date_of_information", "#date+reported", "Date of Information"),
        _c("sector", "#sector", "Humanitarian sector"),
    ),
    # Victim assistance is published only as the national coverage per year: survivors
    # counted, never a record, a code, a place or a person (public_coverage_table).
    Kind.VICTIM_ASSISTANCE: (
        _c("year", "#date+year", "Year (unknown where the service's date is not recorded)"),
        _c("assistance_type", "#service+type", "Kind of assistance, or any"),
        _c("stage", "#status+stage", "needed, referred or received in the year"),
        _c("people", "#x_survivors+num", "Survivors (each counted once)"),
        _c("female", "#x_survivors+f+num", "Women and girls"),
        _c("male", "#x_survivors+m+num", "Men and boys"),
        _c("sex_unknown", "#x_survivors+sex_unknown+num", "Sex not recorded"),
        _c("children", "#x_survivors+children+num", "Children (under 18)"),
        _c("adults", "#x_survivors+adults+num", "Adults"),
        _c("age_unknown", "#x_survivors+age_unknown+num", "Age not recorded"),
        _c("with_disability", "#x_survivors+with_disability+num", "With a disability"),
        _c("without_disability", "#x_survivors+without_disability+num", "Without a disability"),
        _c(
            "disability_not_recorded",
            "#x_survivors+disability_unknown+num",
            "Disability not recorded",
        ),
        _c("sector", "#sector", "Humanitarian sector"),
    ),
}

#: Fields holding several values, published space-separated.
_LISTS = ("hazard_types", "hazardous_area_codes", "methods", "asset_types")


def public_columns(kind: Kind) -> tuple[HxlColumn, ...]:
    """The published columns of ``kind``."""
    return PUBLIC_COLUMNS[kind]


# -- building the public tables -----------------------------------------------------------------


def _admin_lookup(locations: pd.DataFrame | None) -> dict[str, dict[str, Any]]:
    """location code → adm1/adm2 name and P-code, walking up the gazetteer."""
    if locations is None or locations.empty:
        return {}
    records = locations.set_index("code")[["name", "level", "parent_code", "pcode"]]
    by_code: dict[str, dict[str, Any]] = {
        str(code): {str(k): v for k, v in row.items()}
        for code, row in records.to_dict("index").items()
    }
    out: dict[str, dict[str, Any]] = {}
    for code in by_code:
        entry: dict[str, Any] = {}
        seen: set[str] = set()
        current: str | None = code
        while current in by_code and current not in seen:
            seen.add(current)
            loc = by_code[current]
            level = str(loc["level"])
            if level in (LocationLevel.ADM1.value, LocationLevel.ADM2.value):
                entry.setdefault(f"{level}_name", loc["name"])
                entry.setdefault(f"{level}_pcode", loc["pcode"])
            current = loc["parent_code"]
        out[code] = entry
    return out


def _place(frame: gpd.GeoDataFrame, admin: Mapping[str, Mapping[str, Any]]) -> pd.DataFrame:
    geoms = frame.geometry.values
    has = ~shapely.is_missing(np.asarray(geoms, dtype=object))
    points = np.full(len(frame), None, dtype=object)
    points[has] = shapely.point_on_surface(np.asarray(geoms, dtype=object)[has])
    out = pd.DataFrame(index=frame.index)
    out["lat"] = np.round(shapely.get_y(points).astype(float), 6) if len(frame) else []
    out["lon"] = np.round(shapely.get_x(points).astype(float), 6) if len(frame) else []
    codes = frame["location_code"] if "location_code" in frame else pd.Series(None, frame.index)
    for key in ("adm1_name", "adm1_pcode", "adm2_name", "adm2_pcode"):
        out[key] = [admin.get(c, {}).get(key) if isinstance(c, str) else None for c in codes]
    out["location_code"] = codes
    return out


def area_m2(frame: gpd.GeoDataFrame) -> pd.Series:
    """Each polygon's area in m², by the system's one measure (so a published area equals
    the land release accounting's original area)."""
    areas = ellipsoidal_area(frame.geometry.to_crs(4326).values)
    return pd.Series(np.round(areas, 1), index=frame.index)


def _sex_age(frame: pd.DataFrame, column: str, prefix: str) -> pd.DataFrame:
    values = frame[column] if column in frame else pd.Series([{}] * len(frame), frame.index)
    out = pd.DataFrame(index=frame.index)
    for who in _SEX_AGE:
        out[f"{prefix}_{who}"] = [int((v or {}).get(who) or 0) for v in values]
    return out


def _victim_counts(victims: pd.DataFrame | None) -> pd.DataFrame:
    """Killed and injured per accident, by sex and for children (an unknown sex or age is
    in neither), and those whose outcome is unknown (never counted as injured): the only way
    victims are published."""
    names = ["killed", "killed_f", "killed_m", "killed_children"]
    names += [n.replace("killed", "injured") for n in names] + ["outcome_unknown"]
    if victims is None or victims.empty:
        return pd.DataFrame(columns=names)
    v = victims[["accident_code", "outcome", "sex", "age"]].copy()
    age = pd.to_numeric(v["age"], errors="coerce")
    parts = {}
    for outcome in ("killed", "injured"):
        is_outcome = v["outcome"] == outcome
        parts[outcome] = is_outcome
        parts[f"{outcome}_f"] = is_outcome & (v["sex"] == "female")
        parts[f"{outcome}_m"] = is_outcome & (v["sex"] == "male")
        parts[f"{outcome}_children"] = is_outcome & (age < CHILD_UNDER)
    parts["outcome_unknown"] = ~v["outcome"].isin(["killed", "injured"])
    flags = pd.DataFrame(parts).astype(int)
    flags["accident_code"] = v["accident_code"]
    return flags.groupby("accident_code")[names].sum()


def _with_disability(value: Any) -> int | None:
    """People with a disability in a sex and age grid, None unless recorded for every group
    with people (domain.records.SexAge.with_disability)."""
    if not isinstance(value, Mapping):
        return None
    return SexAge(**{k: v for k, v in value.items() if v is not None}).with_disability


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    return frame[name] if name in frame else pd.Series([None] * len(frame), frame.index)


def _text(value: Any) -> str | None:
    return None if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


def public_table(
    kind: Kind,
    items: gpd.GeoDataFrame,
    *,
    locations: pd.DataFrame | None = None,
    victims: pd.DataFrame | None = None,
) -> gpd.GeoDataFrame:
    """The public table of one kind: exactly :func:`public_columns`, plus the geometry."""
    columns = public_columns(kind)
    frame = items  # already without personal columns (services.disclosure.public_frame)
    out = pd.DataFrame(index=frame.index)
    for name in frame.columns:
        out[name] = frame[name]
    place = _place(frame, _admin_lookup(locations))
    for name in place.columns:
        out[name] = place[name]
    out["sector"] = SECTOR
    for name in _LISTS:
        if name in frame:
            out[name] = [" ".join(str(x) for x in (v if _is_list(v) else [])) for v in frame[name]]
    if record_type(kind).geometry_type in ("POLYGON", "MULTIPOLYGON") and len(frame):
        out["area_m2"] = area_m2(frame)
    if kind is Kind.HAZARDOUS_AREA:
        out = out.join(_sex_age(frame, "beneficiaries", "affected"))
    if kind is Kind.RISK_EDUCATION_SESSION:
        reached = _sex_age(frame, "beneficiaries", "reached")
        out = out.join(reached)
        out["reached"] = reached.sum(axis=1)
        out["reached_with_disability"] = [
            _with_disability(v) for v in _column(frame, "beneficiaries")
        ]
        indirect = _sex_age(frame, "indirect_beneficiaries", "indirect")
        out = out.join(indirect)
        out["reached_indirect"] = indirect.sum(axis=1)
    if kind is Kind.ACCIDENT:
        out["device_type"] = [
            device_type(_text(t), _text(c)).value
            for t, c in zip(
                _column(frame, "device_type"), _column(frame, "device_category"), strict=True
            )
        ]
        counts = _victim_counts(victims)
        joined = out[["code"]].join(counts, on="code")
        for name in counts.columns:
            out[name] = joined[name].fillna(0).astype(int)
        if "during_demining" in out:
            out["during_demining"] = out["during_demining"].map(
                lambda b: None if b is None or pd.isna(b) else int(bool(b))
            )
    names = [c.name for c in columns]
    for name in names:
        if name not in out:
            out[name] = None
    return gpd.GeoDataFrame(out[names], geometry=frame.geometry.values, crs=frame.crs or 4326)


def _is_list(value: Any) -> bool:
    return isinstance(value, list | tuple | np.ndarray)


def public_coverage_table(rows: Sequence[Mapping[str, Any]]) -> gpd.GeoDataFrame:
    """Victim assistance as published: the coverage rows (survivors per year, kind of
    assistance and stage, by sex, age and disability; ``domain.assistance.coverage_rows``),
    exactly the public columns and no geometry: no record, code or place leaves.

    >>> table = public_coverage_table([{"year": None, "assistance_type": "any",
    ...                                 "stage": "received", "people": 2, "female": 1}])
    >>> [str(v) for v in table.loc[0, ["year", "people", "male", "sector"]]]
    ['unknown', '2', '0', 'Mine action']
    """
    names = [c.name for c in public_columns(Kind.VICTIM_ASSISTANCE)]
    counts = [n for n in names if n not in ("year", "assistance_type", "stage", "sector")]
    records = [
        {
            "year": "unknown" if row.get("year") is None else row["year"],
            "assistance_type": row.get("assistance_type"),
            "stage": row.get("stage"),
            **{n: int(row.get(n) or 0) for n in counts},
            "sector": SECTOR,
        }
        for row in rows
    ]
    frame = pd.DataFrame(records, columns=names)
    return gpd.GeoDataFrame(frame, geometry=[None] * len(frame), crs=4326)


def write_hxl_csv(table: pd.DataFrame, kind: Kind, path: Path) -> Path:
    """An HXL CSV: the header row, the hashtag row, then the data (no geometry)."""
    columns = public_columns(kind)
    data = pd.DataFrame(table)[[c.name for c in columns]]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(safe_row(c.name for c in columns))
        writer.writerow(safe_row(c.tag for c in columns))
        writer.writerows(safe_row(_cells(row)) for row in data.itertuples(index=False, name=None))
    return path


def _cells(row: Sequence[Any]) -> list[Any]:
    return ["" if v is None or (isinstance(v, float) and np.isnan(v)) else v for v in row]
