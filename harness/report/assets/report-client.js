/* Draws the report's charts with uPlot from the JSON in #report-data. No network, no innerHTML. */
(function () {
  'use strict';

  var data = JSON.parse(document.getElementById('report-data').textContent);
  var pxRatio = window.devicePixelRatio || 1;
  var palette = {
    online: '#1f77b4',
    percent: '#9467bd',
    serving: '#2ca02c',
    total: '#7f7f7f',
    loadMean: '#ff7f0e',
    loadMax: '#d62728',
    capacity: '#111111',
    lookups: '#17becf',
    resyncing: '#e377c2',
    fault: 'rgba(214, 39, 40, 0.16)',
    lead: 'rgba(87, 96, 106, 0.10)',
    architectures: ['#1f77b4', '#9467bd', '#8c564b'],
    faultEdge: 'rgba(214, 39, 40, 0.55)',
    remedy: '#2ca02c',
    mark: '#555555',
  };

  function hoursFromT0(series, s) {
    if (series.msPerScenarioHour === null) return null;
    return ((s - series.timelineStart) * 1000) / series.msPerScenarioHour;
  }

  /** Scenario hours from T0 over real seconds: since the run started, or (on the comparison) from T0. */
  function xAxis(series, fromT0) {
    var seconds = fromT0 ? 'seconds from T0' : 'seconds since start';
    return {
      label: series.msPerScenarioHour === null ? seconds : 'scenario hours from T0 / ' + seconds,
      values: function (u, splits) {
        return splits.map(function (s) {
          var tail = String(Math.round(s * 10) / 10) + 's';
          var h = hoursFromT0(series, s);
          if (h === null) return tail;
          var rounded = Math.round(h * 10) / 10;
          return 'T' + (rounded < 0 ? '' : '+') + rounded + 'h\n' + tail;
        });
      },
      size: 56,
      space: 80,
    };
  }

  /** The x axis begins at the series' view start: what came before T0 but a short lead-in is folded away. */
  function xScale(series) {
    return {
      time: false,
      range: function (u, min, max) {
        return [Math.max(min, series.viewStart), max];
      },
    };
  }

  function clampToPlot(u, x) {
    var left = u.bbox.left;
    var right = u.bbox.left + u.bbox.width;
    return Math.min(right, Math.max(left, x));
  }

  /** Shades every fault window under the series and draws remedies and marks as vertical lines above them. */
  function windowsPlugin(series) {
    return {
      hooks: {
        drawClear: [
          function (u) {
            var ctx = u.ctx;
            var box = u.bbox;
            var rects = [];
            ctx.save();
            var lead0 = clampToPlot(u, u.valToPos(series.viewStart, 'x', true));
            var lead1 = clampToPlot(u, u.valToPos(series.timelineStart, 'x', true));
            if (lead1 - lead0 >= 1) {
              ctx.fillStyle = palette.lead;
              ctx.fillRect(lead0, box.top, lead1 - lead0, box.height);
            }
            u.root.dataset.leadIn = JSON.stringify([Math.round(lead0), Math.round(lead1)]);
            u.root.dataset.xRange = JSON.stringify([u.scales.x.min, u.scales.x.max]);
            var labelRowEnds = [];
            series.windows.forEach(function (w) {
              var x0 = clampToPlot(u, u.valToPos(w.from, 'x', true));
              var x1 = clampToPlot(u, u.valToPos(w.to === null ? u.scales.x.max : w.to, 'x', true));
              if (x1 - x0 < 1) return;
              ctx.fillStyle = palette.fault;
              ctx.fillRect(x0, box.top, x1 - x0, box.height);
              ctx.fillStyle = palette.faultEdge;
              ctx.font = Math.round(10 * pxRatio) + 'px sans-serif';
              ctx.textBaseline = 'top';
              // labels stack downwards from the top so windows that begin close together stay legible
              var labelX = x0 + 3 * pxRatio;
              var row = 0;
              while (labelRowEnds[row] !== undefined && labelRowEnds[row] > labelX) row += 1;
              labelRowEnds[row] = labelX + ctx.measureText(w.id).width + 6 * pxRatio;
              ctx.fillText(w.id, labelX, box.top + 3 * pxRatio + row * 12 * pxRatio);
              rects.push([Math.round(x0), Math.round(x1)]);
            });
            ctx.restore();
            u.root.dataset.faultWindows = String(rects.length);
            u.root.dataset.faultRects = JSON.stringify(rects);
            u.root.dataset.plotBox = JSON.stringify([box.left, box.top, box.width, box.height]);
          },
        ],
        draw: [
          function (u) {
            var ctx = u.ctx;
            var box = u.bbox;
            var counts = { remedy: 0, mark: 0 };
            var rowEnds = [];
            var rowHeight = 12 * pxRatio;
            ctx.save();
            ctx.font = Math.round(10 * pxRatio) + 'px sans-serif';
            ctx.textBaseline = 'bottom';
            series.lines.forEach(function (line) {
              var x = u.valToPos(line.t, 'x', true);
              if (x < box.left || x > box.left + box.width) return;
              ctx.strokeStyle = line.kind === 'remedy' ? palette.remedy : palette.mark;
              ctx.lineWidth = (line.kind === 'remedy' ? 2 : 1) * pxRatio;
              ctx.setLineDash(line.kind === 'remedy' ? [] : [4 * pxRatio, 3 * pxRatio]);
              ctx.beginPath();
              ctx.moveTo(x, box.top);
              ctx.lineTo(x, box.top + box.height);
              ctx.stroke();
              // labels stack upwards from the bottom so neighbouring lines do not print over each other
              var labelX = x + 3 * pxRatio;
              var row = 0;
              while (rowEnds[row] !== undefined && rowEnds[row] > labelX) row += 1;
              rowEnds[row] = labelX + ctx.measureText(line.label).width + 6 * pxRatio;
              ctx.fillStyle = ctx.strokeStyle;
              ctx.fillText(line.label, labelX, box.top + box.height - 3 * pxRatio - row * rowHeight);
              counts[line.kind] += 1;
            });
            ctx.restore();
            u.root.dataset.remedyLines = String(counts.remedy);
            u.root.dataset.markLines = String(counts.mark);
          },
        ],
      },
    };
  }

  function fromZero(pad) {
    return function (u, min, max) {
      return [0, Math.max(pad, max * 1.08)];
    };
  }

  function charts(series) {
    var x = series.t.slice();
    var xs = xScale(series);
    var online = {
      data: [x, series.online.slice(), series.onlinePercent.slice()],
      series: [
        { label: 't (s)' },
        { label: 'online clients', scale: 'count', stroke: palette.online, width: 2 },
        { label: '% of steady', scale: 'pct', stroke: palette.percent, dash: [6, 4], value: function (u, v) { return v == null ? '—' : v.toFixed(1) + '%'; } },
      ],
    };
    // Only where clients ever re-synced an inbox: every other scenario keeps its two lines.
    if ((series.resyncing || []).some(function (v) { return v != null && v > 0; })) {
      online.data.push(series.resyncing.slice());
      online.series.push({ label: 're-syncing their inbox', scale: 'count', stroke: palette.resyncing, width: 1 });
    }
    return {
      online: {
        data: online.data,
        scales: { x: xs, count: { range: fromZero(1) }, pct: { range: [0, 110] } },
        series: online.series,
        axes: [xAxis(series, false), { scale: 'count', label: 'clients' }, { scale: 'pct', side: 1, grid: { show: false }, values: function (u, s) { return s.map(function (v) { return v + '%'; }); } }],
      },
      supernodes: {
        data: [x, series.supernodesServing.slice(), series.supernodesTotal.slice()],
        scales: { x: xs, y: { range: fromZero(1) } },
        series: [
          { label: 't (s)' },
          { label: 'serving', stroke: palette.serving, width: 2 },
          { label: 'in network', stroke: palette.total, dash: [6, 4] },
        ],
        axes: [xAxis(series, false), { label: 'supernodes' }],
      },
      load: {
        data: [x, series.loadMean.slice(), series.loadMax.slice(), x.map(function () { return 1; })],
        scales: { x: xs, y: { range: fromZero(1.2) } },
        series: [
          { label: 't (s)' },
          { label: 'load mean', stroke: palette.loadMean, width: 2, value: function (u, v) { return v == null ? '—' : v.toFixed(2); } },
          { label: 'load max', stroke: palette.loadMax, value: function (u, v) { return v == null ? '—' : v.toFixed(2); } },
          { label: 'capacity (1.0)', stroke: palette.capacity, dash: [2, 3], width: 1 },
        ],
        axes: [xAxis(series, false), { label: 'load (× capacity)' }],
      },
      lookups: {
        data: [x, series.lookupSuccess.slice()],
        scales: { x: xs, y: { range: [0, 105] } },
        series: [
          { label: 't (s)' },
          { label: 'lookup success per interval', stroke: palette.lookups, width: 2, spanGaps: true, value: function (u, v) { return v == null ? '—' : v.toFixed(1) + '%'; } },
        ],
        axes: [xAxis(series, false), { label: 'lookups ok', values: function (u, s) { return s.map(function (v) { return v + '%'; }); } }],
      },
    };
  }

  function comparisonChart(comparison) {
    var percent = function (u, v) { return v == null ? '—' : v.toFixed(1) + '%'; };
    return {
      data: [comparison.x.slice()].concat(comparison.percent.map(function (column) { return column.slice(); })),
      scales: { x: xScale(comparison), y: { range: [0, 110] } },
      series: [{ label: 't from T0 (s)' }].concat(comparison.architectures.map(function (name, i) {
        return { label: name + ' online', stroke: palette.architectures[i % palette.architectures.length], width: 2, spanGaps: true, value: percent };
      })),
      axes: [xAxis(comparison, true), { label: 'online, % of steady state', values: function (u, s) { return s.map(function (v) { return v + '%'; }); } }],
    };
  }

  function heightOf(el) {
    return el.dataset.chart === 'compare' ? 260 : 230;
  }

  var plots = [];

  document.querySelectorAll('[data-chart]').forEach(function (el) {
    var compare = el.dataset.chart === 'compare';
    var series = compare ? data.comparison : data.series[el.dataset.architecture];
    if (!series || (!compare && series.t.length === 0)) return;
    var spec = compare ? comparisonChart(series) : charts(series)[el.dataset.chart];
    if (!spec) return;
    var opts = {
      width: Math.max(280, el.clientWidth),
      height: heightOf(el),
      scales: spec.scales,
      series: spec.series,
      axes: spec.axes,
      cursor: { sync: { key: compare ? 'report-compare' : 'report-' + series.architecture } },
      plugins: [windowsPlugin(series)],
    };
    el.textContent = '';
    var plot = new uPlot(opts, spec.data, el);
    plot.root.dataset.rendered = 'true';
    plots.push({ plot: plot, el: el });
  });

  var resizeTimer = null;
  window.addEventListener('resize', function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () {
      plots.forEach(function (p) { p.plot.setSize({ width: Math.max(280, p.el.clientWidth), height: heightOf(p.el) }); });
    }, 100);
  });

  document.documentElement.dataset.chartsRendered = String(plots.length);
})();
