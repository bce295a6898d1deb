// The write page: live word count, timer, autosave through htmx, and a copy of the draft in
// this browser (localStorage) so that nothing typed is lost when the connection drops.
(function () {
  "use strict";

  const form = document.getElementById("answer-form");
  if (!form) return;

  const textarea = document.getElementById("answer-text");
  const countEl = document.getElementById("word-count");
  const counterEl = document.getElementById("word-counter");
  const timerEl = document.getElementById("timer-value");
  const secondsInput = document.getElementById("seconds");
  const storageKey = form.dataset.storageKey;
  const wordLimit = parseInt(form.dataset.wordLimit, 10);
  const suggestedSeconds = parseInt(form.dataset.minutes, 10) * 60;
  const AUTOSAVE_DELAY_MS = 1500;
  const OFFLINE_RETRY_MS = 10000;

  let saveTimer = null;
  let retryTimer = null;
  let offline = false;
  let textInFlight = null;

  function versionInput() {
    return document.getElementById("draft-version");
  }

  function statusEl() {
    return document.getElementById("save-status");
  }

  function setStatus(state, message) {
    const el = statusEl();
    if (!el) return;
    el.dataset.state = state;
    el.className = "save-status is-" + state;
    el.textContent = message;
  }

  // Words as the examiner counts them: runs of non-space characters.
  function countWords(text) {
    const trimmed = text.trim();
    return trimmed ? trimmed.split(/\s+/).length : 0;
  }

  function updateCount() {
    const words = countWords(textarea.value);
    countEl.textContent = words;
    counterEl.classList.toggle("is-near", words >= wordLimit * 0.9 && words <= wordLimit * 1.1);
    counterEl.classList.toggle("is-over", words > wordLimit * 1.1);
  }

  // --- local copy -------------------------------------------------------------------------
  function readLocal() {
    try {
      return JSON.parse(localStorage.getItem(storageKey) || "null");
    } catch (error) {
      return null;
    }
  }

  function writeLocal(dirty) {
    try {
      localStorage.setItem(storageKey, JSON.stringify({
        text: textarea.value,
        version: parseInt(versionInput().value, 10) || 0,
        seconds: parseInt(secondsInput.value, 10) || 0,
        dirty: dirty,
        at: Date.now(),
      }));
    } catch (error) {
      // Storage full or disabled: the server copy still works.
    }
  }

  function markLocalSaved(savedText) {
    const local = readLocal();
    const stillDirty = textarea.value !== savedText;
    if (!local || local.text === textarea.value) {
      writeLocal(stillDirty);
    }
    return stillDirty;
  }

  // --- autosave ---------------------------------------------------------------------------
  function scheduleSave(delay) {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(save, delay);
  }

  function save() {
    clearTimeout(saveTimer);
    if (statusEl() && statusEl().dataset.state === "conflict") return;
    textInFlight = textarea.value;
    htmx.trigger(form, "autosave");
  }

  form.addEventListener("htmx:beforeRequest", function () {
    setStatus("saving", "Saving…");
  });

  form.addEventListener("htmx:afterSettle", function (event) {
    const status = statusEl();
    if (!status || event.detail.failed) return;
    if (status.dataset.state === "saved") {
      if (offline) {
        offline = false;
        clearInterval(retryTimer);
      }
      if (markLocalSaved(textInFlight)) {
        setStatus("dirty", "Unsaved changes…");
        scheduleSave(AUTOSAVE_DELAY_MS);
      }
    }
  });

  function goOffline() {
    offline = true;
    writeLocal(true);
    setStatus("offline",
      "Offline: your text is kept in this browser and will be saved when the connection returns.");
    clearInterval(retryTimer);
    retryTimer = setInterval(function () {
      if (navigator.onLine !== false) save();
    }, OFFLINE_RETRY_MS);
  }

  form.addEventListener("htmx:sendError", goOffline);
  form.addEventListener("htmx:timeout", goOffline);
  form.addEventListener("htmx:responseError", function (event) {
    writeLocal(true);
    setStatus("error", "Not saved (server error " + event.detail.xhr.status +
      "). Your text is kept in this browser; we will try again.");
    scheduleSave(OFFLINE_RETRY_MS);
  });

  window.addEventListener("online", function () {
    if (offline) save();
  });
  window.addEventListener("offline", function () {
    goOffline();
  });

  // "Keep the text here" after a conflict: an explicit choice to save over the newer version.
  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-action='keep-mine']");
    if (!button) return;
    versionInput().value = button.dataset.serverVersion;
    setStatus("dirty", "Saving your text…");
    textInFlight = textarea.value;
    htmx.trigger(form, "autosave");
  });

  textarea.addEventListener("input", function () {
    updateCount();
    writeLocal(true);
    if (statusEl().dataset.state !== "conflict") {
      setStatus(offline ? "offline" : "dirty",
        offline ? "Offline: kept in this browser." : "Unsaved changes…");
    }
    if (!offline) scheduleSave(AUTOSAVE_DELAY_MS);
  });

  // Submitting needs no JavaScript; this only stops a double click from sending twice.
  form.addEventListener("submit", function (event) {
    const submitter = event.submitter;
    if (submitter && submitter.id === "submit-button") {
      writeLocal(true);
      if (form.dataset.submitting === "1") {
        event.preventDefault();
        return;
      }
      form.dataset.submitting = "1";
      submitter.setAttribute("aria-disabled", "true");
    }
  });

  // --- timer ------------------------------------------------------------------------------
  let seconds = parseInt(secondsInput.value, 10) || 0;

  function renderTimer() {
    const minutes = Math.floor(seconds / 60);
    const rest = String(seconds % 60).padStart(2, "0");
    timerEl.textContent = minutes + ":" + rest;
    timerEl.parentElement.classList.toggle("is-over", seconds > suggestedSeconds);
  }

  setInterval(function () {
    if (document.visibilityState !== "visible") return;
    seconds += 1;
    secondsInput.value = seconds;
    renderTimer();
  }, 1000);

  // --- start ------------------------------------------------------------------------------
  function restoreLocal() {
    const local = readLocal();
    const serverVersion = parseInt(versionInput().value, 10) || 0;
    if (!local || !local.dirty || local.text === textarea.value) return;
    if (local.version >= serverVersion) {
      // Typed here after the server's latest save (for example offline, then the tab closed).
      textarea.value = local.text;
      seconds = Math.max(seconds, local.seconds || 0);
      secondsInput.value = seconds;
      setStatus("dirty", "Restored unsaved text from this browser; saving…");
      scheduleSave(0);
    }
  }

  restoreLocal();
  updateCount();
  renderTimer();
})();
