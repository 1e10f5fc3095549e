// Small behaviours every page shares, kept out of the templates so a strict CSP can forbid inline script.
(function () {
  // The language menu switches as soon as a language is picked (a button stays for no-JS visitors).
  document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
  // A share link's box selects its whole URL on a tap, ready to copy.
  document.querySelectorAll("[data-select-on-focus]").forEach((input) => {
    input.addEventListener("focus", () => input.select());
    input.addEventListener("click", () => input.select());
  });
})();
