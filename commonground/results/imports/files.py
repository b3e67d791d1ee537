"""Reading an uploaded results file (CSV or XLSX) into rows, refusing what is not a spreadsheet.

The content decides the kind, not the name: an XLSX workbook is a zip archive ("PK\\x03\\x04");
anything else must be UTF-8 text (with or without a byte-order mark), delimited by commas or
semicolons. In a semicolon file a comma in a number is the decimal comma ("12,5" is 12.5), as
spreadsheets in those locales write it; in a comma file commas group thousands ("1,250").
Rows whose first cell starts with "#" are comments (the template explains itself in them).
"""

import csv
import datetime as dt
import hashlib
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.core.files.uploadedfile import UploadedFile
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from commonground.core.errors import InvalidInput
from commonground.core.memory import gc_paused

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
# An XLSX is compressed; refuse archives that would unpack to more than this (zip bombs).
MAX_UNPACKED_BYTES = 250 * 1024 * 1024

STANDARD_COLUMNS = ("indicator_id", "indicator", "period", "partner", "value", "text_value", "note")
ACCEPTED_SUFFIXES = (".csv", ".txt", ".xlsx")
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls format
# Text starting with these is a formula to a spreadsheet; the template writes a quote before it.
FORMULA_START = ("=", "+", "-", "@")
_SAVE_AS = gettext_lazy(
    "Save it from your spreadsheet as “CSV UTF-8” or as an Excel workbook (.xlsx)."
)


def _and_save_as(message: str) -> str:
    """A refusal followed by how to save the file so that it can be read."""
    return _("%(problem)s %(save_as)s") % {"problem": message, "save_as": _SAVE_AS}


class FileRefused(InvalidInput):
    """The upload is not a results file we can read; the message says what is wrong with it."""

    code = "import_file"

    def __init__(self, message: str) -> None:
        super().__init__(message, fields={"file": [message]})


@dataclass(slots=True)
class Row:
    """One data row of the file, as written (trimmed); `number` is its row in the spreadsheet."""

    number: int
    indicator_id: str = ""
    indicator: str = ""
    period: str = ""
    partner: str = ""
    value: Any = ""  # text from a CSV; a number (int, float, Decimal) from an XLSX
    text_value: str = ""
    note: str = ""
    dimensions: dict[str, str] = field(default_factory=dict)  # column -> cell, filled cells only

    @property
    def is_blank(self) -> bool:
        """A template row nobody filled in: no value and no text."""
        return (self.value == "" or self.value is None) and not self.text_value


class ParsedFile(list[Row]):
    """The rows of an upload, with what the import needs to know about the file itself."""

    def __init__(
        self,
        rows: Iterable[Row] = (),
        *,
        name: str = "",
        digest: str = "",
        kind: str = "csv",
        columns: list[str] | None = None,
        header_row: int = 1,
    ) -> None:
        super().__init__(rows)
        self.name = name
        self.digest = digest  # SHA-256 of the bytes, kept in the audit event
        self.kind = kind
        self.columns = columns or []
        self.header_row = header_row

    @property
    def dimension_columns(self) -> list[str]:
        return [c for c in self.columns if _standard(c) not in STANDARD_COLUMNS]


def parse(upload: UploadedFile | IO[bytes] | bytes, *, name: str = "") -> ParsedFile:
    """Read a CSV or XLSX results file; FileRefused names the problem with the file."""
    with gc_paused():
        return _parse(upload, name=name)


