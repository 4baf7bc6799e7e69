"""Writing sample workbooks byte-identically on every run."""
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import openpyxl


def save_xlsx(wb: openpyxl.Workbook, path: Path, stamp: dt.datetime) -> None:
    """openpyxl stamps 'now' into docProps/core.xml and the zip entries; pin both to `stamp`."""
    wb.properties.created = stamp
    raw, out = io.BytesIO(), io.BytesIO()
    wb.save(raw)
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + iso, data)
            dst.writestr(zipfile.ZipInfo(info.filename, stamp.timetuple()[:6]), data, zipfile.ZIP_DEFLATED)
    path.write_bytes(out.getvalue())


def titled_sheet(name: str, *rows: list) -> tuple[openpyxl.Workbook, "openpyxl.worksheet.worksheet.Worksheet"]:
    """A new workbook whose one sheet, `name`, starts with `rows` (title lines, a blank [], the header)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = name
    for row in rows:
        ws.append(row)
    return wb, ws
