// Exam mode of a quiz version, drawn from exam-state.js and timer.js: answer, flag, watch the
// answer sheet, the clock and its warnings in a bar that stays in view, submit once, then review
// the score and every explanation. Nothing is discarded without the student's yes.
(function () {
  "use strict";

  var State = window.cmlExamState;
  var Timer = window.cmlTimer;

  // ctx: {quiz, questions, shapes, store, storeKey, record, confirm}.
  function attach(ctx) {
    var quiz = ctx.quiz;
    var questions = ctx.questions;
    var practice = window.cmlQuizPractice;
    var limitMs = Number(quiz.dataset.timeLimitMinutes || 0) * Timer.MINUTE_MS;
    var exam = State.valid(ctx.store.read(ctx.storeKey), ctx.shapes);
    var sheet = quiz.querySelector(".exam-bar");
    var dock = quiz.querySelector(".exam-dock");
    var timer = quiz.querySelector(".exam-timer");
    var count = quiz.querySelector(".exam-count");
    var announce = quiz.querySelector(".exam-announce");
    var confirmBox = quiz.querySelector(".exam-confirm");
    var review = quiz.querySelector(".exam-review");
    var ticking = null;
    var given = [];
    var lastWarning = "";
    var active = false;

    // A browser that keeps nothing (storage full, or blocked in some private windows) would lose
    // the exam at a reload: the student is told in the dock, and the message goes once a save works.
    var UNSAVED = "This browser is not keeping your answers (its storage is full or blocked): " +
      "they are lost if you leave or reload this page, so submit before you go.";

    function save() {
      var kept = exam ? ctx.store.write(ctx.storeKey, State.toJSON(exam)) : ctx.store.remove(ctx.storeKey);
      if (!exam || exam.submitted) return;
      if (!kept) {
        announce.textContent = UNSAVED;
        dock.classList.add("exam-dock--warning");
      } else if (announce.textContent === UNSAVED) {
        announce.textContent = lastWarning;
        dock.classList.toggle("exam-dock--warning", Boolean(lastWarning));
      }
    }

    function updateSheet() {
      quiz.querySelectorAll(".answer-sheet a").forEach(function (link) {
        var id = link.dataset.question;
        var answered = Boolean(exam && exam.answers[id]);
        var flagged = Boolean(exam && exam.flags.indexOf(id) !== -1);
        link.classList.toggle("answered", answered);
        link.classList.toggle("flagged", flagged);
        link.setAttribute("aria-label", "Question " + id.slice(1) + ": " + (answered ? "answered" : "unanswered") +
          (flagged ? ", flagged" : ""));
      });
      questions.forEach(function (q) {
        var flagged = Boolean(exam && exam.flags.indexOf(q.id) !== -1);
        q.querySelector("button.flag").setAttribute("aria-pressed", flagged ? "true" : "false");
        q.classList.toggle("flagged", flagged);
      });
      if (exam) count.textContent = State.answeredCount(exam, ctx.shapes) + " of " + questions.length + " answered";
    }

    function tick() {
      if (!exam || exam.submitted || !limitMs) return;
      var now = Date.now();
      timer.querySelector('[role="timer"]').textContent = Timer.clock(Timer.left(exam.started, limitMs, now));
      var due = Timer.dueWarning(exam.started, limitMs, now, given);
      if (due) {
        lastWarning = Timer.warningText(due);
        announce.textContent = lastWarning;
        dock.classList.add("exam-dock--warning");
      }
      if (Timer.isUp(exam.started, limitMs, now)) submit();
    }

    function startTimer() {
      if (!limitMs) return;
      timer.hidden = false;
      // Thresholds already behind before a reload are not given again.
      given = Timer.passed(exam.started, limitMs, Date.now());
      tick();
      if (!ticking && exam && !exam.submitted) ticking = window.setInterval(tick, 1000);
    }

    function stopTimer() {
      if (ticking) window.clearInterval(ticking);
      ticking = null;
    }

    function showAnswering() {
      quiz.classList.add("quiz--exam");
      quiz.classList.remove("quiz--reviewed");
      quiz.dataset.mode = "exam";
      sheet.hidden = false;
      dock.hidden = false;
      review.hidden = true;
      confirmBox.hidden = true;
      questions.forEach(function (q) {
        practice.clear(q);
        var chosen = exam.answers[q.id];
        if (chosen) practice.inputFor(q, chosen).checked = true;
      });
      updateSheet();
      startTimer();
    }

    // Opens the exam: the one in progress, its review once submitted, or a new one.
    function show() {
      active = true;
      if (!exam) {
        exam = State.start(Date.now());
        save();
      }
      if (limitMs && !exam.submitted && Timer.isUp(exam.started, limitMs, Date.now())) {
        submit(); // the clock ran out while the page was closed
        return;
      }
      if (exam.submitted) showReview(false);
      else showAnswering();
    }

    // Leaves the exam as it is (in progress or submitted): switching modes loses nothing.
    function hide() {
      active = false;
      stopTimer();
      quiz.classList.remove("quiz--exam", "quiz--reviewed");
      sheet.hidden = true;
      dock.hidden = true;
      review.hidden = true;
      timer.hidden = true;
    }

    function submit() {
      if (!exam || exam.submitted) return;
      State.submit(exam, Date.now(), limitMs);
      save();
      stopTimer();
      questions.forEach(function (q) { if (exam.answers[q.id]) ctx.record(q, exam.answers[q.id]); });
      if (active) showReview(true);
    }

    function resultLine() {
      var r = State.result(exam, ctx.shapes, limitMs);
      return "Score: " + r.correct + " of " + r.total + " correct (" + r.percent + "%). Time taken: " + r.taken + "." +
        (exam.timeUp ? " Time ran out, so your answers were submitted." : "");
    }

    function resultText() {
      var r = State.result(exam, ctx.shapes, limitMs);
      var lines = [
        document.title.split(" - ")[0] + ", version " + quiz.dataset.variant + " (exam mode), " +
          new Date(exam.finished).toISOString().slice(0, 10) + ": " + r.correct + " of " + r.total + " correct (" +
          r.percent + "%), in " + r.taken + (exam.timeUp ? " (time ran out)" : "") + "."
      ];
      questions.forEach(function (q, index) {
        var chosen = exam.answers[q.id];
        var verdict = !chosen ? "not answered" : chosen === q.dataset.key ? "correct" : "wrong";
        lines.push("Question " + (index + 1) + ": " + verdict + (chosen && chosen !== q.dataset.key ?
          " (chose " + chosen + ", answer " + q.dataset.key + ")" : "") + ".");
      });
      lines.push(window.location.href.split("?")[0].split("#")[0]);
      return lines.join("\n");
    }

    function showReview(moveFocus) {
      quiz.classList.add("quiz--exam", "quiz--reviewed");
      quiz.dataset.mode = "review";
      sheet.hidden = true;
      dock.hidden = true;
      timer.hidden = true;
      review.hidden = false;
      review.querySelector(".exam-result").textContent = resultLine();
      var list = review.querySelector(".exam-review-list");
      list.textContent = "";
      questions.forEach(function (q, index) {
        var chosen = exam.answers[q.id];
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = "#" + q.id;
        link.textContent = "Question " + (index + 1);
        item.appendChild(link);
        var verdict = !chosen ? "not answered; the answer is " + q.dataset.key :
          chosen === q.dataset.key ? "correct (" + chosen + ")" : "you chose " + chosen + "; the answer is " + q.dataset.key;
        item.appendChild(document.createTextNode(": " + verdict + "."));
        item.className = chosen === q.dataset.key ? "review--right" : "review--wrong";
        list.appendChild(item);
        practice.reveal(q, chosen || null, true);
      });
      if (moveFocus) {
        review.querySelector(".exam-review-announce").textContent = resultLine();
        review.focus();
      }
    }

    quiz.addEventListener("change", function (event) {
      var input = event.target;
      if (!active || !exam || exam.submitted || input.name === "quiz-mode") return;
      var q = input.closest(".question");
      if (!q) return;
      State.answer(exam, q.id, input.value);
      save();
      updateSheet();
    });

    questions.forEach(function (q) {
      q.querySelector("button.flag").addEventListener("click", function () {
        if (!active || !exam || exam.submitted) return;
        State.toggleFlag(exam, q.id);
        save();
        updateSheet();
      });
    });

    var submitButton = quiz.querySelector("button.submit-exam");
    submitButton.addEventListener("click", function () {
      var left = State.unanswered(exam, ctx.shapes);
      if (!left) return submit();
      quiz.querySelector(".exam-confirm-text").textContent = left === 1 ? "1 question is unanswered." :
        left + " questions are unanswered.";
      confirmBox.hidden = false;
      quiz.querySelector("button.confirm-submit").focus();
    });
    quiz.querySelector("button.confirm-submit").addEventListener("click", function () { submit(); });
    quiz.querySelector("button.cancel-submit").addEventListener("click", function () {
      confirmBox.hidden = true;
      submitButton.focus();
    });

    var restart = quiz.querySelector("button.restart-exam");
    restart.addEventListener("click", function () {
      ctx.confirm(quiz.querySelector(".restart-confirm"), State.lossText(exam, ctx.shapes, limitMs), function () {
        stopTimer();
        exam = null;
        save();
        given = [];
        lastWarning = "";
        announce.textContent = "";
        dock.classList.remove("exam-dock--warning");
        show();
        var first = quiz.querySelector(".question input");
        if (first) first.focus();
      }, restart);
    });
    quiz.querySelector("button.copy-result").addEventListener("click", function () {
      window.cmlProgress.copyText(resultText(), quiz.querySelector(".copy-status"), "Your result as text");
    });

    // An exam in progress keeps running while the student practises; its clock may end it, and
    // onChange (the practice view's note of the kept exam) hears of each second.
    var listeners = [];
    function background() {
      if (active || !exam || exam.submitted || !limitMs) return;
      if (Timer.isUp(exam.started, limitMs, Date.now())) submit();
      listeners.forEach(function (listener) { listener(); });
    }
    window.setInterval(background, 1000);

    function summary() {
      if (!exam) return "";
      if (exam.submitted) {
        return "Your submitted exam of this version is kept" + (exam.timeUp ? " (its time ran out)" : "") +
          ": choose Exam to see its review.";
      }
      var text = "Your exam of this version is kept (" + State.answeredCount(exam, ctx.shapes) + " of " +
        questions.length + " answered";
      if (limitMs) text += ", " + Timer.clock(Timer.left(exam.started, limitMs, Date.now())) + " left; its clock keeps running";
      return text + "): choose Exam to go back to it.";
    }

    return {
      show: show, hide: hide, has: function () { return Boolean(exam); }, summary: summary,
      onChange: function (listener) { listeners.push(listener); }
    };
  }

  window.cmlQuizExam = { attach: attach };
})();
