// The behaviour every Mesa 1.x client relies on, run once per real client.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeAll, nonce, sleep, waitUntil, withTimeout } from './harness.mjs';

const TEST_TIMEOUT = { timeout: 20000 };

/**
 * @param {string} name      suite name, e.g. '@cryb/mesa Client'
 * @param {string} url  the server URL
 * @param {(url: string, label: string) => object} make  an adapter factory from harness.mjs
 */
export function defineClientSuite(name, url, make) {
  test(`${name}: connects and receives hello (op 10) first`, TEST_TIMEOUT, async () => {
    const c = make(url, 'c');
    try {
      const hello = await c.open();
      assert.equal(c.connected.length, 1, 'one connected event');
      assert.equal(c.connected[0].isInitialConnection, true);
      assert.equal(c.connected[0].isAutomaticReconnection, false);
      assert.equal(c.frames[0].op, 10, `first frame is hello, got ${JSON.stringify(c.frames[0])}`);
      assert.deepEqual(Object.keys(hello).sort(), ['d', 'op'], `hello frame is {op, d}: ${JSON.stringify(hello)}`);
      assert.ok(Number.isInteger(hello.d.c_heartbeat_interval) && hello.d.c_heartbeat_interval > 0,
        `c_heartbeat_interval: ${JSON.stringify(hello.d)}`);
      assert.ok(Number.isInteger(hello.d.c_reconnect_interval) && hello.d.c_reconnect_interval > 0,
        `c_reconnect_interval: ${JSON.stringify(hello.d)}`);
      assert.ok(Array.isArray(hello.d.rules), 'rules is an array');
      assert.ok(hello.d.rules.includes('sends_user_object'), `rules: ${JSON.stringify(hello.d.rules)}`);
      // what the client itself took from hello
      assert.equal(c.client.heartbeatIntervalTime, hello.d.c_heartbeat_interval);
      assert.equal(c.client.reconnectionIntervalTime, hello.d.c_reconnect_interval);
      assert.deepEqual(c.client.rules, hello.d.rules);
      assert.deepEqual(c.errors, []);
    } finally {
      await closeAll([c]);
    }
  });

  test(`${name}: answers heartbeats and stays connected`, TEST_TIMEOUT, async () => {
    const c = make(url, 'c');
    try {
      const hello = await c.open();
      const interval = hello.d.c_heartbeat_interval;
      await sleep(interval * 5 + 200);
      assert.deepEqual(c.disconnected, [], 'no disconnection over five heartbeat intervals');
      const beats = c.heartbeats();
      assert.ok(beats.length >= 3, `at least 3 heartbeats in ${interval * 5 + 200} ms, got ${beats.length}`);
      for (const beat of beats) {
        // the client answered every op 1 with op 11, so the server never counted a miss
        assert.deepEqual(beat, { op: 1, d: {} }, `heartbeat frame ${JSON.stringify(beat)}`);
      }
      await c.barrier();
      assert.equal(c.disconnected.length, 0);
    } finally {
      await closeAll([c]);
    }
  });

  test(`${name}: authenticate resolves with the user object of op 22`, TEST_TIMEOUT, async () => {
    const c = make(url, 'c');
    const id = `auth-${nonce()}`;
    try {
      await c.open();
      const user = await withTimeout(c.authenticate(`u:${id}`), 5000, 'authentication');
      assert.deepEqual(user, { id, name: `User ${id}` });
      assert.equal(c.isAuthenticated, true);
      const acks = c.frames.filter((f) => f.op === 22);
      assert.equal(acks.length, 1, 'one op 22');
      assert.deepEqual(acks[0], { op: 22, d: { id, name: `User ${id}` } });
      // op 22 is consumed by the client, never delivered as a message
      assert.deepEqual(c.messages, []);
      assert.deepEqual(c.disconnected, []);
    } finally {
      await closeAll([c]);
    }
  });

  test(`${name}: sends a message and receives the server's answer (ECHO)`, TEST_TIMEOUT, async () => {
    const c = make(url, 'c');
    try {
      await c.open();
      const tag = nonce();
      const data = { nonce: tag, text: 'héllo ✓ "quoted" \n', n: 42, f: 1.5, b: false, nil: null, list: [1, 'two', { three: 3 }] };
      c.send('ECHO', data);
      const echo = await c.waitForMessage('ECHO', tag);
      assert.deepEqual(echo, { op: 0, d: data, t: 'ECHO', s: undefined });
      const frame = c.frames.find((f) => f.t === 'ECHO' && f.d && f.d.nonce === tag);
      assert.deepEqual(Object.keys(frame).sort(), ['d', 'op', 't'], `frame to a client has no "o" nor "s": ${JSON.stringify(frame)}`);

      // unauthenticated, then authenticated: both work
      await withTimeout(c.authenticate(`u:echo-${tag}`), 5000, 'authentication');
      const tag2 = nonce();
      c.send('ECHO', { nonce: tag2 });
      await c.waitForMessage('ECHO', tag2);
      assert.equal(c.received('ECHO', tag).length, 1, 'first echo received once');
    } finally {
      await closeAll([c]);
    }
  });

  test(`${name}: reconnects by itself after the server closes the connection`, TEST_TIMEOUT, async () => {
    const c = make(url, 'c');
    const id = `kick-${nonce()}`;
    try {
      const hello = await c.open();
      await withTimeout(c.authenticate(`u:${id}`), 5000, 'authentication');
      c.send('KICK', {});
      const closed = await waitUntil(() => c.disconnected[0], 5000, 'disconnected after KICK');
      assert.equal(closed.code, 1000, `close code after Connection.disconnect(): ${JSON.stringify(closed)}`);
      assert.equal(closed.willAttemptReconnect, true);

      const started = Date.now();
      await waitUntil(() => c.connected.length >= 2, 5000 + hello.d.c_reconnect_interval, 'a second connected event');
      assert.equal(c.connected[1].isAutomaticReconnection, true, JSON.stringify(c.connected[1]));
      assert.equal(c.connected[1].isInitialConnection, false);
      await waitUntil(() => c.hellos.length >= 2, 5000, 'hello on the new connection');
      assert.ok(Date.now() - started < 5000);

      // the new connection is a new session: authenticate again, talk again
      const user = await withTimeout(c.authenticate(`u:${id}`), 5000, 'authentication on the new connection');
      assert.deepEqual(user, { id, name: `User ${id}` });
      const tag = nonce();
      c.send('ECHO', { nonce: tag });
      await c.waitForMessage('ECHO', tag);
      assert.equal(c.disconnected.length, 1);
    } finally {
      await closeAll([c]);
    }
  });

  test(`${name}: failed authentication closes the connection with 1008`, TEST_TIMEOUT, async () => {
    const c = make(url, 'c');
    try {
      await c.open();
      const pending = c.authenticate('not-a-valid-token');
      pending.catch(() => {});
      const closed = await waitUntil(() => c.disconnected[0], 5000, 'disconnected after a rejected authentication');
      assert.equal(closed.code, 1008, `close: ${JSON.stringify(closed)}`);
      assert.equal(c.frames.filter((f) => f.op === 22).length, 0, 'no op 22');
      assert.equal(c.isAuthenticated, false);
    } finally {
      await closeAll([c]);
    }
  });
}

