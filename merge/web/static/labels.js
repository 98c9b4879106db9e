// The options page's label sheet follows the chosen label product: when the product changes,
// ask the page for the form as it is (what "Show this sheet" does without JavaScript) and put
// its picture in place of this one. The other fields stay as they are typed.
"use strict";
(function () {
  var select = document.getElementById("labels");
  var button = document.getElementById("show-sheet");
  var line = document.getElementById("show-sheet-line");
  if (!select || !button || !window.fetch || !window.DOMParser || !window.URLSearchParams) {
    return;
  }
  line.hidden = true;
  var asked = 0;
  select.addEventListener("change", function () {
    var query = new URLSearchParams(new FormData(select.form)).toString();
    var mine = ++asked;
    fetch(button.formAction + "?" + query, { cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (text) {
        if (mine !== asked) { return; } // a later change is on its way
        var fresh = new DOMParser().parseFromString(text, "text/html").getElementById("sheet");
        var old = document.getElementById("sheet");
        if (!fresh || !old) { throw new Error("no sheet"); }
        old.replaceWith(document.importNode(fresh, true));
      })
      .catch(function () { line.hidden = false; }); // the button still does it
  });
})();
