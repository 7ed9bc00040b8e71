"""The environment variables the front doors read, named once.

Kept apart from :mod:`minewatch.config` (pydantic, the geometry rules) so that the CLI can
declare its options without loading the configuration's machinery: ``minewatch --help``
must answer at once.
"""

from __future__ import annotations

#: The environment variable naming the programme's national configuration file, read by
#: the CLI and the server alike (``minewatch serve --national-config`` sets it).
NATIONAL_CONFIG_ENV = "MINEWATCH_CONFIG"
#: The environment variable naming a treaty data directory rebuilt by `minewatch treaty
#: import` (read by the CLI and the server's settings, never by the services).
TREATY_DATA_ENV = "MINEWATCH_TREATY_DATA"
#: The environment variable naming the language of the CLI's tables and messages (a shipped
#: catalogue's code: en, fr, es, uk, ar; ``minewatch --lang`` sets it for one command).
LANGUAGE_ENV = "MINEWATCH_LANG"
