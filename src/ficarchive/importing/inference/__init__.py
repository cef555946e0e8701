"""Proposals where a file does not say: fandom, characters and relationships from the names
in the text matched against the archive's canonical tags, a rating from the content, and
additional tags from the genre words an author uses. Every proposal is listed in the work's
`inferred` with the reason; a stated value is never replaced."""

from __future__ import annotations

from ficarchive.importing.inference.cast import infer_cast
from ficarchive.importing.inference.freeforms import infer_freeforms
from ficarchive.importing.inference.rating import infer_rating
from ficarchive.importing.parsed import ParsedWork, markup_start
from ficarchive.text.wordcount import html_to_text

# Proposals read the first million characters of the story (about 180,000 words): enough to
# tell a cast and a rating, and a bound on the memory that reading a huge file takes.
SAMPLE_CHARS = 1_000_000


def story_sample(work: ParsedWork, limit: int = SAMPLE_CHARS) -> str:
    """The visible text of the chapters, up to LIMIT characters (whole chapters, then the
    start of the one that reaches it)."""
    parts: list[str] = []
    left = limit
    for chapter in work.chapters:
        if left <= 0:
            break
        text = html_to_text(markup_start(chapter.body, left * 2))[:left]
        parts.append(text)
        left -= len(text) + 1
    return "\n".join(parts)


def infer(work: ParsedWork) -> ParsedWork:
    """Fill what the file leaves out, from the text and the archive's tags. A file that lists
    every tag (`tags_stated`, an AO3 preface) is taken as it states them: only a rating it
    leaves out is proposed."""
    text = story_sample(work)
    infer_rating(work, text)
    if not work.tags_stated:
        infer_freeforms(work)
        infer_cast(work, text)
    return work
