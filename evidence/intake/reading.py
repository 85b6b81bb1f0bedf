"""Reading a listing file as it comes out of Excel, a Chinese tool or a monitoring vendor: rows of known columns.

CSV in UTF-8 (with or without a byte-order mark) or GB18030, separated by commas, semicolons or tabs, with
quoted fields that may hold newlines; XLSX read in streaming mode (openpyxl's read-only mode) after its zip
directory has been checked, so a zip bomb is refused before anything is inflated; or pasted text, one URL per
line. Rows are numbered as a spreadsheet shows them: the header is row 1.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO

from django.conf import settings
from openpyxl import load_workbook
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.worksheet._reader import VALUE_TAG, WorkSheetParser

from evidence.intake.columns import map_headers

MAX_CELL_CHARACTERS = 10_000
# An XLSX is a zip: what its parts may inflate to, in all, and how much more than their stored size.
MAX_XLSX_INFLATED_BYTES = 256 * 1024 * 1024
MAX_XLSX_RATIO = 200
CHUNK = 1024 * 1024
DELIMITERS = (",", ";", "\t")

csv.field_size_limit(MAX_CELL_CHARACTERS * 4)  # a longer cell is refused by the row check, not by the reader


class UnreadableFile(Exception):
    """The file as a whole cannot be read as a listing table; the message says why, for the user."""


@dataclass
class Table:
    columns: list[str]
    unknown_columns: list[str]
    rows: Iterator[tuple[int, dict[str, str]]] = field(repr=False)


def max_import_bytes() -> int:
    return settings.PORTAL_MAX_IMPORT_BYTES


def read_table(stream: BinaryIO, name: str) -> Table:
    """The rows of a CSV or XLSX file; raises UnreadableFile for a file that cannot be read at all."""
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    if size == 0:
        raise UnreadableFile("The file is empty.")
    if size > max_import_bytes():
        raise UnreadableFile(
            f"The file is {size / 1_000_000:.1f} MB; listing files up to {max_import_bytes() / 1_000_000:.0f} MB "
            "are accepted. Split it into several files."
        )
    head = stream.read(4)
    stream.seek(0)
    if head.startswith(b"PK\x03\x04"):
        return _xlsx_table(stream)
    if name.lower().endswith((".xlsx", ".xlsm", ".xls")):
        raise UnreadableFile("The file is named as a spreadsheet but is not an XLSX file. Save it as .xlsx or .csv.")
    return _csv_table(stream)


def pasted_table(text: str) -> Table:
    """Pasted text, one URL per line (blank lines skipped)."""
    lines = [(number, line.strip()) for number, line in enumerate(text.splitlines(), start=1)]
    return Table(["url"], [], ((number, {"url": line}) for number, line in lines if line))


def _table(header: list[str], records: Iterator[Sequence[object]]) -> Table:
    positions, unknown = map_headers(header)
    if "url" not in positions.values():
        found = ", ".join(f"“{h}”" for h in header if str(h or "").strip()) or "none"
        raise UnreadableFile(
            f"No column of listing URLs was found. The columns found are: {found}. "
            "Name the column url, Listing URL, Product URL or Link."
        )

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        for number, record in enumerate(records, start=2):
            values = {column: _text(record[pos]) for pos, column in positions.items() if pos < len(record)}
            if any(values.values()):
                yield number, values

    return Table(sorted(set(positions.values()), key=list(positions.values()).index), unknown, rows())


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# --- CSV ------------------------------------------------------------------------------------------


def _csv_table(stream: BinaryIO) -> Table:
    encoding = _encoding(stream)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    first_line = text.readline()
    text.seek(0)
    delimiter = max(DELIMITERS, key=first_line.count) if any(d in first_line for d in DELIMITERS) else ","
    reader = csv.reader(text, delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise UnreadableFile("The file is empty.") from None
    except csv.Error as exc:
        raise UnreadableFile(f"The file could not be read as CSV: {exc}.") from None
    return _table(header, _records(reader))


def _records(reader) -> Iterator[list[str]]:
    try:
        yield from reader
    except csv.Error as exc:
        raise UnreadableFile(f"The file could not be read as CSV after row {reader.line_num}: {exc}.") from None


def _encoding(stream: BinaryIO) -> str:
    """UTF-8 (its byte-order mark removed) when every byte decodes as UTF-8, else GB18030; else refused."""
    if stream.read(3) == codecs.BOM_UTF8:
        return "utf-8-sig"
    for encoding in ("utf-8", "gb18030"):
        stream.seek(0)
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            while chunk := stream.read(CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        stream.seek(0)
        return encoding
    raise UnreadableFile("The file is not text in UTF-8 or GB18030. Save it from Excel as “CSV UTF-8”.")


# --- XLSX -----------------------------------------------------------------------------------------


class _AsWrittenOnError(WorkSheetParser):
    """openpyxl's own sheet parser, except that a cell whose stored value does not fit the type the workbook
    declares for it (a number cell holding text, a date that is no date) gives the text as written, for the row
    checks to refuse with the row and the value, instead of ending the read of the whole sheet."""

    def parse_cell(self, element):
        try:
            return super().parse_cell(element)
        except (ValueError, IndexError, OverflowError, TypeError):
            coordinate = element.get("r")
            row, column = coordinate_to_tuple(coordinate) if coordinate else (self.row_counter, self.col_counter)
            value = element.findtext(VALUE_TAG, None)
            return {"row": row, "column": column, "value": value, "data_type": "s", "style_id": 0}


def _xlsx_rows(workbook) -> Iterator[list[object]]:
    """The first sheet's rows as lists of values, a row with no cells included as empty (rows keep their numbers).

    Read as openpyxl's read-only worksheet reads them (``ReadOnlyWorksheet._cells_by_row``, openpyxl 3.1), with
    the parser above: openpyxl reads lazily, so a bad cell would otherwise surface mid-walk and end it.
    """
    sheet = workbook.worksheets[0]
    with sheet._get_source() as source:
        parser = _AsWrittenOnError(source, sheet._shared_strings, data_only=True, epoch=workbook.epoch,
                                   date_formats=workbook._date_formats,
                                   timedelta_formats=workbook._timedelta_formats)  # fmt: skip
        expected = 1
        for number, cells in parser.parse():
            for _ in range(expected, number):
                yield []
            values: list[object] = [""] * max((cell["column"] for cell in cells), default=0)
            for cell in cells:
                values[cell["column"] - 1] = "" if cell["value"] is None else cell["value"]
            yield values
            expected = number + 1


def _xlsx_table(stream: BinaryIO) -> Table:
    try:
        with zipfile.ZipFile(stream) as archive:
            parts = archive.infolist()
    except zipfile.BadZipFile:
        raise UnreadableFile("The file is not a readable XLSX workbook (its zip structure is damaged).") from None
    inflated = sum(part.file_size for part in parts)
    if inflated > MAX_XLSX_INFLATED_BYTES or any(
        part.file_size > MAX_XLSX_RATIO * max(part.compress_size, 1) and part.file_size > CHUNK for part in parts
    ):
        raise UnreadableFile("The workbook would inflate to far more than its size (a zip bomb); it was not opened.")
    stream.seek(0)
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a damaged workbook
        raise UnreadableFile(f"The workbook could not be opened: {exc}.") from None
    records = _xlsx_rows(workbook)
    header = [_text(cell) for cell in next(records, [])]
    if not header:
        raise UnreadableFile("The workbook's first sheet is empty.")
    return _table(header, records)
