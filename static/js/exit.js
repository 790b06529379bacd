// Quick exit, after GOV.UK's "Exit this page": a click on any [data-exit] link, or Shift
// pressed three times within two seconds, hides the page at once and replaces this history
// entry with the exit site, so Back does not return here. Without JavaScript the links still
// go to the exit site; they just add a history entry.
(function () {
  "use strict";
  var link = document.querySelector("[data-exit]");
  if (!link) return;
  var target = link.href;

  function exit(event) {
    if (event) event.preventDefault();
    document.documentElement.className += " exiting";
    if (document.body) document.body.hidden = true;
    document.title = "";
    window.location.replace(target);
  }

  document.addEventListener("click", function (event) {
    var el = event.target;
    while (el && el !== document) {
      if (el.hasAttribute && el.hasAttribute("data-exit")) return exit(event);
      el = el.parentNode;
    }
  });

  var presses = 0;
  var timer = null;
  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift") {
      presses = 0;
      return;
    }
    presses += 1;
    clearTimeout(timer);
    timer = setTimeout(function () { presses = 0; }, 2000);
    if (presses >= 3) exit();
  });
})();
