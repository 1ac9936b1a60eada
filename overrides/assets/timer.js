// An exam's clock, as pure functions of the start, the limit and the time now: what it shows,
// which warnings are due, when time is up and how long the exam took (never more than the
// limit, however late the tab is reopened). Runs in the browser (window.cmlTimer) and under
// node's test runner.
(function (root, factory) {
  var api = factory();
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.cmlTimer = api;
})(this, function () {
  "use strict";

  var MINUTE_MS = 60 * 1000;
  var WARN_AT_MINUTES = [10, 5, 1];

  // 125 000 ms -> "2:05"; rounds up, so the clock shows 0:00 only when time is up.
  function clock(ms) {
    var seconds = Math.max(0, Math.ceil(ms / 1000));
    var minutes = Math.floor(seconds / 60);
    return minutes + ":" + String(seconds % 60).padStart(2, "0");
  }

  function left(started, limitMs, now) {
    return started + limitMs - now;
  }

  function isUp(started, limitMs, now) {
    return limitMs > 0 && left(started, limitMs, now) <= 0;
  }

  // When an exam ended: when it was submitted, or when its time ran out if that came first.
  function finishedAt(started, limitMs, now) {
    return limitMs > 0 ? Math.min(now, started + limitMs) : now;
  }

  // The time an exam took, from 0 to its limit.
  function taken(started, finished, limitMs) {
    var ms = Math.max(0, finished - started);
    return limitMs > 0 ? Math.min(ms, limitMs) : ms;
  }

  // The warnings worth giving: those of a limit longer than the warning itself.
  function warnings(limitMs) {
    return WARN_AT_MINUTES.filter(function (minutes) { return limitMs > minutes * MINUTE_MS; });
  }

  // The warning due now, if any: the smallest threshold crossed and not yet given. given holds
  // the thresholds already given (or passed before a reload); the result adds to it.
  function dueWarning(started, limitMs, now, given) {
    var remaining = left(started, limitMs, now);
    if (remaining <= 0) return null;
    var due = null;
    warnings(limitMs).forEach(function (minutes) {
      if (remaining <= minutes * MINUTE_MS && given.indexOf(minutes) === -1) {
        given.push(minutes);
        due = minutes;
      }
    });
    return due;
  }

  // On opening a page mid-exam: the thresholds already behind, given or not.
  function passed(started, limitMs, now) {
    var remaining = left(started, limitMs, now);
    return warnings(limitMs).filter(function (minutes) { return remaining <= minutes * MINUTE_MS; });
  }

  function warningText(minutes) {
    return (minutes === 1 ? "1 minute left" : minutes + " minutes left") +
      ": your answers are submitted when time is up.";
  }

  return {
    MINUTE_MS: MINUTE_MS,
    clock: clock,
    left: left,
    isUp: isUp,
    finishedAt: finishedAt,
    taken: taken,
    warnings: warnings,
    dueWarning: dueWarning,
    passed: passed,
    warningText: warningText
  };
});
