// The chat page. User text is only ever put into the page with textContent, never innerHTML.
import { MesaClient } from './mesa-client.js';

const SESSION_KEY = 'mesa-sample.session';
const POSITION_KEY = 'mesa-sample.position.';  // + user id: where this user's resume position is kept
const EVERYONE = '*';
const MAX_KEPT = 300;            // messages kept per conversation
const TYPING_SEND_EVERY = 2000;  // ms between two TYPING messages we send
const TYPING_SHOW_FOR = 4000;    // ms a received TYPING stays visible
const LATE_AFTER = 10000;        // ms: a numbered message older than this is shown as "delivered later"
// Each server instance pushes PRESENCE {instance, users} on every change and every 10 s (Presence.java):
// an instance not heard from for this long has stopped or crashed, and its users are dropped.
const PRESENCE_FORGET_AFTER = 25000;

const $ = (id) => document.getElementById(id);
const ui = {
  status: $('status'), me: $('me'), logout: $('logout'),
  login: $('login'), loginForm: $('login-form'), loginName: $('login-name'), loginError: $('login-error'),
  chat: $('chat'), conversations: $('conversations'), title: $('room-title'),
  messages: $('messages'), typing: $('typing'), composer: $('composer'), text: $('text'),
};

let client = null;
let session = null;                 // {token, userId, name, expiresAt}
let current = EVERYONE;             // the conversation on screen: '*' or a user id
const conversations = new Map();    // id -> {id, name, items: [], unread}
const online = new Map();           // user id -> name: the union of every instance's users
const instances = new Map();        // server instance id -> {users: [{id, name}], lastSeen}
const typing = new Map();           // conversation id -> Map(user id -> {name, timer})
const seen = new Set();             // message ids already shown (redelivery may repeat one)
let lastTypingSent = 0;

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// ---- session -------------------------------------------------------------------------------

function loadSession() {
  try {
    const s = JSON.parse(localStorage.getItem(SESSION_KEY));
    return s && typeof s.token === 'string' && s.expiresAt > Date.now() + 5000 ? s : null;
  } catch { return null; }
}

function showLogin(message = '') {
  ui.chat.hidden = true; ui.logout.hidden = true; ui.login.hidden = false;
  ui.me.textContent = '';
  ui.loginError.textContent = message;
  ui.loginName.focus();
}

ui.loginForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  ui.loginError.textContent = '';
  try {
    const response = await fetch('api/login', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: ui.loginName.value }),
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) { ui.loginError.textContent = body.error || `Sign-in failed (${response.status}).`; return; }
    localStorage.setItem(SESSION_KEY, JSON.stringify(body));
    startChat(body);
  } catch {
    ui.loginError.textContent = 'The server cannot be reached.';
  }
});

ui.logout.addEventListener('click', () => {
  localStorage.removeItem(SESSION_KEY);
  if (client) client.disconnect();
  client = null;
  showLogin();
});

// The resume position ({epoch, s}: the last numbered message this browser showed) of one user.
function positionStore(userId) {
  const key = POSITION_KEY + userId;
  return {
    get() { try { return JSON.parse(localStorage.getItem(key)); } catch { return null; } },
    set(position) { localStorage.setItem(key, JSON.stringify(position)); },
  };
}

// ---- connection ----------------------------------------------------------------------------

