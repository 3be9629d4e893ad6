/* Homeward's small progressive enhancements; every page works without them.
   - the menu collapses behind a button on narrow screens
   - table cells get their column's heading, so tables reflow into cards below 600 px
   - "Other" in a country list reveals the text box for it
   - buttons that act on checked rows stay disabled, with the reason, until a row is checked
   - the browser's time zone is remembered in a cookie, so times are shown in it */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  try {
    var tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (tz && document.cookie.indexOf("hw_tz=" + encodeURIComponent(tz)) === -1) {
      document.cookie = "hw_tz=" + encodeURIComponent(tz) + "; path=/; max-age=31536000; samesite=lax";
    }
  } catch (e) { /* no Intl: times stay in UTC, labelled so */ }

  function labelTables(root) {
    root.querySelectorAll("table").forEach(function (table) {
      if (table.classList.contains("calendar") || table.classList.contains("no-reflow")) return;
      var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return th.textContent.trim();
      });
      if (!heads.length) return;
      table.classList.add("reflow");
      table.querySelectorAll("tbody tr").forEach(function (tr) {
        var i = 0;
        Array.prototype.forEach.call(tr.children, function (td) {
          if (heads[i] && !td.hasAttribute("data-label")) td.setAttribute("data-label", heads[i]);
          i += td.colSpan || 1;
        });
      });
    });
  }

  function countryChoices(root) {
    root.querySelectorAll(".country-choice").forEach(function (box) {
      var select = box.querySelector("select");
      var other = box.querySelector(".other-country");
      if (!select || !other) return;
      var sync = function () { other.hidden = select.value !== "__other__"; };
      select.addEventListener("change", sync);
      sync();
    });
  }

  function checkedRowButtons(root) {
    root.querySelectorAll("[data-needs-checked]").forEach(function (button) {
      var formId = button.getAttribute("data-needs-checked");
      var reason = document.getElementById(button.getAttribute("aria-describedby") || "");
      var sync = function () {
        var n = document.querySelectorAll('input[type=checkbox][form="' + formId + '"]:checked, #' + formId +
          " input[type=checkbox][name=entry]:checked").length;
        button.disabled = n === 0;
        if (reason) reason.hidden = n !== 0;
      };
      document.addEventListener("change", sync);
      sync();
    });
  }

  function menu() {
    var toggle = document.getElementById("menu-toggle");
    var top = document.getElementById("top");
    if (!toggle || !top) return;
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = top.classList.toggle("menu-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  function enhance(root) {
    labelTables(root);
    countryChoices(root);
    checkedRowButtons(root);
  }

  document.addEventListener("DOMContentLoaded", function () {
    menu();
    enhance(document);
  });
  document.addEventListener("htmx:afterSwap", function (event) { labelTables(event.target); });
})();
