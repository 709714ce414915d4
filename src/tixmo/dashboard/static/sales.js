// The sales page's charts: net sales by day and tickets by ticket type (the tables hold the same figures).
(function () {
  "use strict";
  var root = document.getElementById("sales");
  if (!root || typeof Chart === "undefined") { return; }
  Chart.defaults.color = "#4a5160";
  var palette = ["#0b57d0", "#146c2e", "#7a4f01", "#8e24aa", "#b3261e", "#00695c"];

  fetch(root.getAttribute("data-sales-url"), { credentials: "same-origin", cache: "no-store" })
    .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
    .then(function (report) {
      var currencies = [];
      report.byDay.forEach(function (d) { if (currencies.indexOf(d.currency) < 0) { currencies.push(d.currency); } });
      var days = [];
      report.byDay.forEach(function (d) { if (days.indexOf(d.date) < 0) { days.push(d.date); } });
      days.sort();
      new Chart(document.getElementById("by-day"), {
        type: "bar",
        data: {
          labels: days,
          datasets: currencies.map(function (c, i) {
            return {
              label: "Net " + c,
              backgroundColor: palette[i % palette.length], maxBarThickness: 48,
              data: days.map(function (day) {
                var row = report.byDay.filter(function (d) { return d.date === day && d.currency === c; })[0];
                return row ? Number(row.net) : 0;
              })
            };
          })
        },
        options: { animation: false, responsive: true, maintainAspectRatio: false, scales: { y: { beginAtZero: true } } }
      });
      new Chart(document.getElementById("by-type"), {
        type: "bar",
        data: {
          labels: report.byTicketType.map(function (t) { return t.ticketTypeName; }),
          datasets: [{ label: "Tickets", backgroundColor: palette[0], maxBarThickness: 36,
            data: report.byTicketType.map(function (t) { return t.tickets; }) }]
        },
        options: { animation: false, indexAxis: "y", responsive: true, maintainAspectRatio: false,
          scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } }
      });
      root.setAttribute("data-charts", "drawn");
    })
    .catch(function () { root.setAttribute("data-charts", "failed"); /* the tables show the same figures */ });
})();
