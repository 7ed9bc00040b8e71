"""A batch of features read from a file (:class:`FeatureBatch`), one feature of it as an
importer sees it (:class:`FeatureRow`), and the import rules a feature can break besides the
geometry rules (:class:`ImportRule`)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from minewatch.domain.geometry import (
    DEFAULT_RULES,
    Expected,
    Finding,
    FindingSeverity,
    GeometryArray,
    GeometryRules,
    Rule,
    check_geometries,
)
from minewatch.domain.records import record_type
from minewatch.errors import Location
from minewatch.io.mapping import Mapping


class ImportRule(StrEnum):
    """Rules about a feature's cells and identity (the geometry rules are
    :class:`minewatch.domain.geometry.Rule`)."""

    UNREADABLE_GEOMETRY = "unreadable_geometry"
    UNTRANSFORMABLE_GEOMETRY = "untransformable_geometry"
    FIELD_VALUE = "field_value"
    MISSING_ID = "missing_id"
    DUPLICATE_ID = "duplicate_id"


@dataclass(frozen=True)
class FeatureRow:
    """One feature of a batch, as an importer turns it into a report: its number and FID in
    the file, its external id, its mapped field values (plain, None for blanks), its WGS84
    geometry and its findings."""

    number: int
    fid: int
    external_id: str | None
    values: dict[str, Any]
    geometry: BaseGeometry | None
    findings: tuple[Finding, ...]
    rejected: bool


@dataclass
class FeatureBatch:
    """Up to ``batch_size`` consecutive features of one layer.

    ``feature_numbers`` count features from 1 in the order GDAL reads them (for a CSV, the
    data row, header not counted); ``fids`` are GDAL's feature ids (a GeoPackage's primary
    key). ``values`` has one column per mapped record field, in plain values as reports
    hold them. ``geometries`` are shapely geometries in WGS84 (None where missing,
    unreadable, or rejected by a geometry rule). ``findings`` name the feature by its number; ``rejected`` marks features with
    an error finding.
    """

    source: str
    layer: str | None
    mapping: Mapping
    feature_numbers: npt.NDArray[np.int64]
    fids: npt.NDArray[np.int64]
    external_ids: npt.NDArray[np.object_]
    values: pd.DataFrame
    geometries: GeometryArray
    findings: list[Finding] = field(default_factory=list)
    rejected: npt.NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=bool))

    def __len__(self) -> int:
        return len(self.feature_numbers)

    def location(self, finding: Finding) -> Location:
        """Where a finding was made, for :class:`minewatch.errors.InvalidInput` and reject
        reports: file, feature number and field."""
        return Location(file=self.source, row=finding.record, field=finding.field)

    def checked(
        self, rules: GeometryRules = DEFAULT_RULES, boundary: BaseGeometry | None = None
    ) -> FeatureBatch:
        """This batch with the geometry rules applied to every feature whose geometry was
        read: repairs applied to ``geometries``, findings added, errors rejected.

        Pairwise rules (duplicates, overlaps) need every record, not one batch: run
        :func:`minewatch.domain.geometry.find_duplicates_and_overlaps` on the whole import.
        """
        expected = expected_geometry(self.mapping)
        if expected is None:
            return self
        readable = ~self._geometry_problem()
        if self.mapping.allow_missing_geometry:
            readable &= ~shapely.is_missing(self.geometries)
        rows = np.flatnonzero(readable)
        check = check_geometries(
            self.geometries[rows],
            self.feature_numbers[rows].tolist(),
            rules=rules,
            boundary=boundary,
            expected=expected,
        )
        geometries = self.geometries.copy()
        geometries[rows] = check.geometries
        rejected = self.rejected.copy()
        rejected[rows] |= check.rejected
        findings = sorted([*self.findings, *check.findings], key=_by_record)
        return replace(self, geometries=geometries, findings=findings, rejected=rejected)

    def rows(self, *, rejected: bool = False) -> Iterator[FeatureRow]:
        """The accepted features one by one (or, with ``rejected=True``, every feature),
        each with its own findings.

        >>> import geopandas as gpd, shapely, tempfile, pathlib
        >>> from minewatch.io.geodata import load_mapping, read_batches, write_geodata
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "synthetic.geojson"
        >>> frame = gpd.GeoDataFrame({"ID": ["A"], "STATUS": ["open"]}, crs="EPSG:4326",
        ...                          geometry=[shapely.box(30, 50, 30.01, 50.01)])
        >>> mapping = load_mapping({"kind": "hazardous_area", "id_column": "ID",
        ...                         "fields": {"status": "STATUS"}})
        >>> batch = next(read_batches(write_geodata(frame, path), mapping)).checked()
        >>> [(r.number, r.external_id, r.values) for r in batch.rows()]
        [(1, 'A', {'status': 'open'})]
        """
        by_record: dict[object, list[Finding]] = {}
        for finding in self.findings:
            by_record.setdefault(finding.record, []).append(finding)
        records = self.values.to_dict("records")
        for row in range(len(self)):
            if self.rejected[row] and not rejected:
                continue
            number = int(self.feature_numbers[row])
            yield FeatureRow(
                number=number,
                fid=int(self.fids[row]),
                external_id=self.external_ids[row],
                values={str(k): v for k, v in records[row].items()},
                geometry=self.geometries[row],
                findings=tuple(by_record.get(number, ())),
                rejected=bool(self.rejected[row]),
            )

    def _geometry_problem(self) -> npt.NDArray[np.bool_]:
        numbers = {
            f.record
            for f in self.findings
            if f.rule in _GEOMETRY_READ_RULES and f.severity is FindingSeverity.ERROR
        }
        return np.isin(self.feature_numbers, np.array(sorted(numbers, key=str)))


#: Rules under which reading already rejected a feature's geometry.
_GEOMETRY_READ_RULES = frozenset(
    {
        Rule.NULL_GEOMETRY,
        ImportRule.UNREADABLE_GEOMETRY,
        ImportRule.UNTRANSFORMABLE_GEOMETRY,
    }
)


def _by_record(finding: Finding) -> int:
    return int(finding.record) if isinstance(finding.record, int) else 0


def expected_geometry(mapping: Mapping) -> Expected:
    """The geometry a record kind holds: "polygon", "point" or None (no geometry)."""
    kind_type = record_type(mapping.kind).geometry_type
    if kind_type is None:
        return None
    return "point" if kind_type == "POINT" else "polygon"


def _finding(
    rule: str, severity: FindingSeverity, number: int, message: str, **extra: Any
) -> Finding:
    return Finding(rule, severity, int(number), message, **extra)
