"""CSV downloads (a student's answers, the mentors' reviews) as spreadsheet programs open them.

The file starts with a UTF-8 byte-order mark: without one, Excel reads a CSV in the computer's
local code page, and the en dashes of the questions ("India–South Korea"), curly quotes and
non-Latin names in comments come out garbled. Other programs (LibreOffice, Google Sheets,
Python's `utf-8-sig`) read the mark and drop it. Text that a spreadsheet would run as a
formula is defused (`spreadsheet_cell`). Rows are streamed: an export of every review never
sits whole in memory.
"""

import csv
from collections.abc import Iterable, Sequence

from django.http import StreamingHttpResponse

BYTE_ORDER_MARK = "\ufeff"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value):
    """`value`, with text that a spreadsheet would run as a formula (a leading = + - @, tab
    or carriage return) prefixed with an apostrophe, which shows it as text."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    """A file-like object whose write() hands the line back, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def _lines(rows: Iterable[Sequence]):
    writer = csv.writer(_Echo())
    yield BYTE_ORDER_MARK
    for row in rows:
        yield writer.writerow(row)


def csv_download(rows: Iterable[Sequence], filename: str) -> StreamingHttpResponse:
    """A streamed CSV attachment of `rows` (the header first), saved as `filename`."""
    response = StreamingHttpResponse(_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
