"""Writing a listing's chunks as a streamed CSV or XLSX.

CSV is UTF-8 with a byte-order mark (so Excel opens the Chinese correctly) and goes out chunk by
chunk as it is read. An XLSX is a zip whose directory comes last, so it cannot go out before its
last row: openpyxl's write-only workbook takes the rows chunk by chunk (each chunk written in a
worker thread, memory flat however long the listing), is saved to a temporary file (spooled in
memory up to SPOOL_BYTES, then on disk), and that file is streamed in pieces.
"""

from __future__ import annotations

import asyncio
import csv
import io
import tempfile
from collections.abc import AsyncIterator
from typing import IO, Any

from openpyxl import Workbook

BOM = "\ufeff"
PIECE = 64 * 1024
SPOOL_BYTES = 8 * 1024 * 1024
CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _csv_text(rows: list[list[Any]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(
        [["" if v is None else v for v in row] for row in rows]
    )
    return buffer.getvalue()


async def csv_stream(headers: list[str], chunks: AsyncIterator[list[list[Any]]]) -> AsyncIterator[bytes]:
    yield (BOM + _csv_text([headers])).encode()
    async for rows in chunks:
        yield _csv_text(rows).encode()


def _append(sheet: Any, rows: list[list[Any]]) -> None:
    for row in rows:
        sheet.append(row)


def _save(workbook: Workbook, target: IO[bytes]) -> None:
    workbook.save(target)
    target.seek(0)


async def xlsx_stream(
    title: str, headers: list[str], chunks: AsyncIterator[list[list[Any]]]
) -> AsyncIterator[bytes]:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.append(headers)
    async for rows in chunks:
        await asyncio.to_thread(_append, sheet, rows)
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as target:
        await asyncio.to_thread(_save, workbook, target)
        while piece := await asyncio.to_thread(target.read, PIECE):
            yield piece
