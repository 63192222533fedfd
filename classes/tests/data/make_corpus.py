"""Write the roster corpus the tests read: ``python make_corpus.py`` in this folder.

The communes named here exist in the test tree built by ``classes/tests/conftest``:
Tỉnh Hưng Yên (Xã Đông Hưng, Phường Hiến Nam), Tỉnh Thái Bình (Xã Đông Hưng,
Xã Tân Tiến), Tỉnh Bắc Giang (Xã Tân Tiến).
"""

import io
import zipfile
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent
HEADERS = [
    "STT",
    "Họ và tên",
    "Số điện thoại",
    "Ngày sinh",
    "Lớp",
    "Xã/Phường",
    "Email",
]


def write_xlsx(path: Path, rows, title="DANH SÁCH HỌC VIÊN"):
    book = Workbook()
    sheet = book.active
    sheet.append([title])
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    book.save(path)


def write_csv(path: Path, rows, encoding="utf-8-sig"):
    lines = [",".join(HEADERS)] + [",".join(str(c) for c in row) for row in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))


GOOD = [
    [1, "Nguyễn Thị Lan", "0912 345 678", "05/03/2010", "10A1", "Xã Đông Hưng", ""],
    [2, "Trần Văn Bình", "0987.654.321", "12/11/2009", "10A1", "dong hung", ""],
    [
        3,
        "Lê Minh Châu",
        "+84 903 111 222",
        "",
        "10A2",
        "Phường Hiến Nam",
        "chau@example.com",
    ],
    [4, "Phạm Thu Hà", "", "01/01/2010", "10A2", "hien nam", ""],
    [5, "Hoàng Văn Em", "0345678901", "", "", "", ""],
]

MIXED = [
    [1, "Nguyễn Thị Lan", "0912345678", "05/03/2010", "10A1", "Đông Hưng", ""],
    # The same phone again: flagged on this, the second occurrence.
    [2, "Nguyễn Lan", "0912 345 678", "", "10A1", "", ""],
    # Bad phones.
    [3, "Trần Văn Bình", "12345", "", "10A1", "", ""],
    [4, "Lê Văn Cường", "0212345678", "", "10A1", "", ""],
    # Unknown commune.
    [5, "Phạm Thị Dung", "0903111222", "", "10A2", "Xã Không Có", ""],
    # Ambiguous commune: two Xã Tân Tiến, neither in the class's province.
    [6, "Hoàng Văn Em", "0903111333", "", "10A2", "tan tien", ""],
    # No name, bad date.
    [7, "", "0903111444", "", "", "", ""],
    [8, "Đỗ Thị Giang", "0903111555", "31/02/2010", "", "", ""],
    # A good row last.
    [9, "Vũ Văn Hải", "0903111666", "", "10A2", "hien nam", ""],
]


def zip_bomb() -> bytes:
    """An XLSX-looking zip whose sheet unpacks to 200 MB of spaces."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            chunk = b" " * (1024 * 1024)
            for _ in range(200):
                part.write(chunk)
    return buffer.getvalue()


def with_entity() -> bytes:
    """A real XLSX whose sheet declares an external entity."""
    source = io.BytesIO()
    write_xlsx(source, GOOD[:1])
    out = io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = data.split(b"?>", 1)[-1]
                data = (
                    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' + body
                )
            zout.writestr(item, data)
    return out.getvalue()


def main():
    write_xlsx(HERE / "good.xlsx", GOOD)
    write_csv(HERE / "good.csv", GOOD)
    write_csv(HERE / "mixed.csv", MIXED)
    write_csv(HERE / "utf16.csv", GOOD, encoding="utf-16")
    (HERE / "zip_bomb.xlsx").write_bytes(zip_bomb())
    (HERE / "external_entity.xlsx").write_bytes(with_entity())
    write_csv(
        HERE / "rows_10000.csv",
        [[n, f"Học viên {n}", f"09{n:08d}", "", "", "", ""] for n in range(1, 10001)],
    )


if __name__ == "__main__":
    main()