function startChat(s) {
  session = s;
  conversations.clear(); online.clear(); instances.clear(); seen.clear();
  conversation(EVERYONE, 'Everyone');
  current = EVERYONE;
  ui.login.hidden = true; ui.chat.hidden = false; ui.logout.hidden = false;
  ui.me.textContent = `Signed in as ${s.name}`;
  render();

  const url = new URL('chat', location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  client = new MesaClient(url.href, { fallbackReconnectInterval: 3000 });
  client.on('state', showStatus);
  client.on('disconnected', ({ willReconnect }) => {
    showStatus({ state: 'closed', willReconnect });
    clearAllTyping();
  });
  client.on('authenticated', ({ reconnect }) => {
    client.send('WHO');
    if (reconnect) system(EVERYONE, 'Reconnected.');
  });
  client.on('authfailed', () => {
    localStorage.removeItem(SESSION_KEY);
    client.disconnect();
    showLogin('Your session has expired or is no longer valid. Please sign in again.');
  });
  client.on('reset', ({ s: head, previous }) => {
    // Our position could not be served (the server restarted, we were away longer than it keeps
    // messages, or this browser has no position for this user yet). A real app would reload its
    // conversations from its own API here; this sample has no history API, so it can only say so.
    // A first sign-in of a user nothing was ever sent to (head 0) has missed nothing: no notice.
    if (previous.epoch !== null || previous.s > 0 || head > 0) {
      system(current, 'You were away for a while: some older messages may not be shown.');
    }
  });
  client.on('message', onMessage);
  // positions: where the server offers resume, direct messages sent while we were away follow op 22,
  // numbered, each exactly once. Otherwise (Mesa 1.x, e.g. with Redis) shouldSync redelivers them.
  client.authenticate({ token: s.token }, { shouldSync: true, positions: positionStore(s.userId) })
    .then((user) => { ui.me.textContent = `Signed in as ${user.name || s.name}`; })
    .catch(() => { /* handled by 'authfailed' */ });
}

function showStatus({ state, willReconnect }) {
  const labels = { connecting: 'connecting…', connected: 'signing in…', authenticated: 'online' };
  let label = labels[state];
  if (!label) label = willReconnect || (client && !client.stopped) ? 'offline, reconnecting…' : 'offline';
  ui.status.dataset.state = state;
  ui.status.textContent = label;
}

// ---- incoming messages ----------------------------------------------------------------------

function onMessage({ type, data, sequence, position }) {
  const d = data && typeof data === 'object' ? data : {};
  // Mesa 1.x numbers only redelivered messages; with resume all are numbered, so go by their age.
  const redelivered = !!sequence || (!!position && Date.now() - d.at > LATE_AFTER);
  switch (type) {
    case 'CHAT':
      if (remember(d.id)) add(EVERYONE, { from: d.from, name: d.name, text: d.text, at: d.at, redelivered });
      stopTyping(EVERYONE, d.from);
      break;
    case 'DM': {
      const other = d.from === session.userId ? d.to : d.from;
      const name = d.from === session.userId ? (online.get(d.to) || conversations.get(d.to)?.name || d.to) : d.name;
      conversation(other, name);
      if (remember(d.id)) add(other, { from: d.from, name: d.name, text: d.text, at: d.at, redelivered });
      stopTyping(other, d.from);
      break;
    }
    case 'TYPING': showTyping(d.to ? d.from : EVERYONE, d.from, d.name); break;
    case 'PRESENCE': onPresence(d); break;
    case 'ANNOUNCEMENT': system(EVERYONE, `Announcement: ${d.text}`); break;
    case 'ERROR': system(current, d.message || 'Your last message was refused.', true); break;
    default: // ignore types this page does not know
  }
}

// One instance's users; an empty list (nobody there, or the instance is stopping) withdraws the instance.
function onPresence(d) {
  const users = Array.isArray(d.users) ? d.users : [];
  const instance = String(d.instance ?? '');
  if (users.length === 0) instances.delete(instance);
  else instances.set(instance, { users, lastSeen: Date.now() });
  updateOnline();
}

function updateOnline() {
  online.clear();
  for (const { users } of instances.values()) {
    for (const u of users) if (!online.has(String(u.id))) online.set(String(u.id), String(u.name));
  }
  if (session) renderConversations();
}

setInterval(() => {
  const before = instances.size;
  for (const [id, { lastSeen }] of instances) if (Date.now() - lastSeen > PRESENCE_FORGET_AFTER) instances.delete(id);
  if (instances.size !== before) updateOnline();
}, 5000);

function remember(id) {
  if (!id) return true;
  if (seen.has(id)) return false;
  seen.add(id);
  return true;
}

function conversation(id, name) {
  let c = conversations.get(id);
  if (!c) { c = { id, name: name || id, items: [], unread: 0 }; conversations.set(id, c); }
  else if (name && c.name === c.id) c.name = name;
  return c;
}

function add(id, item) {
  const c = conversation(id);
  c.items.push(item);
  if (c.items.length > MAX_KEPT) c.items.splice(0, c.items.length - MAX_KEPT);
  if (id !== current) c.unread += 1;
  if (id === current) appendItem(item); else renderConversations();
}

function system(id, text, error = false) {
  add(id, { system: true, error, text, at: Date.now() });
}

// ---- typing indicator -----------------------------------------------------------------------

ui.text.addEventListener('input', () => {
  const now = Date.now();
  if (!client || client.state !== 'authenticated' || !ui.text.value.trim() || now - lastTypingSent < TYPING_SEND_EVERY) return;
  lastTypingSent = now;
  client.send('TYPING', current === EVERYONE ? {} : { to: current });
});

function showTyping(convId, userId, name) {
  if (!typing.has(convId)) typing.set(convId, new Map());
  const users = typing.get(convId);
  clearTimeout(users.get(userId)?.timer);
  users.set(userId, { name, timer: setTimeout(() => stopTyping(convId, userId), TYPING_SHOW_FOR) });
  renderTyping();
}

function stopTyping(convId, userId) {
  const users = typing.get(convId);
  if (users && users.has(userId)) { clearTimeout(users.get(userId).timer); users.delete(userId); renderTyping(); }
}

function clearAllTyping() {
  for (const users of typing.values()) for (const u of users.values()) clearTimeout(u.timer);
  typing.clear();
  renderTyping();
}

function renderTyping() {
  const names = [...(typing.get(current)?.values() || [])].map((u) => u.name);
  ui.typing.textContent = names.length === 0 ? ''
    : names.length === 1 ? `${names[0]} is typing…`
    : names.length <= 3 ? `${names.join(', ')} are typing…` : 'Several people are typing…';
}

// ---- sending ----------------------------------------------------------------------------------

ui.composer.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = ui.text.value.trim();
  if (!text) return;
  const sent = client && client.state === 'authenticated'
    && (current === EVERYONE ? client.send('CHAT', { text }) : client.send('DM', { to: current, text }));
  if (!sent) { system(current, 'Not connected: your message was not sent. It is still in the box.', true); return; }
  ui.text.value = '';
  lastTypingSent = 0;
});

