// The schedule's timeline: clicking a job opens the editor with that job selected.
(function () {
  "use strict";
  var svg = document.getElementById("schedule");
  if (!svg) return;
  svg.addEventListener("click", function (event) {
    var job = event.target.closest("g.job");
    if (!job) return;
    var key = job.getAttribute("data-key");
    window.location.href = svg.getAttribute("data-editor") + "?node=" + encodeURIComponent(key) + "#node-" + key;
  });
})();
