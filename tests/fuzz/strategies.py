"""What the fuzz tests throw at the forms: hostile text, wrong dates, ids that are not
there or not yours. Each strategy mixes fixed payloads, which every run tries, with
Hypothesis's random text, which shrinks to the smallest input that breaks a page."""

from __future__ import annotations

from hypothesis import strategies as st

# Markup that would run if a page printed it raw. Each contains "<", so finding one
# verbatim in a page means the page did not escape it.
HTML_PAYLOADS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "</textarea><script>alert(1)</script>",
    "<iframe src=https://evil.example></iframe>",
)
SQL_PAYLOADS = (
    "'; DROP TABLE cases_enquiry; --",
    "1' OR '1'='1",
    '" OR 1=1 --',
    "1; SELECT pg_sleep(5)",
    "%' UNION SELECT username, password FROM auth_user --",
    "\\'; --",
)
# Django template syntax: printed as it is, never evaluated.
TEMPLATE_PAYLOADS = ("{{ request.user.password }}", "{% debug %}", "${7*7}")
# Control characters, NUL first (PostgreSQL cannot store it in text).
CONTROL_CHARACTERS = (
    "\x00",
    *(chr(c) for c in range(1, 32) if chr(c) not in "\t\n\r"),
    "\x7f",
    "\x85",
    "\x9b",
)
UNICODE_EDGES = (
    "\u202eevil.pdf",  # right-to-left override
    "\u200b\u200c\u200d\ufeff",  # zero-width characters and a byte order mark
    "e\u0301\u0327\u0361",  # combining marks
    "Z\u0337\u0351a\u0338\u0350l\u0336\u0342g\u0337\u0343o",
    "\U0001f469\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466",  # one emoji made of four
    "مرحبا بالعالم",
    "שלום עולם",
    "\U0001d573\U0001d58a\U0001d591\U0001d591\U0001d594",  # mathematical letters
    "\uffff\U0010ffff",  # noncharacters
    "\u2028\u2029",  # line and paragraph separators
)
PAYLOADS = HTML_PAYLOADS + SQL_PAYLOADS + TEMPLATE_PAYLOADS + UNICODE_EDGES + CONTROL_CHARACTERS

# Any character a browser can send: UTF-8 cannot encode a lone surrogate.
characters = st.characters(exclude_categories=("Cs",))
random_text = st.text(characters, max_size=40)


def long_text(max_length: int | None) -> st.SearchStrategy[str]:
    """Text just past the limit, or far past it."""
    lengths = [20_001, 60_000] if max_length is None else [max_length + 1, max_length + 50, 20_001]
    return st.builds(
        lambda n, c: (c or "x") * n, st.sampled_from(lengths), st.sampled_from(["x", "é", "<", "\U0001f600"])
    )


def hostile_text(max_length: int | None = None) -> st.SearchStrategy[str]:
    """Text a person, a paste from Word, or an attacker might send."""
    return st.one_of(
        st.sampled_from(HTML_PAYLOADS),
        st.sampled_from(PAYLOADS),
        random_text,
        st.lists(st.one_of(st.sampled_from(PAYLOADS), random_text), min_size=1, max_size=4).map("".join),
        st.sampled_from(["", " ", "\t\n ", "\x00", "a\x00b"]),
        long_text(max_length),
    )


