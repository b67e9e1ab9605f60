// frontdesk local playground: the browser side. Plain ES module, no build step.
// Bot messages arrive as HTML rendered (and escaped) by the server from the core's MessageView;
// this file only lays them out, sends what the person does to /local/api, and listens on SSE.

const $ = (sel, root = document) => root.querySelector(sel);
const API = '/local/api';
const ROLE_LABEL = { customer: 'Customer', agent: 'Agent', lead: 'Lead' };
const REACTION_EMOJI = { eyes: '👀', white_check_mark: '✅', ticket: '🎫' };
const REACTION_HELP = {
  eyes: '👀 Acknowledge and take it (agents)',
  white_check_mark: '✅ Resolve (agents)',
  ticket: '🎫 Make a ticket of this message (agents)',
};
const AVATAR_COLORS = ['#e8912d', '#2eb67d', '#36c5f0', '#e01e5a', '#4a154b', '#1264a3', '#9b59b6', '#d35400', '#16a085'];
const SAMPLES = [
  'Checkout is down for all our customers: every payment fails with a 502 since 10:05',
  "I can't log in with SSO since this morning, it says \"invalid SAMLResponse\"",
  'We were charged twice for the November invoice, can someone refund one?',
  'Could you add a dark mode to the dashboard?',
  'hi everyone 👋',
];

const state = {
  me: localStorage.getItem('frontdesk.playground.me') || 'alex',
  people: [],
  channels: [],
  dmChannel: null,
  view: { kind: 'channel', id: localStorage.getItem('frontdesk.playground.channel') || 'support' },
  messages: new Map(),
  threadId: null,
  clock: { now: Date.now(), speed: 1, aheadMs: 0, movable: false, receivedAt: Date.now() },
  unread: new Map(),
  autoOpen: new Set(),
  flash: new Set(),
  events: null,
};

// ------------------------------------------------------------------ helpers

async function api(path, opts = {}) {
  const init = { method: opts.method || 'GET', headers: {} };
  let url = API + path;
  if (init.method === 'GET') url += `${url.includes('?') ? '&' : '?'}as=${encodeURIComponent(state.me)}`;
  else {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify({ as: state.me, ...(opts.body || {}) });
  }
  const res = await fetch(url, init);
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data.error || `request failed (${res.status})`);
  return data;
}

function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k === 'selected' || k === 'value' || k === 'disabled') e[k] = v;
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) e.append(c);
  return e;
}

function person(id) {
  return state.people.find((p) => p.id === id);
}

function initials(name) {
  return name
    .split(/\s+/)
    .map((w) => w[0] || '')
    .join('')
    .slice(0, 2)
    .toUpperCase();
}

function avatar(id, name, isBot, small = false) {
  const a = el('span', { class: `avatar${small ? ' avatar-sm' : ''}${isBot ? ' bot' : ''}`, 'aria-hidden': 'true', text: isBot ? 'fd' : initials(name) });
  if (!isBot) {
    let h = 0;
    for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
    a.style.background = AVATAR_COLORS[h % AVATAR_COLORS.length];
  }
  return a;
}

const pad = (n) => String(n).padStart(2, '0');
const fmtTime = (ms) => {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
};
const dayKey = (ms) => new Date(ms).toDateString();
function dayLabel(ms) {
  const now = clockNow();
  if (dayKey(ms) === dayKey(now)) return 'Today';
  if (dayKey(ms) === dayKey(now - 86_400_000)) return 'Yesterday';
  return new Date(ms).toLocaleDateString(undefined, { weekday: 'long', day: 'numeric', month: 'long' });
}
const msgNum = (id) => Number(String(id).slice(1)) || 0;
const byTime = (a, b) => a.createdAt - b.createdAt || msgNum(a.id) - msgNum(b.id);

function toast(content, { error = false, html = false, ms = 6000 } = {}) {
  const t = el('div', { class: `toast${error ? ' is-error' : ''}`, role: error ? 'alert' : 'status' });
  if (html) t.innerHTML = content;
  else t.textContent = content;
  $('#toasts').append(t);
  setTimeout(() => t.remove(), ms);
}

function fail(e) {
  toast(e instanceof Error ? e.message : String(e), { error: true });
}

// ------------------------------------------------------------------ clock

