// Case quizzes: sets up each quiz version in practice (quiz-practice.js) or exam mode
// (quiz-exam.js, over exam-state.js and timer.js), and the links between versions. Every key
// was computed at build time and written into the page (data-key). The current mode is the
// quiz's data-mode attribute ("practice", "exam" or "review"), for other scripts to read.
// Answers stay in this browser (storage.js), apart for each mode, and survive a reload.
(function () {
  "use strict";

  var confirmCount = 0;

  // Asks before discarding: box holds the question (text) and a yes and a no button. The yes
  // button, focused, is described by what it would clear, so a screen reader says that too;
  // Escape is the no.
  function confirmIn(box, text, yes, back) {
    var question = box.querySelector(".confirm-text");
    question.textContent = text;
    if (!question.id) question.id = "quiz-confirm-" + (confirmCount += 1);
    box.hidden = false;
    var ok = box.querySelector("button.confirm-yes");
    var no = box.querySelector("button.confirm-no");
    ok.setAttribute("aria-describedby", question.id);
    function close() {
      box.hidden = true;
      ok.removeEventListener("click", onYes);
      no.removeEventListener("click", onNo);
      box.removeEventListener("keydown", onKey);
    }
    function onYes() {
      close();
      yes();
    }
    function onNo() {
      close();
      if (back) back.focus();
    }
    function onKey(event) {
      if (event.key !== "Escape") return;
      event.preventDefault();
      event.stopPropagation();
      onNo();
    }
    ok.addEventListener("click", onYes);
    no.addEventListener("click", onNo);
    box.addEventListener("keydown", onKey);
    ok.focus();
  }

  function stemOf(q) {
    var body = q.querySelector(".question-body p");
    return body ? body.textContent.trim() : "";
  }

  function setup(quiz) {
    if (quiz.dataset.ready) return;
    quiz.dataset.ready = "1";
    quiz.classList.add("quiz--interactive");
    var store = window.cmlStorage.site;
    var questions = Array.prototype.slice.call(quiz.querySelectorAll(".question"));
    var shapes = questions.map(function (q) {
      return {
        id: q.id,
        key: q.dataset.key,
        letters: Array.prototype.map.call(q.querySelectorAll(".options input"), function (i) { return i.value; })
      };
    });
    var modeInputs = Array.prototype.slice.call(quiz.querySelectorAll('.quiz-mode input[name="quiz-mode"]'));
    var kept = quiz.querySelector(".exam-kept");
    var id = quiz.dataset.quiz + ":" + quiz.dataset.variant;

    function record(q, chosen) {
      if (!window.cmlProgress) return;
      window.cmlProgress.record({
        quiz: quiz.dataset.quiz, variant: Number(quiz.dataset.variant), number: questions.indexOf(q) + 1,
        template: q.dataset.template, topic: q.dataset.topic, section: q.dataset.section,
        correct: chosen === q.dataset.key, stem: stemOf(q), title: quiz.dataset.title
      });
    }

    var practice = window.cmlQuizPractice.attach({
      quiz: quiz, questions: questions, shapes: shapes, store: store, storeKey: "cml-quiz:" + id,
      record: record, confirm: confirmIn
    });
    var exam = window.cmlQuizExam.attach({
      quiz: quiz, questions: questions, shapes: shapes, store: store, storeKey: "cml-exam:" + id,
      record: record, confirm: confirmIn
    });

    function showKept() {
      kept.textContent = exam.summary();
      kept.hidden = !kept.textContent;
    }

    function showPractice() {
      exam.hide();
      quiz.dataset.mode = "practice";
      practice.show();
      showKept();
    }
    // The kept exam's clock runs on while the student practises: its note shows the time left,
    // and that time ran out and the exam was submitted.
    exam.onChange(function () { if (quiz.dataset.mode === "practice") showKept(); });

    function showExam() {
      practice.hide();
      kept.hidden = true;
      exam.show();
    }

    modeInputs.forEach(function (input) {
      input.addEventListener("change", function () {
        if (!input.checked) return;
        if (input.value === "exam") showExam();
        else showPractice();
      });
    });

    // ?retry=qN (from "Review my mistakes"): that question afresh, in practice; an exam of this
    // version stays as it is.
    var retry = new URLSearchParams(window.location.search).get("retry");
    if (retry && shapes.some(function (s) { return s.id === retry; })) practice.retry(retry);
    var startInExam = exam.has() && !retry;
    modeInputs.forEach(function (input) { input.checked = input.value === (startInExam ? "exam" : "practice"); });
    if (startInExam) showExam();
    else showPractice();

    // A link that skips the page's navigation to the mode choice (and so to the questions).
    var skip = document.querySelector('[data-md-component="skip"]');
    var choice = quiz.querySelector(".quiz-mode");
    if (skip && choice && !document.querySelector(".skip-to-quiz")) {
      choice.id = choice.id || "quiz-start";
      choice.tabIndex = -1;
      var link = document.createElement("a");
      link.className = "md-skip skip-to-quiz";
      link.href = "#" + choice.id;
      link.textContent = "Skip to the questions";
      skip.appendChild(link);
    }
  }

  // Version K's page: the quiz's own page for 1, its variant-K/ page otherwise.
  function versionUrl(k) {
    var base = window.location.pathname.replace(/(variant-\d+\/)?$/, "");
    return base + (k === 1 ? "" : "variant-" + k + "/");
  }

  // "Another version": a random other version, not just the next one.
  function anotherVersion(link) {
    var total = Number(link.dataset.variants), current = Number(link.dataset.current);
    if (!(total > 1)) return;
    link.addEventListener("click", function (event) {
      var pick = current;
      while (pick === current) pick = 1 + Math.floor(Math.random() * total);
      event.preventDefault();
      window.location.href = versionUrl(pick);
    });
  }

  // ?v=K on a quiz's page opens version K: a URL an educator can hand out. A version that does
  // not exist is said so, with the versions there are.
  function followVersionParameter() {
    var given = new URLSearchParams(window.location.search).get("v");
    var link = document.querySelector(".another-version");
    if (given === null || !link) return;
    var total = Number(link.dataset.variants);
    var wanted = /^[1-9][0-9]{0,5}$/.test(given) ? Number(given) : 0;
    if (wanted >= 1 && wanted <= total) {
      if (wanted !== Number(link.dataset.current)) window.location.replace(versionUrl(wanted));
      return;
    }
    var note = document.querySelector(".version-missing");
    if (!note) return;
    note.querySelector(".version-missing-text").textContent = "There is no version " + given.slice(0, 20) +
      " of this quiz: it has versions 1 to " + total + ". This is version " + link.dataset.current + ".";
    note.hidden = false;
  }

  function init() {
    followVersionParameter();
    document.querySelectorAll(".quiz").forEach(setup);
    document.querySelectorAll(".another-version").forEach(anotherVersion);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
