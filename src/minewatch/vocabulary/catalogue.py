"""The message catalogues: one gettext ``.po`` file per language under
``minewatch/locale/<lang>/LC_MESSAGES/messages.po``, read at run time with Babel (compiled in
memory on first use, so there is no build step) and cached per language.

English is the source text: a message's id is its English wording, with ``{name}``
placeholders; labels of codes and fields carry a context (the enumeration's name,
``field`` or ``unit``) so one English word can be translated differently in two places.
A language is shipped when its catalogue is: adding ``lo/LC_MESSAGES/messages.po`` adds Lao.

>>> translate("Approve", locale="en")
'Approve'
>>> translate("{count} reports waiting for review", locale="en", count=3)
'3 reports waiting for review'
"""

from __future__ import annotations

import functools
import gettext
from collections.abc import Mapping
from importlib import resources
from typing import Any

DEFAULT_LOCALE = "en"
#: Languages written right to left (by their ISO 639 code).
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ps", "ur", "ckb", "dv", "yi"})
_DOMAIN = "messages"


def _locale_root() -> Any:
    return resources.files("minewatch").joinpath("locale")


@functools.cache
def shipped_locales() -> tuple[str, ...]:
    """The languages with a catalogue, English first.

    Examples
    --------
    >>> shipped_locales()[0], {"fr", "es", "uk", "ar"} <= set(shipped_locales())
    ('en', True)
    """
    root = _locale_root()
    found = sorted(
        entry.name
        for entry in root.iterdir()
        if entry.joinpath("LC_MESSAGES", f"{_DOMAIN}.po").is_file()
    )
    return (DEFAULT_LOCALE, *[code for code in found if code != DEFAULT_LOCALE])


def direction(locale: str | None) -> str:
    """``"rtl"`` for a language written right to left, else ``"ltr"``.

    Examples
    --------
    >>> direction("ar"), direction("fr"), direction(None)
    ('rtl', 'ltr', 'ltr')
    """
    language = (locale or DEFAULT_LOCALE).replace("-", "_").split("_")[0].lower()
    return "rtl" if language in RTL_LANGUAGES else "ltr"


def normalise_locale(locale: str | None) -> str:
    """The shipped language closest to ``locale`` (``fr-CA`` → ``fr``), else English.

    Examples
    --------
    >>> normalise_locale("fr-CA"), normalise_locale("UK"), normalise_locale("xx"), normalise_locale(None)
    ('fr', 'uk', 'en', 'en')
    """
    if not locale:
        return DEFAULT_LOCALE
    wanted = locale.replace("-", "_")
    shipped = shipped_locales()
    for candidate in (wanted, wanted.split("_")[0].lower()):
        if candidate in shipped:
            return candidate
    return DEFAULT_LOCALE


def read_catalogue(locale: str) -> Any:
    """The Babel :class:`~babel.messages.catalog.Catalog` of one shipped language."""
    from babel.messages.pofile import read_po

    path = _locale_root().joinpath(locale, "LC_MESSAGES", f"{_DOMAIN}.po")
    with path.open("rb") as handle:
        return read_po(handle, locale=locale, domain=_DOMAIN, abort_invalid=True)


