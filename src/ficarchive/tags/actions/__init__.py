"""Writes to tags. Free tags are found or created by name, case-insensitively, per type, and
wranglers link them (canonical, synonym, fandoms, characters); every wrangling change is logged
and can be undone.

- `entering`: names typed on a form become tags (`find_or_create_tags`);
- `wrangling`: the rules (`check_tag_rules`) and the wranglers' verbs, logged and undoable;
- `files`: our own tags files (`load_tags`) and the demo's starter tags;
- `vocabulary`: the tags file of the OTW's public data dump (`load_otw_tags`), streamed;
- `media`: a canonical fandom's media type (`set_media`), for the Fandoms pages;
- `suggesting`: what an unwrangled tag could stand for, and accepting it.
"""

from ficarchive.tags.actions.entering import (
    find_or_create_tags,
    make_resolved_synonym,
    split_tag_names,
)
from ficarchive.tags.actions.files import (
    STARTER_DIR,
    LoadReport,
    load_starter_tags,
    load_tags,
)
from ficarchive.tags.actions.media import set_media
from ficarchive.tags.actions.suggesting import accept_suggestion, suggestions_for
from ficarchive.tags.actions.wrangling import (
    TYPE_NOUNS,
    WrangleAction,
    check_tag_rules,
    find_tag,
    make_canonical,
    make_synonym,
    merge_tags,
    set_parents,
    set_relationship_characters,
    undo_change,
    unwrangle,
    wrangle_tags,
)

__all__ = [
    "STARTER_DIR",
    "TYPE_NOUNS",
    "LoadReport",
    "WrangleAction",
    "accept_suggestion",
    "check_tag_rules",
    "find_or_create_tags",
    "find_tag",
    "load_starter_tags",
    "load_tags",
    "make_canonical",
    "make_resolved_synonym",
    "make_synonym",
    "merge_tags",
    "set_media",
    "set_parents",
    "set_relationship_characters",
    "split_tag_names",
    "suggestions_for",
    "undo_change",
    "unwrangle",
    "wrangle_tags",
]
