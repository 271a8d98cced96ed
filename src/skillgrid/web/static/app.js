// Progressive enhancement of the assessment form; without JavaScript its buttons do the same
// by a full page load. With it: each change is saved shortly after it is made and the page
// stays where it is; a criterion the server refuses shows why beside it and keeps what was
// typed; Enter in a field does not send the whole page; leaving with changes not yet saved
// asks first.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch) { return; }
  var status = form.querySelector("#save-state");
  var timer = null;
  var inflight = 0;
  var leaving = false;
  var dirty = {};  // criterion id → true: changed here and not yet saved

  function say(text) { if (status) { status.textContent = text; } }
  function names(ids) { return ids.join(", "); }
  function criterionOf(node) {
    var fieldset = node.closest ? node.closest("fieldset.criterion") : null;
    return fieldset ? fieldset.id.slice(2) : null;  // id="c-PO.1.1"
  }
  function fieldsetOf(cid) { return document.getElementById("c-" + cid); }

  function showError(cid, why) {
    var fieldset = fieldsetOf(cid);
    if (!fieldset) { return; }
    var note = document.getElementById("err-" + cid);
    if (!note) {
      note = document.createElement("p");
      note.className = "error field-error";
      note.id = "err-" + cid;
      fieldset.insertBefore(note, fieldset.querySelector(".ratings"));
    }
    note.textContent = "Not saved: " + why;
    fieldset.classList.add("invalid");
    fieldset.setAttribute("aria-describedby", note.id);
    var fold = fieldset.closest("details");
    if (fold) { fold.open = true; }
    fieldset.closest("section.track").hidden = false;  // also when another track is shown
  }
  function clearError(cid) {
    var fieldset = fieldsetOf(cid);
    var note = document.getElementById("err-" + cid);
    if (note) { note.remove(); }
    if (fieldset) { fieldset.classList.remove("invalid"); fieldset.removeAttribute("aria-describedby"); }
  }

  function linkAdded(item) {
    // the new item joins the criterion's ticked evidence (ticked is linked), its fields empty
    var fieldset = fieldsetOf(item.criterion);
    if (!fieldset) { return; }
    var list = fieldset.querySelector("ul.evidence");
    if (!list || list.closest(".link-evidence")) {
      list = document.createElement("ul");
      list.className = "evidence";
      list.setAttribute("aria-label", "Evidence for " + item.criterion + " (untick to unlink)");
      fieldset.insertBefore(list, fieldset.querySelector(".link-evidence, .add-evidence"));
    }
    var li = document.createElement("li");
    var label = document.createElement("label");
    var box = document.createElement("input");
    box.type = "checkbox"; box.name = "evidence-link-" + item.criterion; box.value = item.id; box.checked = true;
    label.appendChild(box);
    label.appendChild(document.createTextNode(" " + item.title + " (added)"));
    li.appendChild(label);
    list.appendChild(li);
    ["evidence-title-", "evidence-url-"].forEach(function (prefix) {
      var input = form.querySelector("input[name='" + prefix + item.criterion + "']");
      if (input) { input.value = ""; }
    });
  }

  // explicit: the person pressed save (focus goes to a refused criterion); unloading: the
  // page is being left, so the request must outlive it (keepalive: bodies up to 64 KB)
  function save(explicit, unloading) {
    if (timer) { clearTimeout(timer); timer = null; }
    var sent = Object.keys(dirty);
    dirty = {};
    var data = new FormData(form);
    data.set("action", "save");
    inflight += 1;
    say("Saving…");
    // not form.action: the buttons named "action" shadow that property
    return fetch(form.getAttribute("action"), {
      method: "POST", body: data, keepalive: !!unloading, headers: { "X-Requested-With": "fetch" }
    })
      .then(function (response) {
        if (response.ok) { return response.json(); }
        sent.forEach(function (cid) { dirty[cid] = true; });
        // the server says why (title and detail); a proxy's or a limit's answer may not
        return response.json().catch(function () { return {}; }).then(function (refusal) {
          var overtaken = response.status === 409 && refusal.title === "Changed meanwhile";
          if (overtaken && explicit) {
            // the page again, with the changes made here shown over the stored ones
            Object.keys(dirty).forEach(function (cid) {
              var changed = document.createElement("input");
              changed.type = "hidden"; changed.name = "changed"; changed.value = cid;
              form.appendChild(changed);
            });
            leaving = true;
            form.submit();
          } else if (overtaken) {
            say("Not saved: this assessment was saved elsewhere meanwhile (another tab or person). Save draft shows your changes over that save, to save again.");
          } else if (refusal.detail) {
            say("Not saved: " + String(refusal.detail).replace(/\.$/, "") + ". Your changes are still on this page.");
          } else {
            say("Not saved (" + response.status + "): your changes are still on this page. Use the save button to see why.");
          }
          return null;
        });
      })
      .then(function (body) {
        if (!body) { return; }
        form.querySelector("input[name=revision]").value = body.revision;
        var refused = Object.keys(body.refused || {});
        refused.forEach(function (cid) { dirty[cid] = true; showError(cid, body.refused[cid]); });
        var saved = sent.filter(function (cid) { return refused.indexOf(cid) < 0; });
        saved.forEach(clearError);
        (body.added || []).forEach(linkAdded);
        if (typeof body.rated === "number") {  // the header, as the assessment now stands
          var state = document.getElementById("state-words");
          if (state) { state.textContent = state.dataset.afterSave; }
          var ratedCount = document.getElementById("rated-count");
          if (ratedCount) { ratedCount.textContent = body.rated; }
          var levelSoFar = document.getElementById("level-so-far");
          if (levelSoFar) { levelSoFar.textContent = body.level; }
        }
        var when = new Date().toLocaleTimeString();
        var text = saved.length ? "Saved at " + when + ": " + names(saved) + "." : "Saved at " + when + ".";
        if (refused.length) {
          text += " Not saved: " + names(refused) + " — the reason is beside each.";
          if (explicit) {
            var first = fieldsetOf(refused[0]);
            var control = first && first.querySelector("input:not([type=hidden]), textarea");
            if (control) { control.focus(); }
          }
        }
        say(text);
      })
      .catch(function () {
        sent.forEach(function (cid) { dirty[cid] = true; });
        say("Not saved: the server did not answer. Your changes are still on this page; try the save button.");
      })
      .then(function () { inflight -= 1; });
  }

  function changed(event) {
    var cid = criterionOf(event.target);
    if (!cid) { return; }
    dirty[cid] = true;
    say("Changed: " + names(Object.keys(dirty)) + " — saving…");
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(function () { save(false); }, 700);
  }
  form.addEventListener("change", changed);
  form.addEventListener("input", function (event) {
    var cid = criterionOf(event.target);
    if (cid) { dirty[cid] = true; }
  });

  // Enter in a field neither sends the page nor moves it; buttons and folds keep Enter
  form.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key === "Enter" && target.tagName === "INPUT" && target.type !== "submit") {
      event.preventDefault();
    }
  });

  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (button && button.value === "save") {  // save in place: the page stays where it is
      event.preventDefault();
      save(true);
      return;
    }
    leaving = true;  // submit and finalize carry the changes with them
  });

  window.addEventListener("beforeunload", function (event) {
    if (leaving || (!Object.keys(dirty).length && !inflight && !timer)) { return; }
    if (timer) { save(false, true); }  // it goes on should the person leave anyway
    event.preventDefault();
    event.returnValue = "";
  });
})();


