// Material's start-up helpers (partials/javascripts/base.html), as a file so the page's
// Content-Security-Policy can refuse every inline script. Loaded from <root>/assets/, so the
// site's root (Material's __md_scope, where it keeps its storage keys) is one folder up.
/* eslint-disable no-var */
var __md_scope = new URL("..", document.currentScript.src),
  __md_hash = function (value) {
    return Array.from(value).reduce(function (hash, c) { return (hash << 5) - hash + c.charCodeAt(0); }, 0);
  },
  __md_get = function (key, storage, scope) {
    storage = storage || localStorage;
    scope = scope || __md_scope;
    return JSON.parse(storage.getItem(scope.pathname + "." + key));
  },
  __md_set = function (key, value, storage, scope) {
    storage = storage || localStorage;
    scope = scope || __md_scope;
    try { storage.setItem(scope.pathname + "." + key, JSON.stringify(value)); } catch (e) { /* full or blocked */ }
  };
// Scripts run: switch the theme's no-JavaScript fallbacks off before the first style pass.
document.documentElement.classList.replace("no-js", "js");