# A number that is not a real row's id: missing, negative, past PostgreSQL's bigint, or not a number.
bad_ids = st.one_of(
    st.sampled_from(["999999", "0", "-1", "2147483648", "9223372036854775808", "1" * 40, "1e3", "1.5", "0x10"]),
    st.sampled_from(["abc", "1 OR 1=1", "1; DROP TABLE people_officer", "\x00", "1\x00", "", " ", "٣", "[]", "{}"]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    random_text,
)


def date_parts(valid: tuple[int, int, int]) -> st.SearchStrategy[tuple[str, str, str]]:
    """A day, month and year as typed: real, impossible, out of range or not numbers."""
    digits = st.integers(min_value=0, max_value=10**25).map(str)
    part = st.one_of(digits, st.sampled_from(["", " ", "-1", "1.5", "٣", "first", "\x00", "9" * 5000]), random_text)
    day, month, year = (str(n) for n in valid)
    return st.one_of(
        st.just((day, month, year)),
        st.sampled_from(
            [
                ("31", "2", year),  # 31 February
                ("29", "2", "2023"),  # not a leap year
                ("0", "0", "0"),
                ("1", "1", "0"),  # year 0
                ("1", "1", "1"),  # year 1
                ("31", "12", "9999"),  # the last day Python can hold
                ("1", "1", "10000"),
                ("1", "1", "99999999999999999999"),
                ("99999999999999999999", "1", year),
                ("1", "99999999999999999999", year),
                (day, month, ""),
                ("", "", ""),
                (" ", " ", " "),
                (day, month, " "),  # a part of only spaces
                ("tomorrow", "", ""),
            ]
        ),
        st.tuples(part, part, part),
    )


def date_fields(name: str, parts: tuple[str, str, str]) -> dict[str, str]:
    return {f"{name}_{n}": part for n, part in enumerate(parts)}


def choices(valid: list[str]) -> st.SearchStrategy[str]:
    """A choice from the list, or one that is not on it."""
    return st.one_of(st.sampled_from(valid), st.sampled_from(["", "nope", "\x00", "yes\x00"]), bad_ids)


def form_data(base: dict, hostile: dict[str, st.SearchStrategy]) -> st.SearchStrategy[dict]:
    """``base`` (valid data for the form) with one or more of its fields replaced by hostile
    values or left out (None); mostly only a few, so the other fields stay valid and an
    example often gets past the form to the service and to the page showing what was
    stored. A date's strategy draws all three of its parts as a dict."""

    @st.composite
    def draw(draw_from) -> dict:
        names = draw_from(st.lists(st.sampled_from(sorted(hostile)), min_size=1, max_size=len(hostile), unique=True))
        data = dict(base)
        for name in names:
            value = draw_from(st.one_of(hostile[name], st.none()), label=name)
            for key in [name, *(f"{name}_{n}" for n in range(3))]:
                data.pop(key, None)
            if isinstance(value, dict):
                data.update(value)
            elif value is not None:
                data[name] = value
        return data

    return draw()


def hostile_date(name: str, valid: tuple[int, int, int]) -> st.SearchStrategy[dict[str, str]]:
    return date_parts(valid).map(lambda parts: date_fields(name, parts))


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
FILE_NAMES = (
    "survey.pdf",
    "<script>alert(1)</script>.pdf",
    '"><img src=x onerror=alert(1)>.txt',
    'notes"; filename="evil.exe.pdf',
    "a" * 300 + ".pdf",
    "\U0001f600" * 120 + ".txt",
    "\U0001f600" * 260 + ".txt",  # too long for the multipart headers Django reads: 400
    "\x00.pdf",
    "nul\x00byte.pdf",
    "line\nbreak.pdf",
    "\u202efdp.exe.pdf",
    "..\\..\\windows\\win.ini.txt",
    ".pdf",
    "REPORT.PDF",
    "no-extension",
    "program.exe",
    "'; DROP TABLE cases_attachment; --.txt",
)
FILE_CONTENTS = (
    PDF,
    b"",
    b"MZ\x90\x00\x03\x00\x00\x00 a program",
    b"Plain text notes.\n",
    "\u00e9t\u00e9 ".encode() * 700,
    b"\x89PNG\r\n\x1a\n" + b"\x00" * 16,
    b"\xff\xfe\x00\x00 not text",
    b"<script>alert(1)</script>",
)


def _upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def uploads() -> st.SearchStrategy[list]:
    """Up to three files with hostile names and contents (a fresh file object per example)."""
    names = st.one_of(st.sampled_from(FILE_NAMES), hostile_text(255).map(lambda text: f"{text}.txt"))
    return st.lists(st.builds(_upload, names, st.sampled_from(FILE_CONTENTS)), max_size=3)


def markup(limit: int | None = None) -> str:
    """As many of the markup payloads, one after another, as fit in ``limit`` characters."""
    text = ""
    for payload in HTML_PAYLOADS:
        if limit is not None and len(text) + len(payload) > limit:
            break
        text += payload
    return text
