// What this site uses of the theme's behaviour, in place of Material's application bundle
// (see overrides/main.html for why): the colour palette toggle, focus rings for keyboard users,
// the highlighted table-of-contents entry, content-tab indicators, reachable wide code blocks,
// the back-to-top button, the navigation's aria-expanded state, and collapsed blocks opened
// for printing. Search is in search.js.
(function () {
  "use strict";

  // The palette toggle is a pair of radio inputs, each followed by the label that switches to
  // the other. A stored choice wins; without one the page follows the system preference.
  function setupPalette() {
    var form = document.querySelector('[data-md-component="palette"]');
    if (!form) return;
    var inputs = Array.prototype.slice.call(form.querySelectorAll("input"));

    function colours(input) {
      return {
        media: input.getAttribute("data-md-color-media"),
        scheme: input.getAttribute("data-md-color-scheme"),
        primary: input.getAttribute("data-md-color-primary"),
        accent: input.getAttribute("data-md-color-accent"),
      };
    }

    function show(index) {
      var color = colours(inputs[index]);
      inputs[index].checked = true;
      Object.keys(color).forEach(function (key) {
        document.body.setAttribute("data-md-color-" + key, color[key]);
      });
      inputs.forEach(function (input, other) {
        var label = input.nextElementSibling;
        if (label && label.tagName === "LABEL") label.hidden = other !== index;
      });
      return color;
    }

    function systemIndex() {
      var index = inputs.findIndex(function (input) {
        return window.matchMedia(input.getAttribute("data-md-color-media")).matches;
      });
      return Math.max(0, index);
    }

    var stored = window.__md_get ? window.__md_get("__palette") : null;
    var current = stored && stored.index >= 0 && stored.index < inputs.length ? stored.index : systemIndex();
    show(current);

    form.addEventListener("change", function (event) {
      current = inputs.indexOf(event.target);
      var color = show(current);
      if (window.__md_set) window.__md_set("__palette", { index: current, color: color });
    });
    // Enter switches too, as on the theme's own toggle (Space already does, on a radio input).
    form.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      event.preventDefault();
      var next = inputs[(current + 1) % inputs.length];
      next.click();
      next.focus();
    });
    if (!stored) {
      inputs.forEach(function (input) {
        window.matchMedia(input.getAttribute("data-md-color-media")).addEventListener("change", function () {
          if (!(window.__md_get && window.__md_get("__palette"))) show((current = systemIndex()));
        });
      });
    }
  }

  // The theme's styles draw focus rings on elements with the class focus-visible (a polyfill's
  // convention); give it to whatever the browser itself would ring.
  function setupFocusRings() {
    document.addEventListener("focusin", function (event) {
      var target = event.target;
      if (target.matches && target.matches(":focus-visible")) target.classList.add("focus-visible");
    });
    document.addEventListener("focusout", function (event) {
      if (event.target.classList) event.target.classList.remove("focus-visible");
    });
  }

  // Mark the table-of-contents entry of the section being read: the last heading whose top has
  // reached the header. The table of contents is on the page twice (sidebar and, for phones,
  // inside the navigation drawer); both copies are marked.
  function setupTableOfContents() {
    var sections = [];
    var byId = {};
    document.querySelectorAll(".md-nav--secondary a.md-nav__link").forEach(function (link) {
      var id = decodeURIComponent(link.hash.slice(1));
      var heading = id && document.getElementById(id);
      if (!heading) return;
      if (!byId[id]) sections.push((byId[id] = { heading: heading, links: [] }));
      byId[id].links.push(link);
    });
    if (!sections.length) return;
    sections.sort(function (a, b) {
      return a.heading.compareDocumentPosition(b.heading) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
    });
    var header = document.querySelector(".md-header");
    var active = null;
    var pending = false;

    function mark(section, on) {
      section.links.forEach(function (link) {
        link.classList.toggle("md-nav__link--active", on);
        if (on) reveal(link);
      });
    }

    // Keep the marked entry in sight when the table of contents scrolls in its sidebar.
    function reveal(link) {
      var wrap = link.closest(".md-sidebar__scrollwrap");
      if (!wrap || !link.offsetParent) return;
      var box = link.getBoundingClientRect();
      var view = wrap.getBoundingClientRect();
      if (box.top < view.top || box.bottom > view.bottom) wrap.scrollTop += box.top - view.top - view.height / 2;
    }

    function update() {
      pending = false;
      // At the foot of the page the last sections cannot reach the top: the lowest heading in
      // sight is the one being read.
      var atEnd = window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 2;
      var headerHeight = header ? header.offsetHeight : 0;
      var now = null;
      for (var i = 0; i < sections.length; i++) {
        var section = sections[i];
        // A link to a heading scrolls it to its scroll margin, below the header.
        if (section.margin === undefined) {
          section.margin = parseFloat(getComputedStyle(section.heading).scrollMarginTop) || 0;
        }
        var line = atEnd ? window.innerHeight : Math.max(headerHeight, section.margin) + 8;
        if (section.heading.getBoundingClientRect().top > line) break;
        now = section;
      }
      if (now === active) return;
      if (active) mark(active, false);
      if (now) mark(now, true);
      active = now;
    }

    function schedule() {
      if (pending) return;
      pending = true;
      window.requestAnimationFrame(update);
    }

    window.addEventListener("scroll", schedule, { passive: true });
    window.addEventListener("resize", schedule, { passive: true });
    schedule();
  }

  // Content tabs: the theme's styles draw the line under the chosen tab from two properties.
  function setupTabs() {
    document.querySelectorAll(".tabbed-set").forEach(function (set) {
      var inputs = Array.prototype.slice.call(set.querySelectorAll(":scope > input"));
      var labels = set.querySelector(".tabbed-labels");
      if (!labels) return;

      function update() {
        var label = labels.children[inputs.findIndex(function (input) { return input.checked; })];
        if (!label) return;
        labels.style.setProperty("--md-indicator-x", label.offsetLeft + "px");
        labels.style.setProperty("--md-indicator-width", label.offsetWidth + "px");
      }

      set.addEventListener("change", update);
      window.addEventListener("resize", update, { passive: true });
      window.requestAnimationFrame(update);
    });
  }

  // A code block or table wider than the page scrolls sideways; keyboard users need to reach it.
  function setupWideBlocks() {
    var blocks = Array.prototype.slice.call(document.querySelectorAll(
      ".md-typeset pre > code, .md-typeset table:not([class]), .md-typeset .explorer-table"));
    if (!blocks.length) return;

    function update() {
      blocks.forEach(function (code) {
        if (code.scrollWidth > code.clientWidth) code.setAttribute("tabindex", "0");
        else code.removeAttribute("tabindex");
      });
    }

    window.addEventListener("resize", update, { passive: true });
    update();
  }

  // Back to top: the theme's button shows while the reader scrolls back up the page.
  function setupBackToTop() {
    var button = document.querySelector('[data-md-component="top"]');
    if (!button) return;
    var last = window.scrollY;

    // Hidden, the theme only fades it out: keep it out of the tab order too.
    function hide(hidden) {
      if (button.hidden === hidden && button.hasAttribute("tabindex") === hidden) return;
      button.hidden = hidden;
      if (hidden) {
        button.setAttribute("tabindex", "-1");
        button.blur();
      } else {
        button.removeAttribute("tabindex");
      }
    }

    window.addEventListener("scroll", function () {
      var y = window.scrollY;
      hide(!(y < last && y > 0));
      last = y;
    }, { passive: true });
    button.addEventListener("click", function (event) {
      event.preventDefault();
      window.scrollTo({ top: 0 });
    });
    hide(true);
  }

  // Sections of the navigation drawer open and close with checkboxes; tell assistive
  // technology which are open.
  function setupNavigation() {
    document.addEventListener("change", function (event) {
      var input = event.target;
      if (!input.classList || !input.classList.contains("md-nav__toggle")) return;
      var label = document.querySelector('label[for="' + input.id + '"][id]');
      var nav = label && document.querySelector('[aria-labelledby="' + label.id + '"]');
      if (nav) nav.setAttribute("aria-expanded", String(input.checked));
    });
  }

  // Collapsed blocks print open (answers on quiz pages stay out: site.css hides them in print).
  function setupPrinting() {
    var opened = [];
    window.addEventListener("beforeprint", function () {
      document.querySelectorAll(".md-typeset details:not([open])").forEach(function (details) {
        details.open = true;
        opened.push(details);
      });
    });
    window.addEventListener("afterprint", function () {
      opened.splice(0).forEach(function (details) { details.open = false; });
    });
  }

  setupPalette();
  setupFocusRings();
  setupNavigation();
  setupPrinting();
  setupTableOfContents();
  setupTabs();
  setupWideBlocks();
  setupBackToTop();
})();
