"""Reading an uploaded file of contacts: what it is, where its header is, and its rows one at a
time.

A file is recognised by its content, never by its name: an XLSX is a zip archive that openpyxl
opens; a CSV is text in UTF-8 (with or without a byte order mark), UTF-16 with a byte order mark
(Excel's "Unicode text") or Windows-1252 (Excel's "CSV" on Windows), separated by commas,
semicolons or tabs. Rows stream from the file (a csv reader over a text wrapper, openpyxl's
read-only mode), so a long file never sits in memory at once.
"""

import codecs
import csv
import io
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .fields import header_matches

XLSX_SIGNATURE = b"PK\x03\x04"
OLD_EXCEL_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
BINARY_SIGNATURES = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"Rar!", b"7z")
SNIFF_BYTES = 64 * 1024
SCAN_BYTES = 1024 * 1024
HEADER_SEARCH_ROWS = 10
DELIMITERS = (",", ";", "\t")


@dataclass
class FileInfo:
    file_format: str  # "csv" or "xlsx"
    header_row: int  # as numbered in the file, from 1
    columns: list[str]
    encoding: str = ""
    delimiter: str = ""
    data_rows: int | None = None  # known for CSV; an estimate from its dimensions for XLSX


def file_error(message) -> ValidationError:
    return ValidationError({"file": message}, code="invalid")


def _not_a_table():
    return file_error(
        _(
            "This file is neither a CSV file nor an Excel workbook (.xlsx). Save your list as "
            "CSV or XLSX and import that."
        )
    )


MULTIPART_ALLOWANCE = 64 * 1024  # the form's other fields and the multipart boundaries


def too_large_error():
    return file_error(
        _("The file is larger than %(limit)s. Split it and import each part.")
        % {"limit": filesizeformat(settings.CONTACT_IMPORT_MAX_BYTES)}
    )


