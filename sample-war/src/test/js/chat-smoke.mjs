// End-to-end smoke test of the running sample with our own mesa-client.js.
//   node --experimental-websocket sample-war/src/test/js/chat-smoke.mjs [http://localhost:9080] [adminKey]
// (Node 22+ has WebSocket without the flag.) Exits non-zero on the first failed check.
import { MesaClient } from '../../main/webapp/mesa-client.js';

const base = (process.argv[2] || 'http://localhost:9080').replace(/\/$/, '');
const adminKey = process.argv[3];
const wsUrl = base.replace(/^http/, 'ws') + '/chat';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let failures = 0;
const check = (ok, what) => { console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`); if (!ok) failures++; };

async function login(name) {
  const r = await fetch(`${base}/api/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name }) });
  return { status: r.status, body: await r.json() };
}

function connect(token) {
  const client = new MesaClient(wsUrl, { fallbackReconnectInterval: 0 });
  client.inbox = [];
  client.closes = [];
  client.on('message', (m) => client.inbox.push(m));
  client.on('disconnected', (e) => client.closes.push(e));
  client.auth = token ? client.authenticate({ token }) : null;
  return client;
}

async function waitFor(client, pred, ms = 3000) {
  for (let t = 0; t < ms; t += 25) {
    const found = client.inbox.find(pred);
    if (found) return found;
    await sleep(25);
  }
  return null;
}

const run = Date.now().toString(36);
const annName = `Ann ${run}`;
const bobName = `Bob ${run}`;
const ann = await login(annName);
const bob = await login(bobName);
check(ann.status === 200 && typeof ann.body.token === 'string', `POST /api/login → 200 with token (userId ${ann.body.userId})`);
check((await login('<script>')).status === 400, 'POST /api/login with a bad name → 400');

const a = connect(ann.body.token);
const b = connect(bob.body.token);
const [ua, ub] = await Promise.all([a.auth, b.auth]);
check(ua.id === ann.body.userId && ua.name === annName, `op 22 carries the user object ${JSON.stringify(ua)}`);
check(a.heartbeatInterval > 0 && a.reconnectInterval > 0, `hello: heartbeat ${a.heartbeatInterval} ms, reconnect ${a.reconnectInterval} ms, rules ${JSON.stringify(a.rules)}`);

const bothOnline = (m) => m.type === 'PRESENCE' && [ann, bob].every((u) => m.data.users.some((x) => x.id === u.body.userId));
a.send('WHO');
check(!!(await waitFor(a, bothOnline)), 'PRESENCE lists both users');

a.send('CHAT', { text: ' hello <b>everyone</b> ' });
const chatB = await waitFor(b, (m) => m.type === 'CHAT' && m.data.from === ua.id);
const chatA = await waitFor(a, (m) => m.type === 'CHAT' && m.data.from === ua.id);
check(chatB && chatA && chatB.data.text === 'hello <b>everyone</b>' && chatB.data.name === annName && chatB.data.at > 0,
  `CHAT reaches everyone: ${JSON.stringify(chatB && chatB.data)}`);

a.send('DM', { to: ub.id, text: 'psst' });
const dmB = await waitFor(b, (m) => m.type === 'DM' && m.data.text === 'psst');
const dmA = await waitFor(a, (m) => m.type === 'DM' && m.data.text === 'psst');
check(dmB && dmA && dmB.data.to === ub.id && dmB.data.from === ua.id, 'DM reaches the recipient and the sender');

a.send('TYPING', { to: ub.id });
b.send('TYPING', {});
check(!!(await waitFor(b, (m) => m.type === 'TYPING' && m.data.from === ua.id && m.data.to === ub.id)), 'TYPING {to} reaches the recipient');
check(!!(await waitFor(a, (m) => m.type === 'TYPING' && m.data.from === ub.id && !m.data.to)), 'TYPING {} reaches the others');
await sleep(200);
check(!b.inbox.some((m) => m.type === 'TYPING' && m.data.from === ub.id), 'TYPING is not echoed to its sender');

const bad = [
  ['CHAT', { text: '   ' }, 'EMPTY'], ['CHAT', { text: 'x'.repeat(1001) }, 'TOO_LONG'], ['CHAT', 'just a string', 'BAD_REQUEST'],
  ['CHAT', { text: 42 }, 'BAD_REQUEST'], ['DM', { text: 'no recipient' }, 'BAD_RECIPIENT'], ['DM', { to: 'NOT AN ID', text: 'x' }, 'BAD_RECIPIENT'],
  ['DM', { to: ua.id, text: 'me' }, 'BAD_RECIPIENT'], ['TYPING', [1, 2], 'BAD_REQUEST'], ['NOPE', {}, 'UNKNOWN_TYPE'],
];
for (const [type, data, code] of bad) {
  a.inbox.length = 0;
  a.send(type, data);
  const err = await waitFor(a, (m) => m.type === 'ERROR');
  check(err && err.data.code === code && err.data.type === type, `${type} ${JSON.stringify(data).slice(0, 30)} → ERROR ${err && err.data.code}`);
}
a.send('CHAT', { text: 'still here' });
check(!!(await waitFor(b, (m) => m.type === 'CHAT' && m.data.text === 'still here')) && a.state === 'authenticated', 'connection survives bad input');

const forged = connect(ann.body.token.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')));
const refused = await forged.auth.then(() => 'accepted', (e) => e.message);
check(refused !== 'accepted' && forged.closes.some((c) => c.code === 1008), `forged token refused: ${refused}`);

// Offline delivery: Bob leaves, Ann writes to him, Bob comes back with shouldSync.
b.disconnect();
await sleep(300);
a.send('DM', { to: ub.id, text: 'while you were away' });
await sleep(300);
const b2 = connect(bob.body.token);
await b2.auth;
const synced = await waitFor(b2, (m) => m.type === 'DM' && m.data.text === 'while you were away');
check(synced && synced.sequence === 1, `DM to an offline user is redelivered on sign-in (s=${synced && synced.sequence})`);

const admin403 = await fetch(`${base}/api/admin/broadcast`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Admin-Key': 'wrong' }, body: '{"text":"x"}' });
check(admin403.status === 403, 'admin broadcast with a wrong key → 403');
if (adminKey) {
  const ok = await fetch(`${base}/api/admin/broadcast`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Admin-Key': adminKey }, body: '{"text":"maintenance at noon"}' });
  check(ok.status === 202, `admin broadcast with the key → ${ok.status}`);
  check(!!(await waitFor(b2, (m) => m.type === 'ANNOUNCEMENT' && m.data.text === 'maintenance at noon')), 'ANNOUNCEMENT reaches the users');
}

for (const c of [a, b2, forged]) c.disconnect();
console.log(failures === 0 ? 'ALL OK' : `${failures} FAILED`);
process.exit(failures === 0 ? 0 : 1);
