/* Waste pages: every category is shown in its GB/T 19095 colour from the shared palette.
 * Badges and swatches carry the colour in data-colour (server-side, read from palette.js);
 * the charts take theirs from the page's waste-chart JSON. No inline script (CSP). */
(function () {
  "use strict";

  function readJSON(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function fmt(value) {
    if (value === null || value === undefined) { return "–"; }
    return Number(value).toLocaleString("zh-CN", {maximumFractionDigits: 2});
  }

  function paint() {
    document.querySelectorAll("[data-colour]").forEach(function (el) {
      el.style.backgroundColor = el.dataset.colour;  // CSSOM, allowed by the CSP
    });
  }

  // Licence and manifest numbers belong to hazardous hand-overs only: show them when hazardous is chosen.
  function hazardousFields() {
    var select = document.getElementById("id_category");
    if (!select) { return; }
    function toggle() {
      document.querySelectorAll("[data-hazardous-only]").forEach(function (input) {
        var box = input.closest("[class*=col-]");
        if (box) { box.hidden = select.value !== "hazardous" && !input.value; }
      });
    }
    select.addEventListener("change", toggle);
    toggle();
  }

  var charts = [];
  function make(el, option) {
    var chart = window.echarts.init(el, null, {renderer: "canvas", locale: "ZH"});
    chart.setOption(Object.assign({animation: false, textStyle: {fontFamily: "inherit"}}, option));
    charts.push(chart);
    return chart;
  }

  function trend(el, spec) {
    make(el, {
      color: spec.series.map(function (s) { return s.colour; }),
      tooltip: {trigger: "axis", axisPointer: {type: "shadow"}, valueFormatter: fmt},
      legend: {top: 0},
      grid: {left: 56, right: 16, top: 36, bottom: 28},
      xAxis: {type: "category", data: spec.months},
      yAxis: {type: "value", name: spec.unit, axisLabel: {formatter: fmt}},
      series: spec.series.map(function (s) {
        return {name: s.name, type: "bar", stack: "kg", data: s.data, itemStyle: {color: s.colour}};
      })
    });
  }

  function month(el, spec) {
    make(el, {
      color: spec.month.map(function (s) { return s.colour; }),
      tooltip: {trigger: "item", valueFormatter: fmt},
      legend: {top: 0},
      series: [{
        type: "pie", radius: ["35%", "65%"], top: 24,
        data: spec.month.map(function (s) { return {name: s.name, value: s.value, itemStyle: {color: s.colour}}; })
      }]
    });
  }

  function init() {
    paint();
    hazardousFields();
    var spec = readJSON("waste-chart");
    if (spec && window.echarts) {
      document.querySelectorAll("[data-chart=waste-trend]").forEach(function (el) { trend(el, spec); });
      document.querySelectorAll("[data-chart=waste-month]").forEach(function (el) { month(el, spec); });
      window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
