// NCP middlebox status page: polls /stats and /stats/history with the admin token, renders services, their primary
// and replicas, and small SVG sparklines. Plain DOM (textContent only: no HTML from the data), no dependencies.
'use strict';
(function () {
  const KEY = 'ncp-admin-token';
  const PERIOD = 2000;
  const SVG = 'http://www.w3.org/2000/svg';
  let timer = null;
  let renders = 0;

  function h(tag, attrs, ...kids) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined) continue;
      if (k === 'class') el.className = v; else if (k.startsWith('data-')) el.setAttribute(k, v); else el[k] = v;
    }
    for (const kid of kids.flat()) {
      if (kid === null || kid === undefined || kid === false) continue;
      el.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
    }
    return el;
  }

  function size(n) {
    if (n === null || n === undefined) return '–';
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0;
    let v = n;
    while (Math.abs(v) >= 1024 && i < units.length - 1) { v /= 1024; i++; }
    return (i === 0 ? String(Math.round(v)) : v.toFixed(v < 10 ? 1 : 0)) + ' ' + units[i];
  }

  function bits(bytesPerSecond) {
    if (bytesPerSecond === null || bytesPerSecond === undefined) return '–';
    const b = bytesPerSecond * 8;
    if (b >= 1e9) return (b / 1e9).toFixed(2) + ' Gb/s';
    if (b >= 1e6) return (b / 1e6).toFixed(1) + ' Mb/s';
    return (b / 1e3).toFixed(0) + ' kb/s';
  }

  function seconds(s) {
    if (s === null || s === undefined) return '∞';
    if (s < 1) return (s * 1000).toFixed(0) + ' ms';
    if (s < 120) return s.toFixed(1) + ' s';
    return (s / 60).toFixed(1) + ' min';
  }

  function ago(iso) {
    const s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
    if (s < 60) return s.toFixed(0) + ' s ago';
    if (s < 3600) return (s / 60).toFixed(0) + ' min ago';
    return (s / 3600).toFixed(1) + ' h ago';
  }

  function clock(iso) {
    return new Date(Date.parse(iso)).toLocaleTimeString();
  }

  // A sparkline of one or more series (arrays aligned in time; null = no value) scaled to their common maximum.
  function spark(series, title, w = 140, hgt = 28) {
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('class', 'spark');
    svg.setAttribute('width', w);
    svg.setAttribute('height', hgt);
    svg.setAttribute('viewBox', `0 0 ${w} ${hgt}`);
    const t = document.createElementNS(SVG, 'title');
    t.textContent = title;
    svg.append(t);
    let max = 0;
    let len = 0;
    for (const s of series) {
      len = Math.max(len, s.values.length);
      for (const v of s.values) if (v !== null && v > max) max = v;
    }
    if (len < 2) return svg;
    for (const s of series) {
      const pts = [];
      s.values.forEach((v, i) => {
        if (v === null) return;
        const x = (i / (len - 1)) * (w - 2) + 1;
        const y = hgt - 1 - (max > 0 ? (v / max) * (hgt - 2) : 0);
        pts.push(x.toFixed(1) + ',' + y.toFixed(1));
      });
      const line = document.createElementNS(SVG, 'polyline');
      line.setAttribute('class', s.cls);
      line.setAttribute('points', pts.join(' '));
      svg.append(line);
    }
    return svg;
  }

  function bar(used, max, label) {
    const frac = max > 0 ? Math.min(1, used / max) : 0;
    const fill = h('span');
    fill.style.width = (frac * 100).toFixed(1) + '%';
    return h('span', {}, h('span', { class: 'bar' + (frac > 0.75 ? ' hot' : ''), title: label }, fill), ' ', label);
  }

  function status(svc) {
    if (svc.primaryHealth === 'DOWN') return 'down';
    for (const r of svc.replicas) if (r.health !== 'UP' || r.consistency !== 'IN_SYNC') return 'degraded';
    return 'ok';
  }

  function last(arr) {
    if (!arr) return null;
    for (let i = arr.length - 1; i >= 0; i--) if (arr[i] !== null) return arr[i];
    return null;
  }

  function divergence(d) {
    const where = d.offset !== null ? `byte ${d.offset}` : `bytes ${d.from}–${d.to}`;
    return `${clock(d.at)} session ${d.session}: first difference at ${where} (block ${d.block}); ` +
      `primary ${d.primaryBytes} B, replica ${d.replicaBytes} B`;
  }

  function replicaRow(svc, r, hist) {
    const lagSeries = hist ? hist.lagSeconds : [];
    const backlog = hist ? hist.backlogBytes : [];
    const lagText = size(r.backlogBytes) + ' · ' + (r.lagDraining === false ? '∞' : r.lagSeconds === undefined ? '–'
      : seconds(r.lagSeconds));
    return h('tr', { 'data-replica': r.address, 'data-health': r.health, 'data-consistency': r.consistency },
      h('td', {}, r.address, r.bind ? h('div', { class: 'reason' }, 'from ' + r.bind) : null),
      h('td', {}, 'replica'),
      h('td', {}, h('span', { class: 'badge ' + r.health }, r.health),
        r.health !== 'UP' && r.healthReason ? h('div', { class: 'reason' }, r.healthReason) : null),
      h('td', {}, h('span', { class: 'badge ' + r.consistency }, r.consistency), ' ',
        h('span', { class: 'muted' }, 'since ' + ago(r.consistencySince)),
        h('div', { class: 'reason' }, r.consistencyReason)),
      h('td', { class: 'num' }, lagText, h('br'), spark([{ values: backlog, cls: 'lag' }],
        'backlog bytes, last minutes (max ' + size(Math.max(0, ...backlog.filter((v) => v !== null))) + ')',
        100, 20)),
      h('td', { class: 'num' }, String(r.sessions)),
      h('td', { class: 'num', 'data-divergent': r.divergent }, `${r.divergent} / ${r.compared}`),
      h('td', { class: 'num' }, `${r.damaged} · ${r.missed} · ${r.lagging + r.stalled}`),
      h('td', { class: 'num' }, `${r.orderWaits} · ${seconds(r.orderWaitMillis / 1000)}`));
  }

  function serviceCard(svc, hist) {
    const st = status(svc);
    const sh = hist && hist.services ? hist.services[svc.name] : null;
    const inBps = sh ? sh.inBps : [];
    const outBps = sh ? sh.outBps : [];
    const head = h('h2', {}, svc.name, h('span', { class: 'badge ' + st, 'data-status': st }, st),
      h('span', { class: 'muted' }, 'listens on ' + (svc.listen || '–')),
      svc.failover !== 'off' ? h('span', { class: 'muted' }, `failover ${svc.failover}, epoch ${svc.epoch}` +
        (svc.failovers.length ? `, ${svc.failovers.length} failover(s), last ${ago(svc.failovers[svc.failovers.length - 1].at)}` : '') +
        (svc.fenced.length ? ', fenced ' + svc.fenced.join(' ') : '')) : null);
    const figures = h('div', { class: 'figures' },
      h('span', { class: 'figure' }, 'sessions ', h('b', {}, String(svc.active)), ' open / ', String(svc.sessions),
        ' total'),
      h('span', { class: 'figure' }, 'in ', h('b', {}, bits(last(inBps))), ' · out ', h('b', {}, bits(last(outBps)))),
      spark([{ values: inBps, cls: 'in' }, { values: outBps, cls: 'out' }],
        'throughput, last minutes: client→primary (blue), primary→client (purple)', 220, 30),
      svc.refused ? h('span', { class: 'figure error' }, `refused ${svc.refused}`) : null,
      svc.primaryFailures ? h('span', { class: 'figure error' }, `primary connect failures ${svc.primaryFailures}`)
        : null,
      svc.ringFull + svc.ringMissed ? h('span', { class: 'figure error' }, `ring full ${svc.ringFull + svc.ringMissed}`)
        : null);
    const rows = [h('tr', { 'data-primary': svc.primary, 'data-health': svc.primaryHealth },
      h('td', {}, svc.primary), h('td', {}, 'primary'),
      h('td', {}, h('span', { class: 'badge ' + svc.primaryHealth }, svc.primaryHealth),
        svc.primaryHealth !== 'UP' && svc.primaryHealthReason ? h('div', { class: 'reason' }, svc.primaryHealthReason)
          : null),
      h('td', { colSpan: 6, class: 'muted' }, 'answers the clients')),
    ];
    for (const r of svc.replicas) {
      const rh = sh && sh.replicas ? sh.replicas[r.address] : null;
      rows.push(replicaRow(svc, r, rh));
    }
    const table = h('table', {}, h('thead', {}, h('tr', {}, ['backend', 'role', 'health', 'consistency',
      'lag (bytes · time)', 'sessions', 'divergent / compared', 'damaged · missed · dropped', 'order waits']
      .map((c) => h('th', {}, c)))), h('tbody', {}, rows));
    const details = h('div', { class: 'details' });
    for (const r of svc.replicas) {
      const divs = r.lastDivergences || [];
      details.append(h('div', { 'data-history': r.address },
        h('h3', {}, r.address + ': consistency history'),
        h('ol', {}, (r.history || []).slice().reverse().map((t) => h('li', {}, `${clock(t.at)} ${t.to}: ${t.reason}`))),
        divs.length ? h('h3', {}, 'last divergent sessions') : null,
        divs.length ? h('ol', { 'data-divergences': r.address }, divs.slice().reverse().map((d) => h('li', {},
          divergence(d)))) : null));
    }
    return h('section', { class: 'service', 'data-service': svc.name }, head, figures, table, details);
  }

  function processPanel(stats) {
    const p = stats.process;
    const items = [h('h2', {}, 'Process'),
      h('p', {}, 'memory guard: ', bar(p.directMemory, p.memoryGuardLimit,
        `${size(p.directMemory)} of ${size(p.memoryGuardLimit)} direct memory`)),
      h('p', {}, `descriptors: ${p.fds} open` + (p.fdLimit > 0 ? ` of ${p.fdLimit}` : '') +
        `; sessions hold ${p.sessionDescriptors}` + (p.sessionDescriptorBudget > 0 ? ` of ${p.sessionDescriptorBudget}`
        : '') + `; heap ${size(p.heapUsed)} of ${size(p.heapMax)}`)];
    for (const s of stats.shards) {
      items.push(h('p', {}, `ring of shard ${s.index}: `, bar(s.ringBacklog, s.ringSize,
        `${s.ringBacklog} of ${s.ringSize} events`), ' ', bar(s.ringBytes, s.ringBytesMax,
        `${size(s.ringBytes)} of ${size(s.ringBytesMax)}`)));
    }
    return items;
  }

  function render(stats, hist) {
    const main = document.getElementById('services');
    main.replaceChildren(...stats.services.map((s) => serviceCard(s, hist)));
    if (!stats.services.length) main.append(h('p', { class: 'muted' }, 'No service is configured.'));
    document.getElementById('process').replaceChildren(...processPanel(stats));
    let worst = 'ok';
    for (const s of stats.services) {
      const st = status(s);
      if (st === 'down' || (st === 'degraded' && worst === 'ok')) worst = st;
    }
    const overall = document.getElementById('overall');
    overall.className = 'badge ' + worst;
    overall.textContent = worst;
    document.getElementById('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
    renders++;
    document.body.dataset.state = 'live';
    document.body.dataset.renders = String(renders);
  }

  async function get(path, token) {
    const headers = token ? { Authorization: 'Bearer ' + token } : {};
    const r = await fetch(path, { headers, cache: 'no-store' });
    if (r.status === 401) throw Object.assign(new Error('the token was refused'), { unauthorized: true });
    if (!r.ok) throw new Error(`${path} answered ${r.status}`);
    return r.json();
  }

  async function poll() {
    timer = null;
    const token = sessionStorage.getItem(KEY) || ''; // none: a middlebox without authentication (loopback only)
    try {
      const [stats, hist] = await Promise.all([get('/stats', token), get('/stats/history', token).catch(() => null)]);
      render(stats, hist);
    } catch (e) {
      if (e.unauthorized) {
        sessionStorage.removeItem(KEY);
        askToken(token ? 'The middlebox refused that token.' : '');
        return;
      }
      document.body.dataset.state = 'error';
      document.getElementById('updated').textContent = 'cannot reach the middlebox: ' + e.message;
    }
    timer = setTimeout(poll, PERIOD);
  }

  function askToken(message) {
    document.body.dataset.state = 'login';
    document.getElementById('login').hidden = false;
    document.getElementById('forget').hidden = true;
    document.getElementById('login-error').textContent = message;
  }

  // a token in the URL fragment (never sent to the server) is moved to sessionStorage and removed from the URL
  function takeFragmentToken() {
    const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
    if (!m) return false;
    sessionStorage.setItem(KEY, decodeURIComponent(m[1]));
    history.replaceState(null, '', location.pathname + location.search);
    return true;
  }

  function start() {
    takeFragmentToken();
    window.addEventListener('hashchange', () => {
      if (takeFragmentToken()) {
        document.getElementById('login').hidden = true;
        document.getElementById('forget').hidden = false;
        if (timer) clearTimeout(timer);
        poll();
      }
    });
    document.getElementById('token-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const t = document.getElementById('token').value.trim();
      if (!t) return;
      sessionStorage.setItem(KEY, t);
      document.getElementById('token').value = '';
      document.getElementById('login').hidden = true;
      document.getElementById('forget').hidden = false;
      if (timer) clearTimeout(timer);
      poll();
    });
    document.getElementById('forget').addEventListener('click', () => {
      sessionStorage.removeItem(KEY);
      if (timer) clearTimeout(timer);
      askToken('');
    });
    document.getElementById('forget').hidden = !sessionStorage.getItem(KEY);
    poll();
  }

  document.addEventListener('DOMContentLoaded', start);
})();
