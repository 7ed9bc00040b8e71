"""Stable codes for people (``HA-000042``): one counter per prefix in the ``code_sequence``
table, advanced atomically so concurrent writers never hand out the same code.
"""

from __future__ import annotations

from minewatch.store.sql.base import SqlBase
from minewatch.store.tables import sequence_table


class CodeSequences(SqlBase):
    """The code counters of a SQL store (part of :class:`~minewatch.store.sql.SqlRepository`)."""

    # -- codes ----------------------------------------------------------------------------
    def next_codes(self, prefix: str, count: int = 1) -> list[str]:
        if count <= 0:
            return []
        seq = sequence_table(self.dialect)
        if self.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
        upsert = (
            insert(seq)
            .values(prefix=prefix, last_value=count)
            .on_conflict_do_update(
                index_elements=[seq.c.prefix], set_={"last_value": seq.c.last_value + count}
            )
            .returning(seq.c.last_value)
        )
        with self.transaction(), self._connection() as conn:
            last = conn.execute(upsert).scalar_one()
        return [f"{prefix}-{n:06d}" for n in range(last - count + 1, last + 1)]
