// Progressive enhancement: save the assessment form as a draft shortly after each change.
// Without JavaScript the "Save draft" button does the same.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch) { return; }
  var status = form.querySelector(".status");
  var timer = null;
  function say(text) { if (status) { status.textContent = text; } }
  function save() {
    var data = new FormData(form);
    data.set("action", "save");
    // not form.action: the buttons named "action" shadow that property
    fetch(form.getAttribute("action"), { method: "POST", body: data, headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (response.status === 409) { say("Changed meanwhile elsewhere: reload the page and retry."); return null; }
        if (!response.ok) { say("Not saved (" + response.status + "): use Save draft to see why."); return null; }
        return response.json();
      })
      .then(function (body) {
        if (!body) { return; }
        form.querySelector("input[name=revision]").value = body.revision;
        var added = form.querySelectorAll("input[name^='evidence-title-']");
        if (Array.prototype.some.call(added, function (input) { return input.value; })) {
          window.location.reload();  // show the new evidence where it belongs
          return;
        }
        say("Draft saved at " + new Date().toLocaleTimeString());
      })
      .catch(function () { say("Not saved: the server did not answer. Use Save draft."); });
  }
  form.addEventListener("change", function () {
    say("Saving…");
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(save, 700);
  });
})();