function clockNow() {
  const c = state.clock;
  return c.now + (Date.now() - c.receivedAt) * c.speed;
}

function setClock(c) {
  state.clock = { ...c, receivedAt: Date.now() };
  for (const b of document.querySelectorAll('[data-speed]')) {
    b.classList.toggle('is-active', Number(b.dataset.speed) === c.speed);
    b.disabled = !c.movable;
  }
  for (const b of document.querySelectorAll('[data-jump]')) b.disabled = !c.movable;
  $('#clock').title = c.movable ? 'The bot runs on this clock: SLA timers, warnings, breach prompts and the digest follow it.' : 'The bot runs on the system clock here.';
  renderClock();
}

function fmtAhead(ms) {
  const m = Math.round(ms / 60_000);
  if (m < 1) return '';
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  const mm = m % 60;
  return `+${[d && `${d}d`, h && `${h}h`, !d && mm && `${mm}m`].filter(Boolean).join(' ')} ahead`;
}

function renderClock() {
  const now = clockNow();
  const d = new Date(now);
  const t = $('#clock-now');
  t.textContent = `${d.toLocaleDateString(undefined, { weekday: 'short', day: 'numeric', month: 'short' })} · ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  t.setAttribute('datetime', d.toISOString());
  $('#clock-ahead').textContent = fmtAhead(now - Date.now());
}

async function jump(ms) {
  $('#clock').classList.add('is-busy');
  try {
    setClock(await api('/clock', { method: 'POST', body: { advanceMs: ms } }));
  } catch (e) {
    fail(e);
  } finally {
    $('#clock').classList.remove('is-busy');
  }
}

async function setSpeed(speed) {
  try {
    setClock(await api('/clock', { method: 'POST', body: { speed } }));
  } catch (e) {
    fail(e);
  }
}

// ------------------------------------------------------------------ who am I

function renderWhoami() {
  const sel = $('#whoami');
  sel.textContent = '';
  for (const role of ['customer', 'agent', 'lead']) {
    const group = el('optgroup', { label: `${ROLE_LABEL[role]}s` });
    for (const p of state.people.filter((x) => x.role === role)) group.append(el('option', { value: p.id, text: `${p.name} · ${p.org}`, selected: p.id === state.me }));
    sel.append(group);
  }
  const me = person(state.me);
  $('#whoami-avatar').replaceWith(Object.assign(avatar(state.me, me ? me.name : state.me, false, true), { id: 'whoami-avatar' }));
  updateComposerHint();
}

function updateComposerHint() {
  const me = person(state.me);
  if (!me) return;
  const ch = state.channels.find((c) => c.id === state.view.id);
  const where = ch && ch.kind === 'dm' ? 'frontdesk' : `#${state.view.id}`;
  $('#composer-input').placeholder = me.role === 'customer' ? `Ask for help in ${where}… (you are a customer)` : `Message ${where} — or type /ticket help`;
  $('#composer-hint').textContent = `You are ${me.name} (${ROLE_LABEL[me.role].toLowerCase()}, ${me.org}) · Enter to send, Shift+Enter for a new line · /ticket help for commands`;
}

async function switchPerson(id) {
  state.me = id;
  localStorage.setItem('frontdesk.playground.me', id);
  state.unread.clear();
  // Notices were for the person before: the new person must not see them.
  $('#toasts').replaceChildren();
  await loadState();
  connect();
  await showView(state.view);
  if (state.threadId && !state.messages.has(state.threadId)) closeThread();
  else renderThread();
}

// ------------------------------------------------------------------ channels + sidebar

async function loadState() {
  const s = await api('/state');
  state.people = s.people;
  state.channels = s.channels;
  state.dmChannel = s.dmChannel;
  setClock(s.clock);
  $('#banner-db').innerHTML = '';
  if (s.database) $('#banner-db').append('Database: ', el('code', { text: s.database }));
  renderWhoami();
  renderSidebar();
  for (const f of s.forms) openForm(f);
}

