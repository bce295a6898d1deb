// Mentor review page: insert remarks from the comment bank into the comment, and say when a
// reason is needed. Without JavaScript the bank is a plain list to copy from and the server
// asks for the reason itself.
(function () {
  "use strict";

  const bank = document.querySelector("[data-comment-target]");
  const comment = bank && document.getElementById(bank.dataset.commentTarget);
  // A disabled form (another mentor holds the claim) gets no insert buttons.
  if (bank && comment && !comment.matches(":disabled")) {
    bank.querySelectorAll(".bank-insert").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        const text = button.closest("li").querySelector(".bank-text").textContent.trim();
        const current = comment.value.replace(/\s+$/, "");
        comment.value = current ? current + "\n\n" + text : text;
        comment.focus();
        comment.setSelectionRange(comment.value.length, comment.value.length);
      });
    });
  }

  const marks = document.querySelector("[data-auto-marks]");
  const reasonField = document.getElementById("reason-field");
  if (marks && reasonField) {
    const auto = parseFloat(marks.dataset.autoMarks);
    const reason = reasonField.querySelector("textarea");
    const update = function () {
      const value = parseFloat(marks.value);
      const needed = !Number.isNaN(value) && Math.abs(value - auto) > 1;
      reasonField.classList.toggle("reason-needed", needed);
      reason.required = needed;
    };
    marks.addEventListener("input", update);
    update();
  }
})();
