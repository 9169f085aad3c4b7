/* The meter page's monthly usage chart: reads the numbers from the json_script block. */
(function () {
  "use strict";
  var holder = document.getElementById("usage-chart");
  var source = document.getElementById("usage-data");
  if (!holder || !source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var chart = window.echarts.init(holder);
  chart.setOption({
    tooltip: { trigger: "axis" },
    grid: { left: 60, right: 20, top: 20, bottom: 40 },
    xAxis: { type: "category", data: data.months },
    yAxis: { type: "value" },
    series: [{ type: "bar", data: data.values, itemStyle: { color: "#2f6f9f" } }]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
