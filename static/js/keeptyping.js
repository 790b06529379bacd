// Asks before leaving a staff edit form that has unsaved changes. The form's own buttons
// (Save, Publish, Mark verified, Move to trash) post everything typed, so they never ask.
// Without this script nothing is lost either: those buttons save the changes first.
(function () {
  "use strict";
  var form = document.querySelector("form[data-keep-typing]");
  if (!form || !window.FormData || !window.URLSearchParams) {
    return;
  }
  var state = function () {
    return new URLSearchParams(new FormData(form)).toString();
  };
  var start = state();
  var posting = false;
  form.addEventListener("submit", function () {
    posting = true;
  });
  window.addEventListener("beforeunload", function (e) {
    if (!posting && state() !== start) {
      e.preventDefault();
      e.returnValue = "";
    }
  });
})();
