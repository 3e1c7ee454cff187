/* Process Designer: small behaviours shared by every page. No user data is ever put in innerHTML. */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (!source) return;
    var done = function () { button.textContent = "Copied"; setTimeout(function () { button.textContent = "Copy"; }, 1500); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(source.textContent).then(done);
    } else {
      var range = document.createRange();
      range.selectNodeContents(source);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      document.execCommand("copy");
      done();
    }
  });

  // A refused or failed request that htmx does not swap (403, 404, 500, network) still says so.
  function toast(text) {
    var box = document.getElementById("net-error");
    if (!box) return;
    box.textContent = text;
    box.hidden = false;
    clearTimeout(box._timer);
    box._timer = setTimeout(function () { box.hidden = true; }, 6000);
  }
  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    toast(status === 403 ? "Your role on this draft does not allow this change." :
          status === 404 ? "That item no longer exists; reload the page." :
          "The server could not save this (" + status + "). Reload the page and try again.");
  });
  document.addEventListener("htmx:sendError", function () { toast("The server did not answer. Check your connection and try again."); });
})();
