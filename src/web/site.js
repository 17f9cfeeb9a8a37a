// Progressive enhancements only: every page works without this file.
// 1. On the search page, a ticked or unticked filter applies at once (the form's own
//    "Apply filters" button does the same without JavaScript); focus returns to the same
//    filter after the reload, so keyboard users keep their place.
// 2. A "Copy" button beside a citation copies it.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form.search");
  if (form) {
    var again = null;
    try { again = sessionStorage.getItem("consulex-focus"); sessionStorage.removeItem("consulex-focus"); } catch (e) {}
    if (again) {
      var el = document.getElementById(again);
      if (el) { el.focus(); }
    }
    form.querySelectorAll(".facet input").forEach(function (box) {
      box.addEventListener("change", function () {
        try { sessionStorage.setItem("consulex-focus", box.id); } catch (e) {}
        form.submit();
      });
    });
  }
  document.querySelectorAll("button.copy[data-copy]").forEach(function (b) {
    var target = document.getElementById(b.getAttribute("data-copy"));
    if (!target || !navigator.clipboard) { return; }
    b.hidden = false;
    b.addEventListener("click", function () { navigator.clipboard.writeText(target.textContent); });
  });
});
