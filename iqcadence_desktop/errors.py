"""Errors a user can act on, as opposed to bugs.

A `UserFacingError` carries a message written for the person at the keyboard: what went
wrong and what to do. Anything else that escapes a service is a bug and goes to the log
and the crash dialog.
"""

from __future__ import annotations


class UserFacingError(Exception):
    """An environment or input problem with a plain-words message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationError(UserFacingError):
    """A value was refused; `field` names the offending field (API name)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class DuplicateNameError(UserFacingError):
    """Another customer already has this name (case and spacing folded)."""

    def __init__(self, name: str, existing_id: int, in_trash: bool = False) -> None:
        where = "is in the trash. Restore it" if in_trash else "already exists. Open it and edit it"
        super().__init__(f'A customer named "{name}" {where} instead, or choose another name.')
        self.existing_id = existing_id
        self.in_trash = in_trash


class NotFoundError(UserFacingError):
    """A customer, profile or other record does not exist."""


class DatabaseError(UserFacingError):
    """The database file cannot be used (locked, read-only, corrupt, too new, full)."""


class DatabaseUnreachableError(DatabaseError):
    """The team database cannot be reached (network down, server stopped); retry later."""


class PermissionDeniedError(UserFacingError):
    """The signed-in user's role does not allow this action (team mode)."""


class SignInError(UserFacingError):
    """Wrong email or password, a disabled account, or no one signed in (team mode)."""


class StaleEditError(UserFacingError):
    """Someone saved this record after it was read: reload it, or overwrite their change."""

    def __init__(self, what: str, by: str | None, at: str | None, current_version: int) -> None:
        who = f" by {by}" if by else ""
        when = f" at {at}" if at else ""
        super().__init__(
            f"{what} was changed{who}{when} since you opened it — reload to see their "
            "change, or overwrite it with yours."
        )
        self.by = by
        self.at = at
        self.current_version = current_version
