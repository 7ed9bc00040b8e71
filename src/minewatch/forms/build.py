"""Write the shipped XLSForms (``.xlsx``) from :mod:`minewatch.forms.definitions`.

The three sheets follow the XLSForm specification (https://xlsform.org): ``survey`` (one row
per question, group and repeat), ``choices`` (one row per answer option) and ``settings``.
Labels, hints and constraint messages come in every shipped language, as KoboToolbox and ODK
Collect expect them (``label::English (en)``, ``label::Français (fr)``, ...), from the
catalogues of :mod:`minewatch.vocabulary`; English is the default language.
Run ``minewatch forms build`` after changing a definition; a test fails while the committed
files differ from what this module writes.

>>> from minewatch.forms.definitions import FORMS
>>> sheets = xlsform_sheets(FORMS["minewatch_risk_education"])
>>> sheets["settings"][1][:2]
['Explosive ordnance risk education session', 'minewatch_risk_education']
>>> sheets["survey"][0][2:4], sheets["settings"][0][-1]
(['label::English (en)', 'label::العربية (ar)'], 'default_language')
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path
from typing import Any

from minewatch.domain.cells import safe_row
from minewatch.forms.definitions import FORMS, FORMS_VERSION
from minewatch.forms.model import FORM_CONTEXT, FormDefinition, Group, Question
from minewatch.vocabulary import language_names, shipped_locales, translate


def form_languages() -> list[tuple[str, str]]:
    """(code, XLSForm language name) of every shipped language, English first:
    ``("fr", "Français (fr)")``, as the form tools show them."""
    names = language_names()
    return [(code, f"{names[code]} ({code})") for code in shipped_locales()]


def _translated(column: str) -> list[str]:
    return [f"{column}::{name}" for _, name in form_languages()]


#: pyxform writes typographic quotes as straight ones in the XForm (so do the exports made
#: from it); the sheets say the same, so a label read back from an export matches.
_STRAIGHT_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


def form_text(text: str, locale: str, context: str = FORM_CONTEXT) -> str:
    """A form's word in one language, as the XLSForm holds it.

    >>> form_text("Sex", "fr", "field"), form_text("Small arms ammunition", "fr", "OrdnanceCategory")
    ('Sexe', "Munitions d'armes légères")
    """
    return translate(text, locale, context=context).translate(_STRAIGHT_QUOTES)


def _in_every_language(text: str, context: str = FORM_CONTEXT) -> list[str]:
    if not text:
        return [""] * len(form_languages())
    return [form_text(text, code, context) for code, _ in form_languages()]


SURVEY_COLUMNS = (
    "type",
    "name",
    *_translated("label"),
    *_translated("hint"),
    "required",
    "relevant",
    "constraint",
    *_translated("constraint_message"),
    "appearance",
    "default",
    "parameters",
)
CHOICE_COLUMNS = ("list_name", "name", *_translated("label"))
SETTINGS_COLUMNS = ("form_title", "form_id", "version", "instance_name", "default_language")

#: A fixed timestamp for the workbook properties, so rebuilding gives the same file content.
_EPOCH = dt.datetime(2026, 1, 1)

#: Photos are downscaled on the phone: full-size images are slow to send on field networks.
_IMAGE_PARAMETERS = "max-pixels=1280"


def shipped_dir() -> Path:
    """The folder of the shipped ``.xlsx`` forms inside the installed package."""
    return Path(str(resources.files("minewatch.forms") / "xlsform"))


def _question_row(q: Question) -> list[str]:
    return [
        q.xlsform_type,
        q.name,
        *_in_every_language(q.label),
        *_in_every_language(q.hint),
        "yes" if q.required else "",
        q.relevant,
        q.constraint,
        *_in_every_language(q.constraint_message),
        q.appearance,
        q.default,
        _IMAGE_PARAMETERS if q.type == "image" else "",
    ]


def _survey_rows(items: tuple[Question | Group, ...]) -> list[list[str]]:
    rows: list[list[str]] = []
    for item in items:
        if isinstance(item, Question):
            rows.append(_question_row(item))
            continue
        word = "repeat" if item.repeat else "group"
        begin = [f"begin_{word}", item.name, *_in_every_language(item.label)]
        rows.append(begin + [""] * (len(SURVEY_COLUMNS) - len(begin)))
        rows[-1][SURVEY_COLUMNS.index("relevant")] = item.relevant
        rows[-1][SURVEY_COLUMNS.index("appearance")] = item.appearance
        rows.extend(_survey_rows(item.children))
        rows.append([f"end_{word}", item.name] + [""] * (len(SURVEY_COLUMNS) - 2))
    return rows


def _instance_name(form: FormDefinition) -> str:
    """A readable name for each submission in the server's list: date and organisation."""
    date_question = form.date_of_information[0]
    organisation = form.organisation or "organisation_code"
    return f"concat('{form.kind.value} ', ${{{date_question}}}, ' ', ${{{organisation}}})"


