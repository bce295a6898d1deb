// Paging through the history swaps the table in place (htmx). Move focus to its heading so a
// keyboard or screen-reader user lands on the new page instead of at the top of the document.
(function () {
  "use strict";
  document.body.addEventListener("htmx:afterSwap", function (event) {
    const target = event.detail && event.detail.target;
    if (!target || target.id !== "history") return;
    const heading = document.getElementById("history-heading");
    if (heading) heading.focus();
  });
})();
