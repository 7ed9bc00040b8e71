"""What a programme's archive holds, before anything is read: its tables, their fields (name,
alias, type, coded-value domain), the domains, the relationships between tables (a parent's
GlobalID and its children's ParentGlobalID) and the attachment tables.

Every reader of :mod:`minewatch.io.migration` describes its source as one :class:`Catalogue`,
so the mapping assistant and the migration treat a File Geodatabase, an Esri JSON dump, a
Survey123 export, a workbook and an Access database alike.

>>> status = CodedDomain("HazardStatus", "status", {"1": "Open", "4": "Released"})
>>> table = SourceTable("Hazards", (SourceField("haz_status", "Status", "text", "HazardStatus"),), 2)
>>> catalogue = Catalogue("archive.gdb", "filegdb", (table,), {"HazardStatus": status})
>>> catalogue.domain_of("Hazards", "haz_status").codes["4"]
'Released'
"""

from __future__ import annotations

from dataclasses import dataclass, field

from minewatch.errors import InvalidInput, Location


@dataclass(frozen=True)
class CodedDomain:
    """A coded-value domain: the codes a field stores and what each means.

    Examples
    --------
    >>> CodedDomain("YesNo", "", {"Y": "Yes", "N": "No"}).describe("Y")
    'Yes'
    """

    name: str
    description: str
    codes: dict[str, str]

    def describe(self, code: object) -> str | None:
        """The description of a stored code (matched as text), or None if it is not a code."""
        if code is None:
            return None
        text = str(code)
        if text in self.codes:
            return self.codes[text]
        if text.endswith(".0") and text[:-2] in self.codes:  # integer codes read as reals
            return self.codes[text[:-2]]
        return None


@dataclass(frozen=True)
class SourceField:
    """One field of a source table: its name, the alias people see, a type (``text``,
    ``integer``, ``real``, ``date``, ``datetime``, ``binary`` or None when unknown) and the
    name of its coded-value domain, if any."""

    name: str
    alias: str | None = None
    type: str | None = None
    domain: str | None = None
    #: (subtype code, domain name) where ArcGIS subtypes give the field a domain of their own
    subtype_domains: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Relation:
    """A one-to-many relationship: each ``child`` row names its parent row by ``child_key``
    holding the parent's ``parent_key`` (ArcGIS: GlobalID and ParentGlobalID). Attachment
    relationships join photos and documents to their feature."""

    name: str
    parent: str
    child: str
    parent_key: str
    child_key: str
    attachment: bool = False


@dataclass(frozen=True)
class SourceTable:
    """One table or layer of a source: fields, row count, geometry type (None for plain
    tables) and the column that identifies each row for good (a GlobalID), if there is one;
    ``lookup`` for a classification the other tables refer to (IMSMA NG's ordnance types),
    described but not records of its own."""

    name: str
    fields: tuple[SourceField, ...]
    rows: int
    geometry_type: str | None = None
    key: str | None = None
    alias: str | None = None
    lookup: bool = False
    subtype_field: str | None = None  # ArcGIS subtypes: the field whose code picks one

    def field(self, name: str) -> SourceField | None:
        """The field called ``name`` (exactly), or None."""
        return next((f for f in self.fields if f.name == name), None)

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]


@dataclass(frozen=True)
class Catalogue:
    """Everything known about a source before reading its rows."""

    path: str
    format: str  # filegdb, esrijson, maxml, workbook, csv, access or gdal
    tables: tuple[SourceTable, ...]
    domains: dict[str, CodedDomain] = field(default_factory=dict)
    relations: tuple[Relation, ...] = ()
    notes: tuple[str, ...] = ()  # what the reader noticed (an incomplete paged dump …)

    def table(self, name: str) -> SourceTable:
        """The table called ``name``; InvalidInput lists the tables there are."""
        for table in self.tables:
            if table.name == name:
                return table
        names = ", ".join(t.name for t in self.tables)
        raise InvalidInput(
            "no table {name!r}; the source has: {names}",
            Location(file=self.path),
            name=name,
            names=names,
        )

    def domain_of(self, table: str, field_name: str) -> CodedDomain | None:
        """The coded-value domain of a field, or None. A field whose domain its ArcGIS
        subtypes set has their domains merged (the first subtype's description wins where two
        differ; :meth:`describe` reads each row through its own subtype's).

        >>> kinds = {"1": CodedDomain("Mines", "", {"1": "AP mine"}),
        ...          "2": CodedDomain("Ordnance", "", {"5": "Mortar"})}
        >>> field = SourceField("item", domain=None, subtype_domains=(("1", "1"), ("2", "2")))
        >>> table = SourceTable("Finds", (field,), 0, subtype_field="class")
        >>> Catalogue("x.gdb", "filegdb", (table,), kinds).domain_of("Finds", "item").codes
        {'1': 'AP mine', '5': 'Mortar'}
        """
        found = self.table(table).field(field_name)
        if found is None:
            return None
        if found.domain is not None and found.domain in self.domains:
            return self.domains[found.domain]
        subtype_domains = [self.domains[d] for _, d in found.subtype_domains if d in self.domains]
        if not subtype_domains:
            return None
        codes: dict[str, str] = {}
        for domain in subtype_domains:
            for code, meaning in domain.codes.items():
                codes.setdefault(code, meaning)
        names = sorted({d.name for d in subtype_domains})
        return CodedDomain(" / ".join(names), "by subtype", codes)

    def describe(
        self, table: str, field_name: str, code: object, subtype: object = None
    ) -> str | None:
        """What a stored code means in a row of subtype ``subtype`` (its own domain), else
        in the field's domain; None if it is not a code.

        >>> kinds = {"1": CodedDomain("Mines", "", {"1": "AP mine"}),
        ...          "2": CodedDomain("Ordnance", "", {"1": "Mortar"})}
        >>> field = SourceField("item", subtype_domains=(("1", "1"), ("2", "2")))
        >>> table = SourceTable("Finds", (field,), 0, subtype_field="class")
        >>> catalogue = Catalogue("x.gdb", "filegdb", (table,), kinds)
        >>> catalogue.describe("Finds", "item", 1, 2.0), catalogue.describe("Finds", "item", 1)
        ('Mortar', 'AP mine')
        """
        found = self.table(table).field(field_name)
        if found is not None and found.subtype_domains and subtype is not None:
            by_code = dict(found.subtype_domains)
            key = str(subtype)
            name = by_code.get(key) or by_code.get(key[:-2] if key.endswith(".0") else key)
            if name in self.domains:
                return self.domains[name].describe(code)
        domain = self.domain_of(table, field_name)
        return None if domain is None else domain.describe(code)

    def parent_of(self, table: str, parent: str | None = None) -> Relation | None:
        """The relationship that makes ``table`` a child (victims of accidents), if any: the
        first, or the one to ``parent``."""
        return next(
            (r for r in self.parents_of(table) if parent is None or r.parent == parent),
            None,
        )

    def parents_of(self, table: str) -> list[Relation]:
        """Every relationship that makes ``table`` a child, first the one to prefer."""
        return [r for r in self.relations if r.child == table and not r.attachment]

    @property
    def attachment_tables(self) -> list[str]:
        """Tables holding attachments (photos, documents): listed, not migrated as records."""
        named = {t.name for t in self.tables if t.name.upper().endswith("__ATTACH")}
        return sorted(named | {r.child for r in self.relations if r.attachment})

    @property
    def data_tables(self) -> list[SourceTable]:
        """The tables that may hold records: all but attachment tables."""
        attachments = set(self.attachment_tables)
        return [t for t in self.tables if t.name not in attachments]
