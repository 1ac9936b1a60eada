// An exam in progress or submitted, as plain data and pure functions: start, answer, flag,
// submit, score, and the check that a stored exam has the shape these functions write. A
// question is {id, key, letters}. No DOM here: quiz-exam.js draws it, and node's test runner
// checks it (tests/js/). Runs in the browser as window.cmlExamState.
(function (root, factory) {
  var timer = typeof module === "object" && module.exports ? require("./timer.js") : root.cmlTimer;
  var api = factory(timer);
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.cmlExamState = api;
})(this, function (timer) {
  "use strict";

  function isObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  function has(object, key) {
    return Object.prototype.hasOwnProperty.call(object, key);
  }

  function lettersById(questions) {
    var letters = Object.create(null);
    questions.forEach(function (q) { letters[q.id] = q.letters; });
    return letters;
  }

  // Answers {questionId: letter} in the shape this script writes: this page's questions, each
  // with one of its letters. Anything else (edited by hand, another page's) is null. The copy
  // has no prototype, so an id like "__proto__" can only be a plain key.
  function validAnswers(stored, questions) {
    if (!isObject(stored)) return null;
    var letters = lettersById(questions);
    var copy = Object.create(null);
    var ok = Object.keys(stored).every(function (id) {
      if (!(id in letters) || typeof stored[id] !== "string" || letters[id].indexOf(stored[id]) === -1) return false;
      copy[id] = stored[id];
      return true;
    });
    return ok ? copy : null;
  }

  function finite(value) {
    return typeof value === "number" && isFinite(value);
  }

  function valid(stored, questions) {
    if (!isObject(stored) || !finite(stored.started) || typeof stored.submitted !== "boolean") return null;
    var answers = validAnswers(stored.answers, questions);
    if (!answers || !Array.isArray(stored.flags)) return null;
    var ids = questions.map(function (q) { return q.id; });
    if (!stored.flags.every(function (id) { return ids.indexOf(id) !== -1; })) return null;
    if (stored.submitted && !finite(stored.finished)) return null;
    return {
      started: stored.started, answers: answers, flags: stored.flags.slice(), submitted: stored.submitted,
      finished: stored.submitted ? stored.finished : undefined, timeUp: Boolean(stored.timeUp)
    };
  }

  function start(now) {
    return { started: now, answers: Object.create(null), flags: [], submitted: false };
  }

  function answer(exam, id, letter) {
    if (!exam.submitted) exam.answers[id] = letter;
    return exam;
  }

  function toggleFlag(exam, id) {
    if (exam.submitted) return exam;
    var at = exam.flags.indexOf(id);
    if (at === -1) exam.flags.push(id);
    else exam.flags.splice(at, 1);
    return exam;
  }

  function answeredCount(exam, questions) {
    return questions.filter(function (q) { return has(exam.answers, q.id); }).length;
  }

  function unanswered(exam, questions) {
    return questions.length - answeredCount(exam, questions);
  }

  // Submits once. An exam whose time ran out ends at its limit, even if the page was closed
  // then and opened hours later.
  function submit(exam, now, limitMs) {
    if (exam.submitted) return exam;
    exam.submitted = true;
    exam.timeUp = timer.isUp(exam.started, limitMs, now);
    exam.finished = timer.finishedAt(exam.started, limitMs, now);
    return exam;
  }

  function result(exam, questions, limitMs) {
    var correct = questions.filter(function (q) { return exam.answers[q.id] === q.key; }).length;
    var total = questions.length;
    return {
      correct: correct,
      total: total,
      answered: answeredCount(exam, questions),
      percent: total ? Math.round((100 * correct) / total) : 0,
      taken: timer.clock(timer.taken(exam.started, exam.finished, limitMs || 0))
    };
  }

  // What starting again would lose, in words, for the confirmation the student answers first.
  function lossText(exam, questions, limitMs) {
    if (!exam) return "";
    var n = answeredCount(exam, questions);
    if (exam.submitted) {
      var r = result(exam, questions, limitMs);
      return "This clears your submitted exam (" + r.correct + " of " + r.total + " correct) and its review.";
    }
    return "This clears your exam in progress: " + n + (n === 1 ? " answer" : " answers") +
      (exam.flags.length ? " and " + exam.flags.length + (exam.flags.length === 1 ? " flag" : " flags") : "") +
      (limitMs ? ", and restarts the clock" : "") + ".";
  }

  // Plain data for JSON (answers as an ordinary object).
  function toJSON(exam) {
    var answers = {};
    Object.keys(exam.answers).forEach(function (id) { answers[id] = exam.answers[id]; });
    var out = { started: exam.started, answers: answers, flags: exam.flags.slice(), submitted: exam.submitted };
    if (exam.submitted) {
      out.finished = exam.finished;
      out.timeUp = Boolean(exam.timeUp);
    }
    return out;
  }

  return {
    validAnswers: validAnswers,
    valid: valid,
    start: start,
    answer: answer,
    toggleFlag: toggleFlag,
    answeredCount: answeredCount,
    unanswered: unanswered,
    submit: submit,
    result: result,
    lossText: lossText,
    toJSON: toJSON
  };
});
