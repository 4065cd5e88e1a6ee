"""Taking other people's personal data out of a subject access export (UK GDPR Art. 15(4);
DPA 2018 Sch. 2 para. 16): the requester gets their own data, not someone else's.

Free text is read once, word by word, and redacted:

1. e-mail addresses, UK telephone numbers and postcodes, wherever they are (a constituent's
   details in a casework enquiry are known to the portal only as text), except the subject's own;
2. the full names of everyone the portal knows (every account, and every constituent named in a
   consent record), and "Cllr Surname", "Mrs Surname" … forms of them, in any case;
3. usernames with a dot, a digit or an underscore in them, as written (a username that is a
   plain word, such as "officer", cannot be told from the word, so it is left);
4. the first name and the surname on their own, as capitalised words, of the people linked to
   the subject's records.

The subject's own names and the names of the council's wards, services, directorates, groups
and committees are kept where they appear: the longest phrase wins, so a third party called
Green leaves "Parks and Green Spaces" alone. It errs on redacting too much: a first name that is
also a word ("May", "Will") is redacted where it is capitalised.

A dictionary lookup per word, not a regular expression of every name: a council of five
thousand people builds it in a moment.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

TITLES = ("Cllr", "Councillor", "Mr", "Mrs", "Ms", "Miss", "Mx", "Dr")
EMAIL = r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+"
# UK numbers as people write them: 01632 960123, (01632) 960 123, 07700-900123, +44 7700 900123.
PHONE = r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|\(?0)\d[\d\s()-]{7,14}\d(?!\w)"
POSTCODE_PATTERN = r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b"
POSTCODE = re.compile(POSTCODE_PATTERN)
# Each match is an e-mail address, a telephone number, a postcode, a username-like handle
# (j.smith, monitoring.officer) or a word, read left to right.
TOKENS = re.compile(
    rf"(?P<email>{EMAIL})|(?P<phone>{PHONE})|(?P<postcode>{POSTCODE_PATTERN})|(?P<handle>\w+(?:[._]\w+)+)|(?P<word>\w+)"
)
WORD = re.compile(r"\w+")
# What may stand between the words of a name: "Jane Smith", "Cllr. Smith", "Mary-Jane", "O'Brien".
BETWEEN = re.compile(r"[\s.'’-]+")
KEEP = ""  # a phrase that stays


def label(kind: str) -> str:
    return f"[redacted: {kind}]"


def titled(surname: str) -> list[str]:
    """The ways a letter or a note names someone by their surname: Cllr Smith, Mrs Smith …"""
    return [f"{title} {surname}" for title in TITLES]


def distinctive_username(username: str) -> bool:
    """A username that cannot be an ordinary word: it has a dot, a digit or an underscore."""
    return bool(re.search(r"[^A-Za-z]", username))


def _digits(text: str) -> str:
    digits = re.sub(r"\D", "", text)
    return "0" + digits[2:] if digits.startswith("44") else digits


def _key(phrase: str) -> tuple[str, ...]:
    return tuple(word.lower() for word in WORD.findall(phrase))


@dataclass(frozen=True)
class _Token:
    kind: str  # email, phone, postcode, username or word
    start: int
    end: int
    text: str


class Redactor:
    """Redacts free text for one export. ``names`` maps a third party's full name (and titled
    forms) to the label's kind, matched in any case; ``usernames`` their distinctive usernames,
    matched whole; ``words`` their single names, matched as written; ``keep`` holds the
    subject's names and the council's organisation names; ``own_*`` the subject's contact
    details, which stay."""

    def __init__(
        self,
        *,
        names: dict[str, str],
        words: dict[str, str],
        keep: Iterable[str],
        usernames: dict[str, str] | None = None,
        own_emails: Iterable[str] = (),
        own_phones: Iterable[str] = (),
        own_postcodes: Iterable[str] = (),
    ) -> None:
        self.usernames = {username.lower(): kind for username, kind in (usernames or {}).items()}
        self.phrases: dict[tuple[str, ...], str] = {}
        for phrase, kind in names.items():
            if key := _key(phrase):
                self.phrases[key] = kind
        for phrase in keep:
            if key := _key(phrase):
                self.phrases[key] = KEEP  # the subject's own name wins over a third party's
        self.words = {word: kind for word, kind in words.items() if word and _key(word.lower()) not in self.phrases}
        # For each first word, the lengths of the phrases it starts, longest first.
        lengths: dict[str, set[int]] = {}
        for key in self.phrases:
            lengths.setdefault(key[0], set()).add(len(key))
        self.lengths = {first: sorted(found, reverse=True) for first, found in lengths.items()}
        self.own_emails = {email.lower() for email in own_emails if email}
        self.own_phones = {_digits(phone) for phone in own_phones if _digits(phone)}
        self.own_postcodes = {code.replace(" ", "").upper() for code in own_postcodes if code}

    def _tokens(self, text: str) -> list[_Token]:
        tokens = []
        for match in TOKENS.finditer(text):
            kind, found = match.lastgroup, match.group()
            if kind == "handle" and found.lower() not in self.usernames:
                # Not a username: its words, one by one (a sentence run together, "end.Next").
                tokens += [
                    _Token("word", match.start() + word.start(), match.start() + word.end(), word.group())
                    for word in WORD.finditer(found)
                ]
                continue
            if kind in ("handle", "word") and found.lower() in self.usernames:
                kind = "username"
            tokens.append(_Token(kind, match.start(), match.end(), found))
        return tokens

    def _special(self, token: _Token) -> str:
        text = token.text
        if token.kind == "email":
            return text if text.lower() in self.own_emails else label("e-mail address")
        if token.kind == "phone":
            return text if _digits(text) in self.own_phones else label("phone number")
        if token.kind == "username":
            return label(self.usernames[text.lower()])
        return text if text.replace(" ", "").upper() in self.own_postcodes else label("postcode")

    def _phrase_at(self, text: str, tokens: list[_Token], i: int) -> tuple[int, str] | None:
        """The longest known phrase starting at token ``i``: (its length in words, its kind)."""
        for length in self.lengths.get(tokens[i].text.lower(), ()):
            span = tokens[i : i + length]
            if len(span) < length or any(token.kind != "word" for token in span):
                continue
            if any(not BETWEEN.fullmatch(text[a.end : b.start]) for a, b in pairwise(span)):
                continue
            kind = self.phrases.get(tuple(token.text.lower() for token in span))
            if kind is not None:
                return length, kind
        return None

    def __call__(self, text: str) -> str:
        if not text:
            return text
        tokens = self._tokens(text)
        out: list[str] = []
        position = i = 0
        while i < len(tokens):
            token = tokens[i]
            out.append(text[position : token.start])
            if token.kind != "word":
                out.append(self._special(token))
                position, i = token.end, i + 1
                continue
            found = self._phrase_at(text, tokens, i)
            if found is not None:
                length, kind = found
                end = tokens[i + length - 1].end
                out.append(text[token.start : end] if kind == KEEP else label(kind))
                position, i = end, i + length
                continue
            word = token.text
            out.append(label(self.words[word]) if word in self.words else word)
            position, i = token.end, i + 1
        out.append(text[position:])
        return "".join(out)
