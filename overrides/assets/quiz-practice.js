// Practice mode of a quiz version: check each answer, see feedback and the explanation, a
// running score. Its answers are kept apart from an exam's, so neither mode touches the other.
// Also the drawing both modes share: reveal (an answer and its explanation) and clear.
(function () {
  "use strict";

  function inputs(q) {
    return Array.prototype.slice.call(q.querySelectorAll(".options input"));
  }

  function inputFor(q, letter) {
    return inputs(q).filter(function (i) { return i.value === letter; })[0];
  }

  // Shows a question answered: the key, the student's choice, the feedback and explanation.
  function reveal(q, chosen, openDetails) {
    var key = q.dataset.key;
    var feedback = q.querySelector(".feedback");
    var input = chosen ? inputFor(q, chosen) : null;
    inputs(q).forEach(function (i) {
      i.disabled = true;
      var option = i.closest(".option");
      option.classList.toggle("option--key", i.value === key);
      option.classList.toggle("option--wrong", i.value === chosen && chosen !== key);
    });
    if (input) input.checked = true;
    var why = input ? input.dataset.why : inputFor(q, key).dataset.why;
    if (!chosen) feedback.textContent = "Not answered; the answer is " + key + ". " + why;
    else if (chosen === key) feedback.textContent = "Correct. " + why;
    else feedback.textContent = "Not quite: you chose " + chosen + "; the answer is " + key + ". " + why;
    feedback.className = "feedback " + (chosen === key ? "feedback--right" : "feedback--wrong");
    var details = q.querySelector("details");
    if (details) {
      details.classList.add("revealed");
      if (openDetails) details.open = true;
    }
    q.querySelector("button.check").disabled = true;
    q.classList.add("answered");
  }

  function clear(q) {
    q.classList.remove("answered");
    inputs(q).forEach(function (i) {
      i.disabled = false;
      i.checked = false;
      i.closest(".option").classList.remove("option--key", "option--wrong");
    });
    q.querySelector("button.check").disabled = false;
    var feedback = q.querySelector(".feedback");
    feedback.textContent = "";
    feedback.className = "feedback";
    var details = q.querySelector("details");
    if (details) {
      details.open = false;
      details.classList.remove("revealed");
    }
  }

  // ctx: {quiz, questions, store, storeKey, record, confirm}. Returns {show, answers}.
  function attach(ctx) {
    var quiz = ctx.quiz;
    var questions = ctx.questions;
    var score = quiz.querySelector(".quiz-score");
    var unsaved = quiz.querySelector(".practice-unsaved");
    var answers = window.cmlExamState.validAnswers(ctx.store.read(ctx.storeKey), ctx.shapes) || Object.create(null);
    var active = false;

    // As in an exam (quiz-exam.js): a browser that keeps nothing (storage full, or blocked in some
    // private windows) loses these answers at a reload, so the student is told, in a polite live
    // region that stays in view, and the message goes once a save works.
    var UNSAVED = "This browser is not keeping your practice answers (its storage is full or blocked): " +
      "they are lost if you leave or reload this page.";

    function save() {
      var plain = {};
      Object.keys(answers).forEach(function (id) { plain[id] = answers[id]; });
      var kept = ctx.store.write(ctx.storeKey, plain);
      if (unsaved) unsaved.textContent = kept ? "" : UNSAVED;
    }

    function updateScore() {
      var answered = 0, correct = 0;
      questions.forEach(function (q) {
        if (answers[q.id]) {
          answered += 1;
          if (answers[q.id] === q.dataset.key) correct += 1;
        }
      });
      score.textContent = "Score: " + correct + " correct of " + answered + " answered (" + questions.length + " questions).";
    }

    function show() {
      active = true;
      questions.forEach(function (q) {
        clear(q);
        if (answers[q.id]) reveal(q, answers[q.id], false);
      });
      updateScore();
    }

    function hide() {
      active = false;
    }

    questions.forEach(function (q) {
      q.querySelector("button.check").addEventListener("click", function () {
        if (!active) return;
        var selected = q.querySelector(".options input:checked");
        var feedback = q.querySelector(".feedback");
        if (!selected) {
          feedback.textContent = "Choose an answer first.";
          feedback.className = "feedback";
          return;
        }
        answers[q.id] = selected.value;
        save();
        ctx.record(q, selected.value);
        reveal(q, selected.value, true);
        updateScore();
        // The button just pressed is now disabled: keep the student where they were.
        feedback.focus();
      });
    });

    var reset = quiz.querySelector("button.reset");
    var box = quiz.querySelector(".reset-confirm");
    if (reset) {
      reset.addEventListener("click", function () {
        var n = Object.keys(answers).length;
        function clearAll() {
          answers = Object.create(null);
          save();
          show();
          var first = quiz.querySelector(".question input");
          if (first) first.focus();
        }
        if (!n) return clearAll();
        ctx.confirm(box, "This clears your " + (n === 1 ? "1 practice answer" : n + " practice answers") +
          " to this version (My progress keeps its record).", clearAll, reset);
      });
    }

    // ?retry=qN (from "Review my mistakes"): that question starts afresh in practice.
    function retry(id) {
      if (answers[id]) {
        delete answers[id];
        save();
      }
    }

    return { show: show, hide: hide, retry: retry };
  }

  window.cmlQuizPractice = { attach: attach, reveal: reveal, clear: clear, inputFor: inputFor };
})();
