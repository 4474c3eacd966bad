"""Opening the database: URL resolution, pragmas, migrations, sessions, error mapping.

SQLite gets WAL, `synchronous=NORMAL`, foreign keys and a busy timeout on every
connection. Before an upgrade the file is copied aside with the online backup API; a
failed upgrade puts the copy back. A database written by a newer app is refused.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from iqcadence_desktop.errors import DatabaseError, DatabaseUnreachableError

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
BUSY_TIMEOUT_MS = 5000
#: A desktop needs few connections: the GUI thread's reads, one background lane for
#: writes, one for loads, the odd extra; a team database serves many laptops.
POOL_SIZE = 3
POOL_OVERFLOW = 2
#: Seconds to wait for a team database server before saying it is unreachable.
CONNECT_TIMEOUT_S = 5


def resolve_url(target: str | Path) -> str:
    """Turn a path or an SQLAlchemy URL into a URL."""
    text = str(target)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def sqlite_path(url: str) -> Path | None:
    """The file behind an SQLite URL, or None for other databases and memory."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:":
        return None
    if parsed.database.startswith("file:"):  # URI form, e.g. ...?mode=ro&uri=true
        return Path(parsed.database[5:].split("?")[0])
    return Path(parsed.database)


#: Driver words that mean the file or disk is the problem (the user can act on these).
_ENVIRONMENT_WORDS = (
    "locked",
    "busy",
    "readonly",
    "read-only",
    "attempt to write",
    "full",
    "not a database",
    "malformed",
    "corrupt",
    "unable to open",
    "disk i/o",
)


#: What PostgreSQL drivers say when the server cannot be reached or went away.
_UNREACHABLE_WORDS = (
    "connection refused",
    "could not connect",
    "connection failed",
    "server closed the connection",
    "terminating connection",
    "connection is closed",
    "connection timed out",
    "timeout expired",
    "no such file or directory",  # the server's Unix socket is gone
    "the database system is shutting down",
    "the database system is starting up",
    "ssl syscall error",
    "consuming input failed",
)


def is_unreachable(exc: BaseException) -> bool:
    """True when a team database could not be reached (network or server down)."""
    if getattr(exc, "connection_invalidated", False):
        return True
    text = str(getattr(exc, "orig", exc)).lower()
    return any(word in text for word in _UNREACHABLE_WORDS)


def explain_db_error(exc: BaseException, where: str = "the database") -> DatabaseError:
    """Map a driver error to a message that says what to do."""
    text = str(getattr(exc, "orig", exc)).lower()
    subject = where[:1].upper() + where[1:]
    if not isinstance(getattr(exc, "orig", exc), sqlite3.Error) and is_unreachable(exc):
        return DatabaseUnreachableError(
            f"The team database is unreachable ({_first_line(exc)}). The app keeps retrying; "
            "check the network or ask whoever runs the server."
        )
    if "locked" in text or "busy" in text:
        msg = (
            f"{subject} is busy: another program is writing to it. "
            "Wait a moment and try again, or close the other program."
        )
    elif "readonly" in text or "read-only" in text or "attempt to write" in text:
        msg = (
            f"{subject} is read-only. Check the file's permissions or copy it to a "
            "folder you can write to."
        )
    elif "full" in text:
        msg = f"The disk holding {where} is full. Free some space and try again."
    elif "not a database" in text or "malformed" in text or "corrupt" in text:
        msg = (
            f"{subject} is damaged or is not an iQcadence database. Restore it from a "
            "backup, or open another file."
        )
    elif "unable to open" in text or "disk i/o" in text:
        msg = f"{subject} cannot be opened. Check that the folder exists and is writable."
    else:
        msg = f"{subject} reported an error: {getattr(exc, 'orig', exc)}"
    return DatabaseError(msg)


def _first_line(exc: BaseException) -> str:
    return str(getattr(exc, "orig", exc)).strip().splitlines()[0][:160]


def _is_environmental(exc: BaseException) -> bool:
    """Locked, read-only, full, corrupt files, an unreachable server; bad SQL or a broken
    constraint is a bug."""
    if isinstance(exc, IntegrityError | ProgrammingError):
        return False
    if not isinstance(getattr(exc, "orig", exc), sqlite3.Error) and is_unreachable(exc):
        return True
    text = str(getattr(exc, "orig", exc)).lower()
    return any(word in text for word in _ENVIRONMENT_WORDS)


