/* Charts of the agency dashboard, the city overview and the electricity report (Apache ECharts).
 * The numbers come from {{ data|json_script }} blocks; every chart's numbers are also in a table
 * on the page. No inline script anywhere (Content-Security-Policy). */
(function () {
  "use strict";
  var P = window.EcoPalette;

  function readJSON(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function fmt(value) {
    if (value === null || value === undefined) { return "–"; }
    return Number(value).toLocaleString("zh-CN", {maximumFractionDigits: 2});
  }

  var charts = [];
  function make(el, option) {
    var chart = window.echarts.init(el, null, {renderer: "canvas", locale: "ZH"});
    chart.setOption(Object.assign({animation: false, textStyle: {fontFamily: "inherit", color: P.text}}, option));
    charts.push(chart);
    return chart;
  }

  function monthly(el, spec) {
    var styles = {
      this_year: {width: 3, type: "solid"},
      previous: {width: 2, type: "solid"},
      baseline: {width: 2, type: "dashed"},
      target: {width: 2, type: "dotted"}
    };
    make(el, {
      color: spec.series.map(function (s) { return P.roles[s.role]; }),
      tooltip: {trigger: "axis", valueFormatter: fmt},
      legend: {top: 0},
      grid: {left: 56, right: 16, top: 36, bottom: 28},
      xAxis: {type: "category", data: spec.months},
      yAxis: {type: "value", name: spec.unit, axisLabel: {formatter: fmt}},
      series: spec.series.map(function (s) {
        return {
          name: s.name, type: "line", data: s.data, connectNulls: false,
          symbol: s.role === "this_year" ? "circle" : "none", symbolSize: 6,
          lineStyle: styles[s.role], z: s.role === "this_year" ? 3 : 2
        };
      })
    });
  }

  function spark(el, values, status) {
    make(el, {
      grid: {left: 2, right: 2, top: 6, bottom: 2},
      xAxis: {type: "category", show: false, data: values.map(function (_v, i) { return (i + 1) + "月"; })},
      yAxis: {type: "value", show: false, scale: true},
      tooltip: {trigger: "axis", valueFormatter: fmt},
      series: [{type: "line", data: values, symbol: "none", lineStyle: {width: 2, color: P.status[status] || P.roles.this_year},
        areaStyle: {opacity: 0.12, color: P.status[status] || P.roles.this_year}}]
    });
  }

  // An indicator's registered colour: a palette key such as "waste.recyclable" (EcoPalette.waste.recyclable).
  function paletteColour(key) {
    var parts = (key || "").split(".");
    return parts.length === 2 && P[parts[0]] ? P[parts[0]][parts[1]] || null : null;
  }

  function coloured(values, colours, opacity) {
    return values.map(function (v, i) {
      var colour = paletteColour(colours[i]);
      return colour ? {value: v, itemStyle: {color: colour, opacity: opacity}} : v;
    });
  }

  function bars(el, spec, labels) {
    var names = spec.names.slice().reverse();
    var colours = (spec.colours || []).slice().reverse();
    el.style.height = Math.max(160, 28 * names.length + 70) + "px";
    make(el, {
      color: [P.roles.this_year, P.roles.previous],
      tooltip: {trigger: "axis", axisPointer: {type: "shadow"}, valueFormatter: fmt},
      legend: {top: 0},
      grid: {left: 8, right: 24, top: 30, bottom: 8, containLabel: true},
      xAxis: {type: "value", name: spec.unit, axisLabel: {formatter: fmt}},
      yAxis: {type: "category", data: names},
      series: [
        {name: labels.this_year, type: "bar", barMaxWidth: 18, data: coloured(spec.values.slice().reverse(), colours, 1)},
        {name: labels.previous, type: "bar", barMaxWidth: 18, data: coloured(spec.previous.slice().reverse(), colours, 0.45)}
      ]
    });
  }

  function ranking(el, spec) {
    var names = spec.names.slice().reverse();
    var values = spec.values.slice().reverse();
    var statuses = spec.statuses.slice().reverse();
    el.style.height = Math.max(200, 18 * names.length + 60) + "px";
    make(el, {
      tooltip: {trigger: "axis", axisPointer: {type: "shadow"}, valueFormatter: function (v) { return fmt(v) + "%"; }},
      // room on the right for a bar's label: a saving's bar ends at zero, its "−11.74%" beyond it
      grid: {left: 8, right: 64, top: 24, bottom: 8, containLabel: true},
      xAxis: {type: "value", name: "%", axisLabel: {formatter: "{value}%"}},
      yAxis: {type: "category", data: names, axisLabel: {interval: 0, fontSize: 11}},
      series: [{
        name: spec.title, type: "bar", barMaxWidth: 16,
        data: values.map(function (v, i) { return {value: v, itemStyle: {color: P.status[statuses[i]]}}; }),
        label: {show: names.length <= 40, position: "right", formatter: function (p) { return fmt(p.value) + "%"; }}
      }]
    });
  }

  function byKey(list, key) {
    for (var i = 0; i < (list || []).length; i++) { if (list[i].key === key) { return list[i]; } }
    return null;
  }

  function init() {
    if (!window.echarts || !P) { return; }
    var data = readJSON("dashboard-data") || readJSON("report-data");
    if (data) {
      document.querySelectorAll("[data-chart=monthly]").forEach(function (el) {
        var spec = byKey(data.monthly, el.dataset.key);
        if (spec) { monthly(el, spec); }
      });
      document.querySelectorAll("[data-spark]").forEach(function (el) {
        var values = (data.sparks || {})[el.dataset.spark];
        var card = el.closest("[data-status]");
        if (values && values.length) { spark(el, values, card ? card.dataset.status : ""); }
      });
      ["departments", "items"].forEach(function (kind) {
        document.querySelectorAll("[data-chart=" + kind + "]").forEach(function (el) {
          var spec = byKey(data[kind], el.dataset.key);
          if (spec && spec.names.length) { bars(el, spec, data.labels); }
        });
      });
    }
    var city = readJSON("city-data");
    if (city) {
      document.querySelectorAll("[data-chart=ranking]").forEach(function (el) {
        if (city.ranking.names.length) { ranking(el, city.ranking); }
      });
    }
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
