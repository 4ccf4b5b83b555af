// ULM lifecycle dashboard (docs/dashboard.md). Plain JavaScript and Chart.js; every number is fetched from ULM's API
// with the key typed into the page (sent as HTTP Basic user name, as Segment SDKs send keys), kept in sessionStorage
// only. The page holds no data of its own.
'use strict';

const KEY_STORE = 'ulm.dashboard.key';
const DEFAULT_CAMPAIGN = 'winback-default';
const COLORS = {new: '#2563eb', returning: '#16a34a', resurrecting: '#f59e0b', dormant: '#dc2626', active: '#111827',
  bar: '#2563eb', baseline: '#9ca3af', ci: 'rgba(37, 99, 235, 0.35)'};
const charts = {};

function key() {
  return sessionStorage.getItem(KEY_STORE);
}

/** GET path as JSON with the key; rejects with the HTTP status on failure. */
async function api(path) {
  const response = await fetch(path, {headers: {Authorization: 'Basic ' + btoa(key() + ':'), Accept: 'application/json'}});
  if (!response.ok) {
    const error = new Error(path + ' answered ' + response.status);
    error.status = response.status;
    throw error;
  }
  return response.json();
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  Object.entries(attrs).forEach(([k, v]) => k === 'text' ? node.textContent = v : node.setAttribute(k, v));
  children.forEach(c => node.append(c));
  return node;
}

function chart(id, config) {
  if (charts[id]) {
    charts[id].destroy();
  }
  config.options = Object.assign({responsive: true, maintainAspectRatio: false, animation: false}, config.options || {});
  charts[id] = new Chart(document.getElementById(id), config);
  return charts[id];
}

const pct = x => (x * 100).toFixed(1) + ' %';

// ------------------------------------------------------------------ sections

async function stages() {
  const data = await api('/v1/stages');
  const tiles = document.getElementById('tiles');
  tiles.replaceChildren(el('div', {class: 'tile', 'data-stage': 'TOTAL'},
      el('div', {class: 'n', text: String(data.total)}), el('div', {class: 'l', text: 'users'})));
  Object.entries(data.stages).forEach(([stage, n]) => tiles.append(el('div', {class: 'tile', 'data-stage': stage},
      el('div', {class: 'n', text: String(n)}), el('div', {class: 'l', text: stage.replace('_', ' ')}))));
}

async function funnel() {
  const data = await api('/v1/analytics/funnel');
  chart('funnel', {type: 'bar', data: {labels: data.steps.map(s => s.stage),
      datasets: [{label: 'users', data: data.steps.map(s => s.users), backgroundColor: COLORS.bar}]},
    options: {indexAxis: 'y', plugins: {legend: {display: false}, tooltip: {callbacks: {
      afterLabel: c => data.steps[c.dataIndex].conversion == null ? '' : 'conversion from ' + data.steps[c.dataIndex].previous
          + ': ' + pct(data.steps[c.dataIndex].conversion)}}}}});
}

async function lifecycle() {
  const data = await api('/v1/analytics/lifecycle?period=week');
  const labels = data.series.map(p => p.period);
  const bar = name => ({type: 'bar', label: name, data: data.series.map(p => p[name]), backgroundColor: COLORS[name], stack: 's'});
  chart('lifecycle', {data: {labels, datasets: [bar('new'), bar('returning'), bar('resurrecting'), bar('dormant'),
      {type: 'line', label: 'active', data: data.series.map(p => p.active), borderColor: COLORS.active, backgroundColor: COLORS.active}]},
    options: {scales: {x: {stacked: true}, y: {stacked: true}}}});
}

async function cohorts() {
  const data = await api('/v1/analytics/cohorts?period=week');
  const width = Math.max(0, ...data.cohorts.map(c => c.counts.length));
  const table = document.getElementById('cohorts');
  const head = el('tr', {}, el('th', {text: 'cohort'}), el('th', {text: 'users'}));
  for (let i = 0; i < width; i++) {
    head.append(el('th', {text: 'w' + i}));
  }
  table.replaceChildren(head);
  data.cohorts.forEach(c => {
    const row = el('tr', {'data-cohort': c.cohort}, el('th', {text: c.cohort}), el('td', {class: 'users', text: String(c.users)}));
    c.shares.forEach((share, i) => row.append(el('td', {class: 'cell', 'data-count': String(c.counts[i]), title: c.counts[i] + ' users',
        style: `background: rgba(37, 99, 235, ${Math.min(1, 0.08 + share)}); color: ${share > 0.55 ? '#fff' : '#1d2430'}`,
        text: Math.round(share * 100) + '%'})));
    table.append(row);
  });
}

