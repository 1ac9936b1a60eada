// Material's inline script (partials/javascripts/content.html), as a file: a link to a content
// tab's anchor opens that tab.
(function () {
  var target = document.getElementById(location.hash.slice(1));
  if (target && target.name) target.checked = target.name.indexOf("__tabbed_") === 0;
})();