function renderSidebar() {
  const list = $('#channel-list');
  const dms = $('#dm-list');
  list.textContent = '';
  dms.textContent = '';
  for (const c of state.channels) {
    const active = state.view.kind === 'channel' && state.view.id === c.id;
    const n = state.unread.get(c.id) || 0;
    const label = c.kind === 'dm' ? [el('span', { class: 'side-icon', text: '●' }), 'frontdesk'] : [el('span', { class: 'side-icon', text: '#' }), c.id];
    const b = el('button', { type: 'button', class: active ? 'is-active' : '', 'data-channel': c.id }, ...label, n ? el('span', { class: 'badge', text: String(n) }) : null);
    (c.kind === 'dm' ? dms : list).append(el('li', {}, b));
  }
  $('#nav-home').classList.toggle('is-active', state.view.kind === 'home');
}

async function showView(view) {
  state.view = view;
  if (view.kind === 'channel') localStorage.setItem('frontdesk.playground.channel', view.id);
  $('#channel-pane').hidden = view.kind !== 'channel';
  $('#home-pane').hidden = view.kind !== 'home';
  renderSidebar();
  if (view.kind === 'home') {
    await loadQueue();
    return;
  }
  state.unread.delete(view.id);
  const ch = state.channels.find((c) => c.id === view.id);
  if (!ch) {
    if (view.id !== 'support') return showView({ kind: 'channel', id: 'support' });
  }
  $('#channel-title').textContent = ch && ch.kind === 'dm' ? 'frontdesk (direct message)' : `# ${view.id}`;
  $('#channel-topic').textContent = ch ? ch.topic || (ch.kind === 'dm' ? 'Private: only you see this conversation with the bot.' : '') : '';
  updateComposerHint();
  try {
    const data = await api(`/channels/${encodeURIComponent(view.id)}/messages`);
    state.messages = new Map(data.messages.map((m) => [m.id, m]));
  } catch (e) {
    state.messages = new Map();
    fail(e);
  }
  renderSidebar();
  renderMessages(true);
  if (state.threadId) renderThread();
}

// ------------------------------------------------------------------ messages

function repliesOf(rootId) {
  return [...state.messages.values()].filter((m) => m.threadId === rootId).sort(byTime);
}

/** The ticket a thread is about, read from the bot's card in it (key, priority, status), or null. */
function ticketInfo(replies) {
  for (const r of replies) {
    if (!r.isBot || !r.html.includes('mv-header')) continue;
    const tpl = document.createElement('template');
    tpl.innerHTML = r.html; // server-rendered; a template is inert
    const head = /^(T-\d+) ·/.exec(tpl.content.querySelector('.mv-header')?.textContent || '');
    if (!head) continue;
    const field = (label) => {
      for (const f of tpl.content.querySelectorAll('.mv-field')) if (f.querySelector('.mv-field-label')?.textContent === label) return f.querySelector('.mv-field-value')?.textContent || '';
      return '';
    };
    return { key: head[1], priority: (field('Priority').match(/P\d/) || [''])[0], status: field('Status').split(' · ')[0] };
  }
  return null;
}

