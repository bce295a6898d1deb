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
  let requestInFlight = false;
  // Once the form is really submitted, autosaving stops: a save arriving after the
  // submission would open a new draft holding the text just submitted.
  let leaving = false;
  // A submission that waits for the save in flight: {submitter} until it is sent.
  let pendingSubmit = null;
  const draftPath = new URL(form.dataset.hxPost, window.location.href).pathname;

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

  // --- autosave ---------------------------------------------------------------------------
  function scheduleSave(delay) {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(save, delay);
  }

  function save() {
    clearTimeout(saveTimer);
    if (leaving) return;
    if (statusEl() && statusEl().dataset.state === "conflict") return;
    textInFlight = textarea.value;
    htmx.trigger(form, "autosave");
  }

  form.addEventListener("htmx:beforeRequest", function () {
    requestInFlight = true;
    if (!offline) setStatus("saving", "Saving…");
  });

  form.addEventListener("htmx:afterRequest", function () {
    requestInFlight = false;
    if (pendingSubmit) {
      // The submission waited for this save; send it now.
      const submitter = pendingSubmit.submitter;
      pendingSubmit = null;
      if (submitter) form.requestSubmit(submitter);
      else form.requestSubmit();
    }
  });

  // A save answered from another address was redirected to the login page: the session
  // ended (logged out in another tab, say). That page must not be swapped into this one.
  form.addEventListener("htmx:beforeSwap", function (event) {
    const responseURL = event.detail.xhr.responseURL;
    if (!responseURL || new URL(responseURL).pathname === draftPath) return;
    event.detail.shouldSwap = false;
    writeLocal(true);
    setStatus("error", "Not saved: you are logged out. Log in again in another tab, then " +
      "reload this page: your text is kept in this browser and comes back.");
  });

  // htmx swaps in the server's status line; this runs once it is in the page.
  form.addEventListener("htmx:afterSettle", function (event) {
    if (event.target !== statusEl() || event.detail.failed) return;
    if (statusEl().dataset.state !== "saved") return;
    if (offline) {
      offline = false;
      clearInterval(retryTimer);
    }
    const stillDirty = textarea.value !== textInFlight;
    writeLocal(stillDirty);
    if (stillDirty) {
      // Typed while the save was on its way: that newer text goes next.
      setStatus("dirty", "Unsaved changes…");
      scheduleSave(AUTOSAVE_DELAY_MS);
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
    if (event.detail.xhr.status === 403) {
      // The page's CSRF token is out of date (logged out and in again): retrying cannot help.
      setStatus("error", "Not saved: this page has expired. Reload it: your text is kept in " +
        "this browser and comes back.");
      return;
    }
    setStatus("error", "Not saved (server error " + event.detail.xhr.status +
      "). Your text is kept in this browser; we will try again.");
    scheduleSave(OFFLINE_RETRY_MS);
  });

  window.addEventListener("online", function () {
    if (offline) save();
  });
  window.addEventListener("offline", function () {
    if (!leaving) goOffline();
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
    // Offline, the status line already says the text is kept here and saved later.
    if (offline) return;
    if (statusEl().dataset.state !== "conflict") setStatus("dirty", "Unsaved changes…");
    scheduleSave(AUTOSAVE_DELAY_MS);
  });

  // Submitting needs no JavaScript. This keeps a copy until the feedback page confirms the
  // answer arrived, says so instead of failing when the browser knows it is offline, lets a
  // save in flight finish first, and stops a double click from sending twice.
  form.addEventListener("submit", function (event) {
    const submitter = event.submitter;
    writeLocal(true);
    if (leaving) {
      event.preventDefault();
      return;
    }
    if (navigator.onLine === false) {
      event.preventDefault();
      if (submitter && submitter.id === "save-draft-button") {
        goOffline();
      } else {
        setStatus("offline", "Offline: your answer cannot be sent until the connection " +
          "returns. It is kept in this browser; submit again then.");
      }
      return;
    }
    clearTimeout(saveTimer);
    clearInterval(retryTimer);
    if (requestInFlight) {
      event.preventDefault();
      pendingSubmit = { submitter: submitter };
      return;
    }
    leaving = true;
    if (submitter) submitter.setAttribute("aria-disabled", "true");
  });

  // Coming back with the browser's Back button shows this page from its cache: make it
  // usable again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    leaving = false;
    form.querySelectorAll("[aria-disabled='true']").forEach(function (button) {
      button.removeAttribute("aria-disabled");
    });
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

  if (textarea.value !== textarea.defaultValue) {
    // Typed before this script ran (it loads after the page shows): that text is unsaved.
    writeLocal(true);
    setStatus("dirty", "Unsaved changes…");
    scheduleSave(AUTOSAVE_DELAY_MS);
  } else {
    restoreLocal();
  }
  updateCount();
  renderTimer();
})();
