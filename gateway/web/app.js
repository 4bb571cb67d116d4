// Ganglion dashboard: polls the gateway's /dashboard/api/ endpoints and
// streams answers from /v1/chat/completions. Every text from the network is
// inserted with textContent or text nodes, never parsed as HTML.
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);
  const KEY = 'ganglion.apiKey';
  const COLORS = ['#5ab0ff', '#46c37b', '#e0b34a', '#ef6b6b', '#b58cff', '#4fd1c5', '#f08ac0', '#a3be5c',
    '#ff9f5a', '#8fa7ff', '#d4d46a', '#7bd88f'];

  // el builds an element; children are elements or strings (text nodes).
  function el(tag, cls, ...children) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    for (const c of children) {
      if (c === null || c === undefined) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }
  function td(text, cls, title) {
    const c = el('td', cls, text);
    if (title) c.title = title;
    return c;
  }
  function replaceRows(tbody, rows) {
    tbody.replaceChildren(...rows);
  }
  function short(hex) {
    if (!hex) return '—';
    return hex.length > 14 ? hex.slice(0, 8) + '…' + hex.slice(-4) : hex;
  }
  function num(v, digits) {
    return v === null || v === undefined ? '—' : Number(v).toFixed(digits === undefined ? 4 : digits);
  }
  function ago(iso) {
    if (!iso) return '—';
    const s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
    if (s < 60) return Math.round(s) + 's ago';
    if (s < 3600) return Math.round(s / 60) + 'm ago';
    if (s < 86400) return Math.round(s / 3600) + 'h ago';
    return Math.round(s / 86400) + 'd ago';
  }
  function badge(text, kind) {
    return el('span', 'badge ' + String(kind).replace(/[^a-z_]/g, ''), text);
  }

  // ---- API key: localStorage, or #key=... in the URL (devnet prints it) ----
  function storedKey() {
    try { return localStorage.getItem(KEY) || ''; } catch (e) { return ''; }
  }
  function storeKey(k) {
    try {
      if (k) localStorage.setItem(KEY, k); else localStorage.removeItem(KEY);
    } catch (e) { /* storage disabled: keep it for this page only */ }
    state.key = k;
    showKey();
  }
  function keyFromFragment() {
    const m = /(?:^#|&)key=([^&]*)/.exec(location.hash);
    if (!m) return;
    let k = m[1];
    try { k = decodeURIComponent(k); } catch (e) { /* keep raw */ }
    storeKey(k.trim());
    history.replaceState(null, '', location.pathname + location.search);
  }
  function showKey() {
    $('key').value = state.key;
    let s = state.key ? 'key saved' : 'no key';
    if (state.info && !state.info.auth) s = 'this gateway needs no key';
    $('key-state').textContent = s;
  }

  const state = { key: storedKey(), info: null, metagraph: null, busy: false };

  async function getJSON(path) {
    const r = await fetch(path, { cache: 'no-store' });
    let body = null;
    try { body = await r.json(); } catch (e) { /* not JSON */ }
    if (!r.ok) {
      const msg = body && body.error && body.error.message ? body.error.message : r.status + ' ' + r.statusText;
      throw new Error(msg);
    }
    return body;
  }

  // poll calls fn every ms milliseconds, never overlapping itself.
  function poll(fn, ms) {
    const tick = async () => {
      try { await fn(); } catch (e) { console.warn(e); }
      setTimeout(tick, ms);
    };
    tick();
  }

  // ---- header ----
  async function loadInfo() {
    const r = await getJSON('/dashboard/api/info');
    state.info = r.data;
    const served = r.data.served || [];
    $('models').textContent = served.length
      ? served.map((m) => m.name + ' (' + m.miners + (m.miners === 1 ? ' miner)' : ' miners)')).join(', ')
      : 'none announced yet';
    const sel = $('model');
    const names = served.length ? served.map((m) => m.name) : (r.data.models || []);
    const cur = sel.value;
    if (sel.options.length !== names.length || names.some((n, i) => sel.options[i].value !== n)) {
      sel.replaceChildren(...names.map((n) => { const o = el('option', '', n); o.value = n; return o; }));
      if (names.includes(cur)) sel.value = cur;
    }
    showKey();
  }

  // ---- metagraph ----
  async function loadMetagraph() {
    const r = await getJSON('/dashboard/api/metagraph').catch((e) => ({ error: e }));
    const tbody = $('metagraph').querySelector('tbody');
    if (r.error || !r.available) {
      replaceRows(tbody, []);
      $('metagraph-note').textContent = r.error ? 'error: ' + r.error.message : 'unavailable: ' + r.reason;
      return;
    }
    const mg = r.data;
    state.metagraph = mg;
    if (mg.epoch_length) {
      $('netuid').textContent = mg.netuid;
      $('block').textContent = mg.block;
      $('epoch').textContent = mg.epoch;
      $('epoch-progress').value = (mg.block % mg.epoch_length) / mg.epoch_length;
    }
    const rows = (mg.neurons || []).map((n) => {
      const tr = el('tr');
      tr.dataset.uid = n.uid;
      const role = el('td', '', badge(n.role + (n.validator_permit ? ' ★' : ''), n.role));
      const addr = td(short(n.address), 'addr', n.address);
      const seen = el('td', '', el('span', 'dot' + (n.serving ? ' on' : '')), ago(n.last_seen));
      if (n.serving) seen.title = 'announces a model this gateway serves';
      tr.append(td(n.uid, 'num'), role, addr, td(n.stake || '0', 'num'), td(num(n.incentive), 'num'),
        td(num(n.dividends), 'num'), td(n.emission || '0', 'num'), td(num(n.validator_trust), 'num'),
        td(num(n.score), 'num'), seen);
      return tr;
    });
    replaceRows(tbody, rows);
    $('metagraph-count').textContent = rows.length + (rows.length === 1 ? ' neuron' : ' neurons');
    $('metagraph-note').textContent = mg.source ? 'source: ' + mg.source : '';
  }

  // ---- epochs ----
  async function loadEpochs() {
    const r = await getJSON('/dashboard/api/epochs').catch((e) => ({ error: e }));
    const tbody = $('epochs').querySelector('tbody');
    if (r.error || !r.available) {
      replaceRows(tbody, []);
      $('epochs-note').textContent = r.error ? 'error: ' + r.error.message : 'unavailable: ' + r.reason;
      return;
    }
    const list = r.data || [];
    replaceRows(tbody, list.map((e) => {
      const tr = el('tr');
      tr.dataset.epoch = e.epoch;
      const kind = e.status === 'finalized' ? 'finalized' : e.status === 'settled' ? 'settled'
        : e.status === 'in progress' ? 'progress' : 'none';
      tr.append(td(e.epoch, 'num'), el('td', '', badge(e.status, kind)), td(e.total || '—', 'num'),
        td(e.quorum || '—', 'num'), td(e.tx_hash ? short(e.tx_hash) : '—', 'hash', e.tx_hash),
        td(e.block || '—', 'num'));
      return tr;
    }));
    $('epochs-note').textContent = list.length ? '' : 'no epoch yet';
  }

  // ---- score chart ----
  async function loadScores() {
    const r = await getJSON('/dashboard/api/scores').catch((e) => ({ error: e }));
    if (r.error || !r.available) {
      drawChart({ series: [] });
      $('scores-note').textContent = r.error ? 'error: ' + r.error.message : 'unavailable: ' + r.reason;
      return;
    }
    $('scores-metric').textContent = r.data.metric ? '(' + r.data.metric + ' by epoch)' : '';
    drawChart(r.data);
    $('scores-note').textContent = (r.data.series || []).length ? '' : 'no score yet';
  }

  function drawChart(data) {
    const canvas = $('chart');
    const series = (data.series || []).filter((s) => (s.points || []).length);
    const dpr = window.devicePixelRatio || 1;
    const w = canvas.clientWidth || 560;
    const h = canvas.clientHeight || 240;
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
    const ctx = canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const pad = { l: 44, r: 12, t: 10, b: 24 };
    let x0 = Infinity; let x1 = -Infinity; let y1 = 0;
    for (const s of series) {
      for (const p of s.points) {
        x0 = Math.min(x0, p.epoch); x1 = Math.max(x1, p.epoch); y1 = Math.max(y1, p.value);
      }
    }
    const legend = $('legend');
    canvas.dataset.series = series.length;
    canvas.dataset.points = series.reduce((n, s) => n + s.points.length, 0);
    if (!series.length) { legend.replaceChildren(); return; }
    if (x0 === x1) { x0 -= 1; x1 += 1; }
    y1 = y1 > 0 ? y1 * 1.1 : 1;
    const X = (e) => pad.l + (e - x0) / (x1 - x0) * (w - pad.l - pad.r);
    const Y = (v) => h - pad.b - v / y1 * (h - pad.t - pad.b);
    ctx.strokeStyle = '#26313d'; ctx.fillStyle = '#7d8b99'; ctx.lineWidth = 1;
    ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = 'right'; ctx.textBaseline = 'middle';
    for (let i = 0; i <= 4; i++) {
      const v = y1 * i / 4; const y = Y(v);
      ctx.beginPath(); ctx.moveTo(pad.l, y); ctx.lineTo(w - pad.r, y); ctx.stroke();
      ctx.fillText(v.toFixed(v < 1 ? 2 : 1), pad.l - 6, y);
    }
    ctx.textAlign = 'center'; ctx.textBaseline = 'top';
    const step = Math.max(1, Math.ceil((x1 - x0) / 8));
    for (let e = Math.ceil(x0); e <= x1; e += step) ctx.fillText(String(e), X(e), h - pad.b + 6);
    const items = [];
    series.forEach((s, i) => {
      const color = COLORS[i % COLORS.length];
      const pts = s.points.slice().sort((a, b) => a.epoch - b.epoch);
      ctx.strokeStyle = color; ctx.fillStyle = color; ctx.lineWidth = 2;
      ctx.beginPath();
      pts.forEach((p, k) => (k ? ctx.lineTo(X(p.epoch), Y(p.value)) : ctx.moveTo(X(p.epoch), Y(p.value))));
      ctx.stroke();
      for (const p of pts) { ctx.beginPath(); ctx.arc(X(p.epoch), Y(p.value), 2.5, 0, 2 * Math.PI); ctx.fill(); }
      const sw = el('span', 'swatch');
      sw.style.background = color;
      const li = el('li', '', sw, 'uid ' + s.uid);
      li.title = s.address || '';
      items.push(li);
    });
    legend.replaceChildren(...items);
  }

  // ---- live feed ----
  function verifiedCell(q) {
    if (!q.receipt) return ['—', 'muted', 'no receipt (answer cut or failed)'];
    switch (q.reexec) {
      case 'ok': return ['✓ re-executed', 'ok', 'receipt ' + q.receipt + ' checked and reproduced locally'];
      case 'pending': return ['✓ receipt · re-executing', 'warn', 'receipt ' + q.receipt];
      case 'mismatch': return ['✗ re-execution differs', 'bad', 'receipt ' + q.receipt];
      case 'error': return ['✓ receipt · re-exec error', 'warn', 'receipt ' + q.receipt];
      default: return ['✓ receipt', 'ok', 'signed receipt ' + q.receipt + ' matches the stream'];
    }
  }
  async function loadFeed() {
    const r = await getJSON('/dashboard/api/feed');
    const list = r.data || [];
    replaceRows($('feed').querySelector('tbody'), list.map((q) => {
      const tr = el('tr');
      tr.dataset.query = q.query || '';
      tr.dataset.status = q.status;
      tr.dataset.reexec = q.reexec || '';
      const miner = q.uid !== null && q.uid !== undefined ? 'uid ' + q.uid : short(q.miner);
      const [vt, vc, vtitle] = verifiedCell(q);
      const st = el('td', '', badge(q.status.replace('_', ' '), q.status));
      if (q.error) st.title = q.error;
      tr.append(td(new Date(q.time).toLocaleTimeString(), ''), td(q.model, ''), td(miner, 'miner', q.miner),
        td(q.latency_ms.toFixed(0) + ' ms', 'num'), td(q.tokens, 'num'), st, td(vt, vc, vtitle));
      return tr;
    }));
    $('feed-note').textContent = list.length ? '' : 'No query yet: send one below.';
  }

  // ---- prompt box ----
  let abort = null;
  async function send(ev) {
    ev.preventDefault();
    const out = $('answer');
    const meta = $('answer-meta');
    out.replaceChildren();
    meta.textContent = '';
    out.dataset.state = 'streaming';
    $('send').disabled = true; $('stop').disabled = false;
    abort = new AbortController();
    const body = {
      model: $('model').value, stream: true, stream_options: { include_usage: true },
      max_tokens: Number($('max-tokens').value) || 64, temperature: Number($('temperature').value),
      messages: [{ role: 'user', content: $('prompt').value }],
    };
    const headers = { 'Content-Type': 'application/json' };
    if (state.key) headers.Authorization = 'Bearer ' + state.key;
    let text = '';
    let info = null;
    let usage = null;
    try {
      const r = await fetch('/v1/chat/completions', { method: 'POST', headers, body: JSON.stringify(body), signal: abort.signal });
      if (!r.ok) {
        let msg = r.status + ' ' + r.statusText;
        try { const j = await r.json(); if (j.error && j.error.message) msg = j.error.message; } catch (e) { /* keep */ }
        if (r.status === 401) msg += ' — set the API key at the top';
        throw new Error(msg);
      }
      const reader = r.body.getReader();
      const dec = new TextDecoder();
      let buf = '';
      let done = false;
      while (!done) {
        const { value, done: eof } = await reader.read();
        if (eof) break;
        buf += dec.decode(value, { stream: true });
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const evt = buf.slice(0, i);
          buf = buf.slice(i + 2);
          for (const line of evt.split('\n')) {
            if (!line.startsWith('data: ')) continue;
            const data = line.slice(6);
            if (data === '[DONE]') { done = true; break; }
            const c = JSON.parse(data);
            if (c.error) throw new Error(c.error.message || 'the miner failed');
            if (c.ganglion) info = c.ganglion;
            if (c.usage) usage = c.usage;
            const delta = c.choices && c.choices[0] && c.choices[0].delta;
            if (delta && delta.content) {
              text += delta.content;
              out.append(document.createTextNode(delta.content));
              out.scrollTop = out.scrollHeight;
            }
          }
        }
      }
      out.dataset.state = 'done';
      const parts = [];
      if (info) parts.push('miner ' + (info.uid !== undefined ? 'uid ' + info.uid + ' ' : '') + short(info.miner));
      if (usage) parts.push(usage.completion_tokens + ' tokens');
      if (info && info.receipt) parts.push('receipt ' + short(info.receipt));
      meta.textContent = parts.join(' · ');
    } catch (e) {
      if (e.name === 'AbortError') {
        out.dataset.state = 'done';
        meta.textContent = 'stopped';
      } else {
        out.dataset.state = 'error';
        if (!text) out.textContent = e.message; else meta.textContent = 'error: ' + e.message;
      }
    } finally {
      out.dataset.text = text;
      $('send').disabled = false; $('stop').disabled = true;
      abort = null;
      loadFeed().catch(() => {});
    }
  }

  // ---- start ----
  keyFromFragment();
  showKey();
  $('key-form').addEventListener('submit', (e) => { e.preventDefault(); storeKey($('key').value.trim()); });
  $('prompt-form').addEventListener('submit', send);
  $('stop').addEventListener('click', () => { if (abort) abort.abort(); });
  $('prompt').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) $('prompt-form').requestSubmit();
  });
  poll(loadInfo, 5000);
  poll(loadMetagraph, 4000);
  poll(loadEpochs, 5000);
  poll(loadScores, 5000);
  poll(loadFeed, 2000);
  window.addEventListener('resize', () => loadScores().catch(() => {}));
})();
