// Picking a suggested tag (from /tags/autocomplete, fetched by htmx) puts it in place of the
// name being typed, after the last comma, and keeps the names before it. Without JavaScript
// the tag fields are plain text inputs and no suggestions are shown.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-tag-pick]");
  const list = button && button.closest("[data-tags-for]");
  const input = list && document.getElementById(list.dataset.tagsFor);
  if (!input) return;
  const names = input.value.split(",").slice(0, -1).map((name) => name.trim()).filter(Boolean);
  input.value = [...names, button.dataset.tagPick].join(", ") + ", ";
  list.replaceChildren();
  input.focus();
});
