// storage.js: each site's keys under its own path, so two course sites of one GitHub Pages
// account (one origin) never share or wipe each other's progress; old unscoped keys move once.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { scopeOf, open } = require("../../overrides/assets/storage.js");
const { fakeStorage } = require("./fake-storage.js");

test("the scope is the site's root path, from the page's base URL", () => {
  assert.equal(scopeOf("../..", "https://me.github.io/cml-teach/quizzes/mixed-exam/"), "/cml-teach/");
  assert.equal(scopeOf(".", "https://me.github.io/other-course/"), "/other-course/");
  assert.equal(scopeOf("..", "http://127.0.0.1:8000/scores/"), "/");
});

test("two sites on one origin keep apart: writing, reading and forgetting", () => {
  const storage = fakeStorage();
  const one = open(storage, "/cml-teach/");
  const two = open(storage, "/other-course/");
  assert.equal(one.write("cml-progress", { a: 1 }), true);
  assert.equal(two.write("cml-progress", { b: 2 }), true);
  assert.deepEqual(one.read("cml-progress"), { a: 1 });
  assert.deepEqual(two.read("cml-progress"), { b: 2 });
  one.forget();
  assert.equal(one.read("cml-progress"), null);
  assert.deepEqual(two.read("cml-progress"), { b: 2 }, "forgetting one site leaves the other's progress");
});

test("a write the browser refuses reports false", () => {
  const storage = fakeStorage(100);
  const site = open(storage, "/s/");
  assert.equal(site.write("cml-x", "y".repeat(500)), false);
  assert.equal(site.read("cml-x"), null);
  storage.refuse = true;
  assert.equal(site.write("cml-y", 1), false);
});

test("unscoped keys of earlier versions move into the site's scope once", () => {
  const storage = fakeStorage();
  storage.setItem("cml-progress", '{"old":true}');
  storage.setItem("cml-exam:mixed-exam:1", '{"started":1}');
  storage.setItem("/s/cml-exam:mixed-exam:1", '{"started":2}');
  storage.setItem("unrelated", "kept");
  const site = open(storage, "/s/");
  assert.equal(site.migrate(), 1);
  assert.deepEqual(site.read("cml-progress"), { old: true });
  assert.deepEqual(site.read("cml-exam:mixed-exam:1"), { started: 2 }, "what the site already holds wins");
  assert.equal(storage.getItem("cml-progress"), null);
  assert.equal(storage.getItem("unrelated"), "kept");
  storage.setItem("cml-progress", '{"later":true}');
  assert.equal(site.migrate(), 0, "only once");
  site.forget();
  assert.equal(site.migrate(), 0, "forgetting does not run the move again");
});

test("unreadable stored text reads as nothing", () => {
  const storage = fakeStorage();
  storage.setItem("/s/cml-progress", "{not json");
  assert.equal(open(storage, "/s/").read("cml-progress"), null);
});
