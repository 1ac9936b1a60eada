// progress.js: the schema a stored or imported progress file must have, merging and replacing,
// and never losing what was stored when a save fails.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const progress = require("../../overrides/assets/progress.js");
const { open } = require("../../overrides/assets/storage.js");
const { fakeStorage } = require("./fake-storage.js");

const DAY = 24 * 60 * 60 * 1000;

function entry(overrides = {}) {
  return { quiz: "mixed-exam", variant: 2, number: 3, template: "response-level", topic: "monitoring",
    section: "chronic", correct: false, stem: "A 61-year-old man…", title: "Mixed exam", ...overrides };
}

function store(quota) {
  const storage = fakeStorage(quota);
  return { storage, progress: progress.over(open(storage, "/s/")) };
}

function file(answers, review = {}) {
  return JSON.stringify({ version: 1, answers, review });
}

test("a missed question is due after 1, then 3, then 7 days; right, it leaves the review", () => {
  const { progress: p } = store();
  p.record(entry(), 0);
  assert.equal(p.load().review["mixed-exam:2:q3"].due, DAY);
  p.record(entry(), 0);
  assert.equal(p.load().review["mixed-exam:2:q3"].due, 3 * DAY);
  p.record(entry(), 0);
  p.record(entry(), 0);
  assert.equal(p.load().review["mixed-exam:2:q3"].due, 7 * DAY);
  p.record(entry({ correct: true }), 0);
  assert.equal("mixed-exam:2:q3" in p.load().review, false);
  assert.equal(p.load().answers["mixed-exam:2:q3"].attempts, 5);
});

test("a file of this site's progress is accepted, into maps without prototypes", () => {
  const { progress: p } = store();
  const data = p.record(entry(), 1000);
  const parsed = progress.parseFile(JSON.stringify(data));
  assert.equal(parsed.error, undefined);
  assert.equal(Object.getPrototypeOf(parsed.data.answers), null);
  assert.equal(progress.count(parsed.data), 1);
});

const good = progress.over(open(fakeStorage(), "/g/")).record(entry(), 1000).answers["mixed-exam:2:q3"];

for (const [name, text, reason] of [
  ["not JSON", "{", "it is not JSON"],
  ["a list", "[]", "it is not a progress file from this site"],
  ["another version", '{"version": 2, "answers": {}, "review": {}}', "it is not a version 1 progress file from this site"],
  ["quiz __proto__", file({ "__proto__:2:q3": { ...good, quiz: "__proto__" } }), 'the answer "__proto__:2:q3" has no valid quiz'],
  ["quiz toString", file({ "toString:2:q3": { ...good, quiz: "toString" } }), 'the answer "toString:2:q3" has no valid quiz'],
  ["topic __proto__", file({ "mixed-exam:2:q3": { ...good, topic: "__proto__" } }), 'the answer "mixed-exam:2:q3" has no valid topic'],
  ["a version of -3", file({ "mixed-exam:-3:q3": { ...good, variant: -3 } }), 'the answer "mixed-exam:-3:q3" has a version that is not a whole number from 1 to 1000'],
  ["a version of 1e9", file({ "mixed-exam:1000000000:q3": { ...good, variant: 1e9 } }), 'the answer "mixed-exam:1000000000:q3" has a version that is not a whole number from 1 to 1000'],
  ["question 2.5", file({ "mixed-exam:2:q2.5": { ...good, number: 2.5 } }), 'the answer "mixed-exam:2:q2.5" has a question number that is not a whole number from 1 to 500'],
  ["a misfiled answer", file({ "mixed-exam:2:q4": good }), 'the answer "mixed-exam:2:q4" is filed under another question\'s name'],
  ["due 1e999", file({ "mixed-exam:2:q3": good }, { "mixed-exam:2:q3": { due: 1e999, misses: 1 } }).replace('"due":null', '"due":1e999'), 'the review entry "mixed-exam:2:q3" has no valid due time'],
  ["a review without its answer", file({}, { "mixed-exam:2:q3": { due: 1, misses: 1 } }), 'the review entry "mixed-exam:2:q3" has no answer'],
  ["too large", " ".repeat(progress.MAX_FILE_BYTES + 1), "it is larger than 2 MB"],
]) {
  test(`a file with ${name} is refused, saying why`, () => {
    assert.deepEqual(progress.parseFile(text), { error: reason });
  });
}

test("due: 1e999 in a file is read as the infinity it is, and refused", () => {
  const text = '{"version":1,"answers":{"mixed-exam:2:q3":' + JSON.stringify(good) +
    '},"review":{"mixed-exam:2:q3":{"due":1e999,"misses":1}}}';
  assert.equal(progress.parseFile(text).error, 'the review entry "mixed-exam:2:q3" has no valid due time');
});

test("one bad entry in storage is left out; the rest of the progress stays", () => {
  const { storage, progress: p } = store();
  p.record(entry(), 1000);
  const stored = JSON.parse(storage.getItem("/s/cml-progress"));
  stored.answers["__proto__:1:q1"] = { ...good, quiz: "__proto__" };
  stored.answers["x:1:q1"] = { ...good, number: NaN };
  storage.setItem("/s/cml-progress", JSON.stringify(stored));
  const loaded = p.load();
  assert.deepEqual(Object.keys(loaded.answers), ["mixed-exam:2:q3"]);
  assert.equal(Object.getPrototypeOf(loaded.answers), null);
});

test("merging keeps each question's latest answer and its review entry", () => {
  const { progress: a } = store();
  const { progress: b } = store();
  a.record(entry(), 1000); // wrong at 1000
  b.record(entry({ correct: true }), 2000); // right later
  b.record(entry({ number: 4 }), 500);
  const merged = progress.merge(a.load(), b.load());
  assert.equal(progress.count(merged), 2);
  assert.equal(merged.answers["mixed-exam:2:q3"].correct, true);
  assert.equal("mixed-exam:2:q3" in merged.review, false);
  assert.equal("mixed-exam:2:q4" in merged.review, true);
});

test("a save the browser cannot keep leaves what was stored before", () => {
  const { storage, progress: p } = store(3000);
  p.record(entry(), 1000);
  const before = storage.getItem("/s/cml-progress");
  const huge = progress.fresh();
  for (let n = 1; n <= 100; n += 1) huge.answers[`mixed-exam:2:q${n}`] = { ...good, number: n };
  assert.equal(p.replace(huge), false);
  assert.equal(storage.getItem("/s/cml-progress"), before);
});
