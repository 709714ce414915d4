// The live attendance page: a snapshot from live.json, then the API's SSE stream, opened with a
// single-use ticket. A lost stream (network drop, server restart) is reopened with a new ticket, and the
// snapshot is read again once it is back, so nothing missed while away is lost. Every value goes into the
// page as text (textContent), never as HTML.
(function () {
  "use strict";

  var root = document.getElementById("live");
  if (!root) { return; }
  var csrf = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
  var RECENT = 20;
  var MAX_RETRY_MS = 8000;

  var state = null;          // the snapshot, kept up to date by the stream
  var waiting = [];          // scans that came before this connection's snapshot
  var seen = new Set();      // scan ids already counted
  var source = null;
  var retryMs = 1000;
  var retryTimer = null;
  var refreshTimer = null;
  var everLive = false;      // the page has been live once: a drop is "reconnecting"
  var connection = 0;        // bumps on each (re)connect: late answers of an older one are dropped
  var gauge = null;
  var perMinute = null;

  function $(id) { return document.getElementById(id); }

  function setConnection(kind, text) {
    var el = $("connection");
    el.setAttribute("data-state", kind);
    el.textContent = text;
  }

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  function percent(part, whole) {
    return whole ? (100 * part / whole).toFixed(1) + " %" : "—";
  }

  function clockTime(iso) {
    if (!iso) { return "—"; }
    var d = new Date(iso);
    return d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  }

  function ago(iso) {
    if (!iso) { return "never"; }
    var s = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 1000));
    if (s < 60) { return s + " s ago"; }
    if (s < 3600) { return Math.floor(s / 60) + " min ago"; }
    return clockTime(iso);
  }

  function cell(row, text, className, header) {
    var td = document.createElement(header ? "th" : "td");
    if (header) { td.setAttribute("scope", "row"); }
    td.textContent = text;
    if (className) { td.className = className; }
    row.appendChild(td);
    return td;
  }

  function badge(td, text, className) {
    td.textContent = "";
    var span = document.createElement("span");
    span.className = "badge " + className;
    span.textContent = text;
    td.appendChild(span);
  }

  // ------------------------------------------------------------------------------------------ rendering

  function renderOccupancy() {
    var o = state.occupancy;
    var text = o.occupancy + " inside";
    if (o.capacity) { text += " of " + o.capacity + " (" + percent(o.occupancy, o.capacity) + ")"; }
    $("occupancy").textContent = text;
    $("entries").textContent = String(o.entries);
    $("exits").textContent = String(o.exits);
    var free = o.capacity ? Math.max(o.capacity - o.occupancy, 0) : (o.occupancy ? 0 : 1);
    if (gauge) {
      gauge.data.datasets[0].data = [o.occupancy, free];
      gauge.update("none");
    }
    $("gauge").setAttribute("aria-label", "Occupancy: " + text);
  }

  function renderScanCounts() {
    var s = state.scans;
    $("success-rate").textContent = s.total ? percent(s.valid, s.total) : "—";
    $("scan-counts").textContent = s.total + " scans: " + s.valid + " valid, " + s.rejected + " rejected";
    $("tickets-sold").textContent = String(state.ticketsSold);
  }

  function scannerName(id) {
    if (!id) { return "staff (manual)"; }
    for (var i = 0; i < state.scanners.length; i++) {
      if (state.scanners[i].scannerId === id) { return state.scanners[i].name; }
    }
    return "unknown device";
  }

  function renderRecent(freshId) {
    var body = $("recent-scans");
    body.textContent = "";
    if (!state.recentScans.length) {
      var empty = document.createElement("tr");
      cell(empty, "No scans yet.", "muted").colSpan = 4;
      body.appendChild(empty);
      return;
    }
    state.recentScans.forEach(function (scan) {
      var tr = document.createElement("tr");
      tr.setAttribute("data-scan-id", String(scan.id));
      if (scan.id === freshId) { tr.className = "fresh"; }
      var time = cell(tr, "");
      var t = document.createElement("time");
      t.setAttribute("datetime", scan.scannedAt);
      t.textContent = clockTime(scan.scannedAt);
      time.appendChild(t);
      cell(tr, scannerName(scan.scannerId));
      cell(tr, scan.direction);
      var ok = scan.status === "VALID" && !scan.conflict;
      badge(cell(tr, ""), scan.status + (scan.conflict ? " (conflict)" : ""), ok ? "result-valid" : "result-rejected");
      body.appendChild(tr);
    });
  }

  function renderScanners() {
    var body = $("scanners");
    body.textContent = "";
    if (!state.scanners.length) {
      var empty = document.createElement("tr");
      cell(empty, "No scanners registered.", "muted").colSpan = 6;
      body.appendChild(empty);
      return;
    }
    var window = state.onlineSeconds * 1000;
    state.scanners.forEach(function (s) {
      var online = s.lastSeenAt !== null && Date.now() - new Date(s.lastSeenAt).getTime() <= window;
      var tr = document.createElement("tr");
      cell(tr, s.name, null, true);
      badge(cell(tr, ""), online ? "online" : "offline", online ? "online" : "offline");
      cell(tr, ago(s.lastSeenAt));
      cell(tr, String(s.scans), "num");
      cell(tr, String(s.valid), "num");
      cell(tr, String(s.rejected), "num");
      body.appendChild(tr);
    });
  }

  function renderSales() {
    var revenue = {};
    state.sales.byTicketType.forEach(function (row) { revenue[row.ticketTypeId] = row.revenue + " " + row.currency; });
    var body = $("ticket-types");
    body.textContent = "";
    state.ticketTypes.forEach(function (t) {
      var tr = document.createElement("tr");
      cell(tr, t.name, null, true);
      cell(tr, String(t.sold), "num");
      cell(tr, String(t.held), "num");
      cell(tr, String(t.total), "num");
      cell(tr, t.price + " " + t.currency, "num");
      cell(tr, revenue[t.id] || "0.00 " + t.currency, "num");
      body.appendChild(tr);
    });
    var totals = state.sales.totals.map(function (m) {
      return "Net " + m.net + " " + m.currency + " from " + plural(m.orders, "order") + ", " + plural(m.tickets, "ticket");
    });
    $("sales-totals").textContent = totals.length ? totals.join(" · ") : "No paid orders yet.";
  }

  function minuteLabel(iso) {
    var d = new Date(iso);
    return d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  function renderPerMinute() {
    if (!perMinute) { return; }
    perMinute.data.labels = state.perMinute.map(function (b) { return minuteLabel(b.minute); });
    perMinute.data.datasets[0].data = state.perMinute.map(function (b) { return b.valid; });
    perMinute.data.datasets[1].data = state.perMinute.map(function (b) { return b.scans - b.valid; });
    perMinute.update("none");
  }

  function renderAll() {
    renderOccupancy();
    renderScanCounts();
    renderRecent(null);
    renderScanners();
    renderSales();
    renderPerMinute();
  }

  // ------------------------------------------------------------------------------------------- charts

  function makeCharts() {
    if (typeof Chart === "undefined") { return; }  // the page still works as numbers and tables
    Chart.defaults.color = "#4a5160";
    gauge = new Chart($("gauge"), {
      type: "doughnut",
      data: { labels: ["Inside", "Free"], datasets: [{ data: [0, 1], backgroundColor: ["#0b57d0", "#d0d4dc"], borderWidth: 0 }] },
      options: { rotation: -90, circumference: 180, cutout: "70%", animation: false, responsive: true,
        plugins: { legend: { display: false }, tooltip: { enabled: true } } }
    });
    perMinute = new Chart($("per-minute"), {
      type: "bar",
      data: { labels: [], datasets: [
        { label: "Valid", data: [], backgroundColor: "#146c2e", stack: "s" },
        { label: "Rejected", data: [], backgroundColor: "#b3261e", stack: "s" }
      ] },
      options: { animation: false, responsive: true, maintainAspectRatio: false,
        scales: { x: { stacked: true, ticks: { maxTicksLimit: 12 } }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } }
    });
  }

  // ------------------------------------------------------------------------------------- live updates

  function countScan(scan) {
    var ok = scan.status === "VALID" && !scan.conflict;
    state.scans.total += 1;
    if (ok) { state.scans.valid += 1; } else { state.scans.rejected += 1; }
    var known = false;
    state.scanners.forEach(function (s) {
      if (s.scannerId === scan.scannerId) {
        known = true;
        s.scans += 1;
        if (ok) { s.valid += 1; } else { s.rejected += 1; }
        s.lastSeenAt = new Date().toISOString();
      }
    });
    if (scan.scannerId && !known) { refreshSoon(); }  // a new device: read its name
    var minute = new Date(scan.scannedAt);
    minute.setSeconds(0, 0);
    var buckets = state.perMinute;
    var last = new Date(buckets[buckets.length - 1].minute);
    while (minute > last) {  // the hour moved on: shift the chart
      last = new Date(last.getTime() + 60000);
      buckets.push({ minute: last.toISOString(), scans: 0, valid: 0 });
      buckets.shift();
    }
    buckets.forEach(function (b) {
      if (new Date(b.minute).getTime() === minute.getTime()) {
        b.scans += 1;
        if (ok) { b.valid += 1; }
      }
    });
    state.recentScans.unshift(scan);
    state.recentScans.sort(function (a, b) { return b.id - a.id; });
    state.recentScans.length = Math.min(state.recentScans.length, RECENT);
  }

  function applyScan(data) {
    var scan = data.scan;
    if (seen.has(scan.id)) { return; }
    seen.add(scan.id);
    countScan(scan);
    state.occupancy = data.occupancy;
    renderOccupancy();
    renderScanCounts();
    renderRecent(scan.id);
    renderScanners();
    renderPerMinute();
  }

  function onScan(event) {
    var data = JSON.parse(event.data);
    if (state === null) { waiting.push(data); return; }
    applyScan(data);
  }

  function onOccupancy(event, id) {
    var value = JSON.parse(event.data);
    if (state === null) {
      // The stream is subscribed: what the snapshot does not hold yet, the stream brings.
      loadSnapshot(id);
      return;
    }
    state.occupancy = value;
    renderOccupancy();
  }

  function loadSnapshot(id) {
    return fetch(root.getAttribute("data-snapshot-url"), { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.status === 401) { window.location.assign("/dashboard/login?next=" + encodeURIComponent(window.location.pathname)); }
        if (!response.ok) { throw new Error("snapshot: HTTP " + response.status); }
        return response.json();
      })
      .then(function (snapshot) {
        if (id !== connection) { return; }
        state = snapshot;
        seen = new Set(snapshot.recentScans.map(function (s) { return s.id; }));
        var early = waiting;
        waiting = [];
        renderAll();
        early.forEach(function (data) { if (data.scan.id > snapshot.lastScanId) { applyScan(data); } });
        retryMs = 1000;
        everLive = true;
        setConnection("live", "Live");
      })
      .catch(function () { if (id === connection) { reconnectSoon(); } });
  }

  function refreshSoon() {
    if (refreshTimer !== null) { return; }
    refreshTimer = window.setTimeout(function () {
      refreshTimer = null;
      if (state !== null) {
        var id = connection;
        fetch(root.getAttribute("data-snapshot-url"), { credentials: "same-origin", cache: "no-store" })
          .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
          .then(function (snapshot) {
            if (id !== connection || state === null) { return; }
            state = snapshot;
            snapshot.recentScans.forEach(function (s) { seen.add(s.id); });
            renderAll();
          })
          .catch(function () { /* the stream's own error handling reconnects */ });
      }
    }, 500);
  }

  function closeSource() {
    if (source !== null) { source.close(); source = null; }
  }

  function reconnectSoon(delay) {
    closeSource();
    connection += 1;
    setConnection("reconnecting", everLive ? "Connection lost — reconnecting…" : "Connecting…");
    window.clearTimeout(retryTimer);
    var wait = delay === undefined ? retryMs : delay;
    retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
    retryTimer = window.setTimeout(connect, wait);
  }

  function connect() {
    closeSource();
    connection += 1;
    var id = connection;
    fetch(root.getAttribute("data-ticket-url"), {
      method: "POST", credentials: "same-origin", cache: "no-store", headers: { "X-CSRF-Token": csrf }
    })
      .then(function (response) {
        if (response.status === 401) { window.location.assign("/dashboard/login?next=" + encodeURIComponent(window.location.pathname)); }
        if (response.status === 404) {  // the event was deleted, or the user left its organization
          connection += 1;
          setConnection("ended", "This event is no longer available to you; reload the page.");
          return null;
        }
        if (!response.ok) { throw new Error("live ticket: HTTP " + response.status); }
        return response.json();
      })
      .then(function (body) {
        if (body === null || id !== connection) { return; }
        if (state !== null) { state = null; }  // read again once subscribed: catches up on what was missed
        waiting = [];
        var url = root.getAttribute("data-stream-url") + "?ticket=" + encodeURIComponent(body.ticket);
        source = new EventSource(url);
        source.addEventListener("occupancy", function (e) { onOccupancy(e, id); });
        source.addEventListener("scan", onScan);
        source.addEventListener("scan-updated", refreshSoon);
        source.addEventListener("shutdown", function () { reconnectSoon(300); });
        source.onerror = function () { if (id === connection) { reconnectSoon(); } };
      })
      .catch(function () { if (id === connection) { reconnectSoon(); } });
  }

  makeCharts();
  connect();
  // Scanner status (online/offline, last seen) and sales change without a scan: read them again now
  // and then, and refresh the "last seen" times.
  window.setInterval(function () { if (state !== null) { refreshSoon(); } }, 30000);
  window.setInterval(function () { if (state !== null) { renderScanners(); } }, 5000);
})();
