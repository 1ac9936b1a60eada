// Search, on the theme's own markup and its own search worker (Lunr, built by MkDocs' search
// plugin into search/search_index.json). The worker speaks the message protocol the theme
// documents for custom search: 0 set up, 1 ready, 2 query, 3 result. Nothing loads until the
// reader opens search, so a page costs no search work until then.
// Built by Zensical, the index is search.json ({config, items}: partials/search.html names the
// file) and its worker answers a query with the ids of matching items, ten at a time; those are
// gathered into the theme's shape (a page and its sections), so one renderer serves both.
(function () {
  "use strict";

  var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
  var config = JSON.parse(document.getElementById("__config").textContent);
  var base = new URL(config.base, window.location.href);
  var toggle = document.getElementById("__search");
  var input = document.querySelector(".md-search__input");
  var meta = document.querySelector(".md-search-result__meta");
  var list = document.querySelector(".md-search-result__list");
  if (!toggle || !input || !meta || !list) return;

  var worker = null;
  var ready = false;
  var asked = null;
  var dialog = document.querySelector('.md-search[role="dialog"]');
  var indexFile = (dialog && dialog.getAttribute("data-search-index")) || "search/search_index.json";
  var items = null; // Zensical's index: its worker answers with positions in this list
  var found = [];
  var pending = 0; // queries posted to the worker and not yet answered
  var MOST = 50;
  var EXCERPT = 320;

  function t(key, count) {
    var text = (config.translations || {})[key] || "";
    return count === undefined ? text : text.replace("#", String(count));
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function start() {
    if (worker) return;
    worker = new Worker(config.search);
    worker.addEventListener("message", function (event) {
      var message = event.data;
      if (message.type === READY) {
        ready = true;
        meta.textContent = t("search.result.placeholder");
        ask();
      } else if (message.type === RESULT) {
        // Only the answer to the last query is shown: an answer to one typed over since came
        // late and would replace the newer results (and the result a reader had moved to).
        pending -= 1;
        if (pending > 0 || !asked.trim()) return; // typed over, or the field emptied, since
        if (items) gather(message.data);
        else show(message.data.items || []);
      }
    });
    fetch(new URL(indexFile, base))
      .then(function (response) { return response.json(); })
      .then(function (index) {
        if (index.items) items = index.items;
        worker.postMessage({
          type: SETUP,
          data: items
            ? { config: index.config, items: items }
            : { config: index.config, docs: index.docs, options: { suggest: false } },
        });
      });
  }

  // Zensical's worker: collect up to MOST matching items, then group them by page, in order.
  function gather(data) {
    found = found.concat((data.items || []).map(function (hit) { return items[hit.id]; }));
    var next = data.pagination && data.pagination.next;
    if (next && found.length < MOST) {
      pending += 1;
      worker.postMessage({ type: QUERY, data: { input: asked, page: next } });
      return;
    }
    var pages = [];
    var byPage = {};
    var shown = {};
    found.forEach(function (item) {
      var page = item.location.split("#")[0];
      if (!byPage[page]) {
        byPage[page] = [];
        pages.push(byPage[page]);
        var head = items.filter(function (other) { return other.location === page; })[0];
        if (head && found.indexOf(head) === -1) add(page, head);
      }
      add(page, item);
    });
    function add(page, item) {
      if (shown[item.location]) return;
      shown[item.location] = true;
      byPage[page].push(asDoc(item));
    }
    show(pages);
  }

  // An item's text is the HTML of its whole section: shown, as the theme shows a result, as a
  // short plain-text excerpt.
  function asDoc(item) {
    var plain = String(item.text || "").replace(/<[^>]*>/g, " ").replace(/&[#\w]+;/g, " ").replace(/\s+/g, " ").trim();
    if (plain.length > EXCERPT) plain = plain.slice(0, plain.lastIndexOf(" ", EXCERPT)) + " …";
    return {
      location: item.location,
      title: item.title, // the builder's own HTML of the heading, as the theme's worker gives it
      text: plain ? "<p>" + escapeHtml(plain) + "</p>" : "",
      score: 1,
      terms: {},
    };
  }

  function setOpen(open) {
    toggle.checked = open;
    list.hidden = !open;
    list.setAttribute("role", open ? "list" : "presentation");
    if (open) start();
  }

  function ask() {
    if (!ready || input.value === asked) return;
    asked = input.value;
    if (!asked.trim()) {
      list.innerHTML = "";
      meta.textContent = t("search.result.placeholder");
      return;
    }
    found = [];
    pending += 1;
    worker.postMessage({ type: QUERY, data: items ? { input: asked } : asked });
  }

  // One result is a page and its matching sections, best first, as the theme renders them:
  // the page, the sections scoring as well as the best, and the rest folded away.
  function renderDocument(doc, asPage, withText) {
    var url = new URL(doc.location, base);
    var missing = Object.keys(doc.terms || {}).filter(function (term) { return !doc.terms[term]; });
    var html =
      '<a href="' + escapeHtml(url.href) + '" class="md-search-result__link">' +
      '<article class="md-search-result__article md-typeset">' +
      (asPage ? '<div class="md-search-result__icon md-icon"></div><h1>' + doc.title + "</h1>" : "<h2>" + doc.title + "</h2>") +
      (withText && doc.text ? doc.text : "") +
      (withText && missing.length
        ? '<p class="md-search-result__terms">' + escapeHtml(t("search.result.term.missing")) + ": " +
          missing.map(function (term) { return "<del>" + escapeHtml(term) + "</del>"; }).join(" ") + "</p>"
        : "") +
      "</article></a>";
    return html;
  }

  function renderItem(docs) {
    docs = docs.slice();
    var threshold = docs[0].score;
    var pageIndex = docs.findIndex(function (doc) { return new URL(doc.location, base).hash === ""; });
    var page = docs.splice(Math.max(0, pageIndex), 1)[0];
    var cut = docs.findIndex(function (doc) { return doc.score < threshold; });
    if (cut === -1) cut = docs.length;
    var best = docs.slice(0, cut);
    var more = docs.slice(cut);
    var html = renderDocument(page, true, pageIndex === 0 && cut === 0);
    best.forEach(function (doc) { html += renderDocument(doc, false, true); });
    if (more.length) {
      html +=
        '<details class="md-search-result__more"><summary><div>' +
        escapeHtml(more.length === 1 ? t("search.result.more.one") : t("search.result.more.other", more.length)) +
        "</div></summary>" +
        more.map(function (doc) { return renderDocument(doc, false, true); }).join("") +
        "</details>";
    }
    return '<li class="md-search-result__item">' + html + "</li>";
  }

  function show(items) {
    if (!items.length) meta.textContent = asked ? t("search.result.none") : t("search.result.placeholder");
    else if (items.length === 1) meta.textContent = t("search.result.one");
    else meta.textContent = t("search.result.other", items.length);
    list.innerHTML = items.map(renderItem).join("");
  }

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll(".md-search-result__link"));
  }

  function isTyping(element) {
    return element && (element.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(element.tagName));
  }

  // The theme's search overlay is a dialog without a name (axe: aria-dialog-name): name it after
  // its own field's label, so the name stays in the theme's language.
  if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", input.getAttribute("aria-label") || "Search");
  meta.setAttribute("aria-live", "polite");
  setOpen(toggle.checked);
  toggle.addEventListener("change", function () { setOpen(toggle.checked); });
  input.addEventListener("focus", function () { setOpen(true); });
  input.addEventListener("input", ask);
  input.form.addEventListener("submit", function (event) { event.preventDefault(); });
  input.form.addEventListener("reset", function () {
    window.setTimeout(function () { ask(); input.focus(); });
  });
  // On phones the field is hidden until the header's search button opens it. Open it here
  // rather than by the label's own toggle, and focus the field within the tap itself: only
  // then do phones bring up their keyboard.
  var button = document.querySelector('label.md-header__button[for="__search"]');
  if (button) {
    button.addEventListener("click", function (event) {
      event.preventDefault();
      setOpen(true);
      input.focus();
    });
  }
  // A result on this very page only moves within it: close search so the section shows.
  list.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a");
    if (link && link.pathname === window.location.pathname) setOpen(false);
  });

  // Focus leaving search (Tab past its field or its results) closes it: its overlay would
  // otherwise dim the page and catch the clicks meant for it.
  var box = document.querySelector(".md-search");
  if (box) {
    box.addEventListener("focusout", function (event) {
      var next = event.relatedTarget;
      if (toggle.checked && next && !box.contains(next)) setOpen(false);
    });
  }

  function inSearch(element) {
    return Boolean(box && element && box.contains(element));
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (toggle.checked && event.key === "Escape") {
      setOpen(false);
      input.blur();
    } else if (toggle.checked && inSearch(document.activeElement)) {
      var all = links();
      var at = all.indexOf(document.activeElement);
      if (event.key === "Escape") {
        setOpen(false);
        input.blur();
      } else if (event.key === "Enter" && document.activeElement === input && all.length) {
        event.preventDefault();
        all[0].click();
      } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!all.length) return;
        event.preventDefault();
        var next = event.key === "ArrowDown" ? at + 1 : (at === -1 ? all.length : at) - 1;
        if (next < 0 || next >= all.length) input.focus();
        else all[next].focus();
      }
    } else if (!isTyping(document.activeElement) && (event.key === "/" || event.key === "s" || event.key === "f")) {
      event.preventDefault();
      setOpen(true);
      input.focus();
    }
  });

  // A link to ?q=… opens search with that query, as on the theme.
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) {
    input.value = query;
    setOpen(true);
    input.focus();
  }
})();
