// Calculators: the Sokal, Hasford, EUTOS and ELTS scores, and a BCR::ABL1 reader (response level,
// log reduction, halving time). Every coefficient, cut-off, level and error message comes from
// the page (#calculator-data, written at build time from content/ and generator/rules.py); the
// formulas are the rules' own, and a test compares this file's results with the rules over
// thousands of inputs, so the two never disagree.
(function () {
  "use strict";

  var DATA = null;

  function data() {
    if (DATA) return DATA;
    var node = document.getElementById("calculator-data");
    DATA = node ? JSON.parse(node.textContent) : null;
    return DATA;
  }

  // An input checked as the rules check it; the message is the rules' own.
  function checked(spec, value) {
    var bad = typeof value !== "number" || isNaN(value) || !isFinite(value);
    if (!bad) {
      if (spec.kind === "percent") bad = value < 0 || value > 100;
      else if (spec.kind === "percent-above-zero") bad = value <= 0 || value > 100;
      else if (spec.kind === "non-negative" || spec.kind === "is") bad = value < 0;
      else if (spec.kind === "is-above-zero") bad = value <= 0;
      else if (spec.kind === "positive") bad = value <= 0;
    }
    if (bad) throw new Error(spec.message.replace("{value}", String(value)));
    return value;
  }

  function risk(groups, score) {
    for (var i = 0; i < groups.length; i += 1) {
      var g = groups[i];
      if (g.upper === null || score < g.upper || (g.inclusive && score === g.upper)) return g.risk;
    }
    throw new Error("the last group has no upper bound");
  }

  function centred(term, value) { return term.coefficient * (value - term.centre); }
  function indicator(term, value) { return value >= term.at_least ? term.coefficient : 0; }
  function powered(term, value) { return term.coefficient * Math.pow(value / term.divisor, term.power); }

  var FORMULAS = {
    sokal: function (s, v) {
      return Math.exp(
        centred(s.age, v.age) + centred(s.spleen, v.spleen_cm) +
        s.platelets.coefficient * (Math.pow(v.platelets / s.platelets.scale, 2) - s.platelets.centre) +
        centred(s.blasts, v.blasts_pct)
      );
    },
    hasford: function (h, v) {
      return h.multiplier * (
        indicator(h.age, v.age) + h.spleen.coefficient * v.spleen_cm + h.blasts.coefficient * v.blasts_pct +
        h.eosinophils.coefficient * v.eosinophils_pct + indicator(h.basophils, v.basophils_pct) +
        indicator(h.platelets, v.platelets)
      );
    },
    eutos: function (e, v) {
      return e.basophils.coefficient * v.basophils_pct + e.spleen.coefficient * v.spleen_cm;
    },
    elts: function (e, v) {
      return powered(e.age, v.age) + e.spleen.coefficient * v.spleen_cm + e.blasts.coefficient * v.blasts_pct +
        powered(e.platelets, v.platelets);
    }
  };

  // compute("sokal", {age: 60, ...}) -> {score, risk, name, citation} or {error}.
  function compute(name, values) {
    var d = data();
    var inputs = {};
    try {
      d.inputs[name].forEach(function (spec) { inputs[spec.name] = checked(spec, values[spec.name]); });
    } catch (error) {
      return { error: error.message };
    }
    if (FORMULAS[name]) {
      var model = d.scores[name];
      var score = FORMULAS[name](model, inputs);
      return { score: score, risk: risk(model.groups, score), name: model.name, citation: model.citation };
    }
    if (name === "response") {
      var level = inputs.bcr_abl1_is_pct;
      var met = d.responses.filter(function (r) { return level <= r.max_bcr_abl1_is_pct; });
      return { level: met.length ? met[met.length - 1].id : "none", logs: Math.log10(100 / level) };
    }
    if (name === "halving") {
      if (inputs.second_pct >= inputs.first_pct) return { days: Infinity };
      return { days: inputs.days_between * Math.log(2) / Math.log(inputs.first_pct / inputs.second_pct) };
    }
    return { error: "unknown calculator " + name };
  }

  function riskOf(name, value) {
    return risk(data().scores[name].groups, value);
  }

  function describe(name, result) {
    if (result.error) return result.error;
    if (result.risk) {
      return result.name + ": " + Number(result.score.toPrecision(4)) + ", " + result.risk + " risk (" + result.citation + ").";
    }
    if (name === "response") {
      var level = result.level === "none" ? "no molecular response level yet" : result.level;
      return "Deepest level met: " + level + ". Log reduction: " + result.logs.toFixed(2) + " logs.";
    }
    if (!isFinite(result.days)) return "BCR::ABL1 did not fall between the two results, so it has no halving time.";
    return "Halving time: " + result.days.toFixed(1) + " days.";
  }

  function setup(form) {
    var name = form.dataset.calculator;
    var output = form.querySelector(".calculator-result");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var values = {};
      var missing = null;
      Array.prototype.forEach.call(form.querySelectorAll("input"), function (input) {
        if (input.value.trim() === "" && !missing) missing = input;
        values[input.name] = input.value.trim() === "" ? NaN : Number(input.value);
        input.removeAttribute("aria-invalid");
      });
      if (missing) {
        missing.setAttribute("aria-invalid", "true");
        output.textContent = "Enter " + form.querySelector('label[for="' + missing.id + '"]').firstChild.textContent.trim() + ".";
        output.className = "calculator-result calculator-result--error";
        missing.focus();
        return;
      }
      var result = compute(name, values);
      output.textContent = describe(name, result);
      output.className = "calculator-result" + (result.error ? " calculator-result--error" : "");
      if (result.error) {
        var bad = Array.prototype.filter.call(form.querySelectorAll("input"), function (input) {
          return result.error.indexOf(input.name + " ") === 0;
        })[0];
        if (bad) bad.setAttribute("aria-invalid", "true");
      }
    });
  }

  window.cmlCalculators = { compute: compute, riskOf: riskOf, describe: describe };

  function init() {
    if (!data()) return;
    document.querySelectorAll("form.calculator").forEach(setup);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