function messageEl(m, { inThread = false } = {}) {
  const p = person(m.authorId);
  const eph = m.kind === 'ephemeral';
  const role = m.isBot ? 'app' : p ? p.role : 'customer';
  const head = el(
    'div',
    { class: 'msg-head' },
    el('span', { class: 'msg-author', text: m.authorName }),
    el('span', { class: `msg-role role-${role}`, text: m.isBot ? 'App' : ROLE_LABEL[role] || role }),
    el('time', { class: 'msg-time', text: fmtTime(m.createdAt), title: new Date(m.createdAt).toLocaleString(), datetime: new Date(m.createdAt).toISOString() }),
    m.editedAt ? el('span', { class: 'msg-edited', text: `(updated ${fmtTime(m.editedAt)})` }) : null,
  );
  if (!inThread && !m.threadId && !m.isBot) {
    const t = ticketInfo(repliesOf(m.id));
    const done = t && /Resolved|Closed/.test(t.status);
    if (t)
      head.append(
        el('a', { class: `ticket-chip prio-${t.priority}${done ? ' is-done' : ''}`, href: `#ticket/${t.key}`, title: `Open ${t.key}` }, `🎫 ${t.key} · ${t.priority} · ${t.status}`),
      );
  }
  const content = el('div', { class: 'msg-content' });
  content.innerHTML = m.html; // rendered and escaped by the server (adapters/local/render-html.ts)
  for (const x of content.querySelectorAll('.mention')) if (x.dataset.userId === state.me) x.classList.add('is-me');
  const body = el('div', { class: 'msg-body' }, head);
  if (eph) body.append(el('div', { class: 'msg-eph-label' }, '👁 Only visible to you', m.command ? el('code', { text: m.command }) : null));
  body.append(content);
  if (m.reactions.length) {
    const rs = el('div', { class: 'reactions' });
    for (const r of m.reactions)
      rs.append(
        el(
          'button',
          { type: 'button', class: `reaction${r.users.includes(state.me) ? ' is-mine' : ''}`, 'data-emoji': r.emoji, title: `${r.names.join(', ')} reacted with :${r.emoji}:` },
          r.label,
          el('span', { text: String(r.users.length) }),
        ),
      );
    body.append(rs);
  }
  if (!inThread && !m.threadId && m.kind !== 'ephemeral') {
    const replies = repliesOf(m.id);
    if (replies.length) {
      const last = replies[replies.length - 1];
      const who = [...new Map(replies.map((r) => [r.authorId, r])).values()].slice(0, 4);
      body.append(
        el(
          'button',
          { type: 'button', class: 'thread-summary', 'data-open-thread': m.id },
          ...who.map((r) => avatar(r.authorId, r.authorName, r.isBot, true)),
          `${replies.length} ${replies.length === 1 ? 'reply' : 'replies'}`,
          el('span', { class: 'muted', text: `Last reply ${fmtTime(last.createdAt)}` }),
        ),
      );
    }
  }
  const tools = el('div', { class: 'msg-tools' });
  if (!eph) for (const [name, emoji] of Object.entries(REACTION_EMOJI)) tools.append(el('button', { type: 'button', class: 'tool', 'data-react': name, title: REACTION_HELP[name], 'aria-label': REACTION_HELP[name], text: emoji }));
  if (!inThread && !m.threadId && !eph) tools.append(el('button', { type: 'button', class: 'tool', 'data-open-thread': m.id, title: 'Reply in thread', 'aria-label': 'Reply in thread', text: '💬' }));
  const node = el('div', { class: `msg${eph ? ' is-ephemeral' : ''}`, 'data-id': m.id, 'data-kind': m.kind }, avatar(m.authorId, m.authorName, m.isBot), body, tools.childElementCount ? tools : null);
  if (state.flash.has(m.id)) {
    node.classList.add('flash');
    setTimeout(() => state.flash.delete(m.id), 1600);
  }
  return node;
}

/** Keyed update of a list: only items whose revision changed are rebuilt (so updates happen in place). */
function reconcile(container, items) {
  const existing = new Map();
  for (const c of container.children) if (c.dataset.key) existing.set(c.dataset.key, c);
  let prev = null;
  for (const it of items) {
    let node = existing.get(it.key);
    if (!node || node.dataset.rev !== it.rev) {
      const fresh = it.build();
      fresh.dataset.key = it.key;
      fresh.dataset.rev = it.rev;
      if (node) node.replaceWith(fresh);
      node = fresh;
    }
    existing.delete(it.key);
    const want = prev ? prev.nextSibling : container.firstChild;
    if (want !== node) container.insertBefore(node, want);
    prev = node;
  }
  for (const n of existing.values()) n.remove();
  for (const c of [...container.children]) if (!c.dataset.key) c.remove();
}

function nearBottom(box) {
  return box.scrollHeight - box.scrollTop - box.clientHeight < 120;
}

function emptyState() {
  const ch = state.channels.find((c) => c.id === state.view.id);
  if (ch && ch.kind === 'dm') return el('div', { class: 'empty' }, el('h2', { text: 'Your direct messages with frontdesk' }), el('p', { text: 'Reminders and SLA pings meant only for you arrive here.' }));
  const samples = el('div', { class: 'samples' });
  for (const s of SAMPLES) samples.append(el('button', { type: 'button', class: 'sample', 'data-sample': s, text: s.length > 60 ? `${s.slice(0, 57)}…` : s, title: s }));
  return el(
    'div',
    { class: 'empty' },
    el('h2', { text: `This is the very beginning of #${state.view.id}` }),
    el('p', { text: 'Post a request as a customer and watch frontdesk triage it and answer in the thread with a ticket card. Pick a sample to start, or run "npm run demo" to seed a busy queue.' }),
    samples,
  );
}

