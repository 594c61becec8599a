// ECharts (from the WebJar, loaded by index.html) on canvas. Tooltips use ECharts' richText
// mode, drawn on the canvas: no tooltip HTML is ever built from data. Animation is off: the
// dashboard refreshes every few seconds, and moving bars on every refresh distract.

import { el, replace } from './dom.js';
import { COLORS } from './vocabulary.js';

const TEXT = '#8a9bb0';
const GRID = '#223044';
const SERIES = ['#3b82f6', '#ef4444', '#f97316', '#eab308', '#22c55e', '#a855f7', '#06b6d4', '#ec4899', '#64748b', '#84cc16'];
const TOOLTIP = {
  renderMode: 'richText', backgroundColor: '#0b1220', borderColor: '#2b3a52',
  textStyle: { color: '#d9e2ec', fontSize: 12 },
};

/** One chart in a container; set() shows an option, or a note instead when there is no data. */
export class Chart {
  constructor(label) {
    this.canvasHost = el('div', { class: 'chart-canvas', role: 'img', 'aria-label': label });
    this.note = el('div', { class: 'chart-note', hidden: true });
    this.element = el('div', { class: 'chart' }, this.canvasHost, this.note);
    this.instance = null;
    this.resize = new ResizeObserver(() => this.instance && this.instance.resize());
    this.resize.observe(this.canvasHost);
  }

  set(option, emptyText) {
    if (this.disposed) return; // an answer that arrived after its view was left
    if (!window.echarts) {
      this.showNote('Charts unavailable: ECharts did not load from /webjars/.');
      return;
    }
    if (emptyText) {
      this.showNote(emptyText);
      return;
    }
    this.note.hidden = true;
    this.canvasHost.hidden = false;
    if (!this.instance) this.instance = window.echarts.init(this.canvasHost, null, { renderer: 'canvas' });
    this.instance.setOption({ animation: false, textStyle: { fontFamily: 'inherit' }, ...option }, true);
  }

  showNote(text) {
    replace(this.note, text);
    this.note.hidden = false;
    this.canvasHost.hidden = true;
  }

  dispose() {
    this.disposed = true;
    this.resize.disconnect();
    if (this.instance) this.instance.dispose();
    this.instance = null;
  }
}

/**
 * Series over time from trend points [{t, ...}]: lines by default (requests vs flagged requests),
 * or stacked bars (counts per bucket, e.g. hits).
 */
export function trendOption(points, series = [['requests', 'Requests', '#3b82f6'], ['flagged_requests', 'Malicious requests', '#ef4444']], stackedBars = false) {
  return {
    grid: { left: 48, right: 16, top: 28, bottom: 24 },
    legend: { top: 0, right: 0, textStyle: { color: TEXT }, itemWidth: 14, itemHeight: 8 },
    tooltip: { ...TOOLTIP, trigger: 'axis' },
    xAxis: { type: 'time', axisLine: { lineStyle: { color: GRID } }, axisLabel: { color: TEXT, hideOverlap: true }, splitLine: { show: false } },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { color: TEXT }, splitLine: { lineStyle: { color: GRID } } },
    series: series.map(([key, name, color]) => (stackedBars ? {
      name, type: 'bar', stack: 'all', color, barMaxWidth: 18, barMinHeight: 0,
      data: points.map((p) => [p.t, p[key] ?? 0]),
    } : {
      name, type: 'line', showSymbol: false, smooth: 0.2, color,
      lineStyle: { width: 2 },
      areaStyle: { opacity: 0.16 },
      data: points.map((p) => [p.t, p[key] ?? 0]),
    })),
  };
}

/** A horizontal bar per key of counts ({name: n}), largest on top, at most max bars. */
export function barOption(counts, max = 10, colorOf) {
  const entries = Object.entries(counts || {}).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]).slice(0, max).reverse();
  return {
    grid: { left: 8, right: 40, top: 4, bottom: 4, containLabel: true },
    tooltip: { ...TOOLTIP, trigger: 'item' },
    xAxis: { type: 'value', show: false },
    yAxis: { type: 'category', data: entries.map((e) => e[0]), axisLine: { show: false }, axisTick: { show: false }, axisLabel: { color: '#c3cfdc' } },
    series: [{
      type: 'bar', barMaxWidth: 14, name: 'IPs',
      data: entries.map(([k, n], i) => ({ value: n, itemStyle: { color: colorOf ? colorOf(k, i) : SERIES[0], borderRadius: [0, 3, 3, 0] } })),
      label: { show: true, position: 'right', color: '#c3cfdc' },
    }],
  };
}

/** A donut of counts ({name: n}) in the given order of names. */
export function donutOption(counts, order) {
  const names = order || Object.keys(counts || {});
  const data = names.map((k) => ({ name: k, value: (counts || {})[k] || 0, itemStyle: { color: COLORS[k] || SERIES[names.indexOf(k) % SERIES.length] } }))
    .filter((d) => d.value > 0);
  return {
    tooltip: { ...TOOLTIP, trigger: 'item' },
    legend: { orient: 'vertical', right: 4, top: 'middle', textStyle: { color: '#c3cfdc' }, itemWidth: 10, itemHeight: 10 },
    series: [{
      type: 'pie', radius: ['52%', '80%'], center: ['36%', '50%'], avoidLabelOverlap: true,
      label: { show: false }, itemStyle: { borderColor: '#16202d', borderWidth: 2 }, data,
    }],
  };
}

/** Whether a counts object has any non-zero value. */
export function hasData(counts) {
  return Object.values(counts || {}).some((n) => n > 0);
}

export const PALETTE = SERIES;
