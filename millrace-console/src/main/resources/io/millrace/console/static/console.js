// Millrace console: every <canvas data-source="/api/..."> becomes a Chart.js line chart that
// polls its JSON ({"datasets":[{"label","t":[ms],"v":[]}]}) and redraws in place.
(function () {
  'use strict';
  var REFRESH_MS = 3000;
  var COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

  function clock(ms) {
    var d = new Date(ms);
    return d.toTimeString().slice(0, 8);
  }

  function makeChart(canvas) {
    return new Chart(canvas, {
      type: 'line',
      data: { datasets: [] },
      options: {
        animation: false,
        maintainAspectRatio: false,
        parsing: false,
        normalized: true,
        interaction: { mode: 'nearest', intersect: false },
        scales: {
          x: { type: 'linear', ticks: { callback: clock, maxTicksLimit: 8 } },
          y: { beginAtZero: true }
        },
        plugins: { tooltip: { callbacks: { title: function (items) { return items.length ? clock(items[0].parsed.x) : ''; } } } }
      }
    });
  }

  function update(canvas, chart) {
    fetch(canvas.dataset.source, { cache: 'no-store' })
      .then(function (r) { return r.json(); })
      .then(function (json) {
        var points = 0;
        json.datasets.forEach(function (d, i) {
          var data = d.t.map(function (t, j) { return { x: t, y: d.v[j] }; });
          points += data.length;
          var existing = chart.data.datasets.find(function (e) { return e.label === d.label; });
          if (existing) {
            existing.data = data;
          } else {
            var colour = COLOURS[chart.data.datasets.length % COLOURS.length];
            chart.data.datasets.push({ label: d.label, data: data, borderColor: colour, backgroundColor: colour,
              pointRadius: 0, borderWidth: 2, tension: 0.2 });
          }
        });
        var labels = json.datasets.map(function (d) { return d.label; });
        chart.data.datasets = chart.data.datasets.filter(function (e) { return labels.indexOf(e.label) >= 0; });
        chart.update('none');
        canvas.dataset.points = String(points);
      })
      .catch(function (e) { canvas.dataset.error = String(e); });
  }

  document.querySelectorAll('canvas[data-source]').forEach(function (canvas) {
    var chart = makeChart(canvas);
    update(canvas, chart);
    setInterval(function () { update(canvas, chart); }, REFRESH_MS);
  });
})();
