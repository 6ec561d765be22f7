/* The analysis pages' charts (大数据研判): each chart is {key, title, kind, columns, series, rows}
   (from the page's json_script "figures-charts"): the first column is the axis (or the pie's
   slices), ``series`` the columns drawn. kind: bar | stacked | line | pie. */
(function () {
  "use strict";
  var PALETTE = ["#b71c1c", "#e0a3a3", "#f9a825", "#1565c0", "#2e7d32", "#6a1b9a", "#00838f", "#ef6c00",
                 "#5d4037", "#546e7a", "#ad1457"];

  function option(c) {
    var labels = c.rows.map(function (r) { return r[0] === null ? "—" : String(r[0]); });
    if (c.kind === "pie") {
      var col = c.series[0];
      return {
        color: PALETTE, tooltip: {trigger: "item", formatter: "{b}：{c}（{d}%）"},
        legend: {type: "scroll", bottom: 0},
        series: [{type: "pie", radius: ["30%", "62%"], center: ["50%", "45%"], name: c.columns[col],
                  data: c.rows.map(function (r, i) { return {name: labels[i], value: r[col] || 0}; })}]
      };
    }
    var horizontal = c.kind !== "line" && labels.length > 12;
    var series = c.series.map(function (col) {
      return {
        name: c.columns[col], type: c.kind === "line" ? "line" : "bar",
        stack: c.kind === "stacked" ? "total" : undefined, smooth: false, barMaxWidth: 48,
        data: c.rows.map(function (r) { return r[col] === null ? 0 : r[col]; })
      };
    });
    var cat = {type: "category", data: labels, axisLabel: {interval: 0, hideOverlap: true,
               rotate: !horizontal && labels.length > 6 ? 30 : 0}};
    var val = {type: "value", minInterval: 1};
    return {
      color: PALETTE, tooltip: {trigger: "axis", axisPointer: {type: "shadow"}},
      legend: {type: "scroll", top: 0},
      grid: {left: 8, right: 16, top: 36, bottom: 8, containLabel: true},
      xAxis: horizontal ? val : cat, yAxis: horizontal ? Object.assign({inverse: true}, cat) : val,
      series: series
    };
  }

  function draw() {
    var data = document.getElementById("figures-charts");
    if (!data || !window.echarts) { return; }
    var charts = JSON.parse(data.textContent);
    var drawn = [];
    charts.forEach(function (c) {
      var el = document.getElementById("chart-" + c.key);
      if (!el) { return; }
      if (!c.rows.length) { el.classList.add("d-none"); return; }
      if (c.kind !== "pie" && c.kind !== "line" && c.rows.length > 12) {
        el.style.height = Math.min(40 + c.rows.length * 22, 1400) + "px";
      }
      var chart = window.echarts.init(el);
      chart.setOption(option(c));
      drawn.push(chart);
    });
    window.addEventListener("resize", function () { drawn.forEach(function (ch) { ch.resize(); }); });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
