// Case quizzes, in two modes. Practice: check each answer, see feedback and the explanation, a
// running score. Exam: answer, flag, watch the answer sheet (and the clock, if the blueprint set
// a time limit), submit once, then review the score and every explanation. Every key was computed
// at build time and written into the page (data-key); this script only compares the chosen
// letter with it. Progress stays in this browser (localStorage), and survives a reload.
(function () {
  "use strict";

  var MINUTE_MS = 60 * 1000;
  var ANNOUNCE_AT_MINUTES = [10, 5, 1];

  function read(key) {
    try {
      return JSON.parse(window.localStorage.getItem(key));
    } catch (error) {
      return null;
    }
  }

  function write(key, value) {
    try {
      if (value === null) window.localStorage.removeItem(key);
      else window.localStorage.setItem(key, JSON.stringify(value));
    } catch (error) {
      /* storage full or blocked: the quiz still works for this visit */
    }
  }

  function isObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  function lettersOf(q) {
    return Array.prototype.map.call(q.querySelectorAll("input"), function (i) { return i.value; });
  }

  function inputFor(q, letter) {
    return Array.prototype.filter.call(q.querySelectorAll("input"), function (i) { return i.value === letter; })[0];
  }

  // Stored answers are trusted only in the shape this script writes: this page's question ids,
  // each with one of its letters. Anything else (edited by hand, another page's) starts afresh.
  function validAnswers(stored, questions) {
    if (!isObject(stored)) return null;
    var letters = {};
    questions.forEach(function (q) { letters[q.id] = lettersOf(q); });
    var ok = Object.keys(stored).every(function (id) {
      return Object.prototype.hasOwnProperty.call(letters, id) && letters[id].indexOf(stored[id]) !== -1;
    });
    return ok ? stored : null;
  }

  function validExam(stored, questions) {
    if (!isObject(stored) || typeof stored.started !== "number" || typeof stored.submitted !== "boolean") return null;
    if (!validAnswers(stored.answers, questions) || !Array.isArray(stored.flags)) return null;
    var ids = questions.map(function (q) { return q.id; });
    if (!stored.flags.every(function (id) { return ids.indexOf(id) !== -1; })) return null;
    if (stored.submitted && typeof stored.finished !== "number") return null;
    return stored;
  }

  function clock(ms) {
    var seconds = Math.max(0, Math.ceil(ms / 1000));
    var minutes = Math.floor(seconds / 60);
    return minutes + ":" + String(seconds % 60).padStart(2, "0");
  }

  function stemOf(q) {
    var body = q.querySelector(".question-body p");
    return body ? body.textContent.trim() : "";
  }

  function setup(quiz) {
    if (quiz.dataset.ready) return;
    quiz.dataset.ready = "1";
    quiz.classList.add("quiz--interactive");
    var questions = Array.prototype.slice.call(quiz.querySelectorAll(".question"));
    var score = quiz.querySelector(".quiz-score");
    var practiceKey = "cml-quiz:" + quiz.dataset.quiz + ":" + quiz.dataset.variant;
    var examKey = "cml-exam:" + quiz.dataset.quiz + ":" + quiz.dataset.variant;
    var answers = validAnswers(read(practiceKey), questions) || {};
    var exam = validExam(read(examKey), questions);
    var limitMs = Number(quiz.dataset.timeLimitMinutes || 0) * MINUTE_MS;
    var modeInputs = Array.prototype.slice.call(quiz.querySelectorAll('.quiz-mode input[name="quiz-mode"]'));
    var bar = quiz.querySelector(".exam-bar");
    var timer = quiz.querySelector(".exam-timer");
    var announce = quiz.querySelector(".exam-announce");
    var confirmBox = quiz.querySelector(".exam-confirm");
    var review = quiz.querySelector(".exam-review");
    var ticking = null;
    var announced = {};

    function record(q, chosen) {
      if (!window.cmlProgress) return;
      window.cmlProgress.record({
        quiz: quiz.dataset.quiz, variant: Number(quiz.dataset.variant), number: questions.indexOf(q) + 1,
        template: q.dataset.template, topic: q.dataset.topic, section: q.dataset.section,
        correct: chosen === q.dataset.key, stem: stemOf(q), title: quiz.dataset.title
      });
    }

    // --- practice ---------------------------------------------------------------------------

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

    function reveal(q, chosen, announceIt) {
      var key = q.dataset.key;
      var feedback = q.querySelector(".feedback");
      var input = chosen ? inputFor(q, chosen) : null;
      q.querySelectorAll("input").forEach(function (i) {
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
        if (announceIt) details.open = true;
      }
      q.querySelector("button.check").disabled = true;
      q.classList.add("answered");
    }

    function clear(q) {
      q.classList.remove("answered");
      q.querySelectorAll("input").forEach(function (i) {
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

    function showPractice() {
      questions.forEach(function (q) {
        clear(q);
        if (answers[q.id]) reveal(q, answers[q.id], false);
      });
      updateScore();
    }

    questions.forEach(function (q) {
      q.querySelector("button.check").addEventListener("click", function () {
        var selected = q.querySelector("input:checked");
        var feedback = q.querySelector(".feedback");
        if (!selected) {
          feedback.textContent = "Choose an answer first.";
          feedback.className = "feedback";
          return;
        }
        answers[q.id] = selected.value;
        write(practiceKey, answers);
        record(q, selected.value);
        reveal(q, selected.value, true);
        updateScore();
      });
    });

    var reset = quiz.querySelector("button.reset");
    if (reset) {
      reset.addEventListener("click", function () {
        if (exam) return restartExam();
        answers = {};
        write(practiceKey, answers);
        showPractice();
        var first = quiz.querySelector(".question input");
        if (first) first.focus();
      });
    }

    // --- exam ---------------------------------------------------------------------------------

    function saveExam() {
      write(examKey, exam);
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
    }

    function tick() {
      if (!exam || exam.submitted || !limitMs) return;
      var left = exam.started + limitMs - Date.now();
      timer.querySelector('[role="timer"]').textContent = clock(left);
      ANNOUNCE_AT_MINUTES.forEach(function (minutes) {
        if (left <= minutes * MINUTE_MS && left > 0 && !announced[minutes] && limitMs > minutes * MINUTE_MS) {
          announced[minutes] = true;
          announce.textContent = minutes === 1 ? "1 minute left." : minutes + " minutes left.";
        }
      });
      if (left <= 0) submit(true);
    }

    function startTimer() {
      if (!limitMs) return;
      timer.hidden = false;
      // Thresholds already passed before a reload are not announced again.
      var left = exam.started + limitMs - Date.now();
      ANNOUNCE_AT_MINUTES.forEach(function (minutes) { if (left <= minutes * MINUTE_MS) announced[minutes] = true; });
      tick();
      if (!ticking) ticking = window.setInterval(tick, 1000);
    }

    function stopTimer() {
      if (ticking) window.clearInterval(ticking);
      ticking = null;
    }

    function showExam() {
      quiz.classList.add("quiz--exam");
      quiz.classList.remove("quiz--reviewed");
      bar.hidden = false;
      review.hidden = true;
      confirmBox.hidden = true;
      questions.forEach(function (q) {
        clear(q);
        var chosen = exam.answers[q.id];
        if (chosen) inputFor(q, chosen).checked = true;
      });
      updateSheet();
      startTimer();
    }

    function startExam() {
      if (!exam) {
        exam = { started: Date.now(), answers: {}, flags: [], submitted: false };
        saveExam();
      }
      if (exam.submitted) showReview(false);
      else showExam();
    }

    // "Take this version again": a fresh exam, started now.
    function restartExam() {
      exam = null;
      write(examKey, null);
      startExam();
      var first = quiz.querySelector(".question input");
      if (first) first.focus();
    }

    function leaveExam() {
      stopTimer();
      exam = null;
      write(examKey, null);
      quiz.classList.remove("quiz--exam", "quiz--reviewed");
      bar.hidden = true;
      review.hidden = true;
      if (timer) timer.hidden = true;
      showPractice();
    }

    function unanswered() {
      return questions.filter(function (q) { return !exam.answers[q.id]; }).length;
    }

    function submit(timeUp) {
      if (!exam || exam.submitted) return;
      exam.submitted = true;
      exam.finished = Date.now();
      exam.timeUp = Boolean(timeUp);
      saveExam();
      stopTimer();
      questions.forEach(function (q) { if (exam.answers[q.id]) record(q, exam.answers[q.id]); });
      showReview(true);
    }

    function result() {
      var correct = questions.filter(function (q) { return exam.answers[q.id] === q.dataset.key; }).length;
      return { correct: correct, total: questions.length, percent: Math.round((100 * correct) / questions.length) };
    }

    function resultText() {
      var r = result();
      var lines = [
        document.title.split(" - ")[0] + ", version " + quiz.dataset.variant + " (exam mode), " +
          new Date(exam.finished).toISOString().slice(0, 10) + ": " + r.correct + " of " + r.total + " correct (" +
          r.percent + "%), in " + clock(exam.finished - exam.started) + (exam.timeUp ? " (time ran out)" : "") + "."
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
      bar.hidden = true;
      if (timer) timer.hidden = true;
      review.hidden = false;
      var r = result();
      var taken = clock(exam.finished - exam.started);
      review.querySelector(".exam-result").textContent = "Score: " + r.correct + " of " + r.total + " correct (" +
        r.percent + "%). Time taken: " + taken + "." + (exam.timeUp ? " Time ran out, so your answers were submitted." : "");
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
        reveal(q, chosen || null, true);
      });
      modeInputs.forEach(function (input) { input.checked = input.value === "exam"; });
      if (moveFocus) {
        announce.textContent = review.querySelector(".exam-result").textContent;
        review.focus();
      }
    }

    quiz.addEventListener("change", function (event) {
      var input = event.target;
      if (!exam || exam.submitted || input.name === "quiz-mode") return;
      var q = input.closest(".question");
      if (!q) return;
      exam.answers[q.id] = input.value;
      saveExam();
      updateSheet();
    });

    questions.forEach(function (q) {
      q.querySelector("button.flag").addEventListener("click", function () {
        if (!exam || exam.submitted) return;
        var at = exam.flags.indexOf(q.id);
        if (at === -1) exam.flags.push(q.id);
        else exam.flags.splice(at, 1);
        saveExam();
        updateSheet();
      });
    });

    quiz.querySelector("button.submit-exam").addEventListener("click", function () {
      var left = unanswered();
      if (!left) return submit(false);
      quiz.querySelector(".exam-confirm-text").textContent = left === 1 ? "1 question is unanswered." :
        left + " questions are unanswered.";
      confirmBox.hidden = false;
      quiz.querySelector("button.confirm-submit").focus();
    });
    quiz.querySelector("button.confirm-submit").addEventListener("click", function () { submit(false); });
    quiz.querySelector("button.cancel-submit").addEventListener("click", function () {
      confirmBox.hidden = true;
      quiz.querySelector("button.submit-exam").focus();
    });
    quiz.querySelector("button.restart-exam").addEventListener("click", restartExam);
    quiz.querySelector("button.copy-result").addEventListener("click", function () {
      window.cmlProgress.copyText(resultText(), quiz.querySelector(".copy-status"), "Your result as text");
    });

    modeInputs.forEach(function (input) {
      input.addEventListener("change", function () {
        if (!input.checked) return;
        if (input.value === "exam") startExam();
        else leaveExam();
      });
    });

    // ?retry=qN (from "Review my mistakes"): that question starts afresh in practice mode.
    var retry = new URLSearchParams(window.location.search).get("retry");
    if (retry && answers[retry] && !exam) {
      delete answers[retry];
      write(practiceKey, answers);
    }

    if (exam) {
      modeInputs.forEach(function (input) { input.checked = input.value === "exam"; });
      startExam();
    } else {
      showPractice();
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

  // ?v=K on a quiz's page opens version K: a URL an educator can hand out.
  function followVersionParameter() {
    var given = new URLSearchParams(window.location.search).get("v");
    if (!/^[1-9][0-9]*$/.test(given || "")) return;
    var wanted = Number(given);
    var link = document.querySelector(".another-version");
    if (!link || !wanted || wanted === Number(link.dataset.current)) return;
    if (wanted < 1 || wanted > Number(link.dataset.variants)) return;
    window.location.replace(versionUrl(wanted));
  }

  function init() {
    followVersionParameter();
    document.querySelectorAll(".quiz").forEach(setup);
    document.querySelectorAll(".another-version").forEach(anotherVersion);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
