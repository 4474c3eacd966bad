"""Reading CSV files of any size: format sniffing, streaming rows, header recognition.

Encoding: a UTF-8 byte-order mark wins; otherwise the opening megabyte must decode as
UTF-8, else the file is read as cp1252 (what Excel on Windows writes). Delimiter: the
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
        with path.open("rb") as handle:
            return handle.read(SAMPLE_BYTES)
    except FileNotFoundError:
        raise ImportFileError(f"{path} does not exist. Check the name and folder.") from None
    except IsADirectoryError:
        raise ImportFileError(f"{path} is a folder; choose a CSV file.") from None
    except PermissionError:
        raise ImportFileError(f"{path} cannot be read (permission denied).") from None


def refuse_binary(path: Path, sample: bytes) -> None:
    if sample.startswith(_ZIP_MAGIC) or sample.startswith(_OLE_MAGIC):
        raise ImportFileError(
            f"{path.name} looks like an Excel workbook, not a CSV file. "
            "Open it in Excel and save it as CSV (File › Save As › CSV), "
            "then import the CSV."
        )
    if _looks_binary(sample[:8192]):
        raise ImportFileError(
            f"{path.name} is not a text file (it holds binary data). "
            "Export your data as CSV and import that file."
        )


_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"


def _looks_binary(head: bytes) -> bool:
    """Many control bytes mean binary; a stray NUL inside a text value does not."""
    if not head:
        return False
    controls = len(head) - len(head.translate(None, _CONTROL))
    return controls / len(head) > 0.05


def detect_encoding(sample: bytes) -> str:
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
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
    refuse_binary(path, sample)
    enc = encoding or detect_encoding(sample)
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
    headers = [h.strip() for h in row]
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
    """(size, modification time) to notice a file that changes while it is read."""
    st = os.stat(path)
    return st.st_size, st.st_mtime_ns
