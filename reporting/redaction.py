"""Taking other people's personal data out of a subject access export (UK GDPR Art. 15(4);
DPA 2018 Sch. 2 para. 16): the requester gets their own data, not someone else's.

Free text is redacted in three passes, each one compiled regular expression:

1. e-mail addresses, UK telephone numbers and postcodes, wherever they are (a constituent's
   details in a casework enquiry are known to the portal only as text), except the subject's own;
2. the full names of everyone the portal knows (every account, and every constituent who gave
   consent), and "Cllr Surname", "Mr Surname" … forms of them, whatever the case;
3. the first name and the surname on their own, as capitalised words, of the people linked to
   the subject's records.

The subject's own names and the names of the council's wards, services, directorates, groups
and committees are kept where they appear (a third party called Green leaves "Parks and Green
Spaces" alone). The passes err on redacting too much: a first name that is also a word ("May",
"Will") is redacted where it is capitalised.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

TITLES = ("Cllr", "Councillor", "Mr", "Mrs", "Ms", "Miss", "Mx", "Dr")
EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
# UK numbers as people write them: 01632 960123, (01632) 960 123, 07700-900123, +44 7700 900123.
PHONE = re.compile(r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|\(?0)\d[\d\s()-]{7,14}\d(?!\w)")
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b")


def label(kind: str) -> str:
    return f"[redacted: {kind}]"


def _digits(text: str) -> str:
    digits = re.sub(r"\D", "", text)
    return "0" + digits[2:] if digits.startswith("44") else digits


def _trie(phrases: Iterable[str]) -> str:
    """One regular expression matching any of ``phrases``, longest first: a trie of their
    characters, so a text is read once however many phrases there are. A space in a phrase
    matches any run of white space."""
    trie: dict = {}
    for phrase in phrases:
        node = trie
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [
            (r"\s+" if char == " " else re.escape(char)) + build(child) for char, child in sorted(node.items()) if char
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


def _normal(phrase: str) -> str:
    return " ".join(phrase.split()).lower()


class _Phrases:
    """Phrases to replace (each with its label) and phrases to keep, matched as whole words."""

    def __init__(self, *, replace: dict[str, str], keep: Iterable[str], ignore_case: bool) -> None:
        fold = _normal if ignore_case else (lambda phrase: " ".join(phrase.split()))
        self.fold = fold
        self.keep = {fold(phrase) for phrase in keep if phrase.strip()}
        # A phrase both kept and replaced (a third party who shares the subject's first name) is kept.
        self.replace = {fold(phrase): kind for phrase, kind in replace.items() if phrase.strip()}
        phrases = self.keep | set(self.replace)
        self.pattern = (
            re.compile(rf"(?<!\w){_trie(sorted(phrases))}(?!\w)", re.IGNORECASE if ignore_case else 0)
            if self.replace
            else None
        )

    def __call__(self, text: str) -> str:
        if self.pattern is None:
            return text

        def swap(match: re.Match) -> str:
            found = self.fold(match.group())
            if found in self.keep:
                return match.group()
            return label(self.replace[found])

        return self.pattern.sub(swap, text)


class Redactor:
    """Redacts free text for one export. ``names`` and ``words`` map a third party's full name
    (and titled forms) and their single names to the label that replaces them; ``keep`` holds
    the subject's names and the council's organisation names; ``own_emails`` and
    ``own_phones`` the subject's contact details, which stay."""

    def __init__(
        self,
        *,
        names: dict[str, str],
        words: dict[str, str],
        keep: Iterable[str],
        own_emails: Iterable[str] = (),
        own_phones: Iterable[str] = (),
        own_postcodes: Iterable[str] = (),
    ) -> None:
        keep = list(keep)
        self.names = _Phrases(replace=names, keep=keep, ignore_case=True)
        self.words = _Phrases(replace=words, keep=keep, ignore_case=False)
        self.own_emails = {email.lower() for email in own_emails if email}
        self.own_phones = {_digits(phone) for phone in own_phones if _digits(phone)}
        self.own_postcodes = {code.replace(" ", "").upper() for code in own_postcodes if code}

    def __call__(self, text: str) -> str:
        if not text:
            return text
        text = EMAIL.sub(lambda m: m.group() if m.group().lower() in self.own_emails else label("e-mail address"), text)
        text = PHONE.sub(lambda m: m.group() if _digits(m.group()) in self.own_phones else label("phone number"), text)
        text = POSTCODE.sub(
            lambda m: m.group() if m.group().replace(" ", "") in self.own_postcodes else label("postcode"), text
        )
        return self.words(self.names(text))


def titled(surname: str) -> list[str]:
    """The ways a letter or a note names someone by their surname: Cllr Smith, Mrs Smith …"""
    return [f"{title} {surname}" for title in TITLES] + [f"{title}. {surname}" for title in TITLES]
