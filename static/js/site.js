// Behaviour every page shares. Kept out of the HTML: the Content-Security-Policy allows no inline
// script or event-handler attributes, only files served from this site.
(function () {
  // The language picker (and any other select marked so) submits its form when changed.
  document.querySelectorAll("select[data-submit-on-change]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  // A share link's box selects its whole URL when tapped, ready to copy.
  document.querySelectorAll("input[data-select-on-click]").forEach(function (input) {
    input.addEventListener("click", function () { input.select(); });
  });
})();
