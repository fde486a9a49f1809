/* 登记: show only the receipt-date fields of the chosen channel (Art. 31). The others are
 * hidden and disabled, so they are not sent; without JavaScript every field shows. */
(function () {
  var form = document.getElementById("register-form");
  if (!form || form.dataset.channels === "on") return;
  form.dataset.channels = "on";
  function show() {
    var chosen = form.querySelector('input[name="channel"]:checked');
    var channel = chosen ? chosen.value : "";
    form.querySelectorAll("[data-channels]").forEach(function (box) {
      var wanted = box.dataset.channels.split(" ").indexOf(channel) >= 0;
      box.hidden = !wanted;
      box.querySelectorAll("input").forEach(function (input) { input.disabled = !wanted; });
    });
  }
  form.addEventListener("change", function (event) {
    if (event.target.name === "channel") show();
  });
  show();
})();
