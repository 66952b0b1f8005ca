/* The plan and report form's comforts; the form works without them (CSP: a static file).
 *
 * - Money: each amount is echoed in 백만원 as it is typed, with 집행률 against the planned
 *   budget; on leaving the input it gets its thousands separators (the server takes both).
 * - Unsaved text: every change is kept in this browser's localStorage under the user and the
 *   page (data-draft-key) with the record's version it was typed on (data-draft-version). On
 *   load a draft of the same version is put back (the session may have ended before it was
 *   saved); a draft of an older version is dropped (the record was saved since), and so is
 *   one older than 12 hours or one whose user signed out on purpose from this page.
 * - A refused save opens at the list of what to fix (data-error-summary).
 * - While there are unsaved changes the session is kept alive (data-keep-alive, every two
 *   minutes) and leaving the page asks first.
 */
(function () {
  "use strict";

  var form = document.querySelector("form.filing-form");
  if (!form) return;

  var KEY = "gwangyang-draft:" + form.dataset.draftKey;
  var VERSION = form.dataset.draftVersion || "0";
  var PING_MS = 2 * 60 * 1000;
  var MAX_AGE_MS = 12 * 60 * 60 * 1000;
  var dirty = false;
  var sending = false;
  var timer = null;

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  // --- Money ------------------------------------------------------------------------------
  var NUMBER = /^(\d+|\d{1,3}(,\d{3})+)$/;

  function won(text) {
    text = (text || "").trim();
    return NUMBER.test(text) ? parseInt(text.replace(/,/g, ""), 10) : null;
  }

  function oneDecimal(value) {
    return value.toLocaleString("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  }

  function echo(input) {
    var amount = won(input.value);
    form.querySelectorAll('output[for="' + input.id + '"]').forEach(function (out) {
      if (out.hasAttribute("data-money-echo")) {
        out.textContent = amount === null ? "—" : oneDecimal(amount / 1e6);
      } else if (out.hasAttribute("data-money-rate")) {
        var budget = parseInt(out.getAttribute("data-money-rate"), 10);
        out.textContent = amount === null || !budget ? "—" : oneDecimal((amount * 100) / budget) + "%";
      }
    });
  }

  form.querySelectorAll("input.money-input").forEach(function (input) {
    input.addEventListener("input", function () { echo(input); });
    input.addEventListener("blur", function () {
      var amount = won(input.value);
      if (amount !== null) input.value = amount.toLocaleString("en-US");
      echo(input);
    });
  });

  // --- Drafts -----------------------------------------------------------------------------
  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && el.name !== "version" &&
        (el.tagName === "TEXTAREA" || el.tagName === "SELECT" ||
         (el.tagName === "INPUT" && (el.type === "text" || el.type === "number")));
    });
  }

  function keep() {
    var store = storage();
    if (!store) return;
    var values = {};
    fields().forEach(function (el) { values[el.name] = el.value; });
    try {
      store.setItem(KEY, JSON.stringify({ version: VERSION, at: Date.now(), values: values }));
    } catch (e) { /* storage full or refused: the comfort is lost, not the form */ }
  }

  function restore() {
    var store = storage();
    if (!store) return;
    var draft = null;
    try { draft = JSON.parse(store.getItem(KEY) || "null"); } catch (e) { draft = null; }
    if (!draft || !draft.values) return;
    // Saved since (the draft is what was saved), or left too long ago on a possibly shared PC.
    if (String(draft.version) !== VERSION || !(Date.now() - draft.at < MAX_AGE_MS)) {
      store.removeItem(KEY);
      return;
    }
    var changed = false;
    fields().forEach(function (el) {
      if (Object.prototype.hasOwnProperty.call(draft.values, el.name) &&
          draft.values[el.name] !== el.value) {
        el.value = draft.values[el.name];
        changed = true;
        if (el.classList.contains("money-input")) echo(el);
      }
    });
    if (changed) {
      dirty = true;
      startPinging();
      show("[data-draft-restored]");
    }
  }

  function show(selector) {
    var notice = document.querySelector(selector);
    if (notice) notice.hidden = false;
  }

  var discard = document.querySelector("[data-draft-discard]");
  if (discard) {
    discard.addEventListener("click", function () {
      var store = storage();
      if (store) store.removeItem(KEY);
      dirty = false;
      window.location.reload();
    });
  }

  // --- Keeping the session alive, asking before leaving ---------------------------------------
  function ping() {
    var token = form.querySelector("[name=csrfmiddlewaretoken]");
    fetch(form.dataset.keepAlive, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      headers: { "X-CSRFToken": token ? token.value : "" }
    }).then(function (response) {
      if (response.status !== 204) show("[data-session-ended]");
    }).catch(function () { /* offline: try again at the next tick */ });
  }

  function startPinging() {
    if (timer === null && form.dataset.keepAlive) timer = window.setInterval(ping, PING_MS);
  }

  function changed() {
    if (!dirty) {
      dirty = true;
      startPinging();
    }
    keep();
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function () { sending = true; });
  // Signing out on purpose (after the question before leaving) leaves nothing behind.
  document.querySelectorAll('form[action$="/logout/"]').forEach(function (logout) {
    logout.addEventListener("submit", function () {
      var store = storage();
      if (store) store.removeItem(KEY);
    });
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty && !sending) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  restore();
  // A save refused: the list of what to fix, at the top of the form, is where the page opens
  // (on a phone the first refused field can be screens below).
  var summary = form.querySelector("[data-error-summary]");
  if (summary) summary.focus();
})();
