// What this browser remembers of a student's answers, across quizzes: each question's latest
// result (for "My progress") and the questions to review again (for "Review my mistakes").
// Nothing leaves the browser. Keys were computed at build time; this file only records whether
// the student's choice matched the page's key.
(function () {
  "use strict";

  var KEY = "cml-progress";
  var VERSION = 1;
  var DAY_MS = 24 * 60 * 60 * 1000;
  // A question missed comes back after 1 day; missed again, after 3; then after 7 (and 7 again).
  var SPACING_DAYS = [1, 3, 7];

  function fresh() {
    return { version: VERSION, answers: {}, review: {} };
  }

  function isObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  function validAnswer(entry) {
    return isObject(entry) &&
      typeof entry.quiz === "string" && typeof entry.variant === "number" &&
      typeof entry.number === "number" && typeof entry.correct === "boolean" &&
      typeof entry.topic === "string" && typeof entry.section === "string" &&
      typeof entry.at === "number" && typeof entry.stem === "string";
  }

  function validReview(entry) {
    return isObject(entry) && typeof entry.due === "number" && typeof entry.misses === "number";
  }

  // A store is used only if every part of it has the shape record() writes; otherwise null.
  function parse(text) {
    var data;
    try {
      data = JSON.parse(text);
    } catch (error) {
      return null;
    }
    if (!isObject(data) || data.version !== VERSION || !isObject(data.answers) || !isObject(data.review)) return null;
    var ok = Object.keys(data.answers).every(function (id) { return validAnswer(data.answers[id]); }) &&
      Object.keys(data.review).every(function (id) { return validReview(data.review[id]) && data.answers[id]; });
    return ok ? data : null;
  }

  function load() {
    var text = null;
    try {
      text = window.localStorage.getItem(KEY);
    } catch (error) {
      return fresh();
    }
    return (text && parse(text)) || fresh();
  }

  function save(data) {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(data));
      return true;
    } catch (error) {
      return false; // storage full or blocked: this visit still works
    }
  }

  // One answer: the latest result of each question, and its place in the review queue.
  function record(entry) {
    var data = load();
    var id = entry.quiz + ":" + entry.variant + ":q" + entry.number;
    var now = Date.now();
    var before = data.answers[id];
    data.answers[id] = {
      quiz: entry.quiz, variant: entry.variant, number: entry.number, template: entry.template || "",
      topic: entry.topic, section: entry.section, correct: entry.correct, at: now,
      stem: String(entry.stem || "").slice(0, 200), title: String(entry.title || ""),
      attempts: (before && before.attempts ? before.attempts : 0) + 1
    };
    if (entry.correct) {
      delete data.review[id];
    } else {
      var misses = data.review[id] ? data.review[id].misses + 1 : 1;
      var days = SPACING_DAYS[Math.min(misses, SPACING_DAYS.length) - 1];
      data.review[id] = { due: now + days * DAY_MS, misses: misses };
    }
    save(data);
    return data;
  }

  function forget() {
    try {
      Object.keys(window.localStorage).forEach(function (key) {
        if (key.indexOf("cml-") === 0) window.localStorage.removeItem(key);
      });
    } catch (error) {
      /* nothing stored, nothing to forget */
    }
  }

  // Copy text for a portfolio; where the clipboard is refused, show the text selected instead.
  function copyText(text, status, label) {
    function fallback() {
      var area = status.parentNode.querySelector("textarea.copy-fallback") || document.createElement("textarea");
      area.className = "copy-fallback";
      area.value = text;
      area.setAttribute("aria-label", label);
      area.rows = 6;
      status.textContent = "Copy the text below.";
      status.after(area);
      area.select();
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { status.textContent = "Copied."; }, fallback);
    } else {
      fallback();
    }
  }

  window.cmlProgress = {
    copyText: copyText,
    load: load,
    save: save,
    parse: parse,
    record: record,
    forget: forget,
    spacingDays: SPACING_DAYS.slice(),
    dayMs: DAY_MS
  };
})();
