// After a submission lands, the browser's copy of that draft has done its job: forget it so
// the next attempt starts clean.
(function () {
  "use strict";
  const marker = document.querySelector("[data-clear-draft]");
  if (!marker) return;
  try {
    localStorage.removeItem(marker.dataset.clearDraft);
  } catch (error) {
    // Storage disabled: nothing to clear.
  }
})();
