# ruff: noqa: RUF001 - the patterns match typographic quotes and dashes on purpose
"""Chapter and part headings ("Chapter One", "Ch. 3 - Title", "Prologue", "Chapitre trois",
"Zweiter Teil", "Part Two of Two", "Dos de dos") and the titles they give. Numbers are read
in digits, Roman numerals and words, cardinal or ordinal, up to twenty at least, in English,
French, Spanish, German, Italian and Portuguese; accents are optional."""

from __future__ import annotations

import re
import unicodedata

# --- numbers in words ------------------------------------------------------------------

NUMBER_WORDS = [
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty",
]  # fmt: skip
# Cardinals from one to twenty, one list a language (accents dropped: they are optional).
_CARDINALS = {
    "en": NUMBER_WORDS,
    "fr": "un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze "
    "seize dix-sept dix-huit dix-neuf vingt",
    "es": "uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince "
    "dieciseis diecisiete dieciocho diecinueve veinte",
    "de": "eins zwei drei vier funf sechs sieben acht neun zehn elf zwolf dreizehn vierzehn "
    "funfzehn sechzehn siebzehn achtzehn neunzehn zwanzig",
    "it": "uno due tre quattro cinque sei sette otto nove dieci undici dodici tredici "
    "quattordici quindici sedici diciassette diciotto diciannove venti",
    "pt": "um dois tres quatro cinco seis sete oito nove dez onze doze treze catorze quinze "
    "dezesseis dezessete dezoito dezenove vinte",
}
_ORDINALS = {
    "en": "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth",
    "fr": "premier deuxieme troisieme quatrieme cinquieme sixieme septieme huitieme neuvieme "
    "dixieme onzieme douzieme treizieme quatorzieme quinzieme seizieme dix-septieme "
    "dix-huitieme dix-neuvieme vingtieme",
    "es": "primero segundo tercero cuarto quinto sexto septimo octavo noveno decimo undecimo "
    "duodecimo decimotercero decimocuarto decimoquinto decimosexto decimoseptimo "
    "decimoctavo decimonoveno vigesimo",
    "de": "erste zweite dritte vierte funfte sechste siebte achte neunte zehnte elfte zwolfte "
    "dreizehnte vierzehnte funfzehnte sechzehnte siebzehnte achtzehnte neunzehnte zwanzigste",
    "it": "primo secondo terzo quarto quinto sesto settimo ottavo nono decimo undicesimo "
    "dodicesimo tredicesimo quattordicesimo quindicesimo sedicesimo diciassettesimo "
    "diciottesimo diciannovesimo ventesimo",
    "pt": "primeiro segundo terceiro quarto quinto sexto setimo oitavo nono decimo "
    "decimo-primeiro decimo-segundo decimo-terceiro decimo-quarto decimo-quinto decimo-sexto "
    "decimo-setimo decimo-oitavo decimo-nono vigesimo",
}
# Other spellings and genders of the same numbers.
_VARIANTS = {
    "une": 1, "ein": 1, "eine": 1, "una": 1, "uma": 1, "duas": 2, "quatorze": 14,
    "dezasseis": 16, "dezassete": 17, "dezanove": 19, "premiere": 1, "second": 2,
    "seconde": 2, "primer": 1, "tercer": 3, "siebente": 7, "decimoprimero": 11,
    "decimosegundo": 12, "thirty": 30, "forty": 40, "fifty": 50,
}  # fmt: skip
# Feminine and declined endings: "primera", "zweiter", "zweites", "prima", "primeira".
_ENDINGS = (("a", "o"), ("as", "o"), ("os", "o"), ("r", ""), ("s", ""), ("n", ""), ("m", ""))


def _numbers() -> tuple[dict[str, int], set[str]]:
    values: dict[str, int] = dict(_VARIANTS)
    ordinals: set[str] = {"second", "seconde", "premiere", "primer", "tercer", "siebente"}
    for table, is_ordinal in ((_CARDINALS, False), (_ORDINALS, True)):
        for words in table.values():
            for value, word in enumerate(
                words.split() if isinstance(words, str) else words, start=1
            ):
                values.setdefault(word, value)
                if is_ordinal:
                    ordinals.add(word)
    return values, ordinals


