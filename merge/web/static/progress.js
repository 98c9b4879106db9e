// Follow a batch being made: ask the server for its progress twice a second, move the bar,
// and show the finished page when it is done. Without JavaScript the page reloads itself.
"use strict";
(function () {
  var box = document.getElementById("progress");
  if (!box) { return; }
  var bar = document.getElementById("bar");
  var step = document.getElementById("step");
  function poll() {
    fetch(box.dataset.status, { cache: "no-store", credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        bar.value = state.percent;
        bar.textContent = state.percent + " %";
        if (step.textContent !== state.step) { step.textContent = state.step; }
        if (state.finished) { window.location.reload(); } else { window.setTimeout(poll, 500); }
      })
      .catch(function () { window.setTimeout(poll, 2000); });
  }
  window.setTimeout(poll, 300);
})();