// Assessing one track at a time: the track list shows each track's progress and, with
// JavaScript, shows only the track picked (or all, as at first); "rate the rest" gives the unrated criteria of a
// level one rating; j / k move to the next / previous criterion (arrow keys then choose).
(function () {
  "use strict";
  var nav = document.querySelector("nav.track-nav");
  if (!nav) { return; }
  var form = nav.closest("form");
  var sections = Array.prototype.slice.call(form.querySelectorAll("section.track"));
  var links = Array.prototype.slice.call(nav.querySelectorAll("a[data-track]"));
  var editable = form.hasAttribute("data-autosave");

  function rated(fieldset) { return !!fieldset.querySelector(".ratings input:checked"); }
  function unratedWords(unrated, total) {  // as words.py unrated_words says it
    return unrated + " of " + total + " criteria " + (unrated === 1 ? "is" : "are") +
      " not rated yet; a criterion left unrated counts as not met.";
  }
  function count() {
    var every = form.querySelectorAll("fieldset.criterion");
    var unrated = every.length - Array.prototype.filter.call(every, rated).length;
    var note = document.getElementById("confirm-submit-note");
    if (note) { note.textContent = unrated ? unratedWords(unrated, every.length) : ""; note.hidden = !unrated; }
    form.querySelectorAll("p.rate-rest").forEach(function (row) {  // a level all rated needs none
      row.hidden = Array.prototype.every.call(row.closest("details").querySelectorAll("fieldset.criterion"), rated);
    });
    links.forEach(function (link) {
      var section = document.getElementById("track-" + link.dataset.track);
      var all = section.querySelectorAll("fieldset.criterion");
      var done = Array.prototype.filter.call(all, rated).length;
      link.querySelector(".progress").textContent = done + " of " + all.length;
    });
    form.querySelectorAll("details > summary .meta").forEach(function (meta) {
      var fold = meta.closest("details");
      var all = fold.querySelectorAll("fieldset.criterion");
      var done = Array.prototype.filter.call(all, rated).length;
      meta.textContent = "(" + done + " of " + all.length + " rated)";
    });
  }
  function show(key) {  // null: every track
    sections.forEach(function (section) { section.hidden = key !== null && section.dataset.track !== key; });
    links.concat([every]).forEach(function (link) {
      var current = (link.dataset.track || null) === key;
      if (current) { link.setAttribute("aria-current", "true"); } else { link.removeAttribute("aria-current"); }
    });
  }
  var every = document.createElement("a");
  every.href = "#"; every.textContent = "All tracks";
  var item = document.createElement("li");
  item.appendChild(every);
  nav.querySelector("ul").appendChild(item);
  nav.addEventListener("click", function (event) {
    var link = event.target.closest("a");
    if (!link) { return; }
    event.preventDefault();
    show(link.dataset.track || null);
    var section = link.dataset.track ? document.getElementById("track-" + link.dataset.track) : sections[0];
    section.scrollIntoView({ block: "start" });
  });
  var keys = document.createElement("p");
  keys.className = "meta keys";
  keys.textContent = "Keys: j / k next / previous criterion; the arrow keys choose its rating.";
  nav.appendChild(keys);
  show(null);  // every track until the person picks one
  form.addEventListener("change", count);

  if (editable) {
    form.querySelectorAll("details").forEach(function (fold) {
      if (!fold.querySelector("fieldset.criterion") || fold.closest("fieldset")) { return; }
      var row = document.createElement("p");
      row.className = "rate-rest";
      var choice = document.createElement("select");
      choice.setAttribute("aria-label", "Rating for the unrated criteria of this level");
      [["meets", "Meets"], ["developing", "Developing"], ["not_yet", "Not yet"], ["exceeds", "Exceeds"]].forEach(function (pair) {
        var option = document.createElement("option");
        option.value = pair[0]; option.textContent = pair[1];
        choice.appendChild(option);
      });
      var button = document.createElement("button");
      button.type = "button"; button.className = "quiet";
      button.textContent = "Rate the rest of this level";
      button.addEventListener("click", function () {
        fold.querySelectorAll("fieldset.criterion").forEach(function (fieldset) {
          if (rated(fieldset)) { return; }
          var radio = fieldset.querySelector(".ratings input[value='" + choice.value + "']");
          if (radio && !radio.disabled) {
            radio.checked = true;
            radio.dispatchEvent(new Event("change", { bubbles: true }));
          }
        });
      });
      row.appendChild(document.createTextNode("Unrated here: "));
      row.appendChild(choice);
      row.appendChild(document.createTextNode(" "));
      row.appendChild(button);
      fold.insertBefore(row, fold.querySelector("fieldset.criterion"));
    });
    count();  // levels rated in full show no "rate the rest"
  }

  form.addEventListener("keydown", function (event) {
    var target = event.target;
    if ((event.key !== "j" && event.key !== "k") || event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (target.tagName === "TEXTAREA" || target.tagName === "SELECT" ||
        (target.tagName === "INPUT" && target.type !== "radio" && target.type !== "checkbox")) { return; }
    var all = Array.prototype.filter.call(form.querySelectorAll("fieldset.criterion"), function (f) {
      return !f.closest("section").hidden;
    });
    var here = all.indexOf(target.closest("fieldset.criterion"));
    var next = all[event.key === "j" ? here + 1 : (here < 0 ? 0 : here - 1)];
    if (!next) { return; }
    event.preventDefault();
    var fold = next.closest("details");
    if (fold) { fold.open = true; }
    var radio = next.querySelector(".ratings input:checked") || next.querySelector(".ratings input");
    radio.focus();
    next.scrollIntoView({ block: "center" });
  });
})();
