"""Reading CSV files of any size: format sniffing, streaming rows, header recognition.

Only regular files are read (a pipe or a device would block or never end). Encoding: an
explicit one wins; then a byte-order mark (UTF-8, UTF-16 as Excel's "Unicode Text"
writes it, UTF-32); then UTF-16 without a mark, told by its zero bytes; otherwise the
opening megabyte must decode as UTF-8, else the file is read as cp1252 (what Excel on
Windows writes). Binary files (a workbook, a database, an image) are refused in one
sentence, judged on the decoded text so UTF-16's zero bytes do not count. Delimiter: the
candidate (comma, semicolon, tab) that splits the header row into the most columns and
splits the first rows consistently; `csv.Sniffer` is not used because it misreads
semicolon files with commas inside values.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import os
import re
import stat
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from iqcadence_desktop.errors import UserFacingError

SAMPLE_BYTES = 1 << 20
DELIMITERS: dict[str, str] = {",": "comma", ";": "semicolon", "\t": "tab"}
ENCODINGS: tuple[str, ...] = ("utf-8-sig", "utf-8", "cp1252", "latin-1")
PREVIEW_ROWS = 20
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

#: Normalised header text -> customer field (API names). Exact matches only: a header
#: is never recognised by a substring ("PreferredLoginDevice" is not logins).
SYNONYMS: dict[str, str] = {}
_SYNONYM_LISTS: dict[str, tuple[str, ...]] = {
    # Another system's id for the account. The generic spellings in ID_LIKE below also
    # land here, unless their values look like our own ids (see mapping.resolve).
    "external_id": (
        "externalid",
        "crmid",
        "hubspotid",
        "salesforceid",
        "sfdcid",
        "stripeid",
        "stripecustomerid",
        "billingid",
    ),
    "name": (
        "name",
        "company",
        "customer",
        "account",
        "companyname",
        "customername",
        "accountname",
        "client",
        "clientname",
    ),
    "manager": (
        "manager",
        "csm",
        "owner",
        "rep",
        "accountowner",
        "accountmanager",
        "csmname",
        "customersuccessmanager",
    ),
    "mrr": ("mrr", "revenue", "monthlyrecurringrevenue", "monthlyrevenue", "mrrusd"),
    "arr": ("arr", "annualrecurringrevenue", "arrusd"),
    "logins": (
        "logins",
        "logins30d",
        "loginfrequency",
        "loginsinlast30days",
        "logins30days",
        "monthlylogins",
    ),
    "adoption": (
        "adoption",
        "featureadoptionpct",
        "featureadoption",
        "featureadoptionpercent",
        "adoptionpct",
        "adoptionpercent",
    ),
    "tickets": ("tickets", "opentickets", "supporttickets", "opensupporttickets"),
    "nps": ("nps", "npscategory", "npsscore", "netpromoterscore"),
    "csat": ("csat", "csatscore", "customersatisfaction"),
    "days": ("days", "dayssincecontact", "dayssincelastcontact"),
    "last_contact": ("lastcontactdate", "lastcontact", "lastcontacted", "lasttouch"),
    "renewal_date": (
        "renewaldate",
        "renewson",
        "renewal",
        "contractrenewal",
        "contractend",
        "contractenddate",
    ),
    "growth": ("growth", "growthsignal"),
    "tier": ("tier", "customertier", "accounttier"),
    "tags": ("tags", "tag", "labels"),
    "lifecycle": ("lifecycle", "stage", "lifecyclestage"),
    "sentiment": ("sentiment",),
    "since": ("customersince", "since", "startdate", "customerstartdate"),
    "next_touch": ("nexttouch", "nexttouchdate"),
    "profile": ("scoringprofile", "profile"),
    "note": ("note", "notes", "comment", "comments"),
    "score": ("scoreoverride", "manualscore"),
}
#: Generic id headers ("Id", "CustomerID", "account_id", ...): whose id they hold is
#: decided by the values, never by the header alone.
ID_LIKE: frozenset[str] = frozenset(
    {
        "id",
        "displayid",
        "customerid",
        "customerno",
        "customernumber",
        "accountid",
        "accountno",
        "accountnumber",
        "companyid",
        "clientid",
        "recordid",
        "orgid",
        "organizationid",
    }
)
for _field, _names in _SYNONYM_LISTS.items():
    SYNONYMS.update(dict.fromkeys(_names, _field))
SYNONYMS.update(dict.fromkeys(ID_LIKE, "external_id"))

ProgressFn = Callable[[int, int], None]


class ImportFileError(UserFacingError):
    """The file as a whole cannot be imported (nothing was written)."""


def normalise_header(text: str) -> str:
    """Case, spaces, underscores, punctuation ignored: 'Days_Since Contact' → 'dayssincecontact'."""
    return re.sub(r"[^0-9a-z]", "", text.casefold())


def guess_field(header: str) -> str | None:
    return SYNONYMS.get(normalise_header(header))


def header_signature(headers: Sequence[str]) -> str:
    """Stable hash of the normalised header row, the key of a saved mapping."""
    joined = "\x1f".join(normalise_header(h) for h in headers)
    return hashlib.sha256(joined.encode()).hexdigest()


@dataclass(frozen=True)
class FileFormat:
    """How to read a file: text encoding and delimiter."""

    encoding: str
    delimiter: str


@dataclass(frozen=True)
class Sniffed:
    """The format found, the header row and the first rows (for the preview)."""

    path: Path
    format: FileFormat
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    size: int


def _read_sample(path: Path) -> bytes:
    try:
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError
        if not stat.S_ISREG(mode):
            raise ImportFileError(
                f"{path} is not a regular file (it is a pipe, a socket or a device); save "
                "the data to a CSV file and import that file."
            )
        with path.open("rb") as handle:
            return handle.read(SAMPLE_BYTES)
    except FileNotFoundError:
        raise ImportFileError(f"{path} does not exist. Check the name and folder.") from None
    except IsADirectoryError:
        raise ImportFileError(f"{path} is a folder; choose a CSV file.") from None
    except PermissionError:
        raise ImportFileError(f"{path} cannot be read (permission denied).") from None


BINARY_MESSAGE = (
    "{name}: this looks like a binary file (xlsx? save it as CSV), not a CSV file. Open it "
    "in Excel or your CRM, save or export it as CSV, then import that file."
)


def refuse_binary(path: Path, sample: bytes, encoding: str | None = None) -> None:
    """Refuse a workbook or any other binary file; `encoding` is how the text would be read."""
    if sample.startswith(_ZIP_MAGIC) or sample.startswith(_OLE_MAGIC):
        raise ImportFileError(BINARY_MESSAGE.format(name=path.name))
    head = sample[:8192]
    if encoding is not None and encoding.replace("_", "-").startswith(("utf-16", "utf-32")):
        text = head.decode(encoding, errors="replace")
        binary = _looks_binary(text.encode("utf-8", errors="replace"))
    else:
        binary = _looks_binary(head)
    if binary:
        raise ImportFileError(BINARY_MESSAGE.format(name=path.name))


_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"


def _looks_binary(head: bytes) -> bool:
    """Many control bytes mean binary; a stray NUL inside a text value does not."""
    if not head:
        return False
    controls = len(head) - len(head.translate(None, _CONTROL))
    return controls / len(head) > 0.05


#: Byte-order marks, longest first (a UTF-32-LE mark begins like a UTF-16-LE one).
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _utf16_without_mark(sample: bytes) -> str | None:
    """Plain-Latin text in UTF-16 has a zero in every other byte; nothing else does."""
    head = sample[:4096]
    if len(head) < 8:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def detect_encoding(sample: bytes) -> str:
    for mark, name in _BOMS:
        if sample.startswith(mark):
            return name
    wide = _utf16_without_mark(sample)
    if wide is not None:
        return wide
    try:
        # A cut in the middle of a character at the sample's end is not an error.
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=len(sample) < SAMPLE_BYTES)
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


def detect_delimiter(text: str) -> str:
    """The delimiter that gives the most, and consistent, columns over the first lines."""
    lines = text.splitlines()[:50] or [""]
    best, best_key = ",", (0, 0)
    for delim in DELIMITERS:
        try:
            rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delim))
        except csv.Error:
            continue
        if not rows:
            continue
        width = len(rows[0])
        consistent = sum(1 for r in rows[1:10] if len(r) == width)
        key = (width if width > 1 else 0, consistent)
        if key > best_key:
            best, best_key = delim, key
    return best


def sniff(path: Path, encoding: str | None = None, delimiter: str | None = None) -> Sniffed:
    """Detect the format (unless given) and read the header and preview rows."""
    sample = _read_sample(path)
    if not sample.strip():
        raise ImportFileError(
            f"{path.name} is empty. Choose a CSV file with a header row and at least one customer."
        )
    enc = encoding or detect_encoding(sample)
    refuse_binary(path, sample, enc)
    text = sample.decode(enc, errors="replace")
    fmt = FileFormat(enc, delimiter or detect_delimiter(text))
    rows = []
    with open_rows(path, fmt) as reader:
        for row in reader:
            rows.append(tuple(row))
            if len(rows) > PREVIEW_ROWS:
                break
    headers = _clean_headers(rows[0]) if rows else ()
    return Sniffed(path, fmt, headers, tuple(rows[1:]), path.stat().st_size)


def _clean_headers(row: Sequence[str]) -> tuple[str, ...]:
    # A mark left by an explicit "utf-16-le" on a file that has one is not a header letter.
    headers = [h.strip().lstrip("\ufeff").strip() for h in row]
    while headers and not headers[-1]:  # empty trailing columns from spreadsheets
        headers.pop()
    return tuple(headers)


class RowReader:
    """Context manager over a csv reader that also knows how far into the file it is."""

    def __init__(self, path: Path, fmt: FileFormat) -> None:
        self._binary = path.open("rb")
        self._text = io.TextIOWrapper(self._binary, encoding=fmt.encoding, newline="")
        #: The csv reader itself; its `line_num` is the file line of the row just read.
        self.csv = csv.reader(self._text, delimiter=fmt.delimiter, strict=False)
        self.fmt = fmt

    def __enter__(self) -> RowReader:
        return self

    def __exit__(self, *_exc: object) -> None:
        self._text.close()

    def __iter__(self) -> Iterator[list[str]]:
        try:
            yield from self.csv
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                f"The file is not valid {self.fmt.encoding} near byte {self.position():,} "
                f"({exc.reason}). Choose another encoding (for example cp1252) and try "
                "again."
            ) from None
        except csv.Error as exc:
            raise ImportFileError(
                f"The file cannot be read as CSV near line {self.csv.line_num}: {exc}."
            ) from None

    def position(self) -> int:
        return self._binary.tell()


def open_rows(path: Path, fmt: FileFormat) -> RowReader:
    return RowReader(path, fmt)


def file_state(path: Path) -> tuple[int, int]:
    """(size, modification time) to notice a file that changes while it is read.

    (-1, -1) once the file is gone, which differs from any state it had.
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return -1, -1
    return st.st_size, st.st_mtime_ns
