"""What a member or officer may attach: the types a council reads, under the size limit, and
only files that really are what their names say (DESIGN §3)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.attachments import validate_attachment

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 20
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20
ZIP = b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 20
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 20
WINDOWS_PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 20


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
        ("letter.docx", ZIP),
        ("figures.xlsx", ZIP),
        ("old-letter.doc", OLE),
        ("old-figures.xls", OLE),
        ("notes.txt", b"Mrs Smith rang about the pothole on Mill Road.\n"),
        ("notes.txt", "Café on the corner – 5 £\n".encode()),
    ],
)
def test_it_accepts_the_types_a_council_reads(name, content):
    validate_attachment(upload(name, content))


def test_it_accepts_a_text_file_whose_sample_ends_inside_a_character():
    # Only the first 2,048 bytes are read; a two-byte "é" cut in half there is still text.
    validate_attachment(upload("notes.txt", ("a" + "é" * 1500).encode()))


def test_it_reads_the_file_from_the_start_afterwards():
    file = upload("report.pdf", PDF)
    validate_attachment(file)
    assert file.read() == PDF


@pytest.mark.parametrize("name", ["setup.exe", "macro.docm", "page.html", "archive.zip", "no-extension"])
def test_it_refuses_other_types(name):
    message = refusal(upload(name, WINDOWS_PROGRAM))
    assert message == f"{name} must be a PDF, Word, Excel, plain text, PNG or JPEG file"


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("invoice.pdf", WINDOWS_PROGRAM, "PDF"),
        ("photo.png", JPEG, "PNG"),
        ("photo.jpg", PNG, "JPG"),
        ("letter.docx", PDF, "DOCX"),
        ("notes.txt", b"\x00\x01\x02binary", "TXT"),
    ],
)
def test_it_refuses_a_file_whose_bytes_are_not_what_its_name_says(name, content, kind):
    # A renamed program must not get through by its name alone.
    assert refusal(upload(name, content)) == f"{name} is not a real {kind} file"


def test_it_refuses_a_file_over_the_size_limit(settings):
    settings.ATTACHMENT_MAX_BYTES = 2 * 1024 * 1024
    limit = settings.ATTACHMENT_MAX_BYTES
    validate_attachment(upload("plans.pdf", PDF + b"\x00" * (limit - len(PDF))))  # exactly the limit
    message = refusal(upload("plans.pdf", PDF + b"\x00" * (limit + 1 - len(PDF))))
    assert message == "plans.pdf must be smaller than 2 MB"


def test_it_refuses_a_file_over_a_small_size_limit_by_name(settings):
    settings.ATTACHMENT_MAX_BYTES = 64
    message = refusal(upload("big.pdf", PDF + b"\x00" * 64))
    assert message.startswith("big.pdf must be smaller than")


def test_it_refuses_an_empty_file():
    assert refusal(upload("empty.pdf", b"")) == "empty.pdf is empty"