def _sqlite_pragmas(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    # Driver-level transactions off, so the pragmas apply and SQLAlchemy's BEGIN rules.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    for pragma in (
        "foreign_keys=ON",
        "journal_mode=WAL",
        "synchronous=NORMAL",
        f"busy_timeout={BUSY_TIMEOUT_MS}",
    ):
        cur.execute(f"PRAGMA {pragma}")
    cur.close()


def _sqlite_begin(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN")


def make_engine(url: str, *, foreign_keys: bool = True) -> Engine:
    """An engine with our pragmas (foreign keys off only for migrations)."""
    is_sqlite = make_url(url).get_backend_name() == "sqlite"
    if is_sqlite:
        engine = create_engine(url, connect_args={"check_same_thread": False})
    else:
        engine = _server_engine(url)
    if is_sqlite:
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        if not foreign_keys:
            event.listen(engine, "connect", lambda c, _r: c.execute("PRAGMA foreign_keys=OFF"))
    return engine


def _server_engine(url: str) -> Engine:
    """A small pool for a database server that survives the network dropping: every
    checkout pings the connection first (a dead one is replaced, not handed out), and
    connections are recycled before a firewall's idle timeout cuts them."""
    args: dict[str, Any] = {}
    if make_url(url).get_backend_name() == "postgresql":
        args = {"connect_timeout": CONNECT_TIMEOUT_S, "application_name": "iQcadence"}
    return create_engine(
        url,
        connect_args=args,
        pool_size=POOL_SIZE,
        max_overflow=POOL_OVERFLOW,
        pool_pre_ping=True,
        pool_recycle=1800,
        pool_timeout=CONNECT_TIMEOUT_S * 2,
    )


def _alembic_config() -> Config:
    # Alembic is imported only when it is needed: it costs ~0.5 s of start-up.
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


_REVISION_LINE = re.compile(
    r"^(revision|down_revision)\s*(?::[^=\n]*)?=\s*['\"]?(\w+)['\"]?\s*$", re.MULTILINE
)


def quick_head() -> str | None:
    """The head revision read from the version files without importing Alembic.

    None when the answer is not clear-cut (several heads, a merge, an odd file); the
    caller then asks Alembic itself.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (MIGRATIONS_DIR / "versions").glob("*.py"):
        found = dict(_REVISION_LINE.findall(script.read_text(encoding="utf-8")))
        if "revision" not in found or "down_revision" not in found:
            return None
        revisions.add(found["revision"])
        parents.add(found["down_revision"])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def known_revisions() -> set[str]:
    """Every schema revision this version of the app can read."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(_alembic_config())
    return {s.revision for s in scripts.walk_revisions()}


def tables_at(revision: str) -> dict[str, set[str]]:
    """{table: column names} of the schema at a revision (migrations run in memory).

    A backup made by an older version holds the tables of its own schema; this says which
    those were, so a restore can tell a table that is missing from one not yet invented.
    """
    from alembic import command

    engine = make_engine("sqlite://", foreign_keys=False)
    try:
        cfg = _alembic_config()
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
        with engine.connect() as conn:
            inspector = inspect(conn)
            return {
                name: {c["name"] for c in inspector.get_columns(name)}
                for name in inspector.get_table_names()
                if name != "alembic_version"
            }
    finally:
        engine.dispose()


def _current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        value = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        return None if value is None else str(value)


def _has_tables(engine: Engine) -> bool:
    with engine.connect() as conn:
        return bool(inspect(conn).get_table_names())


def _check_sqlite_file(path: Path) -> None:
    if not path.exists():
        if not path.parent.exists():
            raise DatabaseError(
                f"The folder {path.parent} does not exist. "
                "Create it or choose another location for the database."
            )
        _create_private(path)
        return
    if path.is_dir():
        raise DatabaseError(f"{path} is a folder, not a database file.")
    with path.open("rb") as handle:
        header = handle.read(16)
    if header and header != b"SQLite format 3\x00":
        raise DatabaseError(
            f"{path} is not an iQcadence database (it is not an SQLite "
            "file). Open another file, or restore from a backup."
        )


def _create_private(path: Path) -> None:
    """A new database file is born readable by its owner only (it holds every setting).

    An empty file is a valid empty SQLite database; SQLite gives its -wal and -shm files
    the same permissions.
    """
    with contextlib.suppress(OSError):  # a read-only folder is reported when SQLite opens it
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


def backup_sqlite(src: Path, dest: Path) -> None:
    """Consistent copy of a live SQLite file through the online backup API."""
    with (
        contextlib.closing(sqlite3.connect(src)) as source,
        contextlib.closing(sqlite3.connect(dest)) as target,
    ):
        source.backup(target)


class Database:
    """An open, migrated database and the session factory for it."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.path = sqlite_path(url)
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def is_team(self) -> bool:
        """A shared database server (PostgreSQL): people sign in, clients scope data."""
        return not self.is_sqlite

    def ping(self) -> bool:
        """True when the database answers now (the GUI's 'unreachable, retrying' probe)."""
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
            return True
        except DBAPIError:
            return False

    def describe(self) -> str:
        """Where the data lives, for the status bar and messages (no password)."""
        if self.path is not None:
            return str(self.path)
        url = make_url(self.url)
        host = url.host or str(url.query.get("host") or "localhost")
        where = f"{host}:{url.port}" if url.port else host
        user = f"{url.username}@" if url.username else ""
        return f"{url.database} on {user}{where}"

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back on any error."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except (OperationalError, SADatabaseError) as exc:
            with contextlib.suppress(DBAPIError):
                session.rollback()
            if not _is_environmental(exc):
                raise
            where = "the database file" if self.is_sqlite else "the team database"
            raise explain_db_error(exc, where) from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def integrity_problems(self, limit: int = 5) -> list[str]:
        """What SQLite's quick_check finds wrong with the file (empty when it is sound).

        Run before a backup, so a damaged database is noticed when the backup is made
        rather than on the day it is needed.
        """
        if not self.is_sqlite:
            return []
        try:
            with self.engine.connect() as conn:
                rows = conn.exec_driver_sql(f"PRAGMA quick_check({int(limit)})").all()
        except DBAPIError as exc:
            return [str(getattr(exc, "orig", exc))]
        found = [str(r[0]) for r in rows]
        return [] if found == ["ok"] else found

    def close(self) -> None:
        if self.is_sqlite:
            with contextlib.suppress(DBAPIError), self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        self.engine.dispose()


def open_database(target: str | Path, *, migrate: bool = True) -> Database:
    """Open (creating or upgrading as needed) the database at a path or URL."""
    url = resolve_url(target)
    path = sqlite_path(url)
    if path is not None:
        _check_sqlite_file(path)
    try:
        if migrate:
            _migrate(url, path)
        return Database(url)
    except OperationalError as exc:
        raise explain_db_error(exc, f"The database {path or url}") from exc
    except DBAPIError as exc:
        raise explain_db_error(exc, f"The database {path or url}") from exc


def _migrate(url: str, path: Path | None) -> None:
    engine = make_engine(url, foreign_keys=False)
    try:
        current = _current_revision(engine)
        if current is not None and current == quick_head():
            return  # up to date: the common case, decided without Alembic
        if current == head_revision():
            return
        from alembic.script import ScriptDirectory

        scripts = ScriptDirectory.from_config(_alembic_config())
        known = {s.revision for s in scripts.walk_revisions()}
        if current is not None and current not in known:
            raise DatabaseError(
                f"This database was written by a newer version of iQcadence (schema {current}). "
                "Install the newer version of the app, or open another database."
            )
        if current is None and _has_tables(engine):
            raise DatabaseError(
                f"{path or url} holds tables that are not iQcadence's. "
                "Choose an empty file or an iQcadence database."
            )
        copy = _copy_aside(path, current) if current is not None else None
        _upgrade(engine, url, path, copy)
    finally:
        engine.dispose()


def _copy_aside(path: Path | None, revision: str) -> Path | None:
    if path is None or not path.exists():
        return None
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    copy = path.with_name(f"{path.stem}.before-upgrade-{revision}-{stamp}{path.suffix}")
    backup_sqlite(path, copy)
    log.info("Copied %s aside to %s before upgrading", path, copy)
    return copy


def _upgrade(engine: Engine, url: str, path: Path | None, copy: Path | None) -> None:
    from alembic import command

    cfg = _alembic_config()
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except Exception as exc:
        engine.dispose()
        if copy is not None and path is not None:
            backup_sqlite(copy, path)
            raise DatabaseError(
                f"Upgrading the database failed ({exc}). It was put back as it was; "
                f"a copy is also at {copy}."
            ) from exc
        if isinstance(exc, OperationalError):
            raise explain_db_error(exc, f"The database {path or url}") from exc
        raise