/**
 * Server-side sends (Mesa.send) with several clients, asserting who got what and who did not.
 * @param {string} name
 * @param {string} url
 * @param {Array<(url: string, label: string) => object>} makers  one per client A, B, C, D (D never authenticates)
 */
export function defineSendSuite(name, url, makers) {
  test(`${name}: server sends to ids, to "*" with exclusions, and to everyone`, { timeout: 30000 }, async () => {
    const u = url;
    const run = nonce();
    const [a, b, c, d] = ['A', 'B', 'C', 'D'].map((label, i) => makers[i % makers.length](u, label));
    const all = [a, b, c, d];
    const ids = { a: `a-${run}`, b: `b-${run}`, c: `c-${run}` };
    try {
      await Promise.all(all.map((x) => x.open()));
      await Promise.all([
        withTimeout(a.authenticate(`u:${ids.a}`), 5000, 'A authentication'),
        withTimeout(b.authenticate(`u:${ids.b}`), 5000, 'B authentication'),
        withTimeout(c.authenticate(`u:${ids.c}`), 5000, 'C authentication')
      ]);

      /** A asks the server to send; the expected recipients get it exactly once, the others never. */
      async function check(what, request, expected) {
        const tag = nonce();
        a.send('SEND', { ...request, type: what, payload: { nonce: tag, what } });
        for (const x of expected) {
          const m = await x.waitForMessage(what, tag);
          assert.deepEqual(m, { op: 0, d: { nonce: tag, what }, t: what, s: undefined }, `${x.label} got ${what}`);
        }
        // everything the server queued for each client before this point has arrived
        await Promise.all(all.map((x) => x.barrier()));
        await sleep(100);
        for (const x of all) {
          const count = x.received(what, tag).length;
          assert.equal(count, expected.includes(x) ? 1 : 0,
            `${what}: ${x.label} (${x.kind}) received it ${count} times; expected recipients: ${expected.map((e) => e.label)}`);
        }
      }

      await check('TO_IDS', { ids: [ids.a, ids.b] }, [a, b]);
      await check('TO_ONE', { ids: [ids.c] }, [c]);
      await check('TO_IDS_EXCLUDING', { ids: [ids.b, ids.c], excluding: [ids.c] }, [b]);
      await check('TO_ALL_EXCLUDING', { ids: ['*'], excluding: [ids.b] }, [a, c]);
      await check('TO_ALL_AUTHENTICATED', { ids: ['*'] }, [a, b, c]);
      await check('TO_NOBODY', { ids: [`nobody-${run}`] }, []);
      await check('GLOBAL', {}, [a, b, c, d]);

      for (const x of all) assert.deepEqual(x.disconnected, [], `${x.label} stayed connected`);
    } finally {
      await closeAll(all);
    }
  });
}
