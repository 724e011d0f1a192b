// Polls the import job's status and reloads the page when the background step has finished.
(function () {
  "use strict";
  var bar = document.getElementById("import-progress");
  if (!bar) {
    return;
  }
  var statusUrl = bar.dataset.statusUrl;
  var reloadUrl = bar.dataset.reloadUrl;
  var statusText = document.getElementById("import-status");
  var countText = document.getElementById("import-count");

  function poll() {
    fetch(statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (data) {
        bar.value = data.percent;
        bar.textContent = data.percent + "%";
        if (statusText) {
          statusText.textContent = data.status_label;
        }
        if (countText) {
          countText.textContent =
            data.processed.toLocaleString("vi-VN") + " / " + data.total.toLocaleString("vi-VN");
        }
        if (data.running) {
          window.setTimeout(poll, 1000);
        } else {
          window.location.assign(reloadUrl);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }

  window.setTimeout(poll, 1000);
})();