NUMBER_VALUES, ORDINAL_WORDS = _numbers()


def fold(text: str) -> str:
    """TEXT case-folded without accents, one character for one (positions are kept)."""
    out = []
    for char in text:
        base = unicodedata.normalize("NFKD", char)
        out.append(base[0] if base and len(base[0]) == 1 and base[0].isascii() else char)
    return "".join(out).lower()


def number_value(word: str) -> int | None:
    """The number a word, numeral or Roman numeral names ("Three", "troisième", "XII", "4")."""
    word = fold(word.strip(" .:")).replace(" ", "-")
    if word.isdigit():
        return int(word)
    if word in NUMBER_VALUES:
        return NUMBER_VALUES[word]
    for ending, replacement in _ENDINGS:
        if word.endswith(ending) and word[: -len(ending)] + replacement in NUMBER_VALUES:
            return NUMBER_VALUES[word[: -len(ending)] + replacement]
    if "-" in word:  # "twenty-one", "vingt-deux"
        tens, _, unit = word.partition("-")
        if tens in NUMBER_VALUES and unit in NUMBER_VALUES and NUMBER_VALUES[tens] >= 20:
            return NUMBER_VALUES[tens] + NUMBER_VALUES[unit]
    if re.fullmatch(r"[ivxlcdm]+", word):
        return _roman(word)
    return None


def _roman(text: str) -> int | None:
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
    total = 0
    for index, char in enumerate(text):
        value = values[char]
        following = values[text[index + 1]] if index + 1 < len(text) else 0
        total += -value if value < following else value
    return total if total > 0 else None


def is_ordinal(word: str) -> bool:
    word = fold(word.strip(" .:")).replace(" ", "-")
    if word in ORDINAL_WORDS:
        return True
    return any(
        word.endswith(e) and word[: -len(e)] + r in ORDINAL_WORDS for e, r in _ENDINGS
    ) or bool(re.fullmatch(r"\d+(?:st|nd|rd|th|e|er|re|eme|o|a|º|ª)", word))


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _forms() -> tuple[list[str], list[str]]:
    """Every spelling of the numbers in words, and of the ordinals alone."""
    numbers, ordinals = set(NUMBER_VALUES), set()
    for word in ORDINAL_WORDS:
        ordinals.add(word)
        if word.endswith("o"):
            ordinals.update({word[:-1] + "a", word[:-1] + "as", word[:-1] + "os"})
        if word.endswith("e"):
            ordinals.update(word + e for e in "rsnm")
    numbers |= ordinals
    return sorted(numbers, key=len, reverse=True), sorted(ordinals, key=len, reverse=True)


_NUMBER_FORMS, _ORDINAL_FORMS = _forms()
_TENS = "(?:twenty|thirty|forty|fifty|vingt|veinte|zwanzig|venti|vinte|decimo)"
_NUMBER_WORD = (
    rf"(?:{_TENS}[\s-](?:{_alternation(_NUMBER_FORMS)})|(?:{_alternation(_NUMBER_FORMS)}))"
    r"(?![\w'’-])"
)
_ORDINAL_WORD = rf"(?:\d+(?:st|nd|rd|th)|(?:{_alternation(_ORDINAL_FORMS)}))(?![\w'’-])"
_ROMAN = r"(?=[ivxlcdm])m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})\b"
_NUMBER = rf"(?:\d+(?:\.\d+)?|{_ROMAN}|{_NUMBER_WORD}|[a-z]\b)"
_CHAPTER_WORDS = ["chapter", "chap", "ch", "chapitre", "capitulo", "cap", "kapitel", "capitolo"]
_PART_WORDS = ["part", "partie", "parte", "teil", "book", "livre", "libro", "buch", "livro"]
_UNNUMBERED = [
    "prologue", "prolog", "prologo", "epilogue", "epilog", "epilogo", "interlude", "afterword",
    "foreword", "preface", "prefacio", "vorwort", "nachwort",
]  # fmt: skip
_OF = r"(?:of|von|sur|de|di|do|da|del)"
_SEP = r"(?:\s*[:.\-–—,|]\s*|\s+)"
_UNITS = _alternation(_CHAPTER_WORDS + _PART_WORDS)
_UNIT = rf"(?P<unit>{_UNITS})"
_NUMBERED = re.compile(
    # Chapter 3, Part Two, Kapitel drei; Second Part, Zweiter Teil; "Zwei von Zwei" alone
    rf"^(?:{_UNIT}(?:\.\s*|\s+|(?=\d))(?P<number>{_NUMBER})\.?"
    rf"|(?P<ordinal>{_ORDINAL_WORD})\s+(?P<unit2>{_UNITS})\b\.?"
    rf"|(?P<bare>{_NUMBER_WORD}|{_ORDINAL_WORD}|\d+))"
    rf"(?:\s+{_OF}\s+(?P<total>{_NUMBER_WORD}|\d+\b)\.?)?"  # … of Two
    rf"(?:(?P<sep>{_SEP})(?P<title>.*))?$"
)
_NAMED = re.compile(rf"^(?:{_alternation(_UNNUMBERED)})\b(?:{_SEP}(?P<title>.*))?$")


