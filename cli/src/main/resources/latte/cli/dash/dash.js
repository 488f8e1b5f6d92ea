// The Latte dashboard: run directories read through /api, live updates through /api/stream
// (Server-Sent Events), charts drawn by uPlot. No build step, nothing loaded from elsewhere.
'use strict';

const PALETTE = ['#2867b4', '#c8321e', '#2e8b57', '#be50be', '#e68200', '#5a5ad2', '#96522d', '#009696'];
const LOSS_SKIP = new Set(['type', 'episode', 'envSteps', 'trainStep', 'trainStepMs', 'kind', 'generation']);

const dash = {
  runs: [],               // from /api/runs
  live: null,             // the run this process trains, if any
  data: {},               // name -> {records: [], next: n}
  selected: new Set(),    // runs overlaid on the charts
  primary: null,          // the run whose pictures and settings are shown
  smoothing: 0.6,
  charts: {},             // chart id -> {plot, signature}
  frameVersion: 0,        // live.png's version on the page
  framesLoaded: 0,        // pictures the page has shown (a test waits for this to grow)
  errors: [],
  points() {              // data points on the charts of the primary run (a test waits for this to grow)
    const d = this.data[this.primary];
    return d ? d.records.filter(r => r && (r.type === 'episode' || r.type === 'train' || r.type === 'eval')).length : 0;
  },
};
window.dash = dash;

// TensorBoard's smoothing: an exponential moving average, debiased so the first points are not
// pulled towards zero: s_t = w s_{t-1} + (1 - w) x_t, shown as s_t / (1 - w^n), n points so far.
function smooth(ys, w) {
  const out = new Array(ys.length);
  let last = 0, n = 0;
  for (let i = 0; i < ys.length; i++) {
    const y = ys[i];
    if (y === null || y === undefined || !Number.isFinite(y)) { out[i] = y; continue; }
    last = last * w + (1 - w) * y;
    n++;
    out[i] = w === 0 ? y : last / (1 - Math.pow(w, n));
  }
  return out;
}
dash.smooth = smooth;

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v; else if (k === 'style') e.style.cssText = v; else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

function runPath(name) {
  return '/api/run/' + name.split('/').map(encodeURIComponent).join('/');
}

async function getJson(url) {
  const r = await fetch(url, {cache: 'no-store'});
  if (!r.ok) throw new Error(url + ': ' + r.status);
  return r.json();
}

function colour(name) {
  const i = dash.runs.findIndex(r => r.name === name);
  return PALETTE[(i < 0 ? 0 : i) % PALETTE.length];
}

function faint(hex) {
  return hex + '48';
}

// ---- runs --------------------------------------------------------------------------------------

async function loadRuns() {
  const r = await getJson('/api/runs');
  dash.runs = r.runs;
  dash.live = r.live;
  if (dash.selected.size === 0 && dash.runs.length > 0) {
    const first = dash.live && dash.runs.some(x => x.name === dash.live) ? dash.live : dash.runs[dash.runs.length - 1].name;
    dash.selected.add(first);
    dash.primary = first;
  }
  for (const name of [...dash.selected]) if (!dash.runs.some(x => x.name === name)) dash.selected.delete(name);
  drawRuns();
  await Promise.all([...dash.selected].map(loadMetrics));
  drawCharts();
  await showPrimary();
}

function drawRuns() {
  const body = document.querySelector('#runs tbody');
  body.replaceChildren();
  for (const r of dash.runs) {
    const box = el('input', {type: 'checkbox'});
    box.checked = dash.selected.has(r.name);
    box.addEventListener('change', async () => {
      if (box.checked) { dash.selected.add(r.name); await loadMetrics(r.name); } else dash.selected.delete(r.name);
      drawCharts();
    });
    const name = el('td', {class: 'name'}, el('span', {class: 'swatch', style: 'background:' + colour(r.name)}), r.name);
    name.addEventListener('click', async () => {
      dash.primary = r.name;
      if (!dash.selected.has(r.name)) { dash.selected.add(r.name); await loadMetrics(r.name); drawCharts(); }
      drawRuns();
      await showPrimary();
    });
    const status = r.finished ? 'finished' : (r.name === dash.live ? 'training here' : 'running or stopped');
    body.append(el('tr', {class: r.name === dash.primary ? 'primary' : ''}, el('td', {}, box), name,
      el('td', {}, r.agent ?? ''), el('td', {}, r.env ?? ''), el('td', {}, r.preset ?? ''), el('td', {}, r.objective ?? ''),
      el('td', {}, r.seed ?? ''), el('td', {}, r.episodes ?? ''), el('td', {}, r.envSteps ?? ''), el('td', {}, status)));
  }
}

async function loadMetrics(name) {
  const d = dash.data[name] ?? (dash.data[name] = {records: [], next: 0});
  const r = await getJson(runPath(name) + '/metrics?since=' + d.next);
  if (r.since !== d.next) return;
  d.records.push(...r.records);
  d.next = r.next;
}