def _language_name(locale: str | None) -> str:
    """The XLSForm name of ``locale``'s column (``Français (fr)``), English when not shipped."""
    names = dict(form_languages())
    return names.get(locale or "", form_languages()[0][1])


def xlsform_sheets(form: FormDefinition, locale: str | None = None) -> dict[str, list[list[Any]]]:
    """The form's three sheets as rows of cells, header row first. Every language's labels
    are always there; ``locale`` sets the form's title (``form_title``, which XForms keep in
    one language only) and the language the form tools open it in (``default_language``).

    >>> from minewatch.forms.definitions import FORMS
    >>> xlsform_sheets(FORMS["minewatch_accident"], "fr")["settings"][1]
    ['Accident dû à des engins explosifs et victimes', 'minewatch_accident', ..., 'Français (fr)']
    """
    name = _language_name(locale)
    code = next((c for c, n in form_languages() if n == name), "en")
    choices = [list(CHOICE_COLUMNS)]
    for list_name, options in form.choice_lists.items():
        choices.extend(
            [list_name, c.name, *_in_every_language(c.label, c.context)] for c in options
        )
    return {
        "survey": [list(SURVEY_COLUMNS), *_survey_rows(form.survey)],
        "choices": choices,
        "settings": [
            list(SETTINGS_COLUMNS),
            [
                form_text(form.title, code),
                form.form_id,
                FORMS_VERSION,
                _instance_name(form),
                name,
            ],
        ],
    }


def _workbook(form: FormDefinition, locale: str | None) -> Any:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in xlsform_sheets(form, locale).items():
        sheet = wb.create_sheet(name)
        for row in rows:
            sheet.append(safe_row(row))
    wb.properties.creator = "minewatch"
    wb.properties.created = _EPOCH
    wb.properties.modified = _EPOCH
    return wb


def write_xlsform(form: FormDefinition, path: Path, locale: str | None = None) -> Path:
    """Write one form as an ``.xlsx`` XLSForm (titled and opening in ``locale``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _workbook(form, locale).save(path)
    return path


def xlsform_bytes(form: FormDefinition, locale: str | None = None) -> bytes:
    """One form as the bytes of an ``.xlsx`` XLSForm titled and opening in ``locale``."""
    import io

    buffer = io.BytesIO()
    _workbook(form, locale).save(buffer)
    return buffer.getvalue()


def is_current(form: FormDefinition, path: Path, locale: str | None = None) -> bool:
    """Whether the file at ``path`` holds exactly what :func:`xlsform_sheets` would write."""
    if not path.exists():
        return False
    expected = {
        name: [["" if v is None else v for v in row] for row in rows]
        for name, rows in xlsform_sheets(form, locale).items()
    }
    return read_sheets(path) == expected


def build_all(directory: Path | None = None, locale: str | None = None) -> list[Path]:
    """Write every shipped form into ``directory`` (default: the package's own folder),
    titled and opening in ``locale`` (default English, as shipped).

    Files whose content is already current are left untouched, so a rebuild does not churn
    the repository (``.xlsx`` files carry a save time).
    """
    target = directory or shipped_dir()
    paths = []
    for form in FORMS.values():
        path = target / f"{form.form_id}.xlsx"
        if not is_current(form, path, locale):
            write_xlsform(form, path, locale)
        paths.append(path)
    return paths


def read_sheets(path: Path) -> dict[str, list[list[Any]]]:
    """An ``.xlsx`` file's sheets as rows of cell values (None read back as "")."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        return {
            ws.title: [
                ["" if v is None else v for v in row] for row in ws.iter_rows(values_only=True)
            ]
            for ws in wb.worksheets
        }
    finally:
        wb.close()
