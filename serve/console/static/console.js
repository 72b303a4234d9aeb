// Progressive enhancement: the status page refreshes its figures and draws
// a pages/s sparkline by polling /api/v1/status. Everything works without it.
"use strict";
(function () {
  var status = document.getElementById("status");
  if (!status) { return; }
  var points = [];
  var last = null;
  function set(id, v) { var e = document.getElementById(id); if (e) { e.textContent = String(v); } }
  function draw() {
    var line = document.querySelector("#sparkline polyline");
    if (!line || points.length < 2) { return; }
    var maxv = Math.max.apply(null, points.concat([1]));
    var step = 300 / 59;
    var s = points.map(function (v, i) { return (i * step).toFixed(1) + "," + (38 - 36 * v / maxv).toFixed(1); });
    line.setAttribute("points", s.join(" "));
  }
  function poll() {
    fetch("/api/v1/status", { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (!s) { return; }
        set("done", s.frontier.done); set("queued", s.frontier.queued); set("leased", s.frontier.leased);
        set("records-total", s.records_total); set("deferred", s.deferred); set("log-entries", s.log_entries);
        set("r-robots", s.refusals.robots); set("r-nonpublic", s.refusals.nonpublic);
        set("r-blocked", s.refusals.blocked); set("r-traps", s.refusals.traps);
        var p = document.getElementById("progress"); if (p) { p.value = s.progress; }
        var now = Date.parse(s.time);
        if (last && now > last.t) {
          var rate = (s.frontier.done - last.done) / ((now - last.t) / 1000);
          points.push(Math.max(0, rate)); if (points.length > 60) { points.shift(); }
          set("rate", rate.toFixed(1)); draw();
        }
        last = { t: now, done: s.frontier.done };
        var body = document.querySelector("#hosts tbody");
        if (body && s.hosts) {
          while (body.firstChild) { body.removeChild(body.firstChild); }
          s.hosts.forEach(function (h) {
            var tr = document.createElement("tr");
            [h.host, h.done, h.queued, h.robots, h.nonpublic, h.deferred, h.retrying, h.backoff_until ? h.backoff_until.replace("T", " ").replace(/\.\d+/, "").replace("Z", " UTC") : ""].forEach(function (v, i) {
              var td = document.createElement("td"); td.textContent = String(v); if (i === 7) { td.className = "backoff"; } tr.appendChild(td);
            });
            body.appendChild(tr);
          });
        }
      })
      .catch(function () {});
  }
  poll();
  setInterval(poll, 2000);
})();
