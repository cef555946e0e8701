"""A story as an author pastes or uploads it, for the import page's tests (view and browser):
its notes, rating, fandom and credits written as posted texts write them."""

STORY = """The Tide Clock
by Wrenna Marsh

Rated: T
Fandom: Gears of Aldmoor
Summary: The harbour clock runs on the tide, and the tide is late.

A/N: Thanks to my beta, Pellory! Hope you enjoy.

Chapter 1: Ebb

The clock struck eleven when the water should have struck twelve.

***

Ida put her ear to the brass and listened.

Chapter 2: Flow

The tide came in all at once, like an apology.

Please review!
"""
