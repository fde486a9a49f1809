/* casework pages: htmx settings. Forms are boosted (sent by htmx with the CSRF header); an
 * answer with an error status is swapped in like any other (the server sends a page, or a
 * message for the #messages area), so the user always sees what went wrong, in Chinese. */
document.addEventListener("DOMContentLoaded", function () {
  if (!window.htmx) return;
  htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "[45]..", swap: true, error: true },
  ];
  htmx.config.historyCacheSize = 0; // a case page must never come back stale from the cache
  htmx.config.getCacheBusterParam = true;
});

document.addEventListener("htmx:sendError", function () {
  var box = document.getElementById("messages");
  if (box) box.innerHTML = '<div class="problem" role="alert"><strong>无法连接服务器</strong><p>请检查网络后重试。</p></div>';
});

/* A message swapped into #messages is read out (role=alert) and scrolled into view. */
document.addEventListener("htmx:afterSwap", function (event) {
  if (event.detail.target && event.detail.target.id === "messages") {
    event.detail.target.scrollIntoView({ block: "nearest" });
  }
});

/* A refused form (422) comes back with its errors beside the fields, the old page swapped
 * away and focus lost: focus the first field in error, so a screen reader reads its label and
 * message and a keyboard user types on where it is needed. */
document.addEventListener("htmx:afterSettle", function (event) {
  if (!event.detail.xhr || event.detail.xhr.status !== 422) return;
  var field = document.querySelector('[aria-invalid="true"]');
  if (field && document.activeElement !== field) field.focus();
});
