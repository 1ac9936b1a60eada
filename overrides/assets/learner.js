// "My progress" and "Review my mistakes": both read what progress.js stored in this browser and
// fill in the page. The page already holds every link (drawn at build time); this script adds
// the counts, the questions to review, and the export, import and forget buttons.
(function () {
  "use strict";

  function text(node, value) {
    node.textContent = value;
    return node;
  }

  function tally(answers, field) {
    var counts = Object.create(null);
    Object.keys(answers).forEach(function (id) {
      var entry = answers[id];
      var key = entry[field];
      counts[key] = counts[key] || { answered: 0, correct: 0 };
      counts[key].answered += 1;
      if (entry.correct) counts[key].correct += 1;
    });
    return counts;
  }

  function percent(part, whole) {
    return whole ? Math.round((100 * part) / whole) + "%" : "–";
  }

  // A link to version K of a quiz, from the link to its first version the page holds.
  function versionHref(firstHref, variant, extra) {
    var base = firstHref.split("#")[0].split("?")[0];
    if (base.slice(-1) !== "/") base += "/";
    return base + (variant === 1 ? "" : "variant-" + variant + "/") + (extra || "");
  }

  function freshVersion(quizId, variants, answers) {
    var done = Object.create(null);
    Object.keys(answers).forEach(function (id) {
      if (answers[id].quiz === quizId) done[answers[id].variant] = true;
    });
    for (var k = 1; k <= variants; k += 1) if (!done[k]) return k;
    return 1 + Math.floor(Math.random() * variants);
  }

  function fillRows(view, attribute, counts) {
    view.querySelectorAll("a[data-" + attribute + "]").forEach(function (link) {
      var row = link.closest("tr");
      var c = counts[link.getAttribute("data-" + attribute)] || { answered: 0, correct: 0 };
      text(row.cells[1], String(c.answered));
      text(row.cells[2], c.answered ? c.correct + " (" + percent(c.correct, c.answered) + ")" : "–");
    });
  }

  function summary(data) {
    var ids = Object.keys(data.answers);
    var correct = ids.filter(function (id) { return data.answers[id].correct; }).length;
    return ids.length ? "You have answered " + ids.length + " question" + (ids.length === 1 ? "" : "s") + ", " +
      correct + " of them right (" + percent(correct, ids.length) + ")." : "You have not answered any question in this browser yet.";
  }

  function progressView(view) {
    var store = window.cmlProgress;
    var status = view.querySelector(".learner-status");

    function render() {
      var data = store.load();
      text(view.querySelector(".learner-summary"), summary(data));
      fillRows(view, "topic", tally(data.answers, "topic"));
      fillRows(view, "section", tally(data.answers, "section"));
      view.querySelectorAll("a.practise").forEach(function (link) {
        if (!link.dataset.first) link.dataset.first = link.getAttribute("href");
        var k = freshVersion(link.dataset.quiz, Number(link.dataset.variants), data.answers);
        link.setAttribute("href", versionHref(link.dataset.first, k));
        link.setAttribute("aria-label", link.textContent + ", version " + k);
      });
      return data;
    }

    view.querySelector(".export-progress").addEventListener("click", function () {
      var blob = new Blob([JSON.stringify(store.load(), null, 2)], { type: "application/json" });
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = "cml-progress-" + new Date().toISOString().slice(0, 10) + ".json";
      document.body.appendChild(link);
      link.click();
      link.remove();
      text(status, "Your progress was saved as " + link.download + ".");
    });

    // Import: the file is checked whole before anything changes; merged with or replacing what
    // this browser holds, as the student chose; and what was stored stays if the save fails.
    view.querySelector("#import-progress").addEventListener("change", function (event) {
      var file = event.target.files[0];
      event.target.value = "";
      if (!file) return;
      var mode = view.querySelector('input[name="import-mode"]:checked');
      var replacing = Boolean(mode && mode.value === "replace");
      if (file.size > store.MAX_FILE_BYTES) {
        text(status, "That file was not imported: it is larger than " + store.MAX_FILE_BYTES / 1024 / 1024 +
          " MB, too large for a progress file from this site. Your progress is as it was.");
        return;
      }
      file.text().then(function (content) {
        var parsed = store.parseFile(content);
        if (parsed.error) {
          text(status, "That file was not imported: " + parsed.error + ". Your progress is as it was.");
          return;
        }
        var before = store.load();
        if (replacing && store.count(before)) {
          askBeforeReplacing(before, parsed.data);
          return;
        }
        saveImport(replacing ? parsed.data : store.merge(before, parsed.data), parsed.data, replacing);
      }, function () {
        text(status, "That file could not be read. Your progress is as it was.");
      });
    });

    // Saves next (what the import makes of the progress); imported is the file's own.
    function saveImport(next, imported, replacing) {
      if (!store.replace(next)) {
        text(status, "This browser could not store the imported progress (its storage may be full or blocked). " +
          "Your progress is as it was.");
        return;
      }
      render();
      var n = store.count(imported), total = store.count(store.load());
      text(status, replacing ?
        "Progress replaced: " + n + answers(n) + " from the file; what this browser held before is gone." :
        "Progress merged: " + n + answers(n) + " from the file, " + total + " in all.");
    }

    function answers(n) {
      return n === 1 ? " answer" : " answers";
    }

    // Replacing discards what this browser holds: the student is told what, and says yes first.
    // The yes button, focused, is described by that; Escape or "Keep mine" imports nothing.
    var replaceBox = view.querySelector(".replace-confirm");
    var fileInput = view.querySelector("#import-progress");
    var pending = null;
    function askBeforeReplacing(before, imported) {
      var n = store.count(before), right = 0;
      Object.keys(before.answers).forEach(function (id) { if (before.answers[id].correct) right += 1; });
      var due = Object.keys(before.review).length;
      var m = store.count(imported);
      text(view.querySelector("#replace-confirm-text"), "This replaces the " + n + answers(n) + " this browser holds (" +
        right + " right" + (due ? ", " + due + " to review" : "") + ") with the file's " + m + answers(m) + ".");
      pending = imported;
      replaceBox.hidden = false;
      view.querySelector(".confirm-replace").focus();
    }
    function keepMine() {
      pending = null;
      replaceBox.hidden = true;
      text(status, "Nothing was imported. Your progress is as it was.");
      fileInput.focus();
    }
    view.querySelector(".cancel-replace").addEventListener("click", keepMine);
    replaceBox.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      event.preventDefault();
      event.stopPropagation();
      keepMine();
    });
    view.querySelector(".confirm-replace").addEventListener("click", function () {
      var imported = pending;
      pending = null;
      replaceBox.hidden = true;
      if (imported) saveImport(imported, imported, true);
      fileInput.focus();
    });

    var confirmBox = view.querySelector(".forget-confirm");
    view.querySelector(".forget-progress").addEventListener("click", function () {
      confirmBox.hidden = false;
      view.querySelector(".confirm-forget").focus();
    });
    function keep() {
      confirmBox.hidden = true;
      view.querySelector(".forget-progress").focus();
    }
    view.querySelector(".cancel-forget").addEventListener("click", keep);
    confirmBox.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      event.preventDefault();
      event.stopPropagation();
      keep();
    });
    view.querySelector(".confirm-forget").addEventListener("click", function () {
      store.forget();
      confirmBox.hidden = true;
      render();
      text(status, "Your progress was forgotten.");
      view.querySelector(".forget-progress").focus();
    });

    view.querySelector(".copy-progress").addEventListener("click", function () {
      var data = store.load();
      var lines = [document.title.split(" - ")[0] + ", " + new Date().toISOString().slice(0, 10) + ": " + summary(data)];
      view.querySelectorAll("a[data-topic], a[data-section]").forEach(function (link) {
        var row = link.closest("tr");
        if (row.cells[1].textContent !== "0") {
          lines.push(link.textContent.trim() + ": " + row.cells[1].textContent + " answered, " + row.cells[2].textContent + " correct.");
        }
      });
      store.copyText(lines.join("\n"), status, "Your progress as text");
    });

    render();
  }

  function reviewView(view) {
    var data = window.cmlProgress.load();
    var now = Date.now();
    var quizzes = Object.create(null);
    view.querySelectorAll("a.quiz-link").forEach(function (link) {
      quizzes[link.dataset.quiz] = {
        href: link.getAttribute("href"), title: link.textContent.trim(), variants: Number(link.dataset.variants)
      };
    });
    // Only questions of a version the site has: anything else would be a link to no page.
    var items = Object.keys(data.review).map(function (id) {
      return { id: id, entry: data.answers[id], due: data.review[id].due, misses: data.review[id].misses };
    }).filter(function (item) {
      var quiz = quizzes[item.entry.quiz];
      return quiz && item.entry.variant <= quiz.variants;
    });
    items.sort(function (a, b) { return a.due - b.due; });

    function render(list, chosen) {
      list.textContent = "";
      chosen.forEach(function (item) {
        var quiz = quizzes[item.entry.quiz];
        var li = document.createElement("li");
        var link = document.createElement("a");
        link.href = versionHref(quiz.href, item.entry.variant, "?retry=q" + item.entry.number + "#q" + item.entry.number);
        link.textContent = quiz.title + ", version " + item.entry.variant + ", question " + item.entry.number;
        li.appendChild(link);
        var when = item.due <= now ? "" : " Back on " + new Date(item.due).toLocaleDateString() + ".";
        li.appendChild(document.createTextNode(
          ": " + item.entry.stem +
          " Missed " + (item.misses === 1 ? "once" : item.misses + " times") + "." + when
        ));
        list.appendChild(li);
      });
      if (!chosen.length) {
        var empty = document.createElement("li");
        empty.className = "review-empty";
        list.appendChild(text(empty, "Nothing here."));
      }
    }

    var due = items.filter(function (item) { return item.due <= now; });
    var later = items.filter(function (item) { return item.due > now; });
    render(view.querySelector(".review-due"), due);
    render(view.querySelector(".review-later"), later);
    text(view.querySelector(".learner-summary"), due.length + " question" + (due.length === 1 ? "" : "s") +
      " to review now, " + later.length + " later.");
  }

  function init() {
    if (!window.cmlProgress) return;
    document.querySelectorAll('.learner[data-view="progress"]').forEach(progressView);
    document.querySelectorAll('.learner[data-view="review"]').forEach(reviewView);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
