/* The rehearsal dashboard: live charts over the page's WebSocket, and the operator's commands as text. */
(function () {
  'use strict';
  var token = new URLSearchParams(location.search).get('token') || '';
  var role = document.body.dataset.role;
  var state = { points: [], updates: 0, lastUpdate: 0, faults: [], events: [], ended: false, replies: [] };
  window.__dashboard = state;
  var $ = function (id) { return document.getElementById(id); };
  var el = function (tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  };
  var ws;
  var ref = 0;
  var charts = {};
  var t0 = null;

  var chartDefs = [
    { id: 'online', series: [['online', '#0969da'], ['clientsTotal', '#8c959f']] },
    { id: 'supernodes', series: [['supernodesServing', '#1a7f37'], ['supernodesTotal', '#8c959f']] },
    { id: 'load', series: [['loadMean', '#bf8700'], ['loadMax', '#cf222e'], ['sessionsOverCapacity', '#8250df'], ['capacity', '#59636e']] },
    { id: 'lookups', series: [['lookupSuccess', '#0969da']] },
    { id: 'backlog', series: [['offlineBacklog', '#cf222e']] },
  ];

  function columns(def) {
    var xs = state.points.map(function (p) { return p.t; });
    var cols = [xs];
    def.series.forEach(function (s) {
      cols.push(state.points.map(function (p) { return s[0] === 'capacity' ? 1 : p[s[0]]; }));
    });
    return cols;
  }

  function makeCharts() {
    chartDefs.forEach(function (def) {
      var host = $('chart-' + def.id);
      if (!host || typeof uPlot === 'undefined') return;
      var width = Math.max(300, host.clientWidth || 600);
      charts[def.id] = new uPlot({
        width: width,
        height: 170,
        legend: { show: true },
        scales: { x: { time: false } },
        axes: [{ label: 's since start' }, {}],
        series: [{ label: 't' }].concat(def.series.map(function (s) {
          return { label: s[0], stroke: s[1], width: 1.5, dash: s[0] === 'capacity' ? [4, 4] : undefined, spanGaps: false };
        })),
      }, columns(def), host);
    });
  }

  function redraw() {
    chartDefs.forEach(function (def) {
      if (charts[def.id]) charts[def.id].setData(columns(def));
    });
  }

  function fmtT(seconds) {
    if (t0 === null) return seconds.toFixed(1) + 's';
    var rel = seconds - t0;
    return (rel < 0 ? 'T' : 'T+') + rel.toFixed(1) + 's';
  }

  function describeEvent(e) {
    switch (e.type) {
      case 'fault': return e.action + ' ' + e.kind + ' (' + e.id + ') on ' + e.targets.length + ' target(s)';
      case 'remedy': return e.label + ': +' + e.added.length + ' supernodes';
      case 'mark': return 'mark: ' + e.label;
      case 'error': return 'error: ' + e.message;
      case 'node': return 'node ' + e.node + ' ' + e.change + (e.cause ? ' (' + e.cause + ')' : '');
      case 'phase': return 'phase ' + e.phase;
      case 'command': return e.source + ': ' + e.text + ' → ' + e.outcome + (e.message ? ': ' + e.message.split('\n')[0] : '');
      case 'interrupt': return 'interrupted (SIGINT/SIGTERM) during ' + e.phase;
      default: return e.type;
    }
  }

  function addEvent(e) {
    if (e.type === 'phase' && e.phase === 'timeline' && t0 === null) t0 = e.t / 1000;
    state.events.push(e);
    var li = el('li', fmtT(e.t / 1000) + '  ' + describeEvent(e), e.type === 'error' ? 'error' : e.outcome === 'refused' ? 'refused' : '');
    var list = $('events');
    list.appendChild(li);
    while (list.children.length > 400) list.removeChild(list.firstChild);
    list.scrollTop = list.scrollHeight;
  }

  function renderFaults(faults) {
    state.faults = faults;
    var list = $('faults');
    list.textContent = '';
    if (faults.length === 0) list.appendChild(el('li', 'none', 'empty'));
    faults.forEach(function (f) {
      var li = el('li');
      li.dataset.faultId = f.id;
      li.dataset.kind = f.kind;
      li.appendChild(el('code', f.id + ': ' + f.command));
      if (role === 'operator' && f.healable) {
        var button = el('button', f.kind === 'cut' ? 'Up' : 'Heal', 'heal');
        button.type = 'button';
        button.addEventListener('click', function () { send('heal ' + f.id); });
        li.appendChild(button);
      } else if (!f.healable) {
        li.appendChild(el('span', 'users restart', 'note'));
      }
      list.appendChild(li);
    });
  }

  function showReply(reply) {
    state.replies.push(reply);
    var box = $('reply');
    box.textContent = reply.message;
    box.className = reply.ok ? '' : 'refused';
  }

  function send(text) {
    if (!ws || ws.readyState !== 1) return showReply({ ok: false, message: 'not connected' });
    ref += 1;
    ws.send(JSON.stringify({ type: 'command', text: text, ref: ref }));
  }

  function options(select, values) {
    select.textContent = '';
    values.forEach(function (v) { var o = el('option', v); o.value = v; select.appendChild(o); });
  }

  function attrInputs(catalogue) {
    var type = $('toxic-type').value;
    var holder = $('toxic-attrs');
    holder.textContent = '';
    var rules = catalogue[type] || {};
    Object.keys(rules).forEach(function (name) {
      var rule = rules[name];
      var input = el('input', undefined, 'attr');
      input.name = name;
      input.id = 'attr-' + name;
      input.placeholder = name + (rule.default === undefined ? '' : ' (' + rule.default + ')');
      input.title = name + ': ' + rule.min + '..' + rule.max + ' ' + rule.unit;
      holder.appendChild(input);
    });
  }

  function share(value) { value = value.trim(); return value === '' || value === 'all' ? '' : '@' + value; }

  function wireForms(hello) {
    var catalogue = hello.catalogue || {};
    options($('toxic-type'), Object.keys(catalogue));
    options($('toxic-from'), hello.linkSources);
    options($('toxic-to'), hello.linkGroups);
    options($('cut-from'), hello.linkSources);
    options($('cut-to'), hello.linkGroups);
    options($('node-group'), hello.nodeGroups);
    attrInputs(catalogue);
    $('toxic-type').addEventListener('change', function () { attrInputs(catalogue); });
    $('form-inject').addEventListener('submit', function (ev) {
      ev.preventDefault();
      var parts = ['inject', $('toxic-type').value, $('toxic-from').value + '->' + $('toxic-to').value + share($('toxic-share').value)];
      [].forEach.call($('toxic-attrs').querySelectorAll('input'), function (input) {
        if (input.value.trim() !== '') parts.push(input.name + '=' + input.value.trim());
      });
      if ($('toxic-stream').value) parts.push('stream=' + $('toxic-stream').value);
      send(parts.join(' '));
    });
    $('form-cut').addEventListener('submit', function (ev) {
      ev.preventDefault();
      send('cut ' + $('cut-from').value + '->' + $('cut-to').value + share($('cut-share').value));
    });
    $('form-nodes').addEventListener('submit', function (ev) {
      ev.preventDefault();
      send($('node-action').value + ' ' + $('node-group').value + ' ' + ($('node-share').value.trim() || ''));
    });
    $('form-add').addEventListener('submit', function (ev) {
      ev.preventDefault();
      send('add ' + $('add-count').value + ' ' + $('add-tuning').value);
    });
    $('form-mark').addEventListener('submit', function (ev) {
      ev.preventDefault();
      if ($('mark-text').value.trim() !== '') send('mark ' + $('mark-text').value.trim());
      $('mark-text').value = '';
    });
    $('form-command').addEventListener('submit', function (ev) {
      ev.preventDefault();
      if ($('command-text').value.trim() !== '') send($('command-text').value.trim());
      $('command-text').value = '';
    });
    $('heal-all').addEventListener('click', function () {
      if (ws && ws.readyState === 1) { ref += 1; ws.send(JSON.stringify({ type: 'heal-all', ref: ref })); }
    });
    $('end-session').addEventListener('click', function () { send('end'); });
  }

  function deadMan(info) {
    var pill = $('dead-man');
    if (!info || !info.enabled) { pill.textContent = 'dead-man off'; return; }
    pill.textContent = info.remainingMs === null ? 'dead-man ' + Math.round(info.afterMs / 1000) + 's' : 'dead-man heals in ' + Math.ceil(info.remainingMs / 1000) + 's';
  }

  var wired = false;
  function onMessage(message) {
    switch (message.type) {
      case 'hello':
        state.points = (message.points || []).slice();
        t0 = message.timelineStartSeconds === null || message.timelineStartSeconds === undefined ? null : message.timelineStartSeconds;
        $('events').textContent = '';
        state.events = [];
        (message.events || []).forEach(addEvent);
        renderFaults(message.faults || []);
        if (!wired && role === 'operator') { wireForms(message); wired = true; }
        if (message.viewerUrl) { $('viewer-link').textContent = 'open'; $('viewer-link').href = message.viewerUrl; }
        if (Object.keys(charts).length === 0) makeCharts(); else redraw();
        deadMan(message.deadMan);
        break;
      case 'sample':
        state.points.push(message.point);
        if (state.points.length > 900) state.points.shift();
        state.updates += 1;
        state.lastUpdate = Date.now();
        document.documentElement.dataset.updates = String(state.updates);
        if (t0 !== null) $('clock').textContent = fmtT(message.point.t);
        redraw();
        deadMan(message.deadMan);
        break;
      case 'event':
        addEvent(message.event);
        break;
      case 'faults':
        renderFaults(message.faults);
        break;
      case 'reply':
        showReply(message);
        break;
      case 'ended':
        state.ended = true;
        $('connection').textContent = 'session ended';
        $('connection').className = 'pill down';
        break;
    }
  }

  function connect() {
    ws = new WebSocket('ws://' + location.host + '/live?token=' + encodeURIComponent(token));
    ws.onopen = function () { $('connection').textContent = 'live'; $('connection').className = 'pill live'; };
    ws.onmessage = function (ev) { try { onMessage(JSON.parse(ev.data)); } catch (e) { /* one bad message */ } };
    ws.onclose = function () {
      if (!state.ended) { $('connection').textContent = 'reconnecting'; $('connection').className = 'pill down'; setTimeout(connect, 1000); }
    };
  }
  setInterval(function () { if (ws && ws.readyState === 1 && role === 'operator') ws.send(JSON.stringify({ type: 'ping' })); }, 5000);
  connect();
})();
