#!/usr/bin/env python3
"""Writes the workbooks XlsxWritersTest and ForeignWorkbooksIT read, with the tools people produce them with (pip install openpyxl
XlsxWriter; openpyxl 3.1.5 and XlsxWriter 3.2.9 made the committed files). Run from this directory:

    python3 make-fixtures.py

Each file holds the same four contacts, written as that tool writes them; the test compares every cell with the
rows they must land as (see XlsxWritersTest). open-xml-sdk-style.xlsx is openpyxl's contacts.xlsx rewritten as
Microsoft's Open XML SDK writes sheets: every element under an x: prefix, no <dimension>, and no r attribute on
rows, nor on the cells of a row that has every cell (a cell without r stands after the one before it).
"""
import datetime
import re
import zipfile

import openpyxl
import xlsxwriter
from openpyxl.utils.datetime import CALENDAR_MAC_1904

HEADER = ["uuid", "first_name", "email", "employees_count", "annual_revenue", "created_at", "score"]
ROWS = [
    ["00000000-0000-4000-8000-000000000001", "Zoë", "zoe@example.com", 12, 1200.5, datetime.datetime(2024, 1, 31)],
    ["00000000-0000-4000-8000-000000000002", "Ada", "ada@example.com", 0, None, datetime.datetime(2024, 2, 29, 13, 45, 30)],
    ["00000000-0000-4000-8000-000000000003", "Grace", "grace@example.com", 1000000, 3, datetime.datetime(1999, 12, 31)],
    ["00000000-0000-4000-8000-000000000004", "Linus", None, -5, 0.25, datetime.datetime(2000, 3, 1)],
]


def openpyxl_contacts(path, epoch=None):
    workbook = openpyxl.Workbook()
    if epoch:
        workbook.epoch = epoch
    sheet = workbook.active
    sheet.title = "Contacts"
    sheet.append(HEADER)
    for i, row in enumerate(ROWS, start=2):
        # score: a formula openpyxl stores without a computed value (<f>E2*2</f><v/>), as every openpyxl file does
        sheet.append(row + [f"=D{i}*2"])
        sheet.cell(row=i, column=6).number_format = "yyyy-mm-dd hh:mm:ss"
    sheet.append([])
    sheet.append(["#N/A row", None, None, None, None, None, None])
    sheet.cell(row=len(ROWS) + 3, column=1).value = "#N/A"
    sheet.cell(row=len(ROWS) + 3, column=1).data_type = "e"
    workbook.save(path)


def openpyxl_hidden_first_sheet_header_on_row_3(path):
    workbook = openpyxl.Workbook()
    notes = workbook.active
    notes.title = "Notes"
    notes.append(["exported for the tests; nothing here is a contact"])
    notes.sheet_state = "hidden"
    data = workbook.create_sheet("Data")
    data.append(["Contacts export"])
    data.append([])
    data.append(HEADER[:4])
    for row in ROWS:
        data.append(row[:4])
    other = workbook.create_sheet("Other")
    other.append(["uuid", "first_name"])
    other.append(["00000000-0000-4000-8000-000000000009", "Nobody"])
    workbook.save(path)


def xlsxwriter_contacts(path):
    workbook = xlsxwriter.Workbook(path)
    sheet = workbook.add_worksheet("Contacts")
    bold = workbook.add_format({"bold": True})
    italic = workbook.add_format({"italic": True})
    day_first = workbook.add_format({"num_format": "dd/mm/yyyy"})
    clock = workbook.add_format({"num_format": "hh:mm:ss"})
    sheet.write_row(0, 0, HEADER + ["active", "at"])
    for r, row in enumerate(ROWS, start=1):
        sheet.write_string(r, 0, row[0])
        if r == 1:
            # a rich-text cell: runs of bold and plain text
            sheet.write_rich_string(r, 1, bold, "Z", "o", italic, "ë")
        else:
            sheet.write_string(r, 1, row[1])
        if row[2]:
            sheet.write_string(r, 2, row[2])
        sheet.write_number(r, 3, row[3])
        if row[4] is not None:
            sheet.write_number(r, 4, row[4])
        sheet.write_datetime(r, 5, row[5], day_first if row[5].hour == 0 else workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}))
        # a formula with its value cached, as XlsxWriter writes one when told the value
        sheet.write_formula(r, 6, f"=D{r + 1}*2", None, row[3] * 2)
        sheet.write_boolean(r, 7, r % 2 == 1)
        sheet.write_datetime(r, 8, datetime.time(9, 30, 15), clock)
    sheet.write_formula(len(ROWS) + 1, 0, "=NA()", None, "#N/A")
    workbook.close()


