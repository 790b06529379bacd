// Quick exit: a [data-exit] link or Shift thrice in 2 s replaces this history entry with
// the exit site (Back does not return). Without script the links still leave.
(function () {
  "use strict";
  var link = document.querySelector("[data-exit]");
  if (!link) return;
  var target = link.href, presses = 0, timer, shown = location.pathname;
  function exit(e) {
    if (e) e.preventDefault();
    document.documentElement.className += " exiting";
    if (document.body) document.body.hidden = true;
    document.title = "";
    location.replace(target);
  }
  document.addEventListener("click", function (e) {
    if (e.target.closest("[data-exit]")) exit(e);
  });
  document.addEventListener("keyup", function (e) {
    if (e.key !== "Shift") return void (presses = 0);
    clearTimeout(timer);
    timer = setTimeout(function () { presses = 0; }, 2000);
    if (++presses >= 3) exit();
  });
  // No-trace search: post in the background, swap <main>; no URL, title or saved tab
  // holds the words. Without fetch the form just posts.
  if (!window.fetch || !window.DOMParser) return;
  document.addEventListener("submit", function (e) {
    var f = e.target;
    if (!f.hasAttribute("data-nosave")) return;
    e.preventDefault();
    fetch(f.action, { method: "POST", body: new URLSearchParams(new FormData(f, e.submitter)), credentials: "omit", cache: "no-store" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var d = new DOMParser().parseFromString(html, "text/html"), m = d.querySelector("main");
        document.querySelector("main").replaceWith(m);
        document.title = d.title;
        if (shown !== new URL(f.action).pathname) history.pushState(null, "", f.action);
        shown = location.pathname;
        m.focus();
      })
      .catch(function () { f.removeAttribute("data-nosave"); f.submit(); });
  });
  addEventListener("popstate", function () { if (location.pathname !== shown) location.reload(); });
})();
