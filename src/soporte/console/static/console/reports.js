/* The reports pages: draw each report's chart with the vendored Chart.js from the data the page
   put in a JSON script element ({{ chart|json_script }}: the Content-Security-Policy forbids
   inline scripts). Labels come translated from the server. Heat maps are colour-scaled tables
   (reports.css) and need no script. Choosing a custom date switches the period to "custom". */
(function () {
  "use strict";
  var PALETTE = ["#0a62b9", "#18733a", "#a35100", "#8e24aa", "#c62828", "#00838f", "#5b6474"];
  var TONES = { good: "#18733a", middle: "#e0a100", bad: "#c62828" };
  var reduced = window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function datasets(data) {
    return data.series.map(function (series, i) {
      var colour = TONES[series.tone] || PALETTE[i % PALETTE.length];
      return {
        label: series.label,
        data: series.data,
        backgroundColor: colour,
        borderColor: colour,
        tension: 0.2,
      };
    });
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source) return;
    var data = JSON.parse(source.textContent);
    var stacked = data.kind === "stacked_bar";
    var chart = new window.Chart(canvas, {
      type: data.kind === "line" ? "line" : "bar",
      data: { labels: data.labels, datasets: datasets(data) },
      options: {
        animation: reduced ? false : { duration: 400 },
        responsive: true,
        maintainAspectRatio: false,
        locale: document.documentElement.lang || "es",
        plugins: { legend: { position: "bottom" } },
        scales: {
          x: { stacked: stacked },
          y: {
            stacked: stacked,
            beginAtZero: true,
            suggestedMax: data.percent ? 100 : undefined,
            title: { display: true, text: data.axis },
          },
        },
      },
    });
    canvas.setAttribute("data-drawn", chart.id);
  }

  function customOnDates() {
    var period = document.getElementById("id_period");
    ["id_start", "id_end"].forEach(function (id) {
      var input = document.getElementById(id);
      if (period && input) {
        input.addEventListener("change", function () { period.value = "custom"; });
      }
    });
  }

  customOnDates();
  if (window.Chart) {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  }
})();
