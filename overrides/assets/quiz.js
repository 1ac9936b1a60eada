// Case quizzes: check an answer, show feedback and the explanation, keep a running score, and
// remember progress in localStorage. Every key was computed at build time and written into the
// page (data-key); this script only compares the chosen letter with it.
(function () {
  "use strict";

  function storageKey(quiz) {
    return "cml-quiz:" + quiz.dataset.quiz + ":" + quiz.dataset.variant;
  }

  // What was stored is only trusted if it is what save() writes: an object mapping this page's
  // question ids to one of that question's letters. Anything else (edited by hand, an older
  // format, another page's data) is dropped for a fresh start.
  function load(quiz, questions) {
    var stored;
    try {
      stored = JSON.parse(window.localStorage.getItem(storageKey(quiz)));
    } catch (error) {
      stored = null;
    }
    if (stored === null || typeof stored !== "object" || Array.isArray(stored)) return {};
    var letters = {};
    questions.forEach(function (q) {
      letters[q.id] = Array.prototype.map.call(q.querySelectorAll("input"), function (i) { return i.value; });
    });
    var valid = Object.keys(stored).every(function (id) {
      return Object.prototype.hasOwnProperty.call(letters, id) && letters[id].indexOf(stored[id]) !== -1;
    });
    return valid ? stored : {};
  }

  function inputFor(q, letter) {
    return Array.prototype.filter.call(q.querySelectorAll("input"), function (i) { return i.value === letter; })[0];
  }

  function save(quiz, answers) {
    try {
      window.localStorage.setItem(storageKey(quiz), JSON.stringify(answers));
    } catch (error) {
      /* storage full or blocked: the quiz still works for this visit */
    }
  }

  function setup(quiz) {
    if (quiz.dataset.ready) return;
    quiz.dataset.ready = "1";
    quiz.classList.add("quiz--interactive");
    var questions = Array.prototype.slice.call(quiz.querySelectorAll(".question"));
    var score = quiz.querySelector(".quiz-score");
    var answers = load(quiz, questions);

    quiz.querySelectorAll(".quiz-controls").forEach(function (p) { p.hidden = false; });

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

    function reveal(q, chosen, announce) {
      var key = q.dataset.key;
      var feedback = q.querySelector(".feedback");
      var input = inputFor(q, chosen);
      q.querySelectorAll("input").forEach(function (i) {
        i.disabled = true;
        var option = i.closest(".option");
        option.classList.toggle("option--key", i.value === key);
        option.classList.toggle("option--wrong", i.value === chosen && chosen !== key);
      });
      if (input) input.checked = true;
      var why = input ? input.dataset.why : "";
      feedback.textContent = (chosen === key ? "Correct. " : "Not quite: you chose " + chosen + "; the answer is " + key + ". ") + why;
      feedback.className = "feedback " + (chosen === key ? "feedback--right" : "feedback--wrong");
      var details = q.querySelector("details");
      if (details) {
        details.classList.add("revealed");
        if (announce) details.open = true;
      }
      q.querySelector("button.check").disabled = true;
      q.classList.add("answered");
    }

    questions.forEach(function (q) {
      var button = q.querySelector("button.check");
      button.addEventListener("click", function () {
        var selected = q.querySelector("input:checked");
        var feedback = q.querySelector(".feedback");
        if (!selected) {
          feedback.textContent = "Choose an answer first.";
          feedback.className = "feedback";
          return;
        }
        answers[q.id] = selected.value;
        save(quiz, answers);
        reveal(q, selected.value, true);
        updateScore();
      });
      if (answers[q.id]) reveal(q, answers[q.id], false);
    });

    var reset = quiz.querySelector("button.reset");
    if (reset) {
      reset.addEventListener("click", function () {
        answers = {};
        save(quiz, answers);
        questions.forEach(function (q) {
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
        });
        updateScore();
        var first = quiz.querySelector("input");
        if (first) first.focus();
      });
    }
    updateScore();
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
