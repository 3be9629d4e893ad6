"""Homeward's exceptions. Messages never contain personal data: they name records by id and fields
by name, never by value.

    HomewardError
    ├── NotFound             no such record, or not in the actor's scope (``homeward.access``); the
    │                        same answer either way: pages show the 404 page, the API a JSON 404
    ├── ConflictError        another user saved the record first (optimistic locking)
    ├── TransitionError      a case transition the table or a gate does not allow
    ├── InputError           bad input; ``errors`` maps field names to messages
    │   └── FileInputError   bad input in a file; names the file, row and field
    └── LedgerError          the ledger (``homeward.ledger.errors`` draws its own subtree)
        ├── ProofError, NoteError, CommitmentError, ImmutableError, EntryError
        └── WitnessError
            └── ledger.errors.ConflictError

Services raise these; the web layers translate them (``homeward.middleware.NotFoundMiddleware`` and
the exception handlers in ``homeward.api``). Nothing below the web layer raises Django's ``Http404``.
"""

from __future__ import annotations


class HomewardError(Exception):
    """Base class of every error Homeward raises on purpose."""


class NotFound(HomewardError):
    """The record does not exist for this actor: absent and out of scope look the same."""

    def __init__(self, message: str = "Not found.") -> None:
        super().__init__(message)


class ConflictError(HomewardError):
    def __init__(self, message: str = "This record was changed by someone else since you opened it. "
                 "Reload it and apply your change again.") -> None:
        super().__init__(message)


class TransitionError(HomewardError):
    def __init__(self, message: str, unmet: list[str] | None = None) -> None:
        super().__init__(message)
        self.unmet = unmet or []


class InputError(HomewardError):
    def __init__(self, errors: dict[str, list[str]], message: str = "The input has errors.") -> None:
        super().__init__(message)
        self.errors = errors


class FileInputError(InputError):
    def __init__(self, file: str, row: int | None, field: str | None, problem: str) -> None:
        where = file + (f", row {row}" if row is not None else "") + (f", field {field!r}" if field else "")
        super().__init__({field or "file": [problem]}, f"{where}: {problem}")
        self.file, self.row, self.field, self.problem = file, row, field, problem
