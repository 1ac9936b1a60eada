// Calculators: the Sokal, Hasford, EUTOS and ELTS scores, and a BCR::ABL1 reader (response level,
// log reduction, EMR, halving time). Every coefficient, cut-off, precision, level, bound and
// message comes from the page (#calculator-data, written at build time from content/ and
// generator/rules.py); the formulas are the rules' own, and a test compares this file's results
// with Rules.calculate over thousands of inputs, so the two never disagree.
(function () {
  "use strict";

  var DATA = null;

  function data() {
    if (DATA) return DATA;
    var node = document.getElementById("calculator-data");
    DATA = node ? JSON.parse(node.textContent) : null;
    return DATA;
  }

  // A typed number: digits with one decimal point or comma ("1.5", "1,5", ",5"), nothing else
  // (no exponent, no thousands separator, no unit). "1,500" could be 1.5 or 1500: refused.
  var PLAIN = /^[+-]?(\d+([.,]\d*)?|[.,]\d+)$/;
  var THOUSANDS = /^[+-]?[1-9]\d{0,2},\d{3}$/;

  function parse(text) {
    var s = String(text).trim();
    if (s === "") return { empty: true };
    if (THOUSANDS.test(s)) {
      return { error: "“" + s + "” could mean " + s.replace(",", "") + " or " + s.replace(",", ".") +
        ": write it without the comma, or with a point for a decimal." };
    }
    if (!PLAIN.test(s)) return { error: "“" + s.slice(0, 30) + "” is not a number: write it like 1.5 or 1,5." };
    return { value: Number(s.replace(",", ".")) };
  }

  // The problem with value for this input (its message from the rules), or null.
  function problem(spec, value) {
    if (typeof value !== "number" || !isFinite(value)) return spec.not_a_number;
    if (value < spec.min || (spec.min_exclusive && value === spec.min)) return spec.too_low;
    if (spec.max !== null && (value > spec.max || (spec.max_exclusive && value === spec.max))) return spec.too_high;
    return null;
  }

  // The score as published: rounded half up to its decimals (toFixed rounds the exact binary
  // value, as the rules' Decimal does), and the group of that shown value.
  function published(model, score) {
    var shown = isFinite(score) ? score.toFixed(model.decimals) : String(score);
    var compared = isFinite(score) ? Number(shown) : score;
    for (var i = 0; i < model.groups.length; i += 1) {
      var g = model.groups[i];
      if (g.upper === null || compared < g.upper || (g.inclusive && compared === g.upper)) {
        return { shown: shown, risk: g.risk };
      }
    }
    throw new Error("the last group has no upper bound");
  }

  function centred(term, value) { return term.coefficient * (value - term.centre); }
  function indicator(term, value) { return value >= term.at_least ? term.coefficient : 0; }
  function powered(term, value) {
    var base = value / term.divisor;
    if (base === 0 && term.power < 0) return Infinity;
    return term.coefficient * Math.pow(base, term.power);
  }

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

  var DIFFERENTIAL = ["blasts_pct", "eosinophils_pct", "basophils_pct"];

  // compute("sokal", {age: 60, ...}) -> what Rules.calculate returns: {error, field} or the result.
  function compute(name, values) {
    var d = data();
    var specs = d.inputs[name];
    var inputs = {};
    for (var i = 0; i < specs.length; i += 1) {
      var message = problem(specs[i], values[specs[i].name]);
      if (message) return { error: message, field: specs[i].name };
      inputs[specs[i].name] = values[specs[i].name];
    }
    var shares = DIFFERENTIAL.filter(function (k) { return k in inputs; });
    if (shares.length > 1 && shares.reduce(function (sum, k) { return sum + inputs[k]; }, 0) > 100) {
      return { error: d.differential[name], field: shares[shares.length - 1] };
    }
    if (FORMULAS[name]) {
      var model = d.scores[name];
      var score = FORMULAS[name](model, inputs);
      var p = published(model, score);
      return { score: score, shown: p.shown, risk: p.risk, name: model.name, citation: model.citation };
    }
    if (name === "response") {
      var level = inputs.bcr_abl1_is_pct;
      var met = d.responses.filter(function (r) { return level <= r.max_bcr_abl1_is_pct; });
      return {
        level: met.length ? met[met.length - 1].id : "none",
        logs: level > 0 ? Math.log10(100 / level) : null,
        emr: level <= d.emr.max_bcr_abl1_is_pct
      };
    }
    if (name === "halving") {
      var days = inputs.second_pct >= inputs.first_pct ? Infinity :
        inputs.days_between * Math.log(2) / Math.log(inputs.first_pct / inputs.second_pct);
      return { days: days, favourable: days < d.halving.max_days };
    }
    return { error: "unknown calculator " + name };
  }

  function riskOf(name, value) {
    return published(data().scores[name], value).risk;
  }

  // value with at least `least` decimals, and more where fewer would put it on the other side of
  // one of the cuts than it is (0.1001 % is 2.9996 logs, not "3.00", beside "no MMR").
  function agreeing(value, least, cuts) {
    for (var digits = least; digits <= 8; digits += 1) {
      var shown = Number(value.toFixed(digits));
      var ok = cuts.every(function (cut) {
        var c = Number(cut.at.toFixed(digits));
        return cut.below ? (value < cut.at) === (shown < c) : (value >= cut.at) === (shown >= c);
      });
      if (ok) return value.toFixed(digits);
    }
    return String(value);
  }

  function pct(value) {
    return String(value) + " %";
  }

  function describe(name, result) {
    var d = data();
    if (result.error) return result.error;
    if (result.risk) return result.name + ": " + result.shown + ", " + result.risk + " risk (" + result.citation + ").";
    if (name === "response") {
      var emr = "At " + d.emr.at_months + " months on a TKI, this result " +
        (result.emr ? "is an early molecular response (EMR: " + pct(d.emr.max_bcr_abl1_is_pct) + " or less)." :
          "misses early molecular response (EMR: " + pct(d.emr.max_bcr_abl1_is_pct) + " or less); the halving time " +
          "below then tells more.");
      if (result.logs === null) {
        var deepest = d.responses[d.responses.length - 1];
        return "Undetectable: no BCR::ABL1 was found in the sample. That meets every level down to " + deepest.id +
          " (" + pct(deepest.max_bcr_abl1_is_pct) + " or less), as deep as the test can see; a log reduction " +
          "needs a measured level. " + emr;
      }
      var cuts = d.responses.map(function (r) { return { at: Math.log10(100 / r.max_bcr_abl1_is_pct) }; });
      var level = result.level === "none" ? "no molecular response level yet" : result.level;
      return "Deepest level met: " + level + ". Log reduction: " + agreeing(result.logs, 2, cuts) + " logs. " + emr;
    }
    if (!isFinite(result.days)) return "BCR::ABL1 did not fall between the two results, so it has no halving time.";
    var days = agreeing(result.days, 1, [{ at: d.halving.max_days, below: true }]);
    return "Halving time: " + days + " days, " + (result.favourable ? "under" : "not under") + " the " +
      d.halving.max_days + " days below which patients above " + pct(d.emr.max_bcr_abl1_is_pct) + " at " +
      d.emr.at_months + " months still did well.";
  }

  function labelOf(form, input) {
    var spec = data().inputs[form.dataset.calculator].filter(function (s) { return s.name === input.name; })[0];
    return spec ? spec.label : input.name;
  }

  function setup(form) {
    var name = form.dataset.calculator;
    var output = form.querySelector(".calculator-result");
    function fail(input, message) {
      input.setAttribute("aria-invalid", "true");
      output.textContent = message;
      output.className = "calculator-result calculator-result--error";
      input.focus();
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var fields = Array.prototype.slice.call(form.querySelectorAll("input"));
      var values = {};
      fields.forEach(function (input) { input.removeAttribute("aria-invalid"); });
      for (var i = 0; i < fields.length; i += 1) {
        var read = parse(fields[i].value);
        if (read.empty) return fail(fields[i], "Enter " + labelOf(form, fields[i]) + ".");
        if (read.error) return fail(fields[i], labelOf(form, fields[i]) + ": " + read.error);
        values[fields[i].name] = read.value;
      }
      var result = compute(name, values);
      if (result.error) {
        var bad = form.querySelector('input[name="' + result.field + '"]');
        if (bad) return fail(bad, result.error);
      }
      output.textContent = describe(name, result);
      output.className = "calculator-result" + (result.error ? " calculator-result--error" : "");
    });
  }

  window.cmlCalculators = { compute: compute, riskOf: riskOf, describe: describe, parse: parse };

  function init() {
    if (!data()) return;
    document.querySelectorAll("form.calculator").forEach(setup);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
