"""Team mode (S13): clients (the businesses customers belong to), users and who sees what.

Every customer belongs to one client. On a team (PostgreSQL) database people sign in as a
`User`; a user sees the clients assigned to them in `user_clients` (an admin sees all).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from iqcadence_desktop.models.base import Base

#: The client a new database (and every customer that existed before clients) starts in.
DEFAULT_CLIENT_ID = 1
DEFAULT_CLIENT_NAME = "Default"


class Client(Base):
    """A business whose customer accounts the team looks after."""

    __tablename__ = "clients"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    # Folded name (case and whitespace), unique: "Acme" and " acme " are one client.
    name_key: Mapped[str] = mapped_column(String(120), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class User(Base):
    """Someone who signs in to a team database. The password is only ever a hash."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(200), unique=True)  # stored lower-case
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(10))  # admin / manager / csm
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)


class UserClient(Base):
    """A client assigned to a user."""

    __tablename__ = "user_clients"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    client_id: Mapped[int] = mapped_column(
        ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True
    )
