// An exam as data (overrides/assets/exam-state.js): answers, flags, one submit, the score,
// what starting again would lose, and which stored exams are trusted.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const exam = require("../../overrides/assets/exam-state.js");

const MIN = 60 * 1000;
const QUESTIONS = [
  { id: "q1", key: "A", letters: ["A", "B", "C", "D", "E"] },
  { id: "q2", key: "C", letters: ["A", "B", "C", "D", "E"] },
  { id: "q3", key: "E", letters: ["A", "B", "C", "D", "E"] },
];

test("an exam counts answers and flags, and scores only once submitted", () => {
  const e = exam.start(0);
  exam.answer(e, "q1", "A");
  exam.answer(e, "q2", "B");
  exam.toggleFlag(e, "q3");
  assert.equal(exam.answeredCount(e, QUESTIONS), 2);
  assert.equal(exam.unanswered(e, QUESTIONS), 1);
  assert.deepEqual(e.flags, ["q3"]);
  exam.toggleFlag(e, "q3");
  assert.deepEqual(e.flags, []);
  exam.submit(e, 12 * MIN, 30 * MIN);
  const r = exam.result(e, QUESTIONS, 30 * MIN);
  assert.deepEqual(r, { correct: 1, total: 3, answered: 2, percent: 33, taken: "12:00" });
  assert.equal(e.timeUp, false);
});

test("a submitted exam takes no more answers or flags, and submits once", () => {
  const e = exam.start(0);
  exam.answer(e, "q1", "A");
  exam.submit(e, MIN, 0);
  exam.answer(e, "q1", "B");
  exam.toggleFlag(e, "q2");
  exam.submit(e, 50 * MIN, 0);
  assert.equal(e.answers.q1, "A");
  assert.deepEqual(e.flags, []);
  assert.equal(e.finished, MIN);
});

test("an exam submitted after its time ran out ends at the limit", () => {
  const e = exam.start(1000);
  exam.submit(e, 1000 + 120 * MIN, 30 * MIN);
  assert.equal(e.timeUp, true);
  assert.equal(e.finished, 1000 + 30 * MIN);
  assert.equal(exam.result(e, QUESTIONS, 30 * MIN).taken, "30:00");
});

test("starting again says what it would clear", () => {
  const e = exam.start(0);
  exam.answer(e, "q1", "A");
  exam.answer(e, "q2", "C");
  exam.toggleFlag(e, "q3");
  assert.equal(exam.lossText(e, QUESTIONS, 30 * MIN),
    "This clears your exam in progress: 2 answers and 1 flag, and restarts the clock.");
  exam.submit(e, MIN, 30 * MIN);
  assert.equal(exam.lossText(e, QUESTIONS, 30 * MIN),
    "This clears your submitted exam (2 of 3 correct) and its review.");
  assert.equal(exam.lossText(null, QUESTIONS, 0), "");
});

test("a stored exam is trusted only in the shape this script writes", () => {
  const good = { started: 5, answers: { q1: "B" }, flags: ["q2"], submitted: false };
  assert.deepEqual(exam.toJSON(exam.valid(good, QUESTIONS)), good);
  const submitted = { started: 5, answers: {}, flags: [], submitted: true, finished: 9, timeUp: false };
  assert.deepEqual(exam.toJSON(exam.valid(submitted, QUESTIONS)), submitted);
  for (const bad of [
    null, [], "x", { started: "soon", answers: {}, flags: [], submitted: false },
    { started: 1 }, { started: Infinity, answers: {}, flags: [], submitted: false },
    { started: 1, answers: { q9: "A" }, flags: [], submitted: false },
    { started: 1, answers: { q1: "Z" }, flags: [], submitted: false },
    { started: 1, answers: { q1: ["A"] }, flags: [], submitted: false },
    { started: 1, answers: {}, flags: ["q9"], submitted: false },
    { started: 1, answers: {}, flags: [], submitted: true },
    JSON.parse('{"started": 1, "answers": {"__proto__": "A"}, "flags": [], "submitted": false}'),
    { started: 1, answers: { toString: "A" }, flags: [], submitted: false },
  ]) {
    assert.equal(exam.valid(bad, QUESTIONS), null, JSON.stringify(bad));
  }
});

test("answers have no prototype: a question id like __proto__ cannot reach Object", () => {
  const answers = exam.validAnswers({ q1: "A" }, QUESTIONS);
  assert.equal(Object.getPrototypeOf(answers), null);
  assert.equal(exam.validAnswers({ constructor: "A" }, QUESTIONS), null);
});