// ---- rendering --------------------------------------------------------------------------------

function select(id) {
  current = id;
  conversation(id, online.get(id)).unread = 0;
  render();
  ui.text.focus();
}

function render() {
  const c = conversation(current);
  ui.title.textContent = current === EVERYONE ? 'Everyone'
    : `${c.name}${online.has(current) ? '' : ' (offline: they get your messages when they sign in)'}`;
  ui.messages.replaceChildren();
  c.items.forEach(appendItem);
  renderConversations();
  renderTyping();
}

function appendItem(item) {
  const li = el('li');
  if (item.system) {
    li.className = item.error ? 'system error' : 'system';
    li.textContent = item.text;
  } else {
    if (item.from === session.userId) li.className = 'mine';
    const when = new Date(item.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    li.append(el('div', 'meta', `${item.name} · ${when}${item.redelivered ? ' · delivered later' : ''}`),
      el('div', 'text', item.text));
  }
  const atBottom = ui.messages.scrollHeight - ui.messages.scrollTop - ui.messages.clientHeight < 40;
  ui.messages.append(li);
  if (atBottom || item.from === session.userId) ui.messages.scrollTop = ui.messages.scrollHeight;
}

function renderConversations() {
  const ids = new Set([...online.keys(), ...conversations.keys()]);
  ids.delete(EVERYONE); ids.delete(session.userId);
  const people = [...ids].map((id) => ({ id, name: online.get(id) || conversations.get(id)?.name || id }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const items = [{ id: EVERYONE, name: `Everyone (${online.size} online)` }, ...people].map(({ id, name }) => {
    const li = el('li');
    if (id === current) li.className = 'active';
    const dot = el('span', id === EVERYONE || online.has(id) ? 'dot online' : 'dot');
    li.append(dot, el('span', 'name', name));
    const unread = conversations.get(id)?.unread || 0;
    if (unread > 0 && id !== current) li.append(el('span', 'badge', String(unread)));
    li.tabIndex = 0;
    li.title = id === EVERYONE ? 'Everyone' : `Direct messages with ${name}`;
    li.addEventListener('click', () => select(id));
    li.addEventListener('keydown', (e) => { if (e.key === 'Enter') select(id); });
    return li;
  });
  ui.conversations.replaceChildren(...items);
  if (current !== EVERYONE) {
    const c = conversation(current);
    ui.title.textContent = `${c.name}${online.has(current) ? '' : ' (offline: they get your messages when they sign in)'}`;
  }
}

// ---- start --------------------------------------------------------------------------------------

const saved = loadSession();
if (saved) startChat(saved); else showLogin();