def chapter_heading(text: str) -> tuple[str, str] | None:
    """(full heading, title after the number) when the text is a chapter or part heading."""
    if len(text) > 1000:  # a heading is at most 120 characters, however it is spaced
        return None
    line = " ".join(text.replace("#", " ").replace("*", " ").split()).strip()
    if not line or len(line) > 120:
        return None
    folded = fold(line)
    named = _NAMED.match(folded)
    if named:
        return line, _title_from(line, named)
    match = _NUMBERED.match(folded)
    if not match or not _numbered(match):
        return None
    title = _title_from(line, match)
    if title and len(title.split()) > 15:
        return None
    if match.group("title") and match.group("sep").isspace() and title[:1].islower():
        return None  # "Chapter one of my life began…" is a sentence
    return line, title


def _numbered(match: re.Match[str]) -> bool:
    total = match.group("total")
    if total is not None and number_value(total) is None:
        return False
    if match.group("unit"):
        number = match.group("number")
        return len(number) == 1 or number_value(number) is not None
    if match.group("ordinal"):
        return is_ordinal(match.group("ordinal"))
    # A bare number is a heading only as "X of Y" and alone on its line.
    bare = match.group("bare")
    return (
        total is not None
        and not match.group("title")
        and (number_value(bare) is not None or is_ordinal(bare))
    )


def _title_from(line: str, match: re.Match[str]) -> str:
    if match.group("title") is None:
        return ""
    return line[match.start("title") :].strip(" :.-–—")


def chapter_title(heading: str) -> str:
    """A chapter's own title from its heading: "Chapter 3: Storm" gives "Storm", "Chapter 3"
    nothing, "Prologue" and headings that are not numbered stay whole."""
    heading = " ".join(heading.split())
    parsed = chapter_heading(heading)
    if parsed is None:
        return heading
    if _NAMED.match(fold(parsed[0])):
        return heading
    title = parsed[1]
    if title and not (title[0].isalnum() or title[0] in "\"'“‘"):
        return heading
    return title


def same_heading(one: str, other: str) -> bool:
    """Two headings that name the same chapter ("Chapter 1: Storm", "CHAPTER ONE - Storm",
    "Storm" for a chapter titled Storm)."""
    if not one.strip() or len(one) > 200 or len(other) > 200:
        return False  # a heading is short: a long paragraph repeats none
    return _heading_key(one) == _heading_key(other)


def _heading_key(text: str) -> str:
    parsed = chapter_heading(text)
    if parsed is None:
        return re.sub(r"\W+", "", fold(text))
    match = _NUMBERED.match(fold(parsed[0]))
    number = ""
    if match:
        word = match.group("number") or match.group("ordinal") or match.group("bare") or ""
        number = str(number_value(word) or word)
    return f"{number}|{re.sub(r'[^0-9a-z]+', '', fold(parsed[1]))}"


CHAPTER_HEADING = _NUMBERED