let renderPending = false;
function renderMessages(forceBottom = false) {
  if (renderPending && !forceBottom) return;
  renderPending = true;
  requestAnimationFrame(() => {
    renderPending = false;
    const box = $('#messages');
    const stick = forceBottom || nearBottom(box);
    const top = [...state.messages.values()].filter((m) => !m.threadId).sort(byTime);
    const items = [];
    let day = null;
    for (const m of top) {
      const k = dayKey(m.createdAt);
      if (k !== day) {
        day = k;
        items.push({ key: `day:${k}`, rev: dayLabel(m.createdAt), build: () => el('div', { class: 'day', text: dayLabel(m.createdAt) }) });
      }
      const replies = repliesOf(m.id);
      const newest = replies.reduce((n, r) => Math.max(n, r.rev), 0);
      items.push({ key: m.id, rev: `${m.rev}:${replies.length}:${newest}:${state.me}`, build: () => messageEl(m) });
    }
    if (top.length === 0) items.push({ key: 'empty', rev: `${state.view.id}`, build: emptyState });
    reconcile(box, items);
    if (stick) box.scrollTop = box.scrollHeight;
  });
}

// ------------------------------------------------------------------ thread panel

function openThread(id) {
  state.threadId = id;
  state.autoOpen.delete(id);
  $('#thread').hidden = false;
  renderThread(true);
  $('#thread-input').focus();
}

function closeThread() {
  state.threadId = null;
  $('#thread').hidden = true;
}

function renderThread(forceBottom = false) {
  const id = state.threadId;
  if (!id) return;
  const root = state.messages.get(id);
  const box = $('#thread-messages');
  if (!root) {
    closeThread();
    return;
  }
  const stick = forceBottom || nearBottom(box);
  $('#thread-channel').textContent = root.channelId.startsWith('dm:') ? 'frontdesk' : `#${root.channelId}`;
  const replies = repliesOf(id);
  const items = [
    { key: `root:${id}`, rev: `${root.rev}:${state.me}`, build: () => el('div', { class: 'thread-root' }, messageEl(root, { inThread: true })) },
    { key: `count:${id}`, rev: String(replies.length), build: () => el('div', { class: 'thread-count', text: replies.length ? `${replies.length} ${replies.length === 1 ? 'reply' : 'replies'}` : 'No replies yet' }) },
    ...replies.map((m) => ({ key: m.id, rev: `${m.rev}:${state.me}`, build: () => messageEl(m, { inThread: true }) })),
  ];
  reconcile(box, items);
  if (stick) box.scrollTop = box.scrollHeight;
}

// ------------------------------------------------------------------ queue (Home)

let queueTimer = null;
async function loadQueue() {
  try {
    // A digest number opens the filtered list behind it; otherwise the person's queue.
    const query = state.view.query;
    const { html } = await api(query ? `/tickets?${query}` : '/queue');
    const q = $('#queue');
    q.innerHTML = html; // rendered and escaped by the server
    if (query) q.prepend(el('button', { type: 'button', class: 'mv-btn', 'data-queue-home': '', text: '← Your queue' }));
    for (const x of q.querySelectorAll('.mention')) if (x.dataset.userId === state.me) x.classList.add('is-me');
  } catch (e) {
    fail(e);
  }
}
function queueSoon() {
  if (state.view.kind !== 'home') return;
  clearTimeout(queueTimer);
  queueTimer = setTimeout(loadQueue, 250);
}

// ------------------------------------------------------------------ live updates

function onMessage(m) {
  const viewing = state.view.kind === 'channel' && state.view.id === m.channelId;
  if (!viewing) {
    if (m.authorId !== state.me && !m.editedAt && m.rev && !m.threadId) {
      state.unread.set(m.channelId, (state.unread.get(m.channelId) || 0) + 1);
      if (!state.channels.some((c) => c.id === m.channelId)) loadState().catch(fail);
      renderSidebar();
    }
    return;
  }
  const before = state.messages.get(m.id);
  if (before && before.rev >= m.rev) return;
  if (before && m.editedAt && m.editedAt !== before.editedAt) state.flash.add(m.id);
  state.messages.set(m.id, m);
  renderMessages();
  if (m.threadId && state.autoOpen.has(m.threadId) && m.isBot) openThread(m.threadId);
  else if (state.threadId && (m.threadId === state.threadId || m.id === state.threadId)) renderThread();
}

