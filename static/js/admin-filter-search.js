// Narrows a long admin filter (hundreds of units) to the entries matching what is typed,
// ignoring case and Vietnamese diacritics.
(function () {
  "use strict";
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }
  function bind(input) {
    if (input.dataset.bound) return;
    input.dataset.bound = "1";
    var list = input.parentElement.querySelector("ul");
    input.addEventListener("input", function () {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      list.querySelectorAll("li").forEach(function (item, index) {
        var text = fold(item.textContent);
        var shown = index === 0 || words.every(function (w) { return text.indexOf(w) !== -1; });
        item.hidden = !shown;
      });
    });
  }
  function init() { document.querySelectorAll("[data-filter-search]").forEach(bind); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
