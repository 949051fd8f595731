// Node Mesa 1.5.8 bench server: @cryb/mesa used the way its README shows, with Redis,
// heartbeats (10 s) and an authenticator, plus the two BENCH handlers of the bench contract.
// Usage: node mesa-server.cjs <port> <redis-uri> [--sync]   (or PORT / REDIS_URI in the env)
// Prints "READY <port>" once listening on 127.0.0.1.
'use strict';
const http = require('node:http');
const { performance } = require('node:perf_hooks');
const { default: Server, Message } = require('@cryb/mesa');

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const port = Number(args[0] ?? process.env.PORT ?? 4000);
const redis = args[1] || process.env.REDIS_URI || 'redis://127.0.0.1:6379';
const sync = process.argv.includes('--sync');

// An http server of our own only so that the socket binds to loopback (Mesa's `port` option binds all).
const httpServer = http.createServer((req, res) => res.writeHead(404).end());

const server = new Server({
  server: httpServer,
  redis,
  heartbeat: { enabled: true, interval: 10000 },
  sync: { enabled: sync },
  gracefullyExit: false
});
server.on('error', (error) => console.error('[mesa-server]', error));

server.on('connection', (client) => {
  client.authenticate(({ token }, done) => done(null, { id: token, user: {} }));

  client.on('message', ({ type, data }) => {
    if (type === 'BENCH_ECHO') return client.send(new Message(0, data, 'BENCH_ECHO'));
    if (type !== 'BENCH_BROADCAST') return;
    const count = Math.max(0, Math.min(Number(data && data.count) || 0, 100000));
    const pad = 'x'.repeat(Math.max(0, Math.min(Number(data && data.size) || 0, 65536)));
    for (let seq = 0; seq < count; seq++)
      server.send(new Message(0, { ts: performance.timeOrigin + performance.now(), seq, pad }, 'BENCH'));
  });
});

process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
httpServer.listen(port, '127.0.0.1', () => console.log(`READY ${httpServer.address().port}`));
