// A stand-in for the browser's localStorage: a quota in characters, and a switch to refuse
// every write, as a full or blocked storage does.
"use strict";

function fakeStorage(quota = Infinity) {
  const items = new Map();
  const storage = {
    refuse: false,
    get length() { return items.size; },
    key(i) { return [...items.keys()][i] ?? null; },
    getItem(k) { return items.has(String(k)) ? items.get(String(k)) : null; },
    setItem(k, v) {
      const used = [...items].reduce((n, [key, value]) => n + (key === k ? 0 : key.length + value.length), 0);
      if (storage.refuse || used + String(k).length + String(v).length > quota) {
        throw new Error("QuotaExceededError");
      }
      items.set(String(k), String(v));
    },
    removeItem(k) { items.delete(String(k)); },
    dump() { return Object.fromEntries(items); },
  };
  return storage;
}

module.exports = { fakeStorage };