async function segments() {
  const data = await api('/v1/segments');
  const list = data.segments;
  chart('segments', {type: 'bar', data: {labels: list.map(s => s.name || s.id),
      datasets: [{label: 'members', data: list.map(s => s.size), backgroundColor: list.map(s => s.family === 'rfm' ? COLORS.bar
          : s.family === 'cluster' ? COLORS.resurrecting : COLORS.returning)}]},
    options: {indexAxis: 'y', plugins: {legend: {display: false}}, scales: {y: {ticks: {autoSkip: false}}}}});
}

async function clusters() {
  const table = document.getElementById('clusters');
  let data;
  try {
    data = await api('/v1/segments/clusters');
  } catch (e) {
    if (e.status === 404) {
      table.replaceChildren(el('tr', {}, el('td', {class: 'empty', text: 'No clustering has run yet.'})));
      return;
    }
    throw e;
  }
  const all = [...(data.kmeans || []), ...(data.dbscan || [])];
  const features = data.report && data.report.features ? data.report.features : Object.keys((all[0] || {}).centroid || {});
  table.replaceChildren(el('tr', {}, el('th', {text: 'cluster'}), el('th', {text: 'users'}), ...features.map(f => el('th', {text: f}))));
  all.forEach(c => {
    const centre = c.centroid || c.medoid || {};
    table.append(el('tr', {'data-segment': c.segmentId}, el('td', {text: c.segmentId}), el('td', {class: 'size', text: String(c.size)}),
        ...features.map(f => el('td', {text: centre[f] == null ? '' : Number(centre[f]).toFixed(1)}))));
  });
}

/** The results of one campaign, whatever the envelope: arms with entrants, returns, uplift and its interval. */
function arms(results) {
  const report = results.uplift || results.report || results;
  return (report.arms || []).map(a => {
    const treated = a.treated || a;
    const ci = a.ci || a.interval || {};
    return {arm: treated.arm || a.arm, n: treated.n ?? a.entered ?? a.users, returned: treated.returned ?? a.wonBack,
      difference: a.difference ?? a.uplift, low: ci.low ?? ci.lower, high: ci.high ?? ci.upper};
  });
}

async function winback() {
  let ids = [DEFAULT_CAMPAIGN];
  try {
    const list = await api('/v1/winback/campaigns');
    const items = Array.isArray(list) ? list : (list.campaigns || []);
    ids = items.map(c => typeof c === 'string' ? c : (c.id || c.campaignId)).filter(Boolean);
  } catch (e) {
    // no campaign list on this version: the default campaign only
  }
  const found = [];
  for (const id of ids) {
    try {
      found.push({id, arms: arms(await api('/v1/winback/campaigns/' + encodeURIComponent(id) + '/results'))});
    } catch (e) {
      if (e.status !== 404) {
        throw e;
      }
    }
  }
  const rows = found.flatMap(c => c.arms.map(a => Object.assign({campaign: c.id}, a)));
  document.getElementById('winback-empty').hidden = rows.length > 0;
  document.getElementById('winback').parentElement.hidden = rows.length === 0;
  const table = document.getElementById('winback-table');
  table.replaceChildren();
  if (rows.length === 0) {
    return;
  }
  chart('winback', {type: 'bar', data: {labels: rows.map(r => r.campaign + ' · ' + r.arm), datasets: [
      {label: '95 % CI', data: rows.map(r => [r.low, r.high]), backgroundColor: COLORS.ci},
      {type: 'line', label: 'uplift', data: rows.map(r => r.difference), showLine: false, pointRadius: 6, backgroundColor: COLORS.active}]},
    options: {scales: {y: {title: {display: true, text: 'return rate − holdout'}}}}});
  table.append(el('tr', {}, ...['campaign', 'arm', 'entered', 'returned', 'uplift', '95 % CI'].map(h => el('th', {text: h}))));
  rows.forEach(r => table.append(el('tr', {'data-arm': r.arm}, el('td', {text: r.campaign}), el('td', {text: r.arm}),
      el('td', {class: 'n', text: String(r.n)}), el('td', {text: String(r.returned)}), el('td', {text: pct(r.difference)}),
      el('td', {text: pct(r.low) + ' … ' + pct(r.high)}))));
}

