"""Task orders' status workflow: which status may follow which (:data:`TRANSITIONS`),
checked by :func:`check_transition`; which statuses are open (:data:`OPEN`).

A task is issued by the authority; the organisation accepts it and starts work; work may be
suspended and resumed; it ends completed or cancelled, and nothing follows those.

>>> check_transition(TaskStatus.ISSUED, TaskStatus.ACCEPTED)
>>> check_transition(TaskStatus.COMPLETED, TaskStatus.IN_PROGRESS)
Traceback (most recent call last):
...
ValueError: a completed task cannot become in progress (it is closed)
"""

from __future__ import annotations

from minewatch.domain.records import TaskStatus

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


def check_transition(current: TaskStatus, new: TaskStatus) -> None:
    """ValueError unless a task in ``current`` may move to ``new`` (the same status is no
    move and is refused too, so a repeated click changes nothing).

    Examples
    --------
    >>> check_transition(TaskStatus.SUSPENDED, TaskStatus.IN_PROGRESS)
    >>> check_transition(TaskStatus.ISSUED, TaskStatus.COMPLETED)
    Traceback (most recent call last):
    ...
    ValueError: an issued task cannot become completed (it can become accepted or cancelled)
    """
    allowed = TRANSITIONS[current]
    if new in allowed:
        return
    article = "an" if current.value[0] in "aeiou" else "a"
    words = current.value.replace("_", " ")
    if not allowed:
        raise ValueError(
            f"{article} {words} task cannot become {new.value.replace('_', ' ')} (it is closed)"
        )
    options = " or ".join(sorted(s.value.replace("_", " ") for s in allowed))
    raise ValueError(
        f"{article} {words} task cannot become {new.value.replace('_', ' ')} (it can become {options})"
    )
