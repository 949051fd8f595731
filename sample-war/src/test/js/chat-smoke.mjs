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

// Both on the one server given: its snapshot lists both (with several instances, each sends its own).
const bothOnline = (m) => m.type === 'PRESENCE' && [ann, bob].every((u) => m.data.users.some((x) => x.id === u.body.userId));
a.send('WHO');
const presence = await waitFor(a, bothOnline);
check(!!presence && typeof presence.data.instance === 'string' && presence.data.instance.length > 0,
  `PRESENCE {instance, users} lists both users (instance ${presence && presence.data.instance})`);

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

// Change the signature's first character: its last one also carries padding bits a decoder ignores.
const forged = connect(ann.body.token.replace(/\.(.)/, (m, c) => `.${c === 'A' ? 'B' : 'A'}`));
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

// Resume extension (docs/resume.md): numbered DMs, resume without gap or duplicate, acknowledgements.
if (!a.rules.includes('resume')) {
  console.log('skip resume checks: the server does not offer the extension (Mesa 1.x only, e.g. with Redis)');
} else {
  const carol = await login(`Carol ${run}`);
  const cid = carol.body.userId;
  const store = (p = null) => ({ p, get() { return this.p; }, set(v) { this.p = v; } }); // app.js: localStorage
  // A MesaClient resuming from `positions` that also records the raw frames it gets and sends.
  const resumer = (positions) => {
    const c = new MesaClient(wsUrl, { fallbackReconnectInterval: 0 });
    Object.assign(c, { inbox: [], frames: [], sent: [], resets: [] });
    const receive = c.receive.bind(c);
    const sendRaw = c.sendRaw.bind(c);
    c.inject = receive;
    c.receive = (raw) => { c.frames.push(JSON.parse(raw)); receive(raw); };
    c.sendRaw = (frame) => { c.sent.push(frame); return sendRaw(frame); };
    c.on('message', (m) => c.inbox.push(m));
    c.on('reset', (r) => c.resets.push(r));
    c.auth = c.authenticate({ token: carol.body.token }, { positions });
    return c;
  };
  const op23 = async (c, after = 0) => {
    for (let t = 0; t < 8000; t += 25) {
      const f = c.frames.filter((x) => x.op === 23)[after];
      if (f) return f.d;
      await sleep(25);
    }
    return null;
  };
  const numbered = (c) => c.frames.filter((f) => f.op === 0 && f.s !== undefined).map((f) => f.s);
  const dmTo = (text) => a.send('DM', { to: cid, text });

  const pos = store();
  const c1 = resumer(pos);
  await c1.auth;
  const first = await op23(c1);
  check(c1.sent.some((f) => f.op === 2 && f.d.resume && f.d.resume.epoch === null && f.d.resume.s === 0),
    'resume: first sign-in sends op 2 with resume {epoch: null, s: 0}');
  // Position 0 is served from the start while the user's log has dropped nothing: no reset for a new browser
  // (this user has never been sent anything, so nothing is replayed either).
  check(first && first.reset === false && first.s === 0 && typeof pos.p.epoch === 'string' && pos.p.s === 0
    && c1.resets.length === 0, `resume: op 23 ${JSON.stringify(first)} → position stored ${JSON.stringify(pos.p)}`);
  const s0 = pos.p.s;

  dmTo('live 1');
  const live1 = await waitFor(c1, (m) => m.data.text === 'live 1');
  check(live1 && live1.position === s0 + 1 && pos.p.s === s0 + 1, `resume: a live DM carries s = ${live1 && live1.position}, position advanced`);
  await sleep(1300);
  check(c1.sent.filter((f) => f.op === 3).length === 1 && c1.sent.find((f) => f.op === 3).d.s === s0 + 1,
    `resume: acknowledged once, debounced: ${JSON.stringify(c1.sent.filter((f) => f.op === 3))}`);
  c1.send('WHO');
  check(!!(await waitFor(c1, (m) => m.type === 'PRESENCE')) && c1.state === 'authenticated', 'resume: op 3 accepted, the connection stays open');

  c1.disconnect();
  await sleep(300);
  const away = [1, 2, 3, 4, 5].map((i) => `away ${i}`);
  for (const text of away) dmTo(text);
  await sleep(500);
  const c2 = resumer(pos);
  await c2.auth;
  const back = await op23(c2);
  await waitFor(c2, (m) => m.data.text === 'away 5');
  check(back && back.reset === false && back.s === s0 + 1, `resume: coming back from ${s0 + 1} → op 23 ${JSON.stringify(back)}`);
  const got = c2.inbox.filter((m) => m.type === 'DM');
  check(JSON.stringify(got.map((m) => m.data.text)) === JSON.stringify(away)
      && got.every((m, i) => m.position === s0 + 2 + i) && JSON.stringify(numbered(c2)) === JSON.stringify(got.map((m) => m.position)),
    `resume: the DMs sent while away arrive numbered, once, in order: ${JSON.stringify(numbered(c2))}`);

  dmTo('live 2');
  const live2 = await waitFor(c2, (m) => m.data.text === 'live 2');
  const seq = numbered(c2);
  check(live2 && live2.position === s0 + 7 && seq.every((s, i) => s === s0 + 2 + i),
    `resume: replay then live is one stream without duplicates: ${JSON.stringify(seq)}`);

  const dup = c2.inbox.length;
  c2.inject(JSON.stringify({ op: 0, t: 'DM', d: { text: 'duplicate' }, s: s0 + 4 }));
  check(c2.inbox.length === dup && c2.state === 'authenticated', 'resume: the client drops a message it already processed');
  c2.inject(JSON.stringify({ op: 0, t: 'DM', d: { text: 'beyond a gap' }, s: s0 + 9 }));
  check(c2.inbox.length === dup && c2.state !== 'authenticated', 'resume: on a gap the client drops the connection');
  const again = await op23(c2, 1);
  check(again && again.reset === false && again.s === s0 + 7, `resume: ...and resumes from its last position: ${JSON.stringify(again)}`);
  dmTo('after the gap');
  const after = await waitFor(c2, (m) => m.data.text === 'after the gap');
  check(after && after.position === s0 + 8 && c2.inbox.filter((m) => m.type === 'DM').length === 7,
    `resume: the stream goes on at s = ${after && after.position}`);

  const plain = connect(carol.body.token);
  await plain.auth;
  await sleep(1300); // c2 acknowledges s0 + 8
  dmTo('to every device');
  const plainDm = await waitFor(plain, (m) => m.data.text === 'to every device');
  check(plainDm && plainDm.sequence === undefined && !!(await waitFor(c2, (m) => m.data.text === 'to every device')),
    'resume: a Mesa 1.x connection of the same user gets the same DM without s');
  const old = resumer(store({ epoch: pos.p.epoch, s: s0 + 1 }));
  await old.auth;
  const stale = await op23(old);
  check(stale && stale.reset === true && stale.s === s0 + 9 && old.resets.length === 1,
    `resume: after the acknowledgement, an older position is answered with reset: ${JSON.stringify(stale)}`);
  for (const c of [c2, plain, old]) c.disconnect();
}

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
