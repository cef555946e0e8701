"""The shapes of shelves in the API (beside `schemas.py`, which holds the rest)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from ficarchive.api.schemas import Answer, Input, ObjectId, Said, Text, Whole
from ficarchive.social.actions.shelves import MAX_DESCRIPTION, MAX_NAME


class DownloadsOut(Answer):
    epub: str
    html: str
    txt: str


class ShelfOut(Answer):
    id: int
    name: str
    description: str
    position: int = Field(description="Its place among the reader's shelves, from 1.")
    work_count: int = Field(description="Works on it, those the reader can no longer open too.")
    url: str = Field(description="The shelf's page (only its reader can open it).")
    downloads: DownloadsOut = Field(description="The shelf as one book, in each format.")


class ShelfListOut(Answer):
    shelves: list[ShelfOut]


class ShelvedOut(Answer):
    work_id: int
    position: int = Field(description="Its place on the shelf, from 1.")
    title: str | None = Field(description="None when the reader can no longer open the work.")
    url: str | None


class ShelfWorksOut(ShelfOut):
    works: list[ShelvedOut] = Field(description="In the shelf's order.")


class ShelfIn(Input):
    name: Annotated[Said, Field(max_length=MAX_NAME)]
    description: Annotated[Text, Field(max_length=MAX_DESCRIPTION)] = ""


class ShelfChangeIn(Input):
    """Any of the fields; those left out stay as they are."""

    name: Annotated[Said, Field(max_length=MAX_NAME)] | None = None
    description: Annotated[Text, Field(max_length=MAX_DESCRIPTION)] | None = None
    position: Annotated[int, Field(ge=1, le=100_000), Whole] | None = Field(
        None, description="Its new place among the reader's shelves (past the end: last)."
    )


class ShelfArrangeIn(Input):
    work_ids: Annotated[list[ObjectId], Field(max_length=10_000)] = Field(
        description="Every work the shelf is to hold, in order; works left out are taken off."
    )
