/* Site behaviour. Every script lives in a static file: the Content-Security-Policy forbids inline ones. */
(function () {
  "use strict";
  // <form data-confirm="…">: ask before a destructive submit.
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
  // <select data-autosubmit>: submit the surrounding form when the choice changes.
  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-autosubmit]") && event.target.form) {
      event.target.form.requestSubmit();
    }
  });
})();
