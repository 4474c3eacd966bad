"""Password hashing with Argon2id (argon2-cffi): never a hash of our own making.

Parameters: OWASP's recommended Argon2id configuration (19 MiB, 2 iterations, 1 lane):
about 60 ms a check here, where argon2-cffi's default profile (64 MiB, 3 iterations)
took 0.4 s of the 1.5 s a sign-in may take to the first window. A hash made with other
parameters is upgraded on the next successful sign-in (`needs_rehash`).
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
MIN_LENGTH = 8


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(stored: str, password: str) -> bool:
    """True when the password matches the stored hash (constant-time inside argon2)."""
    try:
        return _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return _HASHER.check_needs_rehash(stored)


def password_problem(password: str) -> str | None:
    """Why a new password is refused, or None when it is fine."""
    if len(password) < MIN_LENGTH:
        return f"A password needs at least {MIN_LENGTH} characters."
    if password.strip() != password:
        return "A password cannot start or end with a space."
    return None
