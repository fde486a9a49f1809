/* The case page: the outcome picker shows the chosen outcome's default legal basis in the
 * basis field (as its placeholder: a blank basis means the default). Loaded with each case
 * page (boosted navigation runs it again), so it listens once, on the document. */
(function () {
  if (window.caseworkCasePage) return;
  window.caseworkCasePage = true;
  document.addEventListener("change", function (event) {
    var picker = event.target;
    if (!picker || !picker.matches || !picker.matches("select[data-basis-for]")) return;
    var basis = document.getElementById(picker.getAttribute("data-basis-for"));
    var option = picker.selectedOptions && picker.selectedOptions[0];
    if (!basis || !option) return;
    var text = option.getAttribute("data-basis");
    basis.placeholder = text ? "默认：" + text : "";
  });
})();