def _parse(upload: UploadedFile | IO[bytes] | bytes, *, name: str) -> ParsedFile:
    name = name or str(getattr(upload, "name", "") or "")
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    if name and suffix not in ACCEPTED_SUFFIXES:
        raise FileRefused(
            _("“%(name)s” is not a spreadsheet: upload a .csv or .xlsx file.") % {"name": name}
        )
    data = _read_limited(upload)
    if not data.strip():
        raise FileRefused(_("The file is empty: download the template and fill it in."))
    digest = hashlib.sha256(data).hexdigest()
    if data.startswith(_ZIP):
        return _rows(
            _xlsx_records(data), name=name, digest=digest, kind="xlsx", decimal_comma=False
        )
    if data.startswith(_OLE):
        raise FileRefused(
            _and_save_as(_("This is an old Excel file (.xls), which is not read here."))
        )
    if suffix == ".xlsx":
        raise FileRefused(
            _and_save_as(
                _("“%(name)s” is named .xlsx but is not an Excel workbook.") % {"name": name}
            )
        )
    records, decimal_comma = _csv_records(data)
    try:
        return _rows(records, name=name, digest=digest, kind="csv", decimal_comma=decimal_comma)
    except csv.Error as error:
        raise FileRefused(
            _and_save_as(_("The CSV file cannot be read (%(error)s).") % {"error": error})
        ) from None


