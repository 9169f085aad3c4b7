/* The one colour palette of every chart (ECharts) in the portal.
 *
 * - series: distinguishable for the common colour-vision deficiencies (Okabe–Ito based), used in
 *   order for ordinary series (this year, last year, baseline, departments, items…);
 * - status: 达标 met / 预警 at risk / 未达标 missed — always shown with text too, never colour alone;
 * - waste: RESERVED for the four GB/T 19095-2019 categories (recyclable blue, hazardous red,
 *   kitchen green, other grey); no other series uses these exact colours, so waste keeps them everywhere.
 */
(function (root) {
  "use strict";
  var palette = {
    series: ["#0b5d8c", "#e69f00", "#7a7a7a", "#cc79a7", "#d55e00", "#56b4e9", "#009e73", "#5d3a9b"],
    roles: {
      this_year: "#0b5d8c",   // dark blue, solid, thick
      previous: "#e69f00",    // orange
      baseline: "#6f6f6f",    // grey, dashed
      target: "#b8001f"       // dark red, dotted: the line to stay below
    },
    status: {met: "#1a7f37", at_risk: "#b86e00", missed: "#c4162a", no_data: "#6e7781"},
    waste: {recyclable: "#0067b1", hazardous: "#e60012", kitchen: "#00973a", other: "#5b5b5b"},
    text: "#212529",
    grid: "#dee2e6"
  };
  root.EcoPalette = Object.freeze(palette);
})(window);
