// Unfolding cases on a quiz page: the steps of one patient's course (sections with
// data-case and data-step) are shown one at a time. Practice mode shows the next step once
// the step before it is checked; exam mode locks a step when the student moves on to the
// next, as on the boards; the review and a page without JavaScript show the whole course.
// Works from the quiz's DOM alone (quiz.js's classes: quiz--exam, quiz--reviewed, answered),
// so quiz.js needs no change; locks are kept per quiz version until the exam restarts.
(function () {
  "use strict";

  function read(key) {
    try { return JSON.parse(window.localStorage.getItem(key) || "[]"); } catch (error) { return []; }
  }

  function write(key, value) {
    try { window.localStorage.setItem(key, JSON.stringify(value)); } catch (error) { /* private mode */ }
  }

  function setup(quiz) {
    var steps = Array.prototype.slice.call(quiz.querySelectorAll(".question[data-case]"));
    if (!steps.length || quiz.dataset.casesReady) return;
    quiz.dataset.casesReady = "1";
    var lockKey = "cml-case-locks:" + window.location.pathname + ":" + quiz.dataset.quiz + ":" + quiz.dataset.variant;
    var locked = read(lockKey);
    var announce = quiz.querySelector(".exam-announce");
    var shown = {};

    function previous(step) {
      var index = steps.indexOf(step);
      var before = steps[index - 1];
      return before && before.dataset.case === step.dataset.case ? before : null;
    }

    function open(step) {
      var before = previous(step);
      if (!before) return true;
      if (quiz.classList.contains("quiz--reviewed")) return true;
      if (quiz.classList.contains("quiz--exam")) return locked.indexOf(before.id) !== -1;
      return before.classList.contains("answered");
    }

    function sheetItem(step) {
      var link = quiz.querySelector('.answer-sheet a[data-question="' + step.id + '"]');
      return link ? link.closest("li") : null;
    }

    function refresh() {
      var exam = quiz.classList.contains("quiz--exam") && !quiz.classList.contains("quiz--reviewed");
      steps.forEach(function (step) {
        var visible = open(step);
        if (step.hidden === visible) step.hidden = !visible;
        var item = sheetItem(step);
        if (item && item.hidden === visible) item.hidden = !visible;
        if (visible && shown[step.id] === false && announce) {
          announce.textContent = "Step " + step.dataset.step + " is shown below.";
        }
        shown[step.id] = visible;
        var isLocked = exam && locked.indexOf(step.id) !== -1;
        step.classList.toggle("case-step--locked", isLocked);
        step.querySelectorAll("input").forEach(function (input) {
          if (isLocked && !input.disabled) input.disabled = true;
        });
        var next = step.querySelector("button.next-step");
        if (next) next.hidden = !exam || isLocked;
      });
    }

    steps.forEach(function (step) {
      var next = step.querySelector("button.next-step");
      if (!next) return;
      next.addEventListener("click", function () {
        var feedback = step.querySelector(".feedback");
        if (!step.querySelector("input:checked")) {
          feedback.textContent = "Choose an answer first: the answer locks when you go on.";
          return;
        }
        if (locked.indexOf(step.id) === -1) locked.push(step.id);
        write(lockKey, locked);
        refresh();
        var after = steps[steps.indexOf(step) + 1];
        var first = after && after.querySelector("input");
        if (first) first.focus();
      });
    });

    // A fresh exam, or practice again, starts with nothing locked.
    function unlock() {
      locked = [];
      write(lockKey, locked);
      refresh();
    }
    // The exam restarts once its confirmation is given (or at once, where none is asked).
    var restart = quiz.querySelector(".restart-confirm button.confirm-yes") || quiz.querySelector("button.restart-exam");
    if (restart) restart.addEventListener("click", unlock, true);
    quiz.querySelectorAll('.quiz-mode input[name="quiz-mode"]').forEach(function (input) {
      input.addEventListener("change", function () { if (input.checked && input.value === "practice") unlock(); });
    });

    var pending = false;
    new MutationObserver(function () {
      if (pending) return;
      pending = true;
      Promise.resolve().then(function () { pending = false; refresh(); });
    }).observe(quiz, { attributes: true, attributeFilter: ["class"], subtree: true });
    refresh();
  }

  function init() {
    document.querySelectorAll(".quiz").forEach(setup);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
