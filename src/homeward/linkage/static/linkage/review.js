// The review page by keyboard alone: S same child, D different children, U unsure, N skip; Enter records.
// Keys are read by their physical position (event.code), so they work on Ukrainian, Russian and Arabic layouts.
(function () {
  "use strict";
  var form = document.getElementById("decide-form");
  if (!form) { return; }
  var skipForm = document.getElementById("skip-form");
  var reason = document.getElementById("reason");
  var submit = document.getElementById("record-decision");
  var keys = { KeyS: "same", KeyD: "different", KeyU: "unsure" };

  function choose(value) {
    var radio = form.querySelector('input[name="decision"][value="' + value + '"]');
    if (!radio) { return; }
    radio.checked = true;
    showZone(value);
    if (value === "different") { reason.focus(); } else { submit.focus(); }
  }

  function showZone(value) {
    form.querySelectorAll(".zone").forEach(function (zone) { zone.hidden = zone.dataset.for !== value; });
  }

  form.addEventListener("change", function (event) {
    if (event.target.name === "decision") { showZone(event.target.value); }
  });

  reason.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      if (form.reportValidity()) { form.requestSubmit(); }
    } else if (event.key === "Escape") {
      reason.blur();
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "textarea" || tag === "input" && event.target.type === "text" || tag === "select") { return; }
    if (keys[event.code]) {
      event.preventDefault();
      choose(keys[event.code]);
    } else if (event.code === "KeyN" && skipForm) {
      event.preventDefault();
      skipForm.requestSubmit();
    }
  });
})();