def _read_limited(upload: UploadedFile | IO[bytes] | bytes) -> bytes:
    too_big = FileRefused(
        _("The file is larger than %(size)s MB: split it into several files.")
        % {"size": MAX_BYTES // (1024 * 1024)}
    )
    if isinstance(upload, bytes | bytearray | memoryview):
        data = bytes(upload)
    else:
        size = getattr(upload, "size", None)
        if isinstance(size, int) and size > MAX_BYTES:
            raise too_big
        if hasattr(upload, "seek"):
            upload.seek(0)
        data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise too_big
    return data


def _csv_records(data: bytes) -> tuple[Iterator[tuple[int, list[Any]]], bool]:
    """The file's records, numbered as a spreadsheet numbers its rows, and whether numbers in it
    use the decimal comma (semicolon files)."""
    if b"\x00" in data:
        raise FileRefused(
            _and_save_as(_("The file is not a CSV or XLSX file (it holds binary data)."))
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRefused(
            _and_save_as(_("The file is not a CSV or XLSX file: it is not UTF-8 text."))
        ) from None
    delimiter = _delimiter(text)

    # The reader's csv.Error is turned into FileRefused where the records are read (_parse).
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return enumerate(reader, start=1), delimiter == ";"


def _delimiter(text: str) -> str:
    """Comma or semicolon, from the header: the first line that is not a comment."""
    for line in io.StringIO(text):  # lazily: the header is near the top
        if line.strip() and not line.lstrip('"').startswith("#"):
            return ";" if line.count(";") > line.count(",") else ","
    return ","


def _xlsx_records(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    import openpyxl  # imported here: only XLSX uploads pay for it

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise FileRefused(
            _and_save_as(_("The file is a damaged zip archive, not a workbook."))
        ) from None
    if "xl/workbook.xml" not in names:
        raise FileRefused(_and_save_as(_("The file is a zip archive but not an Excel workbook.")))
    if unpacked > MAX_UNPACKED_BYTES:
        raise FileRefused(
            _("The workbook is too large once unpacked: split it into several files.")
        )
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken workbook
        raise FileRefused(_and_save_as(_("The workbook cannot be read."))) from None
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(values)
    finally:
        workbook.close()


def _standard(header: Any) -> str:
    return str(header or "").strip().lower().replace(" ", "_").replace("-", "_")


def _text(cell: Any) -> str:
    """A cell as trimmed text; whole numbers from a workbook lose their ".0"."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell.strip()
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat()
    return str(cell).strip()


def _words(text: str) -> str:
    """Trimmed text, without the quote the template puts before text that looks like a formula
    (="…", +…, -…, @…) so that spreadsheets do not run it."""
    text = text.strip()
    if text[:1] == "'" and text[1:2] in FORMULA_START:
        return text[1:]
    return text


def _period_text(cell: Any) -> str:
    """Spreadsheets turn "2025-03" into 1 March 2025; read such a date back as the month."""
    if isinstance(cell, dt.date):
        day = cell.date() if isinstance(cell, dt.datetime) else cell
        return f"{day.year:04d}-{day.month:02d}" if day.day == 1 else day.isoformat()
    return _text(cell)


def _value(cell: Any) -> Any:
    """A workbook's value cell: numbers stay numbers (no text round trip), text is trimmed."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell.strip()
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, int | float | Decimal):
        return cell
    return _text(cell)


def _header(records: Iterator[tuple[int, list[Any]]]) -> tuple[int, list[str]]:
    for number, record in records:
        if not record or all(_text(c) == "" for c in record):
            continue
        if _text(record[0]).startswith("#"):
            continue
        return number, [_text(c) for c in record]
    raise FileRefused(_("The file has no header row: download the template and fill it in."))


def _check_header(header: list[str]) -> dict[str, int]:
    index: dict[str, int] = {}
    seen: set[str] = set()
    for position, title in enumerate(header):
        if not title:
            continue
        key = _standard(title) if _standard(title) in STANDARD_COLUMNS else title.casefold()
        if key in seen:
            raise FileRefused(
                _("The column “%(title)s” appears twice in the header row.") % {"title": title}
            )
        seen.add(key)
        index[_standard(title) if _standard(title) in STANDARD_COLUMNS else title] = position
    missing = []
    if "indicator_id" not in index and "indicator" not in index:
        missing.append("indicator_id")
    if "period" not in index:
        missing.append("period")
    if "value" not in index and "text_value" not in index:
        missing.append("value")
    if missing:
        names = ", ".join(f"“{m}”" for m in missing)
        raise FileRefused(
            ngettext(
                "The file has no %(names)s column: the first row must name the columns "
                "%(columns)s and one per dimension (download the template).",
                "The file has no %(names)s columns: the first row must name the columns "
                "%(columns)s and one per dimension (download the template).",
                len(missing),
            )
            % {"names": names, "columns": ", ".join(STANDARD_COLUMNS)}
        )
    return index


def _rows(
    records: Iterator[tuple[int, list[Any]]],
    *,
    name: str,
    digest: str,
    kind: str,
    decimal_comma: bool,
) -> ParsedFile:
    header_row, header = _header(records)
    index = _check_header(header)
    width = len(header)
    # A column the file lacks reads the "" appended to every record (index -1).
    i_id, i_title, i_period, i_partner, i_value, i_text, i_note = (
        index.get(column, -1) for column in STANDARD_COLUMNS
    )
    dimensions = [(title, at) for title, at in index.items() if title not in STANDARD_COLUMNS]
    rows: list[Row] = []
    count = 0
    if kind == "csv":
        for number, record in records:
            if not any(record) or record[0].lstrip().startswith("#"):
                continue
            count += 1
            if count > MAX_ROWS:
                raise _too_many_rows()
            if len(record) < width:
                record.extend([""] * (width - len(record)))
            record.append("")
            value = record[i_value].strip()
            if decimal_comma and "," in value:
                value = value.replace(".", "").replace(" ", "").replace(",", ".")
            rows.append(
                Row(
                    number,
                    record[i_id].strip(),
                    record[i_title].strip(),
                    record[i_period].strip(),
                    record[i_partner].strip(),
                    value,
                    _words(text) if (text := record[i_text]) else "",
                    _words(note) if (note := record[i_note]) else "",
                    {title: cell for title, at in dimensions if (cell := record[at].strip())},
                )
            )
    else:
        for number, cells in records:
            record = list(cells)
            if all(c is None or c == "" for c in record) or _text(record[0]).startswith("#"):
                continue
            count += 1
            if count > MAX_ROWS:
                raise _too_many_rows()
            if len(record) < width:
                record.extend([None] * (width - len(record)))
            record.append(None)
            rows.append(
                Row(
                    number,
                    _text(record[i_id]),
                    _text(record[i_title]),
                    _period_text(record[i_period]),
                    _text(record[i_partner]),
                    _value(record[i_value]),
                    _words(_text(record[i_text])),
                    _words(_text(record[i_note])),
                    {title: cell for title, at in dimensions if (cell := _text(record[at]))},
                )
            )
    return ParsedFile(
        rows, name=name, digest=digest, kind=kind, columns=list(index), header_row=header_row
    )


def _too_many_rows() -> FileRefused:
    return FileRefused(
        _("The file has more than %(count)s rows: split it into several files.")
        % {"count": number_format(MAX_ROWS, force_grouping=True)}
    )
