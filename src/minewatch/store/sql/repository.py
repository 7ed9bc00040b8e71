"""The SQL repository as one class, made of its parts: code sequences (:mod:`.codes`),
reports (:mod:`.reports`), the bulk path (:mod:`.bulk`) and items (:mod:`.items`), on the
engine and hooks they share (:mod:`.base`); the accounts and login counters are companions
built on the whole repository.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from minewatch.store.account_base import AccountRepository, AttemptCounting
from minewatch.store.sql.bulk import BulkInsert
from minewatch.store.sql.codes import CodeSequences
from minewatch.store.sql.items import ItemTables
from minewatch.store.sql.reports import ReportTable

if TYPE_CHECKING:
    from minewatch.store.pull_state import PullStates


class SqlRepository(CodeSequences, ReportTable, BulkInsert, ItemTables):
    """Reports and items in SQL tables; a subclass supplies the engine and geometry hooks."""

    @functools.cached_property
    def _accounts(self) -> AccountRepository:
        from minewatch.store.accounts import AccountStore  # it builds on this class

        return AccountStore(self)

    def accounts(self) -> AccountRepository:
        return self._accounts

    @functools.cached_property
    def _attempts(self) -> AttemptCounting:
        from minewatch.store.throttle import AttemptCounters  # it builds on this class

        return AttemptCounters(self)

    def login_attempts(self) -> AttemptCounting:
        return self._attempts

    @functools.cached_property
    def _pulls(self) -> PullStates:
        from minewatch.store.pull_state import PullStates  # it builds on this class

        return PullStates(self)

    def pull_states(self) -> PullStates:
        return self._pulls
