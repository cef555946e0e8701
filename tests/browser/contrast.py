"""Whether a page's controls can be read: WCAG's contrast ratio between each visible control's
text and what is drawn behind it, computed in the page. One piece of code for the job: the
`page` fixture runs it on every page a browser test opens, in light and dark, and tests that
look at one element call `contrast_of`."""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import urlsplit

# WCAG 2's minimum for ordinary text (1.4.3); the check holds every control to it.
MINIMUM = 4.5
SCHEMES = ("light", "dark")

# Functions defined in the page for the checks below. The background is found by walking up
# from the text's element, compositing each translucent background (and the opacity of the
# elements above it) over the next, down to the first opaque one or the canvas.
_LIBRARY = r"""
const rgba = text => {
  const parts = (text.match(/[\d.]+/g) || [0, 0, 0, 0]).map(Number);
  return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
};
const opacityFrom = element => {
  let product = 1;
  for (let node = element; node; node = node.parentElement) {
    product *= Number(getComputedStyle(node).opacity);
  }
  return product;
};
const over = ([r, g, b, a], [br, bg, bb]) =>
  [r * a + br * (1 - a), g * a + bg * (1 - a), b * a + bb * (1 - a), 1];
const behind = element => {
  const layers = [];
  for (let node = element; node; node = node.parentElement) {
    const colour = rgba(getComputedStyle(node).backgroundColor);
    if (colour[3] === 0) continue;
    colour[3] *= opacityFrom(node);
    layers.push(colour);
    if (colour[3] >= 1) break;
  }
  const dark = matchMedia("(prefers-color-scheme: dark)").matches;
  let ground = dark ? [18, 18, 18, 1] : [255, 255, 255, 1];
  for (const layer of layers.reverse()) ground = over(layer, ground);
  return ground;
};
const luminance = ([r, g, b]) => [r, g, b].map(v => v / 255)
  .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
  .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
const ratio = element => {
  const ground = behind(element);
  const text = rgba(getComputedStyle(element).color);
  text[3] *= opacityFrom(element);
  const fore = luminance(over(text, ground));
  const back = luminance(ground);
  return {
    ratio: (Math.max(fore, back) + 0.05) / (Math.min(fore, back) + 0.05),
    text: getComputedStyle(element).color,
    background: `rgb(${ground.slice(0, 3).map(Math.round).join(", ")})`,
  };
};
"""

# The contrast of one element's text on what is behind it: `locator.evaluate(CONTRAST)`.
CONTRAST = "element => {" + _LIBRARY + "return ratio(element).ratio; }"

# Every visible control whose text reads under `minimum`, with where it is and its colours.
_UNDER = (
    "minimum => {"
    + _LIBRARY
    + r"""
const CONTROLS = "a[href], button, input, select, textarea, summary, label, [role=button]";
const TYPED = ["text", "email", "password", "number", "search", "url", "tel", "submit",
  "button", "reset", "date", "datetime-local", "time"];
const seen = element => {
  if (!element.checkVisibility({opacityProperty: true, visibilityProperty: true})) return false;
  const box = element.getBoundingClientRect();
  // One-pixel boxes are for screen readers; boxes left of or above the page are off screen.
  return box.width > 1 && box.height > 1 && box.right > 0 && box.bottom > -window.scrollY;
};
const path = element => {
  const names = [];
  for (let node = element; node && node !== document.body && names.length < 3;
       node = node.parentElement) {
    names.unshift(node.localName + (node.id ? "#" + node.id : "")
      + [...node.classList].map(name => "." + name).join(""));
  }
  return names.join(" > ");
};
// The elements that draw a control's text: the control itself for fields, else each element
// holding one of its non-blank text nodes.
const inks = control => {
  if (control.matches("select, textarea")) return [control];
  if (control.localName === "input") return TYPED.includes(control.type) ? [control] : [];
  const found = new Set();
  const walker = document.createTreeWalker(control, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const parent = walker.currentNode.parentElement;
    if (walker.currentNode.textContent.trim() && parent && seen(parent)) found.add(parent);
  }
  return [...found];
};
const failures = [];
for (const control of document.querySelectorAll(CONTROLS)) {
  if (control.disabled || !seen(control)) continue;
  for (const ink of inks(control)) {
    const measured = ratio(ink);
    if (measured.ratio >= minimum) continue;
    failures.push({
      where: path(ink),
      text: (ink.value || ink.textContent || ink.placeholder || "").trim().slice(0, 40),
      ratio: Math.round(measured.ratio * 100) / 100,
      colour: measured.text,
      background: measured.background,
    });
  }
}
return failures;
}"""
)


