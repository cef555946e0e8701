"""What the OpenAPI schema says beyond what ninja writes (`finish`, called by main.py):

- **Reads need no auth** (`security: []`), so that a generated client reads as a guest; a token
  or session sent on a read is still honoured (restricted works, your own drafts).
- **304** on every read (conditional GET, see main.py).
- **Optional query parameters** are their type, not "their type or null" (absent is none).
- **Links**: how an answer's ids lead to the next operations (a search to its works, a work to
  its chapters and download, a new comment to the thread...). Generated clients and docs show
  them; schemathesis follows them in its stateful run (tests/api/test_schema_fuzz.py). Each
  entry: (operation, status) → {link name: (target operation, {parameter: expression})}, with
  operations named by their view function (their operationId).
"""

from __future__ import annotations

from typing import Any

Links = dict[tuple[str, str], dict[str, tuple[str, dict[str, str]]]]


def _work(at: str) -> dict[str, tuple[str, dict[str, str]]]:
    """The reads and writes of the work whose id is at AT in the answer."""
    work = {"work_id": f"$response.body#{at}"}
    return {
        "GetWork": ("get_work", work),
        "DownloadWork": ("download_work", work),
        "WorkComments": ("work_comments", work),
        "WorkBookmarks": ("work_bookmarks", work),
        "PostComment": ("post_comment", work),
        "SaveBookmark": ("save_bookmark", work),
        "GiveKudos": ("give_kudos", work),
    }


def _chapter(work_at: str, chapter_at: str) -> dict[str, str]:
    return {"work_id": f"$response.body#{work_at}", "chapter_id": f"$response.body#{chapter_at}"}


LINKS: Links = {
    ("search_works", "200"): _work("/works/0/id"),
    ("user_works", "200"): _work("/items/0/id"),
    ("get_series", "200"): _work("/works/0/work/id"),
    ("get_work", "200"): {
        **{name: link for name, link in _work("/id").items() if name != "GetWork"},
        "GetChapter": ("get_chapter", _chapter("/id", "/chapter_list/0/id")),
    },
    ("post_work", "201"): {
        **_work("/id"),
        "EditWork": ("edit_work", {"work_id": "$response.body#/id"}),
        "AddChapter": ("add_chapter", {"work_id": "$response.body#/id"}),
        "PublishWork": ("publish_work", {"work_id": "$response.body#/id"}),
    },
    ("add_chapter", "201"): {
        "GetChapter": ("get_chapter", _chapter("/work_id", "/id")),
        "EditChapter": ("edit_chapter", _chapter("/work_id", "/id")),
        "PublishChapter": ("publish_chapter", _chapter("/work_id", "/id")),
    },
    ("post_comment", "201"): {
        "WorkComments": ("work_comments", {"work_id": "$response.body#/work_id"}),
    },
    ("save_bookmark", "200"): {
        "GetBookmark": ("get_bookmark", {"bookmark_id": "$response.body#/id"}),
        "DeleteBookmark": ("delete_bookmark", {"bookmark_id": "$response.body#/id"}),
    },
    ("work_bookmarks", "200"): {
        "GetBookmark": ("get_bookmark", {"bookmark_id": "$response.body#/items/0/id"}),
    },
    ("subscribe", "201"): {
        "Unsubscribe": ("unsubscribe", {"subscription_id": "$response.body#/id"}),
    },
    ("autocomplete_tags", "200"): {
        "GetTag": ("get_tag", {"name": "$response.body#/items/0/name"}),
    },
    ("get_tag", "200"): {
        "FandomTree": ("fandom_tree", {"name": "$response.body#/name"}),
    },
}


def add_links(schema: dict[str, Any], links: Links = LINKS) -> None:
    """Write LINKS into SCHEMA's responses; a link to or from an unknown operation is an error
    (an operation renamed without its links)."""
    operations = {
        operation["operationId"]: operation
        for path_item in schema["paths"].values()
        for operation in path_item.values()
    }
    for (source, status), targets in links.items():
        response = operations[source]["responses"][status]
        response["links"] = {
            name: {"operationId": operations[target]["operationId"], "parameters": parameters}
            for name, (target, parameters) in targets.items()
        }


def _is_yours(path: str) -> bool:
    return path.endswith("/me") or "/me/" in path


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    options = [option for option in schema.get("anyOf", ()) if option != {"type": "null"}]
    if len(options) != 1:
        return schema
    rest = {key: value for key, value in schema.items() if key != "anyOf"}
    return options[0] | rest


def _by_status(responses: dict[Any, Any]) -> dict[str, Any]:
    """RESPONSES keyed by strings, in order. Ninja keys them by numbers, and `openapi_extra`
    by strings: both, written as JSON, would repeat a key (a strict parser refuses the schema)."""
    keyed: dict[str, Any] = {}
    for status, response in responses.items():
        keyed.setdefault(str(status), {}).update(response)
    return dict(sorted(keyed.items()))


def finish(schema: dict[str, Any]) -> dict[str, Any]:
    for path, path_item in schema["paths"].items():
        for method, operation in path_item.items():
            for parameter in operation.get("parameters", ()):
                if parameter["in"] == "query" and not parameter.get("required"):
                    parameter["schema"] = _without_null(parameter["schema"])
            if method == "get":
                operation["responses"]["304"] = {
                    "description": "Not modified: the ETag (If-None-Match) or date still holds."
                }
                if not _is_yours(path):
                    operation["security"] = []
            operation["responses"] = _by_status(operation["responses"])
    add_links(schema)
    return schema