// ---- charts ------------------------------------------------------------------------------------

// One chart's series for one run: [xs, ys] pairs by label.
function seriesOf(name) {
  const recs = (dash.data[name]?.records ?? []).filter(r => r);
  const out = {returns: {}, losses: {}};
  const push = (group, key, x, y) => {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return;
    const s = group[key] ?? (group[key] = {xs: [], ys: []});
    s.xs.push(x); s.ys.push(y);
  };
  for (const r of recs) {
    if (r.type === 'episode') push(out.returns, r.kind === 'seed' ? 'seed episodes' : 'training episodes', r.envSteps, r.return);
    else if (r.type === 'eval') push(out.returns, 'evaluation', r.envSteps, r.returnMean);
    else if (r.type === 'train' || r.type === 'generation')
      for (const [k, v] of Object.entries(r)) if (!LOSS_SKIP.has(k) && typeof v === 'number') push(out.losses, k, r.envSteps, v);
  }
  return out;
}

function drawCharts() {
  const names = dash.runs.map(r => r.name).filter(n => dash.selected.has(n));
  const per = Object.fromEntries(names.map(n => [n, seriesOf(n)]));
  const charts = [['returns', '', 'return', n => per[n].returns]];
  const losses = new Set();
  for (const n of names) for (const k of Object.keys(per[n].losses)) losses.add(k);
  for (const k of losses) charts.push(['loss-' + k, k, k, n => ({[k]: per[n].losses[k]})]);
  const hosts = {returns: document.getElementById('returns'), other: document.getElementById('charts')};
  const wanted = new Set(charts.map(c => c[0]));
  for (const [id, c] of Object.entries(dash.charts)) if (!wanted.has(id)) { c.plot.destroy(); c.box.remove(); delete dash.charts[id]; }
  for (const [id, title, yLabel, pick] of charts) {
    const tables = [], series = [{label: 'env steps'}];
    for (const n of names) {
      for (const [label, s] of Object.entries(pick(n) ?? {})) {
        if (!s) continue;
        const c = colour(n), pattern = label === 'evaluation' ? [6, 4] : undefined;
        const tag = names.length > 1 ? n + ': ' + label : label;
        const order = s.xs.map((x, i) => i).sort((a, b) => s.xs[a] - s.xs[b]);
        const xs = order.map(i => s.xs[i]), ys = order.map(i => s.ys[i]);
        if (label === 'seed episodes') {
          tables.push([xs, ys]);
          series.push({label: tag, stroke: '#999', width: 0, points: {show: true, size: 5, fill: '#999'}, paths: () => null});
          continue;
        }
        tables.push([xs, ys, smooth(ys, dash.smoothing)]);
        series.push({label: tag + ' (raw)', stroke: faint(c), width: 1, dash: pattern, spanGaps: true, points: {show: false}});
        series.push({label: tag, stroke: c, width: 2, dash: pattern, spanGaps: true, points: {show: xs.length === 1}});
      }
    }
    const data = tables.length ? uPlot.join(tables) : [[], []];
    if (!tables.length) series.push({label: '(nothing yet)'});
    const signature = JSON.stringify(series.map(s => s.label));
    let c = dash.charts[id];
    if (c && c.signature === signature) { c.plot.setData(data); continue; }
    if (c) { c.plot.destroy(); c.box.remove(); }
    const box = el('div', {class: 'chart', id: 'chart-' + id});
    (id === 'returns' ? hosts.returns : hosts.other).append(box);
    const width = Math.max(320, box.clientWidth - 10);
    const plot = new uPlot({
      title, width, height: 240, series,
      scales: {x: {time: false}},
      axes: [{label: 'environment steps', size: 40}, {label: yLabel, size: 60}],
      legend: {show: false},                             // the runs table is the legend: a colour per run
    }, data, box);
    dash.charts[id] = {plot, box, signature};
  }
}

let redraw = null;
function drawSoon() {
  if (redraw) return;
  redraw = setTimeout(() => { redraw = null; drawCharts(); drawRunsIfChanged(); }, 300);
}

let runsStamp = '';
function drawRunsIfChanged() {
  const stamp = JSON.stringify(dash.runs);
  if (stamp !== runsStamp) { runsStamp = stamp; drawRuns(); }
}

// ---- the primary run: pictures, surprise, settings ---------------------------------------------

async function showPrimary() {
  const name = dash.primary;
  const run = dash.runs.find(r => r.name === name);
  document.getElementById('configCaption').textContent = name ?? '';
  if (!run) return;
  if (run.frame) showFrame(name, Date.now());
  else document.getElementById('frameCaption').textContent = name + ': no pictures yet (they are drawn by train --dashboard)';
  if (run.kl) await showKl(name);
  const cfg = await getJson(runPath(name) + '/config');
  document.getElementById('config').replaceChildren(tree(cfg));
}

