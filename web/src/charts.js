// <socle-chart data-option='{…ECharts option…}'> — renders an Apache ECharts chart from server-rendered pages.
// Tree-shaken ECharts: only the chart types and components Socle pages use.
import * as echarts from "echarts/core";
import { BarChart, LineChart, PieChart, SankeyChart, ScatterChart, HeatmapChart } from "echarts/charts";
import {
  TitleComponent, TooltipComponent, GridComponent, LegendComponent, DatasetComponent,
  DataZoomComponent, MarkLineComponent, VisualMapComponent, AriaComponent,
} from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";

echarts.use([
  BarChart, LineChart, PieChart, SankeyChart, ScatterChart, HeatmapChart,
  TitleComponent, TooltipComponent, GridComponent, LegendComponent, DatasetComponent,
  DataZoomComponent, MarkLineComponent, VisualMapComponent, AriaComponent, CanvasRenderer,
]);

class SocleChart extends HTMLElement {
  connectedCallback() {
    if (this.chart) return;
    const option = JSON.parse(this.dataset.option || "{}");
    option.aria = { enabled: true, ...(option.aria || {}) };
    this.chart = echarts.init(this, null, { renderer: "canvas" });
    this.chart.setOption(option);
    this.resizeObserver = new ResizeObserver(() => this.chart && this.chart.resize());
    this.resizeObserver.observe(this);
    this.dataset.rendered = "true";
  }

  disconnectedCallback() {
    this.resizeObserver?.disconnect();
    this.chart?.dispose();
    this.chart = undefined;
  }
}

if (!customElements.get("socle-chart")) customElements.define("socle-chart", SocleChart);
export { echarts };
