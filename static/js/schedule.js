// The schedule's timeline: clicking a job (its name or its mark) opens the editor with that job
// selected; on load the timeline scrolls to the first due date.
(function () {
  "use strict";
  var box = document.getElementById("schedule");
  if (!box) return;
  box.scrollLeft = Number(box.getAttribute("data-focus-x")) || 0;
  box.addEventListener("click", function (event) {
    var job = event.target.closest("g.job");
    if (!job) return;
    var key = job.getAttribute("data-key");
    window.location.href = box.getAttribute("data-editor") + "?node=" + encodeURIComponent(key) + "#node-" + key;
  });
})();
