/* The report text editor (reports_narratives.html): a listed 【请填写：…】 placeholder, clicked,
 * is selected in its textarea, so typing replaces it. Works without this script too. */
(function () {
  function pick(event) {
    var button = event.target.closest("button.placeholder");
    if (!button) return;
    var area = document.getElementById(button.dataset.target);
    if (!area) return;
    var at = area.value.indexOf(button.dataset.text);
    area.focus();
    if (at >= 0) {
      area.setSelectionRange(at, at + button.dataset.text.length);
      /* scroll the selection into view: a textarea scrolls to its caret only on input */
      var before = area.value.slice(0, at).split("\n").length - 1;
      var lines = area.value.split("\n").length || 1;
      area.scrollTop = Math.max(0, (area.scrollHeight * before) / lines - area.clientHeight / 3);
    }
  }
  if (!window.__reportPlaceholders) {
    window.__reportPlaceholders = true; /* a boosted page loads the script again: bind once */
    document.addEventListener("click", pick);
  }
})();
