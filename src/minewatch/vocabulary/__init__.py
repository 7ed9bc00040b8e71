"""One vocabulary of human labels: every stored code, record field and unit, and every
message a person reads, in English (the source text) and in each language with a catalogue.

Stored codes never change with the language; only their labels do. Any layer above
``domain`` may import it (DESIGN.md): the forms, io, store, analyses, services, charts, the
API and the CLI. Add a missing label here, never in a private table of one page.

>>> from minewatch.domain.records import HazardType
>>> label(HazardType.UXO_AXO), label("HazardType", "uxo_axo", locale="fr")
('Unexploded or abandoned ordnance', 'Munitions non explosées ou abandonnées')
>>> field_label("hazardous_area", "reported_area_m2"), translate("Approve", locale="uk")
('Reported area', 'Затвердити')
"""

from minewatch.vocabulary.catalogue import (
    DEFAULT_LOCALE,
    direction,
    normalise_locale,
    shipped_locales,
    translate,
    translate_plural,
)
from minewatch.vocabulary.document import language_names, record_fields, vocabulary_document
from minewatch.vocabulary.labels import (
    field_help,
    field_label,
    label,
    sex_age_row_label,
    state_name,
    unit_label,
)
from minewatch.vocabulary.problems import render

__all__ = [
    "DEFAULT_LOCALE",
    "direction",
    "field_help",
    "field_label",
    "label",
    "language_names",
    "normalise_locale",
    "record_fields",
    "render",
    "sex_age_row_label",
    "shipped_locales",
    "state_name",
    "translate",
    "translate_plural",
    "unit_label",
    "vocabulary_document",
]
