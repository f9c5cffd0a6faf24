// The desk's only script, an improvement over forms that work without it: the CSRF token on
// htmx requests, autosave (one request at a time, on the version the page read), Ctrl/Cmd+S,
// a warning before leaving unsaved text, and the unsaved text kept in this browser
// (localStorage) until the server has it; the Copy button of a secret shown once; and the
// progress bar of a long request (the subscribers' import).
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.getAttribute("content") : "";
  document.addEventListener("htmx:configRequest", function (e) {
    e.detail.headers["X-CSRF-Token"] = csrf;
  });

  document.querySelectorAll("[data-discard]").forEach(function (a) {
    a.addEventListener("click", function () {
      localStorage.removeItem("desk:" + a.getAttribute("data-discard"));
    });
  });

  // A picture dropped on an upload field's zone goes into its file input, so the form posts
  // it exactly as if it had been chosen; the field itself stays the keyboard's way.
  document.querySelectorAll("[data-drop]").forEach(function (zone) {
    var input = document.getElementById(zone.getAttribute("data-drop"));
    var status = zone.querySelector(".drop-state");
    if (!input) { return; }
    function tell(text) { if (status) { status.textContent = text; } }
    zone.addEventListener("dragover", function (e) { e.preventDefault(); zone.classList.add("dragging"); });
    zone.addEventListener("dragleave", function (e) {
      // Moving over the zone's own label or field is not leaving it.
      if (!e.relatedTarget || !zone.contains(e.relatedTarget)) { zone.classList.remove("dragging"); }
    });
    zone.addEventListener("drop", function (e) {
      e.preventDefault();
      zone.classList.remove("dragging");
      var files = e.dataTransfer ? e.dataTransfer.files : null;
      if (!files || files.length !== 1) { tell("Drop one picture file at a time."); return; }
      input.files = files;
      input.dispatchEvent(new Event("change", { bubbles: true }));
      tell("Ready to upload: " + files[0].name + ". Fill in what it shows, then upload.");
    });
  });

  // A secret shown once: the address becomes its partner's page, so that a reload reads
  // that page (without the secret) rather than sending the form again and making another.
  var once = document.querySelector("[data-replace-url]");
  if (once && window.history && history.replaceState) {
    history.replaceState(null, "", once.getAttribute("data-replace-url"));
  }
  // Its Copy button (hidden without JS, where the field is selectable).
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    var said = document.getElementById(button.getAttribute("data-copy") + "-copied");
    if (!field) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var done = function () { if (said) { said.textContent = "Copied."; } };
      var fallback = function () { field.select(); document.execCommand("copy"); done(); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, fallback);
      } else {
        fallback();
      }
    });
  });

  // A form marked data-progress shows its <progress> while its request runs. A file upload
  // goes by XMLHttpRequest so the bar follows the bytes actually sent; once they are all
  // sent the server is checking the rows, which it does not report, so the bar turns
  // indeterminate and says so. The answer replaces <main>, as the page the form would load.
  // Without this script the form posts as usual.
  function progressOn(root) {
    root.querySelectorAll("form[data-progress]").forEach(function (f) {
      var box = f.querySelector(".progress");
      var bar = box && box.querySelector("progress");
      var said = box && box.querySelector(".progress-said");
      if (!bar) { return; }
      var tell = function (text) { if (said) { said.textContent = text; } };
      f.addEventListener("submit", function (e) {
        box.hidden = false;
        var file = f.querySelector('input[type="file"]');
        if (!file || !window.FormData || !window.DOMParser) {
          bar.removeAttribute("value");
          tell("Working: this can take a minute for a large file.");
          return;
        }
        e.preventDefault();
        f.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
        var xhr = new XMLHttpRequest();
        xhr.open("POST", f.action);
        xhr.upload.addEventListener("progress", function (p) {
          if (!p.lengthComputable) { return; }
          var pct = Math.round(100 * p.loaded / p.total);
          bar.value = pct;
          tell("Sent " + pct + "% of the file.");
        });
        xhr.upload.addEventListener("load", function () {
          bar.removeAttribute("value");
          tell("Sent. Checking every row…");
        });
        xhr.addEventListener("load", function () {
          var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
          var main = doc.querySelector("main");
          if (!main) { tell("The server's answer could not be shown. Reload the page."); return; }
          document.title = doc.title;
          document.querySelector("main").replaceWith(main);
          progressOn(main);
          var h1 = main.querySelector("h1");
          if (h1) { h1.focus(); }
        });
        xhr.addEventListener("error", function () {
          f.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
          bar.value = 0;
          tell("Not sent: the server cannot be reached. Try again.");
        });
        xhr.send(new FormData(f));
      });
    });
  }
  progressOn(document);

  var form = document.getElementById("editor");
  if (!form || form.getAttribute("data-autosave") !== "on") { return; }
  var key = "desk:" + form.getAttribute("data-story");
  var versionInput = form.querySelector('input[name="version"]');
  var state = document.getElementById("autosave-state");
  var dirty = false, saving = false, timer = null;

  function say(text) { if (state) { state.textContent = text; } }
  function fields() {
    var out = {};
    new FormData(form).forEach(function (v, k) {
      if (k === "csrf" || k === "version") { return; }
      (out[k] = out[k] || []).push(String(v));
    });
    return out;
  }
  function keep() {
    localStorage.setItem(key, JSON.stringify({ version: versionInput.value, fields: fields() }));
  }
  function restore(saved) {
    Object.keys(saved.fields).forEach(function (name) {
      var els = form.querySelectorAll('[name="' + name + '"]');
      els.forEach(function (el) {
        if (el.type === "checkbox") { el.checked = saved.fields[name].indexOf(el.value) >= 0; }
        else { el.value = saved.fields[name][0]; }
      });
    });
  }

  // Unsaved text from an earlier visit: put back when it was typed on this version.
  try {
    var saved = JSON.parse(localStorage.getItem(key) || "null");
    if (saved && JSON.stringify(saved.fields) !== JSON.stringify(fields())) {
      if (saved.version === versionInput.value) {
        restore(saved);
        dirty = true;
        say("Unsaved text from this browser was put back; it is not saved yet.");
        schedule();
      } else {
        say("This browser holds unsaved text from an older version; saving now would overwrite newer changes, so it was not put back.");
      }
    } else if (saved) {
      localStorage.removeItem(key);
    }
  } catch (err) { localStorage.removeItem(key); }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(save, 3000);
  }
  function save() {
    if (saving || !dirty) { return; }
    saving = true;
    dirty = false;
    say("Saving…");
    fetch(form.action, {
      method: "POST",
      headers: { "X-Desk-Autosave": "1", "X-CSRF-Token": csrf, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(new FormData(form)),
      credentials: "same-origin"
    }).then(function (res) {
      saving = false;
      if (res.ok) {
        return res.json().then(function (body) {
          versionInput.value = String(body.version);
          form.setAttribute("data-version", String(body.version));
          // The workflow buttons act on the version just saved, not the one the page read.
          document.querySelectorAll('form.action input[name="version"]').forEach(function (input) {
            input.value = String(body.version);
          });
          if (dirty) { keep(); schedule(); } else { localStorage.removeItem(key); }
          say("Saved at " + body.saved_at + ".");
        });
      }
      // A conflict or a field error: the real form post shows it, text kept.
      leaving = true;
      form.submit();
    }, function () {
      saving = false;
      dirty = true;
      say("Not saved: the server cannot be reached. Your text is kept in this browser.");
      schedule();
    });
  }

  var leaving = false;
  form.addEventListener("input", function () { dirty = true; keep(); say("Unsaved changes"); schedule(); });
  form.addEventListener("submit", function () { leaving = true; });
  document.addEventListener("keydown", function (e) {
    if ((e.ctrlKey || e.metaKey) && (e.key === "s" || e.key === "S")) {
      e.preventDefault();
      dirty = true;
      clearTimeout(timer);
      save();
    }
  });
  window.addEventListener("beforeunload", function (e) {
    if ((dirty || saving) && !leaving) { e.preventDefault(); e.returnValue = ""; }
  });
})();
