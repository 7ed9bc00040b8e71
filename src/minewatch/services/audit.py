"""Checking the audit log's hash chain: is every entry still there, unchanged, in order?

The chain itself is kept by the store's accounts
(:meth:`minewatch.store.account_base.AccountRepository.append_audit`); this walks it (in
batches, so a log of millions of entries is checked in little memory) and reports the
first problems by entry id and position.
"""

from __future__ import annotations

from minewatch.store.audit_chain import ChainReport, verify_chain
from minewatch.store.base import Repository

__all__ = ["ChainReport", "verify_audit_log"]


def verify_audit_log(
    repo: Repository, *, expect_head: str | None = None, max_problems: int = 100
) -> ChainReport:
    """Check the whole chain of ``repo``'s audit log. ``expect_head``: a head hash printed by
    an earlier check and kept elsewhere; if it is no longer in the chain, entries were cut
    from the end (which the chain alone cannot show).

    >>> from minewatch.store import open_store
    >>> from minewatch.store.account_base import AuditEntry
    >>> repo = open_store(str(tmp / "s.gpkg"), create=True)
    >>> repo.accounts().append_audit([AuditEntry("ines", "login", "user:ines")])
    >>> report = verify_audit_log(repo)
    >>> report.intact, report.entries, len(report.head)
    (True, 1, 64)
    >>> verify_audit_log(repo, expect_head="ab" * 32).problems[0].problem[:40]
    'the recorded hash ababababababababababab'
    >>> repo.close()
    """
    return verify_chain(
        repo.accounts().chained_entries(),
        max_problems=max_problems,
        expect_head=expect_head,
    )