def contrast_of(locator: Any) -> float:
    """The contrast ratio of one element's text on what is behind it."""
    return float(locator.evaluate(CONTRAST))


def illegible_controls(page: Any, minimum: float = MINIMUM) -> list[dict[str, Any]]:
    """The visible controls on the page now whose text reads under `minimum`:1, in the colour
    scheme the page is emulating."""
    return list(page.evaluate(_UNDER, minimum))


def _scheme(page: Any) -> str:
    dark = page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
    return "dark" if dark else "light"


def illegible_in_both_schemes(page: Any) -> list[str]:
    """The page's illegible controls in light and in dark, each described on a line; the page
    is left in the scheme it was in."""
    found: list[str] = []
    was = _scheme(page)
    try:
        for scheme in (was, *(other for other in SCHEMES if other != was)):
            if scheme != was:
                page.emulate_media(color_scheme=scheme)
            for failure in illegible_controls(page):
                found.append(
                    f"{page.url} ({scheme}): {failure['where']} {failure['text']!r} reads "
                    f"{failure['ratio']}:1 ({failure['colour']} on {failure['background']})"
                )
    finally:
        page.emulate_media(color_scheme=was)
    return found


def assert_legible(page: Any) -> None:
    """Fail when a visible control on the page now reads under 4.5:1 in either scheme (for a
    test to call after an in-page change the automatic check at each load would not see)."""
    found = illegible_in_both_schemes(page)
    assert not found, report(found)


def report(found: list[str]) -> str:
    """The illegible controls found, once each, under a line saying what is wrong."""
    lines = "\n".join(dict.fromkeys(found))
    return f"Controls under {MINIMUM}:1 contrast with what is behind them:\n{lines}"


class PageChecker:
    """Checks each page a test's browser loads without touching that page: a copy of its document
    (as its scripts left it) is opened in a page of its own, with scripts off and nothing but
    static files fetched, and checked there in light and dark while the test goes on."""

    def __init__(self, browser: Any) -> None:
        self.browser = browser
        self.found: list[str] = []
        self._context: Any = None
        self._queue: list[tuple[str, str, Any]] = []
        self._busy = False

    def loaded(self, page: Any) -> None:
        """The `load` handler: copy the page's document now and check it when free."""
        from playwright.sync_api import Error as PlaywrightError

        try:
            self._queue.append((page.url, page.content(), page.viewport_size))
        except PlaywrightError:
            return  # the test moved on first; the next page is checked when it loads
        if self._busy:
            return
        self._busy = True
        try:
            while self._queue:
                url, document, viewport = self._queue.pop(0)
                try:
                    self._check(url, document, viewport)
                except PlaywrightError as error:
                    if "closed" not in str(error):  # closed: the test ended first
                        self.found.append(f"{url}: the check could not run: {error}")
        finally:
            self._busy = False

    def _check(self, url: str, document: str, viewport: Any) -> None:
        if self._context is None:
            self._context = self.browser.new_context(java_script_enabled=False)
            self._copy = self._context.new_page()
            self._copy.route("**/*", self._serve)
        if viewport:
            self._copy.set_viewport_size(viewport)
        # The copy's links and stylesheets resolve against the page's own address.
        base = f'<base href="{html.escape(url)}">'
        copy = re.sub(r"<head[^>]*>", lambda head: head[0] + base, document, count=1)
        # A page that refreshes itself (a job's progress) would take the copy away mid-check.
        copy = re.sub(r'<meta http-equiv="refresh"[^>]*>', "", copy)
        self._copy.set_content(copy)
        self.found.extend(
            line.replace(self._copy.url, url, 1) for line in illegible_in_both_schemes(self._copy)
        )

    def _serve(self, route: Any) -> None:
        if urlsplit(route.request.url).path.startswith("/static/"):
            route.continue_()
        else:
            route.abort()

    def close(self) -> None:
        if self._context is not None:
            self._context.close()
