// Keeps a signed-in reader's place in a work. The chapter text (`.userstuff[data-chapter]`) is
// a list of blocks; paragraph N is its Nth block. When the reader has scrolled to another
// place, the first block in view is sent to the form #reading-place's address, at most once
// every ten seconds and once more when the page is left; reaching the end of a chapter's text
// marks the chapter read (a short chapter shown whole counts once it has been on screen for
// fifteen seconds). Opening a page and leaving it without scrolling moves nothing.
// An address ending in #p-N opens at paragraph N of the first chapter shown.
(function () {
  "use strict";
  var texts = Array.prototype.slice.call(document.querySelectorAll(".userstuff[data-chapter]"));
  if (!texts.length) {
    return;
  }

  var landing = /^#p-(\d+)$/.exec(window.location.hash);
  if (landing) {
    var block = texts[0].children[parseInt(landing[1], 10) - 1];
    if (block) {
      block.classList.add("reading-place");
      block.scrollIntoView({ block: "start" });
    }
  }

  var form = document.getElementById("reading-place");
  if (!form) {
    return;
  }
  var EVERY = 10000; // milliseconds between two reports at most
  var DWELL = 15000; // milliseconds on a page before a text shown whole counts as read
  var sent = null;
  var last = 0;
  var waiting = null;

  // The first block in view of the first chapter text in view; a text scrolled past (the
  // reader is in its end notes or comments) counts as read to its end.
  function place() {
    var height = window.innerHeight || document.documentElement.clientHeight;
    var passed = null;
    for (var i = 0; i < texts.length; i += 1) {
      var box = texts[i].getBoundingClientRect();
      if (box.bottom <= 0) {
        passed = texts[i];
        continue;
      }
      if (box.top >= height) {
        break;
      }
      var blocks = texts[i].children;
      var paragraph = 0;
      for (var j = 0; j < blocks.length; j += 1) {
        if (blocks[j].getBoundingClientRect().bottom > 0) {
          paragraph = j + 1;
          break;
        }
      }
      return {
        chapter: texts[i].getAttribute("data-chapter"),
        paragraph: paragraph,
        finished: box.bottom <= height,
      };
    }
    if (passed === null) {
      return null;
    }
    return {
      chapter: passed.getAttribute("data-chapter"),
      paragraph: passed.children.length,
      finished: true,
    };
  }

  function keyOf(found) {
    return found ? found.chapter + ":" + found.paragraph + ":" + found.finished : "";
  }

  function send(leaving, force) {
    var found = place();
    if (!found) {
      return;
    }
    var key = keyOf(found);
    if (key === sent && !force) {
      return;
    }
    sent = key;
    last = Date.now();
    var data = new FormData(form);
    data.set("chapter", found.chapter);
    data.set("paragraph", String(found.paragraph));
    if (found.finished) {
      data.set("finished", "on");
    }
    if (leaving && navigator.sendBeacon) {
      navigator.sendBeacon(form.action, data);
    } else {
      window.fetch(form.action, { method: "POST", body: data, credentials: "same-origin" });
    }
  }

  function soon() {
    if (waiting !== null) {
      return;
    }
    var wait = Math.max(1500, EVERY - (Date.now() - last));
    waiting = window.setTimeout(function () {
      waiting = null;
      send(false);
    }, wait);
  }

  window.addEventListener("scroll", soon, { passive: true });
  window.addEventListener("pagehide", function () {
    send(true);
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      send(true);
    }
  });
  sent = keyOf(place()); // where the page opened: not a move
  window.setTimeout(function () {
    var found = place();
    if (found && found.finished && sent === keyOf(found)) {
      send(false, true); // a short chapter read without scrolling is read all the same
    }
  }, DWELL);
})();
