// The exam clock (overrides/assets/timer.js): what it shows, its warnings, and the time taken.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const timer = require("../../overrides/assets/timer.js");

const MIN = 60 * 1000;

test("the clock shows minutes and seconds, rounding up, and never below 0:00", () => {
  assert.equal(timer.clock(30 * MIN), "30:00");
  assert.equal(timer.clock(125000), "2:05");
  assert.equal(timer.clock(1), "0:01");
  assert.equal(timer.clock(0), "0:00");
  assert.equal(timer.clock(-5000), "0:00");
});

test("time is up at the limit, not before", () => {
  assert.equal(timer.isUp(0, 30 * MIN, 30 * MIN - 1), false);
  assert.equal(timer.isUp(0, 30 * MIN, 30 * MIN), true);
  assert.equal(timer.isUp(0, 0, 10 * 60 * MIN), false, "an exam without a limit never runs out");
});

test("the time taken never exceeds the limit, however late the tab is reopened", () => {
  const limit = 30 * MIN;
  const finished = timer.finishedAt(0, limit, 120 * MIN);
  assert.equal(finished, limit);
  assert.equal(timer.clock(timer.taken(0, finished, limit)), "30:00");
  assert.equal(timer.clock(timer.taken(0, 120 * MIN, limit)), "30:00");
  assert.equal(timer.clock(timer.taken(0, 12 * MIN, limit)), "12:00");
  assert.equal(timer.clock(timer.taken(0, 120 * MIN, 0)), "120:00", "without a limit, the time it took");
});

test("warnings come at 10, 5 and 1 minutes left, once each", () => {
  const limit = 30 * MIN;
  const given = [];
  assert.equal(timer.dueWarning(0, limit, 19 * MIN, given), null);
  assert.equal(timer.dueWarning(0, limit, 20 * MIN, given), 10);
  assert.equal(timer.dueWarning(0, limit, 21 * MIN, given), null, "not twice");
  assert.equal(timer.dueWarning(0, limit, 25 * MIN, given), 5);
  assert.equal(timer.dueWarning(0, limit, 29 * MIN + 1, given), 1);
  assert.equal(timer.dueWarning(0, limit, 30 * MIN, given), null, "none once time is up");
  assert.deepEqual(given, [10, 5, 1]);
});

test("a page opened late gives only the latest warning, not the ones long past", () => {
  const limit = 30 * MIN;
  const given = timer.passed(0, limit, 26 * MIN);
  assert.deepEqual(given, [10, 5]);
  assert.equal(timer.dueWarning(0, limit, 29.5 * MIN, given), 1);
});

test("a limit shorter than a warning gives no such warning", () => {
  assert.deepEqual(timer.warnings(5 * MIN), [1]);
  assert.deepEqual(timer.warnings(0), []);
});

test("a warning says what happens when time is up", () => {
  assert.equal(timer.warningText(5), "5 minutes left: your answers are submitted when time is up.");
  assert.equal(timer.warningText(1), "1 minute left: your answers are submitted when time is up.");
});