def check_request_size(request):
    """Refuse an upload whose request body is too large before Django reads it to disk."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > settings.CONTACT_IMPORT_MAX_BYTES + MULTIPART_ALLOWANCE:
        raise too_large_error()


def inspect(upload) -> FileInfo:
    """What the uploaded file is and where its header is, or a ValidationError on `file` for an
    empty file, one over the size limit, or one that is neither CSV nor XLSX."""
    if upload.size is not None and upload.size > settings.CONTACT_IMPORT_MAX_BYTES:
        raise too_large_error()
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    if not head.strip():
        raise file_error(_("The file is empty."))
    if head.startswith(XLSX_SIGNATURE):
        return _inspect_xlsx(upload)
    if head.startswith(OLD_EXCEL_SIGNATURE):
        raise file_error(
            _("This is an Excel 97-2003 workbook (.xls). Save it as .xlsx or CSV and import that.")
        )
    encoding = _text_encoding(upload, head)
    return _inspect_csv(upload, head, encoding)


# --- CSV ---------------------------------------------------------------------------------------


def _text_encoding(upload, head) -> str:
    """UTF-8 or UTF-16 when the file says so or decodes as such throughout; else Windows-1252.

    Decoding the whole file (a megabyte at a time) is how to be sure: an accented name on the
    last row decides as much as one on the first.
    """
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    elif head.startswith(BINARY_SIGNATURES) or _looks_binary(head):
        raise _not_a_table()
    else:
        candidates = ["utf-8-sig", "cp1252"]
    for encoding in candidates:
        if _decodes(upload, encoding):
            return encoding
    raise _not_a_table()


def _looks_binary(head: bytes) -> bool:
    control = sum(1 for byte in head if byte < 9 or 13 < byte < 32)
    return b"\x00" in head or control > len(head) // 100


def _decodes(upload, encoding) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    upload.seek(0)
    try:
        while chunk := upload.read(SCAN_BYTES):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        upload.seek(0)
    return True


def _inspect_csv(upload, head, encoding) -> FileInfo:
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(head)
    lines = text.splitlines(keepends=True)
    if len(head) == SNIFF_BYTES and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut short
    sample = "".join(lines)
    delimiter = _delimiter(sample)
    first_rows = list(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter))
    header_row = _header_row(first_rows[:HEADER_SEARCH_ROWS])
    info = FileInfo(
        file_format="csv",
        encoding=encoding,
        delimiter=delimiter,
        header_row=header_row,
        columns=_cells(first_rows[header_row - 1]),
    )
    try:
        info.data_rows = sum(1 for _row in csv_rows(upload, encoding, delimiter, header_row))
    except csv.Error as error:
        raise file_error(
            _("The file could not be read as CSV (%(error)s). Save it again as CSV or XLSX.")
            % {"error": error}
        ) from None
    finally:
        upload.seek(0)
    return info


def _delimiter(sample) -> str:
    """The delimiter that finds a known column name in the first rows; else the one that splits
    the first line into the most cells."""
    best, best_score = ",", (-1, -1)
    for delimiter in DELIMITERS:
        rows = list(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter))[
            :HEADER_SEARCH_ROWS
        ]
        known = max((len(header_matches(_cells(row))) for row in rows), default=0)
        width = max((len(row) for row in rows), default=0)
        if (known, width) > best_score:
            best, best_score = delimiter, (known, width)
    return best


def csv_rows(binary, encoding, delimiter, header_row):
    """(row number, cells) for each non-blank row after the header; rows are numbered as a
    spreadsheet shows them (a cell with a line break is still one row)."""
    binary.seek(0)
    text = io.TextIOWrapper(_Readable(binary), encoding=encoding, newline="")
    try:
        reader = csv.reader(text, delimiter=delimiter)
        for number, cells in enumerate(reader, start=1):
            if number > header_row and any(cell.strip() for cell in cells):
                yield number, cells
    finally:
        text.detach()


class _Readable(io.RawIOBase):
    """Any file-like object with read(), as io.TextIOWrapper wants it (storage files vary)."""

    def __init__(self, file):
        self.file = file

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self.file.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


# --- XLSX --------------------------------------------------------------------------------------


def _open_workbook(binary):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(binary, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except (zipfile.BadZipFile, KeyError, IndexError, OSError, ValueError, TypeError):
        raise _not_a_table() from None
    except Exception as error:  # openpyxl's own InvalidFileException and parse errors
        if type(error).__module__.startswith(("openpyxl", "xml")):
            raise _not_a_table() from None
        raise
    return workbook, sheet


def _inspect_xlsx(upload) -> FileInfo:
    upload.seek(0)
    workbook, sheet = _open_workbook(upload)
    try:
        estimated_rows = sheet.max_row if sheet.max_row and sheet.max_row > 1 else None
        # Some programs write a wrong size into the sheet; read the rows that are there.
        sheet.reset_dimensions()
        first_rows = []
        for values in sheet.iter_rows(min_row=1, values_only=True):
            first_rows.append(_cells(values))
            if len(first_rows) == HEADER_SEARCH_ROWS:
                break
    finally:
        workbook.close()
        upload.seek(0)
    if not any(any(cells) for cells in first_rows):
        raise file_error(_("The file is empty."))
    header_row = _header_row(first_rows)
    return FileInfo(
        file_format="xlsx",
        header_row=header_row,
        columns=first_rows[header_row - 1],
        data_rows=estimated_rows - header_row if estimated_rows else None,
    )


def xlsx_rows(binary, header_row):
    workbook, sheet = _open_workbook(binary)
    try:
        sheet.reset_dimensions()
        for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
            if number > header_row:
                cells = _cells(values)
                if any(cells):
                    yield number, cells
    finally:
        workbook.close()


# --- Both --------------------------------------------------------------------------------------


def _header_row(rows) -> int:
    """The row naming the columns: the first that names the email column, else the one naming
    the most known columns, else the first row that is not blank."""
    scores = [header_matches(_cells(row)) for row in rows]
    for number, matches in enumerate(scores, start=1):
        if "email" in matches.values():
            return number
    most = max((len(matches) for matches in scores), default=0)
    if most:
        return next(n for n, matches in enumerate(scores, start=1) if len(matches) == most)
    return next((n for n, row in enumerate(rows, start=1) if any(_cells(row))), 1)


def _cells(values) -> list[str]:
    return [_text(value) for value in values]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value).strip()


@contextmanager
def open_rows(contact_import):
    """(row number, cells) for each data row of a stored import file, streamed."""
    with contact_import.file.open("rb") as binary:
        if contact_import.file_format == "xlsx":
            yield xlsx_rows(binary, contact_import.header_row)
        else:
            yield csv_rows(
                binary,
                contact_import.encoding,
                contact_import.delimiter,
                contact_import.header_row,
            )