function connect() {
  if (state.events) state.events.close();
  const es = new EventSource(`${API}/events?as=${encodeURIComponent(state.me)}`);
  state.events = es;
  let first = true;
  es.addEventListener('hello', () => {
    document.body.dataset.live = 'on';
    // After a reconnect, reload what is on screen: events sent while away were missed.
    if (!first && state.view.kind === 'channel') showView(state.view).catch(fail);
    first = false;
  });
  es.addEventListener('message', (ev) => onMessage(JSON.parse(ev.data)));
  es.addEventListener('tickets', () => queueSoon());
  es.addEventListener('clock', (ev) => {
    setClock(JSON.parse(ev.data));
    queueSoon();
  });
  es.addEventListener('channels', () => loadState().catch(fail));
  es.addEventListener('form', (ev) => openForm(JSON.parse(ev.data)));
  es.onerror = () => {
    document.body.dataset.live = 'off';
  };
}

// ------------------------------------------------------------------ forms (modals)

const openForms = new Set();
function openForm(f) {
  if (openForms.has(f.ref)) return;
  openForms.add(f.ref);
  const dlg = $('#modal');
  $('#modal-body').innerHTML = f.html; // rendered and escaped by the server
  const form = $('#modal-body form');
  const close = () => {
    openForms.delete(f.ref);
    if (dlg.open) dlg.close();
  };
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const values = Object.fromEntries(new FormData(form).entries());
    try {
      const r = await api(`/forms/${f.ref}`, { method: 'POST', body: { values } });
      close();
      if (r.notice) toast(r.notice, { html: true });
    } catch (e) {
      fail(e);
    }
  });
  form.querySelector('[data-form-cancel]').addEventListener('click', async () => {
    close();
    await api(`/forms/${f.ref}/cancel`, { method: 'POST' }).catch(() => undefined);
  });
  if (!dlg.open) dlg.showModal();
  const first = form.querySelector('input, textarea, select');
  if (first) first.focus();
}

// ------------------------------------------------------------------ doing things

async function send(text, threadId) {
  const channelId = state.view.id;
  const r = await api('/messages', { method: 'POST', body: { channelId, threadId, text } });
  if (r.message && !threadId) {
    state.messages.set(r.message.id, r.message);
    renderMessages(true);
  }
  const o = r.outcome;
  if (!o) return;
  if (o.kind === 'ticket' && o.result === 'created' && !threadId) {
    // The card may already have arrived over the live stream before this answer did.
    const arrived = [...state.messages.values()].some((m) => m.threadId === r.message.id && m.isBot);
    if (arrived) openThread(r.message.id);
    else state.autoOpen.add(r.message.id);
  }
  else if (o.kind === 'ticket' && o.result === 'not_a_request') toast('frontdesk read this as conversation, not a request, so no ticket was opened. An agent can still make one with 🎫.');
  // Posting in a non-support channel is explained by the bot in the channel itself (it stays).
  else if (o.kind === 'ignored' && !threadId && o.reason !== 'direct message' && o.reason !== 'not a support channel') toast(`No ticket: ${o.reason}.`);
}

function wireComposer(formSel, inputSel, threadOf) {
  const form = $(formSel);
  const input = $(inputSel);
  const grow = () => {
    input.style.height = 'auto';
    input.style.height = `${Math.min(200, input.scrollHeight)}px`;
  };
  input.addEventListener('input', grow);
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
      ev.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    grow();
    try {
      await send(text, threadOf());
    } catch (e) {
      input.value = text;
      fail(e);
    }
  });
}

async function runAction(target, value) {
  const msg = target.closest('.msg');
  target.disabled = true;
  try {
    const r = await api('/actions', { method: 'POST', body: { actionId: target.dataset.actionId, value, messageId: msg ? msg.dataset.id : null } });
    if (r.notice) toast(r.notice, { html: true });
  } catch (e) {
    fail(e);
  } finally {
    target.disabled = false;
  }
}