class _CatalogueTranslations(gettext.NullTranslations):
    """gettext's lookups straight from a Babel catalogue. Compiling it to a .mo in memory
    first (Babel's ``write_mo``, then ``GNUTranslations``) cost more than reading the .po:
    ``write_mo`` sorts thousands of messages with Python comparisons, about 0.3 s of CPU per
    language, paid by every process that translates (the migration assistant matches field
    labels in every language). Untranslated and fuzzy messages fall back to English, as
    ``write_mo`` leaves them out."""

    def __init__(self, catalogue: Any) -> None:
        super().__init__()
        self._plural = gettext.c2py(catalogue.plural_expr)
        self._texts: dict[tuple[str | None, str], str] = {}
        self._forms: dict[tuple[str | None, str], tuple[str, ...]] = {}
        for message in catalogue:
            if not message.id or not message.string or message.fuzzy:
                continue
            if isinstance(message.id, tuple | list):
                self._forms[(message.context, message.id[0])] = tuple(message.string)
            else:
                self._texts[(message.context, message.id)] = message.string

    def gettext(self, message: str) -> str:
        return self._texts.get((None, message), message)

    def pgettext(self, context: str, message: str) -> str:
        return self._texts.get((context, message), message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        forms = self._forms.get((None, msgid1), ())
        index = self._plural(n)
        if index < len(forms) and forms[index]:
            return forms[index]
        return msgid1 if n == 1 else msgid2


@functools.cache
def _translations(locale: str) -> gettext.NullTranslations:
    if locale == DEFAULT_LOCALE:
        return gettext.NullTranslations()
    return _CatalogueTranslations(read_catalogue(locale))


def _format(text: str, placeholders: Mapping[str, Any]) -> str:
    return text.format(**placeholders) if placeholders else text


def translate(
    message: str, locale: str | None = None, *, context: str | None = None, **placeholders: Any
) -> str:
    """``message`` (its English wording) in the language ``locale``, placeholders filled.

    Falls back to English for a language or a message without a translation.

    Examples
    --------
    >>> translate("Approve", locale="fr"), translate("Approve", locale="xx")   # xx: English
    ('Approuver', 'Approve')
    >>> translate("Open", locale="fr", context="HazardStatus")
    'Ouverte'
    """
    translations = _translations(normalise_locale(locale))
    if context is None:
        text = translations.gettext(message)
    else:
        text = translations.pgettext(context, message)
    return _format(text, placeholders)


def translate_plural(
    singular: str,
    plural: str,
    count: int,
    locale: str | None = None,
    **placeholders: Any,
) -> str:
    """The form of a message for ``count`` under the language's plural rules; ``{count}``
    is filled with the number as the language writes it.

    Examples
    --------
    >>> translate_plural("{count} report", "{count} reports", 1, locale="en")
    '1 report'
    >>> translate_plural("{count} report", "{count} reports", 1200, locale="en")
    '1,200 reports'
    >>> translate_plural("{count} report", "{count} reports", 3, locale="uk")
    '3 звіти'
    """
    from babel.numbers import format_decimal

    code = normalise_locale(locale)
    text = _translations(code).ngettext(singular, plural, count)
    return _format(text, {"count": format_decimal(count, locale=code), **placeholders})


def catalogue_messages(locale: str | None) -> dict[str, str | dict[str, str]]:
    """Every message of the catalogue without a context (the interface's words), by its
    English id, in ``locale``: what the web pages' ``t()`` looks up. A message with plural
    forms maps to its form for each CLDR plural category of the language (``one``,
    ``few``, ``many``, ``other``...), which the browser chooses with ``Intl.PluralRules``.

    Examples
    --------
    >>> catalogue_messages("en")["Approve"]
    'Approve'
    >>> catalogue_messages("en")["{count} report"]
    {'one': '{count} report', 'other': '{count} reports'}
    """
    english = read_catalogue(DEFAULT_LOCALE)
    code = normalise_locale(locale)
    translations = _translations(code)
    samples = _plural_samples(code)
    out: dict[str, str | dict[str, str]] = {}
    for message in english:
        if not message.id or message.context is not None:
            continue
        if isinstance(message.id, tuple):
            singular, plural = message.id[0], message.id[1]
            out[singular] = {
                category: translations.ngettext(singular, plural, n)
                for category, n in samples.items()
            }
        else:
            out[message.id] = translations.gettext(message.id)
    return out


@functools.cache
def _plural_samples(locale: str) -> dict[str, int]:
    """One whole number for each plural category the language's rules give whole numbers."""
    from babel import Locale

    rule = Locale.parse(locale).plural_form
    samples: dict[str, int] = {}
    for n in range(0, 1000):
        samples.setdefault(rule(n), n)
    return dict(sorted(samples.items(), key=lambda item: _CATEGORIES.index(item[0])))


_CATEGORIES = ("zero", "one", "two", "few", "many", "other")
