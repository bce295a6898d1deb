// The feedback page.
(function () {
  "use strict";

  // After a submission lands, the browser's copy of that draft has done its job: forget it so
  // the next attempt starts clean.
  const marker = document.querySelector("[data-clear-draft]");
  if (marker) {
    try {
      localStorage.removeItem(marker.dataset.clearDraft);
    } catch (error) {
      // Storage disabled: nothing to clear.
    }
  }

  // On paper there is nothing to click: print the folded sections (model answer, word-by-word
  // changes) open, and fold them again afterwards.
  let openedForPrint = [];
  window.addEventListener("beforeprint", function () {
    openedForPrint = Array.from(document.querySelectorAll("details:not([open])"));
    openedForPrint.forEach(function (details) { details.open = true; });
  });
  window.addEventListener("afterprint", function () {
    openedForPrint.forEach(function (details) { details.open = false; });
    openedForPrint = [];
  });
})();