async function react(messageId, emoji) {
  try {
    const r = await api('/reactions', { method: 'POST', body: { messageId, emoji } });
    const o = r.outcome;
    if (o && o.kind === 'ignored' && o.reason !== 'reaction removed') toast(`${REACTION_EMOJI[emoji] || emoji} did nothing: ${o.reason}.`);
  } catch (e) {
    fail(e);
  }
}

async function openTicket(key) {
  try {
    const t = await api(`/tickets/${encodeURIComponent(key)}`);
    if (state.view.kind !== 'channel' || state.view.id !== t.channelId) await showView({ kind: 'channel', id: t.channelId });
    if (t.threadId) openThread(t.threadId);
  } catch (e) {
    fail(e);
  }
}

document.addEventListener('click', (ev) => {
  const t = ev.target instanceof Element ? ev.target : null;
  if (!t) return;
  const msgLink = t.closest('a[href^="#msg/"]');
  if (msgLink) {
    ev.preventDefault();
    const [channel, id] = msgLink.getAttribute('href').slice('#msg/'.length).split('/').map(decodeURIComponent);
    return void showView({ kind: 'channel', id: channel })
      .then(() => openThread(id))
      .catch(fail);
  }
  const ticketLink = t.closest('a[href^="#ticket/"]');
  if (ticketLink) {
    ev.preventDefault();
    return void openTicket(decodeURIComponent(ticketLink.getAttribute('href').slice('#ticket/'.length)));
  }
  const listLink = t.closest('a[href^="#tickets?"]');
  if (listLink) {
    ev.preventDefault();
    return void showView({ kind: 'home', query: listLink.getAttribute('href').slice('#tickets?'.length) }).catch(fail);
  }
  if (t.closest('[data-queue-home]')) return void showView({ kind: 'home' }).catch(fail);
  const action = t.closest('button[data-action-id]');
  if (action) return void runAction(action, action.dataset.value);
  const ch = t.closest('[data-channel]');
  if (ch) return void showView({ kind: 'channel', id: ch.dataset.channel }).catch(fail);
  const thread = t.closest('[data-open-thread]');
  if (thread) return openThread(thread.dataset.openThread);
  const r = t.closest('[data-react], [data-emoji]');
  if (r) {
    const msg = r.closest('.msg');
    if (msg) return void react(msg.dataset.id, r.dataset.react || r.dataset.emoji);
  }
  const sample = t.closest('[data-sample]');
  if (sample) {
    const input = $('#composer-input');
    input.value = sample.dataset.sample;
    input.dispatchEvent(new Event('input'));
    input.focus();
    return;
  }
  const j = t.closest('[data-jump]');
  if (j) return void jump(Number(j.dataset.jump));
  const s = t.closest('[data-speed]');
  if (s) return void setSpeed(Number(s.dataset.speed));
});

document.addEventListener('change', (ev) => {
  const t = ev.target;
  if (t instanceof HTMLSelectElement && t.dataset.actionId && t.value) runAction(t, t.value);
});

// ------------------------------------------------------------------ start

function wire() {
  wireComposer('#composer', '#composer-input', () => null);
  wireComposer('#thread-composer', '#thread-input', () => state.threadId);
  $('#thread-close').addEventListener('click', closeThread);
  $('#nav-home').addEventListener('click', () => showView({ kind: 'home' }).catch(fail));
  $('#whoami').addEventListener('change', (ev) => switchPerson(ev.target.value).catch(fail));
  const dlg = $('#channel-dialog');
  $('#add-channel').addEventListener('click', () => {
    $('#channel-form').reset();
    dlg.showModal();
  });
  dlg.querySelector('[data-dialog-cancel]').addEventListener('click', () => dlg.close());
  $('#channel-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const fd = new FormData(ev.target);
    try {
      const { channel } = await api('/channels', { method: 'POST', body: { name: String(fd.get('name')), topic: String(fd.get('topic') || '') } });
      dlg.close();
      await loadState();
      await showView({ kind: 'channel', id: channel.id });
    } catch (e) {
      fail(e);
    }
  });
  setInterval(renderClock, 250);
}

async function start() {
  wire();
  try {
    await loadState();
  } catch {
    state.me = 'alex';
    await loadState();
  }
  connect();
  await showView(state.view);
}

start().catch(fail);