def without_positions(row):
    """A row without its r attribute, and its cells without theirs when they stand in A, B, C… with no gap."""
    text = row.group(0)
    columns = re.findall(r'<c r="([A-Z]+)[0-9]+"', text)
    if columns == [chr(ord("A") + i) for i in range(len(columns))]:
        text = re.sub(r'(<c) r="[A-Z]+[0-9]+"', r"\1", text)
    return re.sub(r'^<row r="[0-9]+"', "<row", text)


def open_xml_sdk_style(source, path):
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as rewritten:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                text = data.decode("utf-8")
                text = re.sub(r"<dimension [^>]*/>", "", text)
                text = re.sub(r"<row [^>]*>.*?</row>", without_positions, text)
                text = text.replace('xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"',
                                    'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"')
                text = re.sub(r"<(/?)(?!\?)([a-zA-Z]+)", r"<\1x:\2", text)
                data = text.encode("utf-8")
            rewritten.writestr(item, data)


def contacts_2000(csv_path, xlsx_path):
    """2,000 contacts as a CSV, and the same rows as openpyxl writes them: ForeignWorkbooksIT lands both."""
    import csv
    import random
    random.seed(2026)
    first = ["Ada", "Zoë", "Grace", "Linus", "Søren", "Amélie", "Hiro", "Chidi", "Ana", "Olu"]
    countries = ["Norway", "Ireland", "Japan", "Brazil", "France", "Germany", "USA", "India"]
    header = ["uuid", "first_name", "last_name", "email", "country", "employees_count", "annual_revenue", "created_at"]
    rows = []
    for i in range(1, 2001):
        created = datetime.datetime(2020, 1, 1) + datetime.timedelta(minutes=random.randrange(0, 3 * 365 * 24 * 60))
        if i % 7 == 0:
            created = created.replace(hour=0, minute=0)
        rows.append([f"{i:08d}-0000-4000-8000-{random.randrange(16 ** 12):012x}", random.choice(first), f"Person {i}",
                     "" if i % 11 == 0 else f"person{i}@example.com", random.choice(countries), random.randrange(0, 100000),
                     random.randrange(0, 10 ** 9), created])
    with open(csv_path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        for row in rows:
            writer.writerow(row[:7] + [row[7].strftime("%Y-%m-%dT%H:%M:%S")])
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("contacts")
    sheet.append(header)
    for row in rows:
        sheet.append([value if value != "" else None for value in row])
    workbook.save(xlsx_path)


if __name__ == "__main__":
    openpyxl_contacts("openpyxl-contacts.xlsx")
    openpyxl_contacts("openpyxl-1904.xlsx", CALENDAR_MAC_1904)
    openpyxl_hidden_first_sheet_header_on_row_3("openpyxl-sheets.xlsx")
    xlsxwriter_contacts("xlsxwriter-contacts.xlsx")
    open_xml_sdk_style("openpyxl-contacts.xlsx", "open-xml-sdk-style.xlsx")
    contacts_2000("contacts-2000.csv", "openpyxl-contacts-2000.xlsx")
    # LibreOffice Calc (7.4) made libreoffice-contacts-2000.xlsx from the CSV, told it is UTF-8 (without the filter it
    # reads it as Latin-1):
    #   soffice --headless --infilter="CSV:44,34,76,1" --convert-to xlsx contacts-2000.csv
    #   mv contacts-2000.xlsx libreoffice-contacts-2000.xlsx
