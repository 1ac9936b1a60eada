// This site's corner of the browser's storage. Every project site of one GitHub Pages account
// shares one origin, and so one localStorage: each key starts with the site's own path
// ("/cml-teach/cml-progress"), so two course sites never read, overwrite or forget each other's
// progress. Keys written before this scoping ("cml-…") move here once, on the first visit.
// Runs in the browser (window.cmlStorage) and under node's test runner (module.exports).
(function (root, factory) {
  var api = factory();
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.cmlStorage = api;
})(this, function () {
  "use strict";

  var PREFIX = "cml-";
  var MIGRATED = "storage-scoped"; // not under PREFIX: forgetting progress does not re-run the move

  // The site's root path, from the base URL the theme writes into every page ("../../").
  function scopeOf(base, href) {
    var path = new URL(base || ".", href).pathname;
    return path.charAt(path.length - 1) === "/" ? path : path + "/";
  }

  // A store over one Storage object (window.localStorage, or a stand-in in tests).
  function open(storage, scope) {
    function key(name) {
      return scope + name;
    }

    function keys() {
      var all = [];
      try {
        for (var i = 0; i < storage.length; i += 1) {
          var k = storage.key(i);
          if (k !== null && k.indexOf(scope + PREFIX) === 0) all.push(k.slice(scope.length));
        }
      } catch (error) {
        /* storage blocked: nothing stored */
      }
      return all;
    }

    // JSON.parse of what is stored under name, or null (absent, unreadable or blocked).
    function read(name) {
      try {
        var text = storage.getItem(key(name));
        return text === null ? null : JSON.parse(text);
      } catch (error) {
        return null;
      }
    }

    function readText(name) {
      try {
        return storage.getItem(key(name));
      } catch (error) {
        return null;
      }
    }

    // Stores value (null removes it) and reads it back: true only if the browser kept it.
    function write(name, value) {
      try {
        if (value === null) {
          storage.removeItem(key(name));
          return storage.getItem(key(name)) === null;
        }
        var text = JSON.stringify(value);
        storage.setItem(key(name), text);
        return storage.getItem(key(name)) === text;
      } catch (error) {
        return false; // full (a quota error) or blocked: the caller says so
      }
    }

    function remove(name) {
      return write(name, null);
    }

    // Everything this site stored, and nothing of another site's.
    function forget() {
      keys().forEach(function (name) { remove(name); });
    }

    // Moves the unscoped keys of earlier versions into this site's scope, once: a key already
    // stored here wins over its old copy.
    function migrate() {
      try {
        if (storage.getItem(key(MIGRATED)) !== null) return 0;
        var old = [];
        for (var i = 0; i < storage.length; i += 1) {
          var k = storage.key(i);
          if (k !== null && k.indexOf(PREFIX) === 0) old.push(k);
        }
        var moved = 0;
        old.forEach(function (k) {
          if (storage.getItem(key(k)) === null) {
            storage.setItem(key(k), storage.getItem(k));
            moved += 1;
          }
          if (storage.getItem(key(k)) !== null) storage.removeItem(k);
        });
        storage.setItem(key(MIGRATED), "1");
        return moved;
      } catch (error) {
        return 0; // full or blocked: the old keys stay where they are, to move next time
      }
    }

    return { scope: scope, key: key, keys: keys, read: read, readText: readText, write: write, remove: remove,
      forget: forget, migrate: migrate };
  }

  var api = { scopeOf: scopeOf, open: open, PREFIX: PREFIX };

  // In the browser: this page's store, with earlier unscoped keys moved into it.
  if (typeof window !== "undefined" && typeof document !== "undefined") {
    var storage = null;
    try {
      storage = window.localStorage;
    } catch (error) {
      storage = null;
    }
    var config = document.getElementById("__config");
    var base = ".";
    try {
      base = config ? JSON.parse(config.textContent).base : ".";
    } catch (error) {
      base = ".";
    }
    var fallback = { length: 0, key: function () { return null; }, getItem: function () { return null; },
      setItem: function () { throw new Error("storage unavailable"); }, removeItem: function () {} };
    var store = open(storage || fallback, scopeOf(base, window.location.href));
    store.migrate();
    api.site = store;
  }
  return api;
});
