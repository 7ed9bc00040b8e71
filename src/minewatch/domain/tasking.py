"""Task orders' status workflow: which status may follow which (:data:`TRANSITIONS`),
checked by :func:`check_transition`; which statuses are open (:data:`OPEN`).

A task is issued by the authority; the organisation accepts it and starts work; work may be
suspended and resumed; it ends completed or cancelled, and nothing follows those.

>>> check_transition(TaskStatus.ISSUED, TaskStatus.ACCEPTED)
>>> check_transition(TaskStatus.COMPLETED, TaskStatus.IN_PROGRESS)
Traceback (most recent call last):
...
minewatch.errors.InvalidInput: field status: a task that is completed cannot become in progress: it is closed
"""

from __future__ import annotations

from minewatch.domain.records import TaskStatus
from minewatch.domain.text import Message, Term, Terms
from minewatch.errors import Location

#: The statuses each status may move to.
TRANSITIONS: dict[TaskStatus, frozenset[TaskStatus]] = {
    TaskStatus.ISSUED: frozenset({TaskStatus.ACCEPTED, TaskStatus.CANCELLED}),
    TaskStatus.ACCEPTED: frozenset(
        {TaskStatus.IN_PROGRESS, TaskStatus.SUSPENDED, TaskStatus.CANCELLED}
    ),
    TaskStatus.IN_PROGRESS: frozenset(
        {TaskStatus.SUSPENDED, TaskStatus.COMPLETED, TaskStatus.CANCELLED}
    ),
    TaskStatus.SUSPENDED: frozenset({TaskStatus.IN_PROGRESS, TaskStatus.CANCELLED}),
    TaskStatus.COMPLETED: frozenset(),
    TaskStatus.CANCELLED: frozenset(),
}

#: Statuses of a task still to be done (shown on the map of open tasks).
OPEN = frozenset(
    {TaskStatus.ISSUED, TaskStatus.ACCEPTED, TaskStatus.IN_PROGRESS, TaskStatus.SUSPENDED}
)

#: Statuses that need a reason (the board and the history show it).
NEEDS_REASON = frozenset({TaskStatus.SUSPENDED, TaskStatus.CANCELLED})


def transition_refusal(current: TaskStatus, new: TaskStatus) -> Message | None:
    """Why a task in ``current`` may not move to ``new`` (the same status is no move and is
    refused too, so a repeated click changes nothing), or None when it may; the statuses are
    kept as codes for the reader's language to name them.

    Examples
    --------
    >>> transition_refusal(TaskStatus.SUSPENDED, TaskStatus.IN_PROGRESS) is None
    True
    >>> str(transition_refusal(TaskStatus.ISSUED, TaskStatus.COMPLETED))
    'a task that is issued cannot become completed; it can become accepted or cancelled'
    """
    allowed = TRANSITIONS[current]
    if new in allowed:
        return None
    if not allowed:
        return Message(
            "a task that is {current} cannot become {new}: it is closed",
            current=Term.of(current),
            new=Term.of(new),
        )
    options = Terms(tuple(Term.of(s) for s in sorted(allowed)), "or")
    return Message(
        "a task that is {current} cannot become {new}; it can become {options}",
        current=Term.of(current),
        new=Term.of(new),
        options=options,
    )


def check_transition(current: TaskStatus, new: TaskStatus) -> None:
    """InvalidInput (naming the field ``status``) unless a task in ``current`` may move to
    ``new``: :func:`transition_refusal` says why.

    Examples
    --------
    >>> check_transition(TaskStatus.SUSPENDED, TaskStatus.IN_PROGRESS)
    >>> check_transition(TaskStatus.ISSUED, TaskStatus.COMPLETED)
    Traceback (most recent call last):
    ...
    minewatch.errors.InvalidInput: field status: a task that is issued cannot become completed; it can become accepted or cancelled
    """
    if (refusal := transition_refusal(current, new)) is not None:
        raise refusal.invalid(Location(field="status"))