async function models() {
  const data = await api('/v1/models');
  const active = kind => data.models.find(m => m.kind === kind && m.active);
  const churn = active('churn');
  const recommender = active('recommender');
  document.getElementById('models-empty').hidden = Boolean(churn || recommender);
  if (churn && churn.metrics && churn.metrics.test) {
    const names = Object.keys(churn.metrics.test);
    chart('churn-models', {type: 'bar', data: {labels: names, datasets: [{label: 'ROC-AUC',
        data: names.map(n => churn.metrics.test[n].rocAuc), backgroundColor: names.map(n => n === churn.name ? COLORS.bar : COLORS.baseline)}]},
      options: {scales: {y: {min: 0, max: 1}}, plugins: {legend: {display: false},
        title: {display: true, text: `churn: ROC-AUC on test users (active: ${churn.name}, blue)`}}}});
  }
  if (recommender && Array.isArray(recommender.metrics && recommender.metrics.test)) {
    const at10 = recommender.metrics.test.filter(r => r.k === 10);
    chart('recommender-models', {type: 'bar', data: {labels: at10.map(r => r.model), datasets: [{label: 'NDCG@10',
        data: at10.map(r => r.ndcg), backgroundColor: at10.map(r => r.model.toLowerCase() === recommender.name.toLowerCase() ? COLORS.bar : COLORS.baseline)}]},
      options: {plugins: {legend: {display: false},
        title: {display: true, text: `recommender: NDCG@10, leave-last-out (active: ${recommender.name}, blue)`}}}});
  }
}

async function lookup(id) {
  const profile = document.getElementById('profile');
  const table = document.getElementById('timeline');
  table.replaceChildren();
  try {
    const [user, timeline] = await Promise.all([api('/v1/users/' + encodeURIComponent(id)),
      api('/v1/users/' + encodeURIComponent(id) + '/timeline?limit=1000')]);
    profile.textContent = `${user.userId}: ${user.stage} since ${user.stageSince} (rule ${user.stageRule}); `
        + `${user.purchases} purchases, revenue ${user.revenue}; ${timeline.events} events`;
    table.append(el('tr', {}, ...['event time', 'event', 'what', 'transitions it caused (rule, evidence)'].map(h => el('th', {text: h}))));
    timeline.entries.forEach(e => {
      const why = e.transitions.map(t => `${t.from || '∅'} → ${t.to} by ${t.ruleId} ${JSON.stringify(t.evidence)}`).join('; ');
      table.append(el('tr', {'data-sequence': String(e.sequence)}, el('td', {class: 'nowrap', title: e.at,
          text: e.at.replace('T', ' ').slice(0, 16)}), el('td', {text: e.type}),
          el('td', {class: e.late ? 'late' : '', text: e.summary}), el('td', {class: 'why', text: why})));
    });
  } catch (e) {
    profile.textContent = e.status === 404 ? `No user '${id}'.` : e.message;
  }
}

// ------------------------------------------------------------------ wiring

async function show() {
  const status = document.getElementById('status');
  status.textContent = 'loading…';
  document.body.dataset.ready = 'false';
  try {
    await api('/v1/stages');
  } catch (e) {
    status.textContent = e.status === 401 || e.status === 403 ? 'This key may not read (role read needed).' : e.message;
    document.getElementById('main').hidden = true;
    return;
  }
  document.getElementById('main').hidden = false;
  const results = await Promise.allSettled([stages(), funnel(), lifecycle(), cohorts(), segments(), clusters(), winback(), models()]);
  const failed = results.filter(r => r.status === 'rejected').map(r => r.reason.message);
  status.textContent = failed.join('; ');
  document.body.dataset.ready = 'true';
}

document.getElementById('login').addEventListener('submit', event => {
  event.preventDefault();
  sessionStorage.setItem(KEY_STORE, document.getElementById('key').value);
  show();
});
document.getElementById('lookup').addEventListener('submit', event => {
  event.preventDefault();
  lookup(document.getElementById('user').value.trim());
});
if (key()) {
  show();
}
