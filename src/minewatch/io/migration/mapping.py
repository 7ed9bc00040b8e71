"""The migration mapping file: for each source table, the kind of record it becomes (or that
it is skipped), the column that keys its rows, where each report's dates come from, the
parent it links to, how places without coordinates are found, and for each record field its
source column and value map (the same :class:`~minewatch.io.mapping.FieldSource` as
``minewatch import``). ``minewatch migrate plan`` proposes one; the officer edits it.

>>> mapping = load_migration_mapping({"tables": {
...     "Victims": {"kind": "victim", "key": "GlobalID",
...                 "link": {"parent": "Accidents", "field": "accident_code"},
...                 "fields": {"sex": {"column": "gender", "values": {"M": "male"}}}},
...     "Accidents__ATTACH": {"skip": True}}})
>>> victims = mapping.tables["Victims"]
>>> victims.kind.value, victims.link.parent, victims.as_mapping().fields["sex"].values
('victim', 'Accidents', {'M': 'male'})
>>> mapping.order()
['Accidents__ATTACH', 'Victims']
"""

from __future__ import annotations

from collections.abc import Mapping as AnyMapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from minewatch.domain.records import Kind
from minewatch.errors import InvalidInput
from minewatch.io.mapping import (
    FieldSource,
    GeometrySource,
    Mapping,
    load_toml_model,
    mappable_fields,
)


class LinkSource(BaseModel):
    """A child table's rows name their parent row (ParentGlobalID → GlobalID): ``field`` of
    the new record gets the code of the item the parent row became."""

    model_config = ConfigDict(extra="forbid")

    parent: str
    field: str


class PlaceSource(BaseModel):
    """Where a row without coordinates is: a P-code column and/or a place-name column, looked
    up in the gazetteer given to the run."""

    model_config = ConfigDict(extra="forbid")

    pcode: str | None = None
    name: str | None = None

    @model_validator(mode="after")
    def _something(self) -> PlaceSource:
        if self.pcode is None and self.name is None:
            raise ValueError("give 'pcode', 'name' or both")
        return self


class TableMapping(BaseModel):
    """How one source table migrates."""

    model_config = ConfigDict(extra="forbid")

    kind: Kind | None = None
    skip: bool = False
    key: str | None = None
    date_of_information: str | None = None
    created: str | None = None
    edited: str | None = None
    geometry: GeometrySource | None = None
    place: PlaceSource | None = None
    link: LinkSource | None = None
    extra: bool = True
    #: A key an earlier row has: a mistake ("reject"), or a later form of the same item
    #: landing as a later report of it ("later_report", IMSMA NG's Data Entry Forms).
    repeated_key: Literal["reject", "later_report"] = "reject"
    fields: dict[str, FieldSource] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("fields"), dict):
            fields = {
                k: {"column": v} if isinstance(v, str) else v for k, v in data["fields"].items()
            }
            data = {**data, "fields": fields}
        return data

    @model_validator(mode="after")
    def _kind_unless_skipped(self) -> TableMapping:
        if not self.skip and self.kind is None:
            raise ValueError("give the 'kind' of record the table becomes, or skip = true")
        if self.kind is not None:
            self.as_mapping()  # the fields and constants must fit the kind
            if self.link is not None and self.link.field not in mappable_fields(self.kind):
                raise ValueError(f"link.field: {self.kind.value} has no field {self.link.field!r}")
        return self

    def as_mapping(self) -> Mapping:
        """The record fields as an import :class:`~minewatch.io.mapping.Mapping`."""
        assert self.kind is not None
        return Mapping(kind=self.kind, fields=self.fields, allow_missing_geometry=True)

    @property
    def columns(self) -> list[str]:
        """Every source column this mapping reads for fields, keys, dates, places and geometry."""
        named: list[str | None] = [s.column for s in self.fields.values()]
        named += [self.key, self.date_of_information, self.created, self.edited]
        if self.geometry is not None:
            named += [self.geometry.wkt, self.geometry.x, self.geometry.y]
        if self.place is not None:
            named += [self.place.pcode, self.place.name]
        return list(dict.fromkeys(c for c in named if c))


class MigrationMapping(BaseModel):
    """Every table of a source and how it migrates."""

    model_config = ConfigDict(extra="forbid")

    source: str | None = None
    tables: dict[str, TableMapping] = Field(default_factory=dict)  # none: a source with none

    def order(self) -> list[str]:
        """Tables in the order they migrate: each parent before the children that link to it."""
        done: list[str] = []

        def visit(name: str, path: tuple[str, ...]) -> None:
            if name in done or name not in self.tables:
                return
            if name in path:
                raise InvalidInput(
                    "tables link in a circle: {path}", path=" → ".join((*path, name))
                )
            link = self.tables[name].link
            if link is not None:
                visit(link.parent, (*path, name))
            done.append(name)

        for name in sorted(self.tables):
            visit(name, ())
        return done


def load_migration_mapping(source: str | Path | AnyMapping[str, Any]) -> MigrationMapping:
    """A migration mapping from a TOML file or a dict; InvalidInput says what is wrong."""
    return load_toml_model(source, MigrationMapping, "migration mapping")