function showFrame(name, version) {
  const img = document.getElementById('frame');
  img.onload = () => {
    dash.framesLoaded++;
    dash.frameVersion = version;
    if (!document.getElementById('frameCaption').textContent.startsWith(name + ', episode'))
      document.getElementById('frameCaption').textContent = name;
  };
  img.src = runPath(name) + '/frame?v=' + version;
}

async function showKl(name) {
  const k = await getJson(runPath(name) + '/kl');
  const xs = k.kl.map((_, i) => i + 1);
  const box = document.getElementById('klChart');
  const data = [xs, k.kl];
  if (dash.klPlot) dash.klPlot.destroy();
  dash.klPlot = new uPlot({
    width: Math.max(320, box.clientWidth - 10), height: 180,
    series: [{label: 'step'}, {label: 'KL', stroke: '#be50be', width: 2, fill: '#be50be22'}],
    scales: {x: {time: false}}, axes: [{label: 'step of the episode', size: 40}, {label: 'nats', size: 50}],
    legend: {show: false},
  }, data, box);
  document.getElementById('klNote').textContent = 'The training loss clips each step at the free nats.';
  document.getElementById('frameCaption').textContent = name + ', episode ' + k.episode;
}

function tree(v) {
  if (v === null || typeof v !== 'object') return document.createTextNode(String(v));
  const t = el('table');
  for (const [k, x] of Object.entries(v)) t.append(el('tr', {}, el('td', {class: 'key'}, k), el('td', {}, tree(x))));
  return t;
}

// ---- results -----------------------------------------------------------------------------------

async function loadResults() {
  const r = await getJson('/api/results');
  const host = document.getElementById('results');
  host.replaceChildren();
  let table = null;
  for (const line of r.markdown.split('\n')) {
    if (line.startsWith('|')) {
      const cells = line.slice(1, line.endsWith('|') ? -1 : undefined).split('|').map(c => c.trim());
      if (cells.every(c => /^:?-+:?$/.test(c))) continue;
      if (!table) { table = el('table'); host.append(table); table.append(row(cells, 'th')); } else table.append(row(cells, 'td'));
    } else {
      table = null;
      if (line.trim()) host.append(el('p', {class: 'note'}, line.replaceAll('**', '')));
    }
  }
  if (!host.childElementCount) host.append(el('p', {class: 'note'}, 'no finished runs yet'));
}

function row(cells, tag) {
  const tr = el('tr');
  for (const c of cells) {
    const bold = c.startsWith('**') && c.endsWith('**');
    tr.append(el(tag, {}, bold ? el('b', {}, c.slice(2, -2)) : c));
  }
  return tr;
}

// ---- live updates ------------------------------------------------------------------------------

function connect() {
  const status = document.getElementById('status');
  const es = new EventSource('/api/stream');
  es.onopen = () => { status.textContent = 'live'; status.className = 'status live'; };
  es.onerror = () => { status.textContent = 'reconnecting'; status.className = 'status'; };
  es.addEventListener('runs', () => loadRuns().catch(report));
  es.addEventListener('metric', e => {
    const m = JSON.parse(e.data);
    const d = dash.data[m.run];
    if (!d) return;                                      // not loaded: read in full when selected
    if (m.index === d.next) { d.records.push(m.record); d.next++; } else if (m.index > d.next) loadMetrics(m.run).then(drawSoon);
    const run = dash.runs.find(r => r.name === m.run);
    if (run && m.record.type === 'episode') { run.episodes = m.record.episode; run.envSteps = m.record.envSteps; }
    if (dash.selected.has(m.run)) drawSoon();
  });
  es.addEventListener('reset', e => {
    const m = JSON.parse(e.data);
    if (dash.data[m.run]) { dash.data[m.run] = {records: [], next: 0}; loadMetrics(m.run).then(drawSoon); }
  });
  es.addEventListener('frame', e => {
    const m = JSON.parse(e.data);
    const run = dash.runs.find(r => r.name === m.run);
    if (run) { run.frame = true; run.kl = m.kl; }
    if (m.run === dash.primary) { showFrame(m.run, m.version); if (m.kl) showKl(m.run).catch(report); }
  });
  es.addEventListener('finished', e => {
    const m = JSON.parse(e.data);
    const run = dash.runs.find(r => r.name === m.run);
    if (run) run.finished = true;
    drawSoon();
    loadResults().catch(report);
  });
}

function report(e) {
  dash.errors.push(String(e));
  console.warn(e);
}

document.getElementById('smoothing').addEventListener('input', e => {
  dash.smoothing = Number(e.target.value);
  document.getElementById('smoothingValue').textContent = dash.smoothing.toFixed(2);
  drawCharts();
});

loadRuns().then(loadResults).then(connect).catch(report);
