"""Human labels of stored codes, fields and units, in a language.

>>> from minewatch.domain.records import HazardType
>>> label(HazardType.UXO_AXO)
'Unexploded or abandoned ordnance'
>>> label("HazardStatus", "open", locale="en"), field_label("hazardous_area", "reported_area_m2")
('Open', 'Reported area')
>>> label("HazardStatus", "open", locale="fr"), field_label("hazardous_area", "reported_area_m2", locale="es")
('Ouverte', 'Superficie declarada')
"""

from __future__ import annotations

from enum import Enum

from minewatch.vocabulary.catalogue import DEFAULT_LOCALE, normalise_locale, translate
from minewatch.vocabulary.enums import ENUM_LABELS
from minewatch.vocabulary.fields import FIELD_LABELS, KIND_FIELD_LABELS, SEX_AGE_ROWS, UNITS

#: The message context of field labels and of unit symbols in the catalogues.
FIELD_CONTEXT = "field"
UNIT_CONTEXT = "unit"
#: The message context of a field's help: the sentence a form shows under it.
HELP_CONTEXT = "help"


def humanise(code: str) -> str:
    """The fallback for a code the vocabulary does not know yet: ``"new_code"`` → ``"New code"``.

    The test suite fails while any stored code lacks a label, so this is only ever seen
    between adding a code and adding its label.

    Examples
    --------
    >>> humanise("destroyed_in_situ")
    'Destroyed in situ'
    """
    text = code.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def english_label(enum_name: str, code: str) -> str:
    """The English label of one stored code (the catalogues' source text)."""
    return ENUM_LABELS.get(enum_name, {}).get(code) or humanise(code)


def label(enum: Enum | str, code: str | None = None, *, locale: str | None = None) -> str:
    """The label of a stored code: an enumeration member, or its class name and code.

    Examples
    --------
    >>> from minewatch.domain.reports import ReportState
    >>> label(ReportState.SUBMITTED), label("Sex", "unknown", locale="en")
    ('Waiting for review', 'Not recorded')
    >>> label("HazardType", "uxo_axo", locale="es")
    'Municiones sin estallar o abandonadas'
    """
    if isinstance(enum, Enum):
        enum_name, value = type(enum).__name__, str(enum.value)
    else:
        if code is None:
            raise TypeError("label(enum_name, code): give the code")
        enum_name, value = enum, str(code)
    return translate(english_label(enum_name, value), locale, context=enum_name)


def english_field_label(kind: str, field: str) -> str:
    """The English label of one field of one kind of record (or nested value)."""
    return KIND_FIELD_LABELS.get(kind, {}).get(field) or FIELD_LABELS.get(field) or humanise(field)


def field_label(kind: str, field: str, locale: str | None = None) -> str:
    """The label of a field of a kind of record (``hazardous_area``) or of a nested value
    (``evidence``, ``blockage``, ``sex_age``, ``non_conformity``).

    Examples
    --------
    >>> field_label("hazardous_area", "reported_area_m2", locale="fr")
    'Superficie déclarée'
    >>> field_label("evidence", "type")
    'Indicator'
    """
    return translate(english_field_label(str(kind), field), locale, context=FIELD_CONTEXT)


def field_help(text: str, locale: str | None = None) -> str:
    """A field's help (its English sentence, as the record declares it) in ``locale``.

    Examples
    --------
    >>> field_help("The organisation tasked", locale="fr")
    "L'organisation chargée de la tâche"
    """
    return translate(text, locale, context=HELP_CONTEXT)


def sex_age_row_label(suffix: str, locale: str | None = None) -> str:
    """The label of a row of the sex-and-age grid, by its fields' suffix.

    Examples
    --------
    >>> sex_age_row_label(""), sex_age_row_label("_with_disability", locale="es")
    ('All', 'Con discapacidad')
    """
    english = SEX_AGE_ROWS.get(suffix) or humanise(suffix.replace("_", " ").strip())
    return translate(english, locale, context=FIELD_CONTEXT)


def unit_label(unit: str, locale: str | None = None) -> str:
    """The symbol of a unit (``m2`` → ``m²``), as the language writes it.

    Examples
    --------
    >>> unit_label("km2"), unit_label("people", locale="fr"), unit_label("ha", locale="uk")
    ('km²', 'personnes', 'га')
    """
    return translate(UNITS.get(unit, unit), locale, context=UNIT_CONTEXT)


def state_name(iso3: str | None, name: str, locale: str | None = None) -> str:
    """A state's name in the reader's language: CLDR's territory name (Babel) found by its
    ISO 3166-1 alpha-3 code; in English, and for a code CLDR does not know, ``name`` as the
    data gives it (the UN Treaty Collection's). Codes and data never change.

    Examples
    --------
    >>> [state_name("UKR", "Ukraine", code) for code in ("en", "fr", "es", "uk", "ar")]
    ['Ukraine', 'Ukraine', 'Ucrania', 'Україна', 'أوكرانيا']
    >>> state_name("XKX", "Synthetica", "fr"), state_name(None, "Synthetica", "fr")
    ('Synthetica', 'Synthetica')
    """
    code = normalise_locale(locale)
    if code == DEFAULT_LOCALE or not iso3:
        return name
    from babel import Locale
    from babel.core import get_global

    alpha2 = get_global("territory_aliases").get(iso3.upper(), [None])[0]
    return str(Locale.parse(code).territories.get(alpha2, name)) if alpha2 else name
