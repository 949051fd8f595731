// Wire-level checks with a raw `ws` client that answers nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REFERENCE, RawClient, serverUrl, withTimeout } from '../lib/harness.mjs';

// Our contract (team brief): a client that misses more heartbeats than max-attempts is
// closed with 4000. Node Mesa 1.5.8 closes it with no status code, which a client sees as 1005.
const HEARTBEAT_TIMEOUT_CODE = REFERENCE ? 1005 : 4000;

// started before any test: a reference server (no MESA_URL) is closed after the last test of the file
const url = await serverUrl();

test('raw: hello is the first frame and announces the interop endpoint configuration', { timeout: 10000 }, async () => {
  const raw = new RawClient(url);
  try {
    await withTimeout(raw.opened, 5000, 'open');
    const deadline = Date.now() + 5000;
    while (raw.frames.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(raw.frames[0], {
      op: 10,
      d: {
        c_heartbeat_interval: 300,
        c_reconnect_interval: 300,
        c_authentication_timeout: 10000,
        rules: ['sends_user_object']
      }
    });
  } finally {
    raw.close();
  }
});

test('raw: a client that never answers op 1 is closed after the heartbeat attempts', { timeout: 15000 }, async () => {
  const raw = new RawClient(url);
  try {
    const openedAt = await withTimeout(raw.opened, 5000, 'open');
    const closed = await withTimeout(raw.closed, 10000, 'the server to close the silent client');
    assert.equal(raw.binary, 0, 'text frames only');
    assert.equal(raw.frames[0].op, 10, 'hello first');
    const interval = raw.frames[0].d.c_heartbeat_interval;
    assert.deepEqual(raw.frames.slice(1), [
      { op: 1, d: {} },
      { op: 1, d: { tries: 1, max: 2 } },
      { op: 1, d: { tries: 2, max: 2 } }
    ], `frames: ${JSON.stringify(raw.frames)}`);
    assert.equal(closed.code, HEARTBEAT_TIMEOUT_CODE, `close: ${JSON.stringify(closed)}`);
    const elapsed = closed.at - openedAt;
    assert.ok(elapsed >= interval * 3, `closed after ${elapsed} ms, before 3 intervals of ${interval} ms`);
  } finally {
    raw.close();
  }
});
