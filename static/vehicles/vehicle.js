/* The per-vehicle page: a month's L/100 km (full-to-full) against the vehicle's standard, and
 * the litres bought, from the page's vehicle-chart JSON. No inline script (CSP). */
(function () {
  "use strict";

  function fmt(value) {
    if (value === null || value === undefined) { return "–"; }
    return Number(value).toLocaleString("zh-CN", {maximumFractionDigits: 2});
  }

  function init() {
    var node = document.getElementById("vehicle-chart");
    var el = document.querySelector("[data-chart=vehicle]");
    if (!node || !el || !window.echarts) { return; }
    var spec = JSON.parse(node.textContent);
    var chart = window.echarts.init(el, null, {renderer: "canvas", locale: "ZH"});
    chart.setOption({
      animation: false,
      textStyle: {fontFamily: "inherit"},
      tooltip: {trigger: "axis", valueFormatter: fmt},
      legend: {top: 0},
      grid: {left: 56, right: 56, top: 40, bottom: 28},
      xAxis: {type: "category", data: spec.months},
      yAxis: [
        {type: "value", name: spec.rate_unit, axisLabel: {formatter: fmt}},
        {type: "value", name: spec.bought_unit, axisLabel: {formatter: fmt}, splitLine: {show: false}}
      ],
      series: [
        {name: spec.bought_name, type: "bar", yAxisIndex: 1, data: spec.bought, itemStyle: {color: "#9ec5fe"}},
        {name: spec.rate_name, type: "line", data: spec.rate, connectNulls: false, itemStyle: {color: "#0d6efd"}},
        {name: spec.standard_name, type: "line", data: spec.standard, symbol: "none",
         lineStyle: {type: "dashed", color: "#dc3545"}, itemStyle: {color: "#dc3545"}}
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
