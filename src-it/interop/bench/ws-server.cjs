// Bare `ws` bench server: the floor. Same BENCH_BROADCAST / BENCH_ECHO contract as a Mesa server,
// trivial authentication (hello op 10 on connect, op 22 on op 2), no heartbeats, no Redis.
// Each broadcast message is serialized once and the same string is sent to every client.
// Usage: node ws-server.cjs <port>   (or PORT in the env). Prints "READY <port>" when listening.
'use strict';
const { performance } = require('node:perf_hooks');
const { WebSocketServer } = require('ws');

const port = Number(process.argv[2] ?? process.env.PORT ?? 4001);
const HELLO = JSON.stringify({ op: 10, d: { rules: ['sends_user_object'] } });
const AUTH_ACK = JSON.stringify({ op: 22, d: {} });

const wss = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false });

wss.on('connection', (socket) => {
  socket.send(HELLO);
  socket.on('message', (raw) => {
    let msg;
    try { msg = JSON.parse(raw.toString()); } catch { return; }
    if (msg.op === 2) return socket.send(AUTH_ACK);
    if (msg.op !== 0) return;
    if (msg.t === 'BENCH_ECHO') return socket.send(JSON.stringify({ op: 0, t: 'BENCH_ECHO', d: msg.d }));
    if (msg.t !== 'BENCH_BROADCAST') return;
    const d = msg.d || {};
    const count = Math.max(0, Math.min(Number(d.count) || 0, 100000));
    const pad = 'x'.repeat(Math.max(0, Math.min(Number(d.size) || 0, 65536)));
    for (let seq = 0; seq < count; seq++) {
      const frame = JSON.stringify({ op: 0, t: 'BENCH', d: { ts: performance.timeOrigin + performance.now(), seq, pad } });
      for (const client of wss.clients) if (client.readyState === 1) client.send(frame);
    }
  });
});

process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
wss.on('listening', () => console.log(`READY ${wss.address().port}`));
