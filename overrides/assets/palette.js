// The colour palette before the page below the header is drawn, as a file (no inline script
// under the Content-Security-Policy): a stored choice first (Material's own script), else the
// system's colours. theme.js, at the end of the page, keeps them in step afterwards.
(function () {
  var palette = __md_get("__palette");
  if (palette && palette.color) {
    if (palette.color.media === "(prefers-color-scheme)") {
      var media = matchMedia("(prefers-color-scheme: light)");
      var input = document.querySelector(
        media.matches
          ? "[data-md-color-media='(prefers-color-scheme: light)']"
          : "[data-md-color-media='(prefers-color-scheme: dark)']"
      );
      ["media", "scheme", "primary", "accent"].forEach(function (key) {
        palette.color[key] = input.getAttribute("data-md-color-" + key);
      });
    }
    Object.keys(palette.color).forEach(function (key) {
      document.body.setAttribute("data-md-color-" + key, palette.color[key]);
    });
    return;
  }
  var inputs = document.querySelectorAll('[data-md-component="palette"] input');
  for (var i = 0; i < inputs.length; i++) {
    if (!matchMedia(inputs[i].getAttribute("data-md-color-media")).matches) continue;
    ["scheme", "primary", "accent"].forEach(function (key) {
      document.body.setAttribute("data-md-color-" + key, inputs[i].getAttribute("data-md-color-" + key));
    });
    return;
  }
})();
