"""One chunk of a file's rows made into a :class:`~minewatch.io.geodata.batch.FeatureBatch`:
geometries normalised and transformed, cells mapped to fields, external ids read (or derived
from the content) and checked for repeats across the whole file."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

from minewatch.domain.geometry import Finding, FindingSeverity, GeometryArray
from minewatch.io.geodata.batch import (
    FeatureBatch,
    ImportRule,
    _by_record,
    _finding,
    expected_geometry,
)
from minewatch.io.geodata.crs import _Projector
from minewatch.io.geodata.geometries import _normalise, _transform
from minewatch.io.mapping import Mapping, apply_mapping


@dataclass
class _IdRegister:
    """External ids seen so far in this file, to find repeats across batches."""

    hashes: npt.NDArray[np.uint64] = field(default_factory=lambda: np.zeros(0, np.uint64))
    numbers: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))

    def repeats(
        self, ids: npt.NDArray[np.object_], numbers: npt.NDArray[np.int64]
    ) -> list[tuple[int, int]]:
        """(row, earlier feature number) for each id already used; then remember these."""
        present = pd.notna(ids)
        hashes = pd.util.hash_array(ids.astype(object)).astype(np.uint64)
        out: list[tuple[int, int]] = []
        order = np.argsort(self.hashes, kind="stable")
        sorted_hashes = self.hashes[order]
        pos = np.searchsorted(sorted_hashes, hashes)
        pos_ok = pos < len(sorted_hashes)
        earlier = np.zeros(len(ids), dtype=bool)
        earlier[pos_ok] = sorted_hashes[pos[pos_ok]] == hashes[pos_ok]
        first_in_batch = ~pd.Series(hashes).duplicated().to_numpy()
        first_row = pd.Series(np.arange(len(ids))).groupby(hashes).transform("min").to_numpy()
        for row in np.flatnonzero(present & (earlier | ~first_in_batch)):
            if earlier[row]:
                out.append((int(row), int(self.numbers[order[pos[row]]])))
            else:
                out.append((int(row), int(numbers[first_row[row]])))
        keep = present & first_in_batch & ~earlier
        self.hashes = np.concatenate([self.hashes, hashes[keep]])
        self.numbers = np.concatenate([self.numbers, numbers[keep]])
        return out


def _content_ids(frame: pd.DataFrame, wkb: npt.NDArray[np.object_]) -> npt.NDArray[np.object_]:
    """A stable id from a feature's content (its mapped columns and geometry), for files
    without an id column: the same feature always gets the same id."""
    geometry_bytes = np.where(pd.isna(wkb), b"", wkb).astype(object)
    hashes = np.asarray(pd.util.hash_array(geometry_bytes), dtype=np.uint64)
    if len(frame.columns):
        columns = pd.util.hash_pandas_object(frame.astype(str), index=False).to_numpy()
        with np.errstate(over="ignore"):
            hashes = (hashes * np.uint64(1_000_003)) ^ columns.astype(np.uint64)
    return np.asarray(np.char.mod("sha:%016x", hashes), dtype=object)


def _external_ids(
    mapping: Mapping,
    frame: pd.DataFrame,
    wkb: npt.NDArray[np.object_],
    numbers: npt.NDArray[np.int64],
    register: _IdRegister,
) -> tuple[npt.NDArray[np.object_], list[Finding]]:
    findings: list[Finding] = []
    if mapping.id_column:
        raw = frame[mapping.id_column].astype(object)
        text = raw.where(raw.isna(), raw.astype(str).str.strip())
        text = text.where(text != "", None)
        ids = np.array(text.to_numpy(dtype=object), dtype=object)
        for row in np.flatnonzero(pd.isna(ids)):
            findings.append(
                _finding(
                    ImportRule.MISSING_ID,
                    FindingSeverity.ERROR,
                    numbers[row],
                    f"column {mapping.id_column} is empty: the feature has no external id",
                    field=mapping.id_column,
                )
            )
            ids[row] = None
    else:
        ids = _content_ids(frame, wkb)
    for repeat, earlier in register.repeats(ids, numbers):
        what = (
            f"external id {ids[repeat]!r} is also feature {earlier}'s"
            if mapping.id_column
            else f"identical to feature {earlier} (same fields and geometry)"
        )
        findings.append(
            _finding(
                ImportRule.DUPLICATE_ID,
                FindingSeverity.ERROR,
                numbers[repeat],
                what,
                field=mapping.id_column,
            )
        )
    return ids, findings


def _build_batch(
    *,
    source: Path,
    layer: str | None,
    mapping: Mapping,
    frame: pd.DataFrame,
    geoms: GeometryArray,
    wkb: npt.NDArray[np.object_],
    numbers: npt.NDArray[np.int64],
    fids: npt.NDArray[np.int64],
    findings: list[Finding],
    project: _Projector,
    register: _IdRegister,
) -> FeatureBatch:
    expected = expected_geometry(mapping)
    geoms = _normalise(geoms, expected)
    geoms, transform_findings = _transform(geoms, project, numbers)
    findings = findings + transform_findings
    values, cell_errors = apply_mapping(mapping, frame)
    for error in cell_errors:
        findings.append(
            _finding(
                ImportRule.FIELD_VALUE,
                FindingSeverity.ERROR,
                numbers[error.row],
                error.message,
                field=error.field,
            )
        )
    ids, id_findings = _external_ids(mapping, frame, wkb, numbers, register)
    findings.extend(id_findings)
    findings.sort(key=_by_record)
    rejected = np.isin(
        numbers,
        np.array(
            [f.record for f in findings if f.severity is FindingSeverity.ERROR], dtype=np.int64
        ),
    )
    return FeatureBatch(
        source=str(source),
        layer=layer,
        mapping=mapping,
        feature_numbers=numbers,
        fids=fids,
        external_ids=ids,
        values=values.reset_index(drop=True),
        geometries=geoms,
        findings=findings,
        rejected=rejected,
    )
