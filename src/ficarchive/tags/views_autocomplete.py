"""Tag autocomplete for the posting form: an HTML fragment of suggestions, fetched by htmx."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ficarchive.tags.actions import split_tag_names
from ficarchive.tags.models import MAX_TAG_LENGTH, TagType
from ficarchive.tags.resolving import AUTOCOMPLETE_TYPES
from ficarchive.tags.resolving import autocomplete as matching_tags

# The posting form's field for each type: htmx sends what is typed under the field's name.
FORM_FIELDS: dict[str, str] = {
    TagType.FANDOM: "fandoms",
    TagType.CHARACTER: "characters",
    TagType.RELATIONSHIP: "relationships",
    TagType.FREEFORM: "freeforms",
}
TYPE_ERROR = "Choose a type of tag to suggest: fandom, character, relationship or freeform."


class AutocompleteForm(forms.Form):
    """`type`; the name being typed: `q`, or the posting form's field for the type as htmx sends
    it, where only the name after the last comma counts; and the work's fandoms: `fandom`
    (repeated) or the posting form's `fandoms`."""

    type = forms.ChoiceField(
        choices=[(tag_type.value, tag_type.label) for tag_type in AUTOCOMPLETE_TYPES],
        error_messages={"required": TYPE_ERROR, "invalid_choice": TYPE_ERROR},
    )
    q = forms.CharField(required=False, max_length=MAX_TAG_LENGTH)

    def __init__(self, data: QueryDict) -> None:
        tag_type = data.get("type", "")
        typed = data.get("q") or data.get(FORM_FIELDS.get(tag_type, "q"), "")
        self.fandom_names = data.getlist("fandom")
        if tag_type != TagType.FANDOM:
            self.fandom_names += split_tag_names(data.get("fandoms", ""))
        super().__init__({"type": tag_type, "q": typed.rsplit(",", 1)[-1]})


@require_GET
def autocomplete(request: HttpRequest) -> HttpResponse:
    """Suggested tags for what is being typed into a tag field: canonical ones first."""
    form = AutocompleteForm(request.GET)
    if not form.is_valid():
        errors = [error for field_errors in form.errors.values() for error in field_errors]
        return render(request, "tags/_autocomplete.html", {"errors": errors}, status=400)
    data = form.cleaned_data
    tags = matching_tags(data["type"], data["q"], form.fandom_names)
    return render(request, "tags/_autocomplete.html", {"tags": tags})
