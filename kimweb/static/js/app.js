// kimweb: the little behaviour htmx does not cover. No inline scripts (strict CSP).
(function () {
  "use strict";

  // A failed htmx request (network or server error) is told in the live region,
  // so nothing fails silently.
  function announce(message) {
    var region = document.getElementById("flash");
    if (!region) { return; }
    var alert = document.createElement("div");
    alert.className = "kern-alert kern-alert--danger";
    var header = document.createElement("div");
    header.className = "kern-alert__header";
    var text = document.createElement("p");
    text.className = "kern-title";
    text.textContent = message;
    header.appendChild(text);
    alert.appendChild(header);
    region.replaceChildren(alert);
  }

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (status !== 401) { announce(document.body.dataset.errorMessage); }
  });
  document.addEventListener("htmx:sendError", function () {
    announce(document.body.dataset.errorMessage);
  });

  // Close an open menu (<details>) with Escape or a click elsewhere.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      menu.removeAttribute("open");
      menu.querySelector("summary").focus();
    });
  });
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) { menu.removeAttribute("open"); }
    });
  });
})();
