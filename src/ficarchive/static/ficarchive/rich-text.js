// The rich text editor: a textarea marked data-rich-text ("full" for works and chapters,
// "comment" for comments) gets a toolbar, an editing area (Squire, vendor/squire.js) and a
// "Rich text / HTML" switch, while its form's text format is HTML. The textarea stays the field
// that is posted: the editor writes its HTML there, as an author would type it, and the server
// sanitizes it as before. Without JavaScript, or when the format is plain text or Markdown, the
// textarea is all there is. The words are the data attributes of this script's own element
// (text/_rich_text.html), which the page translates; the libraries load only when an editor is
// first shown.
(() => {
  "use strict";
  const strings = document.currentScript;
  if (!strings || !strings.dataset.squire) return;
  const words = strings.dataset;
  const mac = /Mac|iPhone|iPad|iPod/.test(navigator.platform);
  const MODE_KEY = "ficarchive.richText"; // "rich" or "html", this browser's last choice
  const editors = new Set();

  let libraries = null;
  const loadScript = (src) =>
    new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.addEventListener("load", resolve);
      script.addEventListener("error", reject);
      document.head.append(script);
    });
  const loadLibraries = () =>
    (libraries ||= loadScript(words.purify).then(() => loadScript(words.squire)));

  // What is pasted or loaded into the editing area, cleaned before it is shown (DOMPurify).
  const toFragment = (html) =>
    document.importNode(
      window.DOMPurify.sanitize(html, {
        RETURN_DOM_FRAGMENT: true,
        FORBID_TAGS: ["style", "form", "input", "button", "textarea", "select"],
        FORBID_ATTR: ["class", "id"],
      }),
      true,
    );

  // HTML typed without block markup gets paragraphs from its blank lines, as the server gives
  // it (text/formats.py: html_with_paragraphs), so that the editor shows what readers will see.
  const BLOCK_MARKUP = /<(?:p|div|br|h[1-6]|ul|ol|li|blockquote|pre|table|hr|center|dl)\b/i;
  const SCENE_BREAK =
    /^\s*(?:[*~#=_+\-•·◇◆○●♦♥❤❦§]\s*){1,}$|^\s*(?:o+O+o+|O+o+O+|-+x-+|x+|~+o+~+)\s*$/i;
  const withParagraphs = (source) => {
    if (BLOCK_MARKUP.test(source)) return source;
    const text = source.replace(/\r\n?/g, "\n").replace(/^\n+|\n+$/g, "");
    return text
      .split(/\n[ \t\u00a0]*\n+/)
      .map((block) => block.trim())
      .filter(Boolean)
      .map((block) =>
        SCENE_BREAK.test(block)
          ? `<p align="center">${block}</p>`
          : `<p>${block.split("\n").map((line) => line.trim()).join("<br>\n")}</p>`,
      )
      .join("\n");
  };

  const BLOCK_TAG =
    /^(P|DIV|H[1-6]|UL|OL|DL|BLOCKQUOTE|PRE|TABLE|HR|CENTER|ADDRESS|FIGURE|DETAILS)$/;
  const retag = (element, tag) => {
    const replacement = document.createElement(tag);
    for (const attribute of element.attributes) {
      replacement.setAttribute(attribute.name, attribute.value);
    }
    replacement.append(...element.childNodes);
    element.replaceWith(replacement);
    return replacement;
  };
  const isEmptyBlock = (node) =>
    node.nodeType === Node.ELEMENT_NODE &&
    !/^(HR|IMG)$/.test(node.nodeName) &&
    !node.querySelector("img, hr") &&
    !node.textContent.trim();

  // The editor's HTML as an author writes it: <strong> and <em>, one block a line, no empty
  // blocks at the end.
  const sourceOf = (editor) => {
    // A copy of the editing area's nodes, not its HTML: parsed again, <p><hr></p> would break.
    const root = document.createDocumentFragment();
    for (const node of editor.getRoot().childNodes) root.append(node.cloneNode(true));
    for (const [from, to] of [["b", "strong"], ["i", "em"]]) {
      for (const element of root.querySelectorAll(from)) retag(element, to);
    }
    for (const element of root.querySelectorAll("[class]")) element.removeAttribute("class");
    // Squire keeps a rule inside a paragraph (<p><hr>…</p>), which a page cannot hold: the rule
    // goes between the paragraph's two halves, and an empty half goes.
    for (const rule of root.querySelectorAll("hr")) {
      const block = rule.parentNode;
      if (!/^(P|DIV|H[1-6])$/.test(block.nodeName)) continue;
      const after = block.cloneNode(false);
      while (rule.nextSibling) after.append(rule.nextSibling);
      block.after(rule, after);
      for (const half of [block, after]) if (isEmptyBlock(half)) half.remove();
    }
    // Squire ends a list with a <div>; a line of text is a paragraph.
    for (const div of root.querySelectorAll("div")) {
      if (!div.querySelector("p, div, ul, ol, dl, blockquote, h1, h2, h3, h4, h5, h6, hr, table, pre")) {
        retag(div, "p");
      }
    }
    // Text left between blocks (Squire's undo reads its HTML back, and a browser parses
    // <p><hr>text</p> as a rule and loose text) becomes a paragraph again.
    let loose = null;
    for (const node of [...root.childNodes]) {
      if (node.nodeType === Node.ELEMENT_NODE && BLOCK_TAG.test(node.nodeName)) {
        loose = null;
      } else if (loose) {
        loose.append(node);
      } else if (node.nodeType === Node.ELEMENT_NODE || node.textContent.trim()) {
        loose = document.createElement("p");
        node.replaceWith(loose);
        loose.append(node);
      }
    }
    for (const rule of root.querySelectorAll("hr")) {
      for (const side of [rule.previousSibling, rule.nextSibling]) {
        if (side && side.nodeName === "P" && isEmptyBlock(side)) side.remove();
      }
    }
    // A line break at the very end of a block shows nothing; the editor leaves one after text.
    for (const br of root.querySelectorAll("br")) {
      if (!br.nextSibling && br.previousSibling && /^(P|H[1-6]|LI|DIV)$/.test(br.parentNode.nodeName)) {
        br.remove();
      }
    }
    // A space typed at the end of a word arrives as &nbsp;; one after a word is a plain space
    // (spaces in a row and at the start of a line stay as typed).
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      node.data = node.data
        .replace(/\u200B/g, "")
        .replace(/(?<=[^\s\u00a0])\u00a0(?![\s\u00a0])/g, " ");
    }
    const isBlank = (node) =>
      node.nodeType === Node.ELEMENT_NODE ? isEmptyBlock(node) : !node.textContent.trim();
    while (root.lastChild && isBlank(root.lastChild)) root.lastChild.remove();
    const holder = document.createElement("div");
    return [...root.childNodes]
      .map((node) => {
        if (node.nodeType === Node.ELEMENT_NODE) return node.outerHTML;
        holder.replaceChildren(node.cloneNode());
        return holder.innerHTML.trim();
      })
      .filter(Boolean)
      .join("\n");
  };

  const inPath = (editor, tag) => new RegExp(`(?:^|>)${tag}\\b`).test(editor.getPath());
  const HEADING = "H3";
  const toggleHeading = (editor) => {
    const heading = inPath(editor, HEADING);
    editor.modifyBlocks((fragment) => {
      const blocks = fragment.querySelectorAll(heading ? HEADING : "p, div, h1, h2, h4, h5, h6");
      for (const block of blocks) retag(block, heading ? "P" : HEADING);
      return fragment;
    });
  };
  const isCentred = (block) =>
    block.style.textAlign === "center" || block.getAttribute("align") === "center";
  const toggleCentre = (editor) => {
    let centre = null;
    editor.forEachBlock((block) => {
      if (centre === null) centre = !isCentred(block);
      block.removeAttribute("align");
      block.style.textAlign = centre ? "center" : "";
      if (!block.getAttribute("style")) block.removeAttribute("style");
    }, true);
  };
  const linkAt = (editor) => {
    const node = editor.getSelection().startContainer;
    const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    return element && element.closest("a");
  };
  const editLink = (editor) => {
    const link = linkAt(editor);
    const address = window.prompt(words.linkPrompt, link ? link.getAttribute("href") : "https://");
    if (address === null) return;
    if (!address.trim()) editor.removeLink();
    else editor.makeLink(address.trim());
  };

  // name: [word, glyph, shortcut key (with Ctrl or ⌘), command, is it on?]
  const COMMANDS = {
    bold: [words.bold, "B", "B", (e) => (e.hasFormat("B") ? e.removeBold() : e.bold()), (e) => e.hasFormat("B")],
    italic: [words.italic, "I", "I", (e) => (e.hasFormat("I") ? e.removeItalic() : e.italic()), (e) => e.hasFormat("I")],
    underline: [words.underline, "U", "U", (e) => (e.hasFormat("U") ? e.removeUnderline() : e.underline()), (e) => e.hasFormat("U")],
    strike: [words.strike, "S", "Shift+7", (e) => (e.hasFormat("S") ? e.removeStrikethrough() : e.strikethrough()), (e) => e.hasFormat("S")],
    link: [words.link, null, "K", editLink, (e) => e.hasFormat("A")],
    heading: [words.heading, "H", null, toggleHeading, (e) => inPath(e, HEADING)],
    quote: [words.quote, "❝", "]", (e) => (inPath(e, "BLOCKQUOTE") ? e.decreaseQuoteLevel() : e.increaseQuoteLevel()), (e) => inPath(e, "BLOCKQUOTE")],
    bullets: [words.bullets, "•", "Shift+8", (e) => (inPath(e, "UL") ? e.removeList() : e.makeUnorderedList()), (e) => inPath(e, "UL")],
    numbers: [words.numbers, "1.", "Shift+9", (e) => (inPath(e, "OL") ? e.removeList() : e.makeOrderedList()), (e) => inPath(e, "OL")],
    center: [words.center, "↔", null, toggleCentre, null],
    rule: [words.rule, "―", null, (e) => e.insertElement(document.createElement("hr")), null],
    undo: [words.undo, "↶", "Z", (e) => e.undo(), null],
    redo: [words.redo, "↷", mac ? "Shift+Z" : "Y", (e) => e.redo(), null],
  };
  const TOOLBARS = {
    full: ["bold", "italic", "underline", "strike", "link", "heading", "quote", "bullets", "numbers", "center", "rule", "undo", "redo"],
    comment: ["bold", "italic", "underline", "strike", "link", "quote", "undo", "redo"],
  };

  // Two links of a chain, drawn: no font has to hold an emoji for it.
  const linkIcon = () => {
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "18");
    svg.setAttribute("height", "18");
    for (const d of [
      "M10 14a4 4 0 0 0 5.66 0l3-3a4 4 0 0 0-5.66-5.66l-1 1",
      "M14 10a4 4 0 0 0-5.66 0l-3 3a4 4 0 0 0 5.66 5.66l1-1",
    ]) {
      const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
      path.setAttribute("d", d);
      path.setAttribute("fill", "none");
      path.setAttribute("stroke", "currentColor");
      path.setAttribute("stroke-width", "2.2");
      path.setAttribute("stroke-linecap", "round");
      svg.append(path);
    }
    return svg;
  };

  const makeButton = (text, label) => {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = text;
    if (label) button.setAttribute("aria-label", label);
    return button;
  };

  const makeToolbar = (names, run) => {
    const toolbar = document.createElement("div");
    toolbar.className = "rich-text-toolbar";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", words.toolbar);
    const buttons = {};
    for (const name of names) {
      const [word, glyph, key] = COMMANDS[name];
      const button = makeButton("", word);
      const face = document.createElement("span");
      face.className = `rich-text-glyph rich-text-${name}`;
      face.setAttribute("aria-hidden", "true");
      if (glyph) face.textContent = glyph;
      else face.append(linkIcon());
      button.append(face);
      button.dataset.command = name;
      button.tabIndex = -1;
      if (key) {
        button.setAttribute("aria-keyshortcuts", `${mac ? "Meta" : "Control"}+${key}`);
        button.title = `${word} (${mac ? "⌘" : "Ctrl+"}${key})`;
      } else {
        button.title = word;
      }
      if (COMMANDS[name][4]) button.setAttribute("aria-pressed", "false");
      button.addEventListener("click", () => run(name));
      buttons[name] = button;
      toolbar.append(button);
    }
    toolbar.firstChild.tabIndex = 0;
    // One stop in the tab order; the arrow keys move along the toolbar.
    toolbar.addEventListener("keydown", (event) => {
      const all = [...toolbar.querySelectorAll("button:not([disabled])")];
      const at = all.indexOf(document.activeElement);
      const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: all.length - 1 }[event.key];
      if (to === undefined || at < 0) return;
      event.preventDefault();
      const next = all[(to + all.length) % all.length];
      for (const button of all) button.tabIndex = button === next ? 0 : -1;
      next.focus();
    });
    return [toolbar, buttons];
  };

  const enhance = (textarea) => {
    if (textarea.dataset.richTextReady) return;
    textarea.dataset.richTextReady = "on";
    const form = textarea.form;
    const formats = form ? [...form.querySelectorAll('[name="body_format"]')] : [];
    const isHtml = () => {
      const chosen = formats.find((input) => input.type !== "radio" || input.checked);
      return !formats.length || (chosen && chosen.value === "html");
    };
    const label = textarea.id && document.querySelector(`label[for="${textarea.id}"]`);
    const required = textarea.required;

    const box = document.createElement("div");
    box.className = "rich-text";
    box.hidden = true;
    const modes = document.createElement("div");
    modes.className = "rich-text-modes";
    modes.setAttribute("role", "group");
    modes.setAttribute("aria-label", words.mode);
    const richButton = makeButton(words.rich);
    const htmlButton = makeButton(words.html);
    modes.append(richButton, htmlButton);
    const area = document.createElement("div");
    area.className = `rich-text-area userstuff rich-text-${textarea.dataset.richText}`;
    area.id = `${textarea.id}_rich`;
    area.setAttribute("role", "textbox");
    area.setAttribute("aria-multiline", "true");
    if (label) {
      label.id ||= `${textarea.id}_label`;
      label.addEventListener("click", () => {
        if (!area.hidden) area.focus();
      });
    }
    for (const name of ["aria-describedby", "aria-invalid"]) {
      if (textarea.hasAttribute(name)) area.setAttribute(name, textarea.getAttribute(name));
    }
    if (required) area.setAttribute("aria-required", "true");

    let editor = null;
    let dirty = false;
    let rich = false;
    let timer = 0;
    const sync = () => {
      clearTimeout(timer);
      if (editor && rich && dirty) textarea.value = sourceOf(editor);
      dirty = false;
    };
    const changed = () => {
      dirty = true;
      clearTimeout(timer);
      timer = setTimeout(sync, 300);
    };
    const run = (name) => {
      if (!editor) return;
      COMMANDS[name][3](editor);
      editor.focus();
      changed();
      refresh();
    };
    const [toolbar, buttons] = makeToolbar(TOOLBARS[textarea.dataset.richText] || TOOLBARS.full, run);
    toolbar.setAttribute("aria-controls", area.id);
    box.append(modes, toolbar, area);
    textarea.before(box);

    const refresh = () => {
      for (const [name, button] of Object.entries(buttons)) {
        const isOn = COMMANDS[name][4];
        if (isOn) button.setAttribute("aria-pressed", String(Boolean(isOn(editor))));
      }
    };
    const show = (useRich) => {
      rich = useRich;
      richButton.setAttribute("aria-pressed", String(useRich));
      htmlButton.setAttribute("aria-pressed", String(!useRich));
      toolbar.hidden = area.hidden = !useRich;
      // Named by the field's label while it is the field; the textarea keeps the label too.
      if (label && useRich) area.setAttribute("aria-labelledby", label.id);
      else area.removeAttribute("aria-labelledby");
      textarea.hidden = useRich;
      // The server says when the text is empty; a hidden textarea cannot take the browser's.
      textarea.required = required && !useRich;
    };
    const showRich = () =>
      loadLibraries().then(
        () => {
          if (!editor) {
            editor = new window.Squire(area, { blockTag: "P", sanitizeToDOMFragment: toFragment });
            editor.addEventListener("input", changed);
            editor.addEventListener("pathChange", refresh);
            editor.addEventListener("undoStateChange", (event) => {
              buttons.undo.disabled = !event.detail.canUndo;
              buttons.redo.disabled = !event.detail.canRedo;
            });
            // Squire makes "* " and "1. " at the start of a line into lists; in fiction "* * *"
            // is a scene break, so a space there is only a space (the list buttons make lists).
            const space = editor._keyHandlers[" "];
            editor.setKeyHandler(" ", (self, event, range) => {
              const node = range.startContainer;
              const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
              const block = element && element.closest("p, li, div, h1, h2, h3, h4, h5, h6");
              const text = block ? block.textContent.replace(/\u200B/g, "").trim() : "";
              if (range.collapsed && (text === "*" || text === "1.")) return;
              if (space) space(self, event, range);
            });
            editor.setKeyHandler(`${mac ? "Meta" : "Ctrl"}-k`, (self, event) => {
              event.preventDefault();
              run("link");
            });
            for (const name of ["undo", "redo"]) buttons[name].disabled = true;
          }
          editor.setHTML(withParagraphs(textarea.value));
          dirty = false;
          show(true);
          refresh();
        },
        () => {
          modes.hidden = true;
          show(false);
        },
      );
    const choose = (useRich) => {
      try {
        localStorage.setItem(MODE_KEY, useRich ? "rich" : "html");
      } catch {
        // Storage may be off; the choice then lasts for this page.
      }
      if (useRich && !rich) showRich().then(() => editor && editor.focus());
      if (!useRich && rich) {
        sync();
        show(false);
        textarea.focus();
      }
    };
    richButton.addEventListener("click", () => choose(true));
    htmlButton.addEventListener("click", () => choose(false));
    const preferred = () => {
      try {
        return localStorage.getItem(MODE_KEY) !== "html";
      } catch {
        return true;
      }
    };
    const apply = () => {
      if (isHtml()) {
        box.hidden = false;
        if (preferred()) showRich();
        else show(false);
      } else {
        sync();
        box.hidden = true;
        show(false);
      }
    };
    if (form) {
      form.addEventListener("change", (event) => {
        if (event.target.name === "body_format") apply();
      });
    }
    editors.add({ textarea, sync });
    apply();
  };

  const scan = (root) => {
    if (root.matches && root.matches("textarea[data-rich-text]")) enhance(root);
    if (root.querySelectorAll) root.querySelectorAll("textarea[data-rich-text]").forEach(enhance);
  };
  // Before any form is sent (htmx's too: this listener runs first), every editor writes its text.
  document.addEventListener(
    "submit",
    () => {
      for (const entry of editors) {
        if (entry.textarea.isConnected) entry.sync();
        else editors.delete(entry);
      }
    },
    true,
  );
  document.addEventListener("htmx:load", (event) => scan(event.target));
  scan(document);
})();
