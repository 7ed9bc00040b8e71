"""The field forms: write the shipped XLSForms and their default mapping, check a programme's
own XLSForm with pyxform, and suggest a mapping from its questions to minewatch's records.

``minewatch forms build | check | mapping`` call these; the forms are defined in
:mod:`minewatch.forms` and read by :mod:`minewatch.io.xlsform`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from minewatch.domain.records import Kind
from minewatch.errors import InvalidInput, Location
from minewatch.forms.build import build_all, form_text, shipped_dir, xlsform_bytes
from minewatch.forms.definitions import FORMS
from minewatch.io.form_mapping import (
    DEFAULT_MAPPING_HEADER,
    default_mapping,
    mapping_to_toml,
    suggestion_toml,
)
from minewatch.io.xlsform import check_xlsform, read_xlsform


def build_forms(out: Path | None = None, locale: str | None = None) -> list[Path]:
    """Write every shipped XLSForm and ``minewatch_default_mapping.toml`` into ``out``
    (default: the package's own folder); returns the files, the mapping last. ``locale``
    titles the forms and makes them open in that language (every language's labels are in
    every form); the package's own forms are English.

    Examples
    --------
    >>> [path.name for path in build_forms(tmp)]
    ['minewatch_hazardous_area.xlsx', 'minewatch_completion.xlsx', 'minewatch_eod_spot_task.xlsx',
     'minewatch_accident.xlsx', 'minewatch_risk_education.xlsx', 'minewatch_qm_visit.xlsx',
     'minewatch_accreditation.xlsx', 'minewatch_task_order.xlsx',
     'minewatch_victim_assistance.xlsx', 'minewatch_default_mapping.toml']
    """
    target = out or shipped_dir()
    if out is None and locale not in (None, "en"):
        raise InvalidInput(
            "the package's own forms stay English; give --out for forms in another language",
            Location(field="out"),
        )
    written = build_all(target, locale)
    toml = target / "minewatch_default_mapping.toml"
    toml.write_text(mapping_to_toml(default_mapping(), DEFAULT_MAPPING_HEADER), encoding="utf-8")
    return [*written, toml]


def form_title(form_id: str, locale: str | None) -> str:
    """A shipped form's title in ``locale``.

    Examples
    --------
    >>> form_title("minewatch_accident", "es")
    'Accidente por artefactos explosivos y víctimas'
    """
    return form_text(FORMS[form_id].title, locale or "en")


def form_workbook(form_id: str, locale: str | None) -> bytes:
    """A shipped form as an XLSForm titled and opening in ``locale`` (an ``.xlsx``'s bytes).

    Examples
    --------
    >>> _ = (tmp / "accident-ar.xlsx").write_bytes(form_workbook("minewatch_accident", "ar"))
    >>> check_form(tmp / "accident-ar.xlsx").form_id   # valid under pyxform
    'minewatch_accident'
    """
    return xlsform_bytes(FORMS[form_id], locale)


@dataclass(frozen=True)
class FormCheck:
    """A valid XLSForm: its id, how many questions and repeats it has, pyxform's warnings.

    Examples
    --------
    >>> from minewatch.forms.build import shipped_dir
    >>> check_form(shipped_dir() / "minewatch_accident.xlsx")
    FormCheck(form_id='minewatch_accident', questions=26, repeats=1, warnings=[])
    """

    form_id: str
    questions: int
    repeats: int
    warnings: list[str]


def check_form(xlsform: Path) -> FormCheck:
    """pyxform's verdict on an XLSForm; InvalidInput naming the file when it is not valid.

    Examples
    --------
    >>> from minewatch.forms.build import shipped_dir
    >>> check_form(shipped_dir() / "minewatch_hazardous_area.xlsx").form_id
    'minewatch_hazardous_area'
    >>> _ = (tmp / "broken.xlsx").write_bytes(b"not a workbook")
    >>> check_form(tmp / "broken.xlsx")
    Traceback (most recent call last):
    ...
    minewatch.errors.InvalidInput: /...broken.xlsx: pyxform rejects the form: ...
    """
    warnings = check_xlsform(xlsform)
    schema = read_xlsform(xlsform)
    return FormCheck(schema.form_id, len(schema.questions), len(schema.repeats), warnings)


def suggest_mapping(xlsform: Path, kind: Kind) -> str:
    """A mapping (TOML) from a programme's own form to records of ``kind``, to edit.

    Examples
    --------
    >>> from minewatch.forms.build import shipped_dir
    >>> toml = suggest_mapping(shipped_dir() / "minewatch_accident.xlsx", Kind.ACCIDENT)
    >>> [line for line in toml.splitlines() if line.startswith("[")]
    ['[forms.minewatch_accident]', '[forms.minewatch_accident.fields]',
     '[[forms.minewatch_accident.repeats]]', '[forms.minewatch_accident.repeats.fields]']
    """
    return suggestion_toml(read_xlsform(xlsform), kind)
