/* The overview dashboard's charts (Chart.js 4), drawn from json_script data.
 *
 * Each <canvas data-chart="ID"> reads the JSON of <script id="ID">:
 *   {kind: "stacked" | "funnel" | "bar" | "progress", labels: [...],
 *    datasets: [{label, data, color, urls?}], titles?, details?, url?}
 * A bar with a URL (its dataset's urls[i], or the chart's url) opens it on
 * click. The data table in the <details> below each chart is the fallback.
 */
(function () {
  "use strict";

  var COLORS = {
    party: "#b3202a",
    muted: "#adb5bd",
    primary: "#0d6efd",
    danger: "#dc3545",
    success: "#198754"
  };
  // Pixels per category of a horizontal chart, so long lists stay readable.
  var ROW_HEIGHT = 30;

  function readSpec(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source) { return null; }
    try { return JSON.parse(source.textContent); } catch (e) { return null; }
  }

  function formatNumber(value) {
    var lang = document.documentElement.lang || "vi";
    return new Intl.NumberFormat(lang).format(value);
  }

  function urlAt(spec, datasetIndex, index) {
    var dataset = spec.datasets[datasetIndex] || {};
    if (dataset.urls && dataset.urls[index]) { return dataset.urls[index]; }
    return spec.url || "";
  }

  function config(spec) {
    var horizontal = spec.kind === "funnel" || spec.kind === "progress";
    var stacked = spec.kind === "stacked" || spec.kind === "funnel";
    var percent = spec.kind === "progress";
    var valueAxis = {
      stacked: stacked,
      beginAtZero: true,
      ticks: {
        precision: 0,
        callback: function (value) { return formatNumber(value) + (percent ? " %" : ""); }
      }
    };
    if (percent) { valueAxis.suggestedMax = 100; }
    var categoryAxis = { stacked: stacked, ticks: { autoSkip: !horizontal } };
    return {
      type: "bar",
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (d) {
          return {
            label: d.label,
            data: d.data,
            backgroundColor: COLORS[d.color] || COLORS.primary,
            borderRadius: 2,
            maxBarThickness: 48
          };
        })
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: { duration: 300 },
        locale: document.documentElement.lang || "vi",
        indexAxis: horizontal ? "y" : "x",
        scales: horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
        plugins: {
          legend: { display: spec.datasets.length > 1, position: "bottom" },
          tooltip: {
            callbacks: {
              title: function (items) {
                var i = items.length ? items[0].dataIndex : 0;
                return spec.titles ? spec.titles[i] : spec.labels[i];
              },
              label: function (item) {
                if (item.raw === null || item.raw === undefined) { return item.dataset.label + ": —"; }
                return item.dataset.label + ": " + formatNumber(item.raw) + (percent ? " %" : "");
              },
              footer: function (items) {
                var i = items.length ? items[0].dataIndex : 0;
                return spec.details ? spec.details[i] : "";
              }
            }
          }
        },
        onHover: function (event, elements) {
          var target = event.native && event.native.target;
          if (!target) { return; }
          var link = elements.length && urlAt(spec, elements[0].datasetIndex, elements[0].index);
          target.style.cursor = link ? "pointer" : "default";
        },
        onClick: function (event, elements) {
          if (!elements.length) { return; }
          var link = urlAt(spec, elements[0].datasetIndex, elements[0].index);
          if (link) { window.location.assign(link); }
        }
      }
    };
  }

  function draw(canvas) {
    if (typeof window.Chart === "undefined" || canvas.dataset.drawn) { return; }
    var spec = readSpec(canvas);
    if (!spec) { return; }
    var box = canvas.parentElement;
    if (spec.kind === "funnel" || spec.kind === "progress") {
      box.style.height = Math.max(180, spec.labels.length * ROW_HEIGHT + 70) + "px";
    }
    new window.Chart(canvas, config(spec));
    canvas.dataset.drawn = "1";
  }

  function init(root) { root.querySelectorAll("canvas[data-chart]").forEach(draw); }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  } else {
    init(document);
  }
  document.addEventListener("htmx:afterSwap", function (ev) { init(ev.target); });
})();
