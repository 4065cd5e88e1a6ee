"""What a member or officer may attach: the types a council reads, under the size limit, and
only files whose content really is what their names say (DESIGN §3; docs/security.md)."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from cases.shared.attachments import content_type_for, validate_attachment

ALLOWED = "a PDF, Word document, Excel spreadsheet, plain text file, PNG or JPEG image"

PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)
HTML = b"<!DOCTYPE html><html><body><script>document.location='https://evil.example/'</script></body></html>"
WINDOWS_PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def image(format: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "#1d70b8").save(buffer, format)
    return buffer.getvalue()


def package(*parts: str) -> bytes:
    """A zip package with these parts, in this order, as Word or Excel writes one."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in parts:
            archive.writestr(part, "<?xml version='1.0' encoding='UTF-8' standalone='yes'?><x/>")
    return buffer.getvalue()


PNG, JPEG, GIF = image("PNG"), image("JPEG"), image("GIF")
DOCX = package("[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels")
XLSX = package("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/worksheets/sheet1.xml")
# Parts in an order filetype does not recognise (it calls this a plain zip): still a real document.
DOCX_OTHER_ORDER = package(
    "customXml/item1.xml", "customXml/item2.xml", "customXml/item3.xml", "customXml/item4.xml",
    "customXml/item5.xml", "[Content_Types].xml", "word/document.xml",
)  # fmt: skip
ZIP = package("readme.txt", "setup.exe")
WORD_97 = OLE + b"\x00" * 504 + b"\xec\xa5\xc1\x00" + b"\x00" * 600  # the Word marker at 512
EXCEL_97 = OLE + b"\x00" * 504 + b"\x09\x08\x10\x00\x00\x06\x05\x00" + b"\x00" * 600  # a BIFF8 record at 512
POWERPOINT_97 = OLE + b"\x00" * 504 + b"\xa0\x46\x1d\xf0" + b"\x00" * 600


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def refusal(file: SimpleUploadedFile) -> str:
    with pytest.raises(ValidationError) as error:
        validate_attachment(file)
    [message] = error.value.messages
    return message


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", PDF),
        ("Report.PDF", PDF),
        ("photo.png", PNG),
        ("photo.jpg", JPEG),
        ("photo.jpeg", JPEG),
        ("letter.docx", DOCX),
        ("letter.docx", DOCX_OTHER_ORDER),
        ("figures.xlsx", XLSX),
        ("old-letter.doc", WORD_97),
        ("old-letter.doc", OLE + b"\x00" * 600),  # an OLE container with no marker filetype knows
        ("old-figures.xls", EXCEL_97),
        ("notes.txt", b"Mrs Smith rang about the pothole on Mill Road.\r\n\tShe will send photos.\n"),
        ("notes.txt", "Café on the corner – 5 £\n".encode()),
        ("notes.txt", "\ufeffWritten by Notepad with a byte-order mark\n".encode()),
        ("notes.txt", "Costs £5 – Windows-1252\n".encode("cp1252")),
    ],
)
def test_it_accepts_the_types_a_council_reads(name, content):
    validate_attachment(upload(name, content))


def test_it_reads_a_whole_text_file_whose_characters_cross_chunk_boundaries():
    # Read in 64 KB chunks: an "é" is cut in two at the first boundary.
    validate_attachment(upload("notes.txt", ("a" + "é" * 40_000).encode()))


def test_it_refuses_a_text_file_with_a_nul_far_from_the_start():
    message = refusal(upload("notes.txt", b"a" * 100_000 + b"\x00" + b"a" * 10))
    assert message == f"The selected file ‘notes.txt’ is not a real plain text file: it must be {ALLOWED}"


def test_it_reads_the_file_from_the_start_afterwards():
    file = upload("report.pdf", PDF)
    validate_attachment(file)
    assert file.read() == PDF


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("setup.exe", WINDOWS_PROGRAM),
        ("macro.docm", DOCX),
        ("page.html", HTML),
        ("drawing.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"),
        ("archive.zip", ZIP),
        ("animation.gif", GIF),
        ("no-extension", PDF),
    ],
)
def test_it_refuses_other_types(name, content):
    assert refusal(upload(name, content)) == f"The selected file ‘{name}’ must be {ALLOWED}"


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("invoice.pdf", WINDOWS_PROGRAM, "PDF"),
        ("invoice.pdf", HTML, "PDF"),
        ("invoice.pdf", PNG, "PDF"),
        ("photo.png", JPEG, "PNG image"),
        ("photo.png", HTML, "PNG image"),
        ("photo.jpg", PNG, "JPEG image"),
        ("photo.jpg", GIF, "JPEG image"),
        ("letter.docx", PDF, "Word document"),
        ("letter.docx", ZIP, "Word document"),
        ("letter.docx", XLSX, "Word document"),
        ("figures.xlsx", DOCX, "Excel spreadsheet"),
        ("old-letter.doc", POWERPOINT_97, "Word document"),
        ("old-letter.doc", WINDOWS_PROGRAM, "Word document"),
        ("old-figures.xls", WORD_97, "Excel spreadsheet"),
        ("notes.txt", b"\x00\x01\x02binary", "plain text file"),
        ("notes.txt", WINDOWS_PROGRAM, "plain text file"),
        ("notes.txt", PNG, "plain text file"),
    ],
)
def test_it_refuses_a_file_whose_content_is_not_what_its_name_says(name, content, kind):
    # A renamed program or web page must not get through by its name alone.
    message = refusal(upload(name, content, content_type="application/pdf"))
    assert message == f"The selected file ‘{name}’ is not a real {kind}: it must be {ALLOWED}"


def test_it_refuses_a_file_over_the_size_limit(settings):
    settings.ATTACHMENT_MAX_BYTES = 2 * 1024 * 1024
    limit = settings.ATTACHMENT_MAX_BYTES
    validate_attachment(upload("plans.pdf", PDF + b"\x00" * (limit - len(PDF))))  # exactly the limit
    message = refusal(upload("plans.pdf", PDF + b"\x00" * (limit + 1 - len(PDF))))
    assert message == "The selected file ‘plans.pdf’ must be smaller than 2 MB"


def test_it_refuses_a_file_over_a_small_size_limit_by_name(settings):
    settings.ATTACHMENT_MAX_BYTES = 64
    message = refusal(upload("big.pdf", PDF + b"\x00" * 64))
    assert message.startswith("The selected file ‘big.pdf’ must be smaller than")


def test_it_refuses_an_empty_file():
    assert refusal(upload("empty.pdf", b"")) == "The selected file ‘empty.pdf’ is empty"


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("report.PDF", "application/pdf"),
        ("letter.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("notes.txt", "text/plain"),
        ("photo.jpeg", "image/jpeg"),
        ("page.html", "application/octet-stream"),
    ],
)
def test_it_serves_a_file_as_the_type_its_checked_name_says(name, content_type):
    assert content_type_for(name) == content_type
