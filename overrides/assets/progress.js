// What this browser remembers of a student's answers, across quizzes: each question's latest
// result (for "My progress") and the questions to review again (for "Review my mistakes").
// Nothing leaves the browser. Stored data and imported files pass one schema check into maps
// without prototypes ("__proto__" or "toString" is then just a key), and a save counts only
// once the browser has kept it. Runs in the browser (window.cmlProgress) and under node.
(function (root, factory) {
  var api = factory();
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.cmlProgress = api;
})(this, function () {
  "use strict";

  var KEY = "cml-progress";
  var VERSION = 1;
  var DAY_MS = 24 * 60 * 60 * 1000;
  // A question missed comes back after 1 day; missed again, after 3; then after 7 (and 7 again).
  // A study-scheduling choice, not a clinical figure; the README states it (tests/test_docs.py).
  var SPACING_DAYS = [1, 3, 7];
  // A progress file is a few hundred bytes an answer: 2 MB holds far more than the site asks.
  var MAX_FILE_BYTES = 2 * 1024 * 1024;
  var MAX_STEM = 1000;
  var ID = /^[a-z0-9][a-z0-9-]{0,79}$/; // quiz, topic and section ids, as the site writes them
  var MAX_VARIANT = 1000, MAX_NUMBER = 500, MAX_MISSES = 1000;

  function map() {
    return Object.create(null);
  }

  function fresh() {
    return { version: VERSION, answers: map(), review: map() };
  }

  function isObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  function whole(value, low, high) {
    return typeof value === "number" && Math.floor(value) === value && value >= low && value <= high;
  }

  function finite(value) {
    return typeof value === "number" && isFinite(value);
  }

  function text(value, max) {
    return typeof value === "string" && value.length <= max;
  }

  function answerId(entry) {
    return entry.quiz + ":" + entry.variant + ":q" + entry.number;
  }

  // One answer, copied field by field, or the reason it is refused.
  function checkAnswer(id, entry) {
    if (!isObject(entry)) return "is not an answer";
    if (!text(entry.quiz, 80) || !ID.test(entry.quiz)) return "has no valid quiz";
    if (!whole(entry.variant, 1, MAX_VARIANT)) return "has a version that is not a whole number from 1 to " + MAX_VARIANT;
    if (!whole(entry.number, 1, MAX_NUMBER)) return "has a question number that is not a whole number from 1 to " + MAX_NUMBER;
    if (id !== answerId(entry)) return "is filed under another question's name";
    if (typeof entry.correct !== "boolean") return "does not say whether it was right";
    if (!text(entry.topic, 80) || !ID.test(entry.topic)) return "has no valid topic";
    if (!text(entry.section, 80) || !ID.test(entry.section)) return "has no valid section";
    if (!finite(entry.at) || entry.at < 0) return "has no valid time";
    if (!text(entry.stem, MAX_STEM)) return "has no valid question text";
    if (entry.title !== undefined && !text(entry.title, 300)) return "has a title that is not text";
    if (entry.template !== undefined && !(text(entry.template, 80) && (entry.template === "" || ID.test(entry.template)))) {
      return "has no valid template";
    }
    if (entry.attempts !== undefined && !whole(entry.attempts, 1, 1e6)) return "has no valid count of attempts";
    return {
      quiz: entry.quiz, variant: entry.variant, number: entry.number, template: entry.template || "",
      topic: entry.topic, section: entry.section, correct: entry.correct, at: entry.at, stem: entry.stem,
      title: entry.title || "", attempts: entry.attempts || 1
    };
  }

  function checkReview(entry) {
    if (!isObject(entry)) return "is not a review entry";
    if (!finite(entry.due) || entry.due < 0) return "has no valid due time";
    if (!whole(entry.misses, 1, MAX_MISSES)) return "has no valid count of misses";
    return { due: entry.due, misses: entry.misses };
  }

  // data (parsed JSON) checked against the schema record() writes. strict: the first problem
  // refuses it all ({error}); otherwise a problem drops only its entry ({data, dropped}).
  function validate(data, strict) {
    if (!isObject(data)) return { error: "it is not a progress file from this site" };
    if (data.version !== VERSION) return { error: "it is not a version " + VERSION + " progress file from this site" };
    if (!isObject(data.answers) || !isObject(data.review)) return { error: "it has no answers or no review list" };
    var out = fresh();
    var dropped = 0;
    var ids = Object.keys(data.answers);
    for (var i = 0; i < ids.length; i += 1) {
      var answer = checkAnswer(ids[i], data.answers[ids[i]]);
      if (typeof answer === "string") {
        if (strict) return { error: "the answer \"" + ids[i].slice(0, 60) + "\" " + answer };
        dropped += 1;
      } else {
        out.answers[ids[i]] = answer;
      }
    }
    var due = Object.keys(data.review);
    for (var j = 0; j < due.length; j += 1) {
      var review = checkReview(data.review[due[j]]);
      var problem = typeof review === "string" ? review : !(due[j] in out.answers) ? "has no answer" : null;
      if (problem) {
        if (strict) return { error: "the review entry \"" + due[j].slice(0, 60) + "\" " + problem };
        dropped += 1;
      } else {
        out.review[due[j]] = review;
      }
    }
    return { data: out, dropped: dropped };
  }

  // A progress file's text -> {data} or {error: why it was refused}.
  function parseFile(content) {
    if (typeof content !== "string") return { error: "it is not text" };
    if (content.length > MAX_FILE_BYTES) return { error: "it is larger than " + MAX_FILE_BYTES / 1024 / 1024 + " MB" };
    var data;
    try {
      data = JSON.parse(content);
    } catch (error) {
      return { error: "it is not JSON" };
    }
    return validate(data, true);
  }

  // Both stores together: each question's latest answer wins, with its place in the review queue.
  function merge(mine, theirs) {
    var out = fresh();
    [mine, theirs].forEach(function (data) {
      Object.keys(data.answers).forEach(function (id) {
        var entry = data.answers[id];
        var before = out.answers[id];
        if (!before || entry.at > before.at) {
          out.answers[id] = entry;
          if (id in data.review) out.review[id] = data.review[id];
          else delete out.review[id];
        }
      });
    });
    return out;
  }

  function plain(data) {
    var out = { version: VERSION, answers: {}, review: {} };
    Object.keys(data.answers).forEach(function (id) { out.answers[id] = data.answers[id]; });
    Object.keys(data.review).forEach(function (id) { out.review[id] = data.review[id]; });
    return out;
  }

  function count(data) {
    return Object.keys(data.answers).length;
  }

  // The store over a cmlStorage store: load, save (true once kept), record, forget.
  function over(store) {
    // What is stored, entry by entry: an unreadable entry is left out, the rest is kept.
    function load() {
      var stored = store.read(KEY);
      if (stored === null) return fresh();
      var checked = validate(stored, false);
      return checked.data || fresh();
    }

    function save(data) {
      return store.write(KEY, plain(data));
    }

    // Replaces what is stored with data; if the browser does not keep it, what was stored
    // before is put back and false returned.
    function replace(data) {
      var before = store.readText(KEY);
      if (save(data)) return true;
      if (before !== null) store.write(KEY, JSON.parse(before));
      return false;
    }

    // One answer: the latest result of each question, and its place in the review queue.
    function record(entry, now) {
      var data = load();
      var id = answerId(entry);
      var at = now === undefined ? Date.now() : now;
      var before = data.answers[id];
      data.answers[id] = {
        quiz: entry.quiz, variant: entry.variant, number: entry.number, template: entry.template || "",
        topic: entry.topic, section: entry.section, correct: entry.correct, at: at,
        stem: String(entry.stem || "").slice(0, MAX_STEM), title: String(entry.title || "").slice(0, 300),
        attempts: (before && before.attempts ? before.attempts : 0) + 1
      };
      if (entry.correct) {
        delete data.review[id];
      } else {
        var misses = Math.min(MAX_MISSES, data.review[id] ? data.review[id].misses + 1 : 1);
        var days = SPACING_DAYS[Math.min(misses, SPACING_DAYS.length) - 1];
        data.review[id] = { due: at + days * DAY_MS, misses: misses };
      }
      save(data);
      return data;
    }

    return { load: load, save: save, replace: replace, record: record, forget: store.forget };
  }

  // Copy text for a portfolio; where the clipboard is refused, show the text selected instead.
  function copyText(value, status, label) {
    function fallback() {
      var area = status.parentNode.querySelector("textarea.copy-fallback") || document.createElement("textarea");
      area.className = "copy-fallback";
      area.value = value;
      area.setAttribute("aria-label", label);
      area.rows = 6;
      status.textContent = "Copy the text below.";
      status.after(area);
      area.select();
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(value).then(function () { status.textContent = "Copied."; }, fallback);
    } else {
      fallback();
    }
  }

  var api = {
    KEY: KEY,
    MAX_FILE_BYTES: MAX_FILE_BYTES,
    fresh: fresh,
    validate: validate,
    parseFile: parseFile,
    merge: merge,
    count: count,
    over: over,
    copyText: copyText,
    spacingDays: SPACING_DAYS.slice(),
    dayMs: DAY_MS
  };
  if (typeof window !== "undefined" && window.cmlStorage && window.cmlStorage.site) {
    var site = over(window.cmlStorage.site);
    Object.keys(site).forEach(function (name) { api[name] = site[name]; });
  }
  return api;
});
