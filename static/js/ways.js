// The listing form's ways to reach it, enhanced: "Add another way" adds a row in place
// (without script it posts the form and the server shows it again with the row), and a
// way's fields follow its kind as soon as the kind changes (without script, on the next
// showing). A field of another kind that holds a value stays shown, so nothing is hidden
// that would be saved.
(function () {
  "use strict";
  var form = document.getElementById("entry-form");
  var list = form && form.querySelector("[data-ways]");
  var blank = document.getElementById("new-way");
  if (!list || !blank || !("content" in blank)) {
    return;
  }
  var follow = function (row) {
    var kind = row.querySelector("select[name$='.type']");
    if (!kind) {
      return;
    }
    row.querySelectorAll(".way-field[data-kinds]").forEach(function (f) {
      var input = f.querySelector("input, select, textarea");
      var filled = input && (input.type === "checkbox" ? input.checked : input.value.trim() !== "");
      f.hidden = !filled && f.getAttribute("data-kinds").split(" ").indexOf(kind.value) < 0;
    });
    var name = row.querySelector(".way-kind");
    if (name) {
      name.textContent = "(" + kind.options[kind.selectedIndex].text + ")";
    }
  };
  list.addEventListener("change", function (e) {
    if (e.target.matches("select[name$='.type']")) {
      follow(e.target.closest("[data-way]"));
    }
  });
  form.querySelectorAll("button[name='add-way']").forEach(function (b) {
    b.addEventListener("click", function (e) {
      var next = 0;
      list.querySelectorAll("[data-way]").forEach(function (row) {
        next = Math.max(next, parseInt(row.id.replace("channel-", ""), 10) + 1);
      });
      if (next >= 40) {
        return; // the server says so (maxChannels)
      }
      e.preventDefault();
      var html = blank.innerHTML.split("__i__").join(String(next)).split("__n__").join(String(next + 1));
      list.insertAdjacentHTML("beforeend", html);
      var row = document.getElementById("channel-" + next);
      row.querySelector("select[name$='.type']").value = b.value;
      follow(row);
      var first = row.querySelector(".way-field:not([hidden]) input:not([type=checkbox])");
      if (first) {
        first.focus();
      }
    });
  });
})();
