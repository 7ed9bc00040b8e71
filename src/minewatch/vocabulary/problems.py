"""Error, refusal and validation messages in the reader's language: what the CLI prints and
what the API's Problem answers say (``detail``, ``description``). Codes stay codes — a
field's name in ``location.field``, a record's code inside a message — only the words change.

A message is translated when it was raised as a template with its values apart
(``NotFound("no report {code}", code=...)``, see :mod:`minewatch.errors`) and the catalogues
have the template; any other message is shown as raised, in English.

>>> from minewatch.errors import InvalidInput, Location, NotFound
>>> error_text(NotFound("no report {code}", code="RPT-000009"), "fr")
'aucun rapport RPT-000009'
>>> error_text(InvalidInput("not a date", Location(file="areas.csv", row=3, field="date")), "es")
'areas.csv, fila 3, campo date: not a date'
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from minewatch.domain.text import Message, Sentences, Term, Terms
from minewatch.errors import InvalidInput, Location, MinewatchError
from minewatch.vocabulary.catalogue import DEFAULT_LOCALE, normalise_locale, translate
from minewatch.vocabulary.labels import label


def render(value: Any, locale: str | None) -> str:
    """What the domain or a service composed (:mod:`minewatch.domain.text`) in ``locale``:
    a message translated and filled, a stored code by its label, a list joined as the
    language joins one, clauses separated as it separates them; anything else as it is
    (dates in ISO).

    Examples
    --------
    >>> from minewatch.domain.text import Message, Term, Terms
    >>> moves = Terms((Term("TaskStatus", "accepted"), Term("TaskStatus", "cancelled")), "or")
    >>> render(moves, "fr"), render(moves, "en")
    ('Accepté ou Annulé', 'Accepted or Cancelled')
    >>> render(Message("no report {code}", code="RPT-1"), "es")
    'no hay informe RPT-1'
    """
    from babel.lists import format_list

    if isinstance(value, Message):
        return message_text(value.template, value.params, locale)
    if isinstance(value, Term):
        return label(value.enum, value.code, locale=locale)
    if isinstance(value, Terms):
        words = [render(item, locale) for item in value.items]
        if not words:
            return ""
        if value.conjunction == "or":
            return format_list(words, style="or", locale=normalise_locale(locale))
        return format_list(words, style="standard", locale=normalise_locale(locale))
    if isinstance(value, Sentences):
        return translate("; ", locale).join(render(part, locale) for part in value.parts)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def message_text(template: str, params: Mapping[str, Any], locale: str | None) -> str:
    """``template`` (an English message id) in ``locale``, filled with ``params`` (each
    rendered in ``locale`` too); English when the catalogue does not have it.

    Examples
    --------
    >>> message_text("no report {code}", {"code": "RPT-1"}, "uk")
    'немає звіту RPT-1'
    >>> message_text("words nobody catalogued", {}, "uk")
    'words nobody catalogued'
    """
    composed = (Message, Term, Terms, Sentences)
    filled = {k: render(v, locale) if isinstance(v, composed) else v for k, v in params.items()}
    return translate(template, locale, **filled)


def location_text(where: Location, locale: str | None) -> str:
    """File, row and field as the language says them (empty when none is known).

    Examples
    --------
    >>> location_text(Location(file="a.csv", row=2, field="status"), "ar")
    'a.csv، الصف 2، الحقل status'
    """
    parts = []
    if where.file:
        parts.append(where.file)
    if where.row is not None:
        parts.append(translate("row {row}", locale, row=where.row))
    if where.field:
        parts.append(translate("field {field}", locale, field=where.field))
    return translate(", ", locale).join(parts)


def error_message(error: MinewatchError, locale: str | None) -> str:
    """The error's message in ``locale``, without its location."""
    return message_text(error.template, error.params, locale)


def error_text(error: MinewatchError, locale: str | None) -> str:
    """The error's message in ``locale``, after its location when it has one."""
    message = error_message(error, locale)
    if isinstance(error, InvalidInput):
        return located_text(error.where, message, locale)
    return message


def reason_text(reason: Any, locale: str | None) -> str:
    """Why a row was rejected, in ``locale``: in English as it was written (codes as codes),
    in another language rendered (:func:`render`).

    Examples
    --------
    >>> from minewatch.domain.text import Message
    >>> reason_text(Message("{value!r} is not yes/no", value="x"), "es")
    "'x' no es sí/no"
    >>> reason_text("said in English", "es"), reason_text(Message("empty location"), None)
    ('said in English', 'empty location')
    """
    if normalise_locale(locale) == DEFAULT_LOCALE:
        return str(reason)
    return render(reason, locale)


def located_text(where: Location, message: str, locale: str | None) -> str:
    """A message (a rejected row's reason) in ``locale``, after where it was found.

    Examples
    --------
    >>> from minewatch.domain.text import Message
    >>> reason = Message("{value!r} is not yes/no", value="peut-être")
    >>> located_text(Location(file="a.csv", row=2, field="marked"), reason, "fr")
    "a.csv, ligne 2, champ marked : 'peut-être' n’est pas oui/non"
    """
    said = reason_text(message, locale)
    place = location_text(where, locale)
    if not place:
        return str(said)
    return translate("{where}: {problem}", locale, where=place, problem=said)


#: What FastAPI (pydantic) could not read in a request, by pydantic's error type, in words
#: the catalogues translate; other types keep pydantic's English.
UNREADABLE: dict[str, str] = {
    "missing": "a value is required here",
    "int_parsing": "not a whole number",
    "int_type": "not a whole number",
    "int_from_float": "not a whole number",
    "float_parsing": "not a number",
    "float_type": "not a number",
    "finite_number": "not a finite number",
    "bool_parsing": "not true or false",
    "string_type": "not text",
    "string_too_long": "the text is too long",
    "string_too_short": "the text is too short",
    "date_parsing": "not a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "not a date (YYYY-MM-DD)",
    "datetime_parsing": "not a date and time",
    "datetime_from_date_parsing": "not a date and time",
    "enum": "not one of the allowed values",
    "literal_error": "not one of the allowed values",
    "greater_than": "too small",
    "greater_than_equal": "too small",
    "less_than": "too large",
    "less_than_equal": "too large",
    "json_invalid": "not valid JSON",
    "dict_type": "not an object",
    "model_attributes_type": "not an object",
    "list_type": "not a list",
    "extra_forbidden": "not a field this request takes",
}


def unreadable_text(kind: str, english: str, locale: str | None) -> str:
    """What pydantic said about one part of a request (``english``, its error ``kind``), in
    ``locale``: pydantic's own words in English, which are more precise ("Input should be
    greater than or equal to 1"), the catalogue's where it has the kind.

    Examples
    --------
    >>> unreadable_text("missing", "Field required", "en")
    'Field required'
    >>> unreadable_text("missing", "Field required", "fr")
    'une valeur est requise ici'
    """
    if normalise_locale(locale) == DEFAULT_LOCALE or kind not in UNREADABLE:
        return english
    return translate(UNREADABLE[kind], locale)
