// Node side of the multi-instance tests (dev.mesa.it.cluster.*ClusterIT, driven by
// dev.mesa.it.cluster.harness.NodeAgent): one long-lived process that uses the REAL
// @cryb/mesa@1.5.8 package on the test's Redis:
//   - its Dispatcher (publishes to `ws` / `ws_<namespace>`),
//   - its Server with Redis (subscribes to the same channel, maintains connected_clients[_ns]),
//   - its Node Client, connected to that Node server.
//
// Protocol: one JSON request per line on stdin, {"id": n, "cmd": "...", ...}; one reply per
// request on stdout, "@@" + {"id": n, "ok": true, ...} or {"id": n, "ok": false, "error": "..."}.
// "@@{"ready":true}" once at start. Anything else printed is a log line. The process closes
// everything and exits when stdin closes (the Java side ends), or on "shutdown".
'use strict';

const http = require('node:http');
const readline = require('node:readline');
const mesa = require('@cryb/mesa');

const { Dispatcher, Message, Client } = mesa;
const Server = mesa.default;

const dispatchers = new Map(); // `${redis}|${namespace}` -> Dispatcher
const servers = new Map(); // id -> { server, httpServer, url }
const clients = new Map(); // id -> { client, label, messages, frames, errors, closed }
let nextId = 0;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntil(fn, ms, what) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(10);
  }
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function reply(object) {
  process.stdout.write(`@@${JSON.stringify(object)}\n`);
}

function token(credentials) {
  const t = credentials && credentials.token;
  return typeof t === 'string' && t.startsWith('u:') && t.length > 2 ? t.substring(2) : null;
}

function quitRedis(connection) {
  if (!connection) return Promise.resolve();
  return withTimeout(connection.quit(), 2000, 'redis quit').catch(() => connection.disconnect());
}

const commands = {
  /**
   * Dispatcher(redis, {namespace}).dispatch(new Message(0, data, type), recipients, excluding).
   * Replies once Redis has executed the PUBLISH: the Dispatcher publishes synchronously (no sync
   * configured) on its publisher connection, and a PING queued behind it is answered in order.
   */
  async dispatch({ redis, namespace, recipients, excluding, type, data }) {
    const key = `${redis}|${namespace || ''}`;
    let dispatcher = dispatchers.get(key);
    if (!dispatcher) {
      dispatcher = new Dispatcher(redis, namespace ? { namespace } : undefined);
      dispatcher.redis.on('error', (e) => console.log(`dispatcher redis: ${e.message}`));
      dispatcher.publisher.on('error', (e) => console.log(`dispatcher publisher: ${e.message}`));
      dispatchers.set(key, dispatcher);
    }
    dispatcher.dispatch(new Message(0, data, type), recipients, excluding);
    await withTimeout(dispatcher.publisher.ping(), 5000, 'PING after PUBLISH');
    return {};
  },

  /**
   * A Node Mesa 1.5.8 server with Redis on 127.0.0.1:<free port>/node: token "u:<id>" is user <id>
   * with user object {id, name: "User <id>"}; ECHO answers the sender. Replies with its URL once it
   * listens (its Redis subscription is checked by the Java side with PUBSUB NUMSUB).
   */
  async startServer({ redis, namespace }) {
    const httpServer = http.createServer((req, res) => {
      res.writeHead(404);
      res.end();
    });
    await new Promise((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(0, '127.0.0.1', resolve);
    });
    const config = { server: httpServer, path: '/node', redis, gracefullyExit: false };
    if (namespace) config.namespace = namespace;
    const server = new Server(config);
    server.on('error', (error) => console.log(`node server error: ${error && error.message}`));
    for (const connection of [server.redis, server.publisher, server.subscriber]) {
      if (connection) connection.on('error', (e) => console.log(`node server redis: ${e.message}`));
    }
    server.on('connection', (client) => {
      client.authenticate((credentials, done) => {
        const id = token(credentials);
        if (id) return done(null, { id, user: { id, name: `User ${id}` } });
        return done(new Error('bad token'));
      });
      client.on('message', (message) => {
        if (message.type === 'ECHO') client.send(new Message(0, message.data, 'ECHO'), true);
      });
    });
    const id = `s${++nextId}`;
    const url = `ws://127.0.0.1:${httpServer.address().port}/node`;
    servers.set(id, { server, httpServer, url });
    return { server: id, url };
  },

  async stopServer({ server: id }) {
    const s = servers.get(id);
    if (!s) return {};
    servers.delete(id);
    await closeServer(s);
    return {};
  },

  /** A @cryb/mesa Client: connects, waits for hello, authenticates with "u:<user>" and waits for op 22. */
  async connectClient({ url, user, label }) {
    const id = `c${++nextId}`;
    const record = { label: label || id, messages: [], frames: [], errors: [], closed: null };
    // autoConnect would leave connect()'s rejection unhandled
    const client = new Client(url, { autoConnect: false });
    record.client = client;
    client.on('connected', () => {
      // emitted from the socket's open handler, before any frame is read
      client.ws.on('message', (data) => {
        try {
          record.frames.push(JSON.parse(data.toString()));
        } catch (e) {
          record.frames.push({ unparseable: data.toString() });
        }
      });
    });
    client.on('message', (m) => record.messages.push({ op: m.opcode, d: m.data, t: m.type }));
    client.on('disconnected', (code, reason) => {
      record.closed = { code, reason: String(reason || '') };
    });
    client.on('error', (error) => record.errors.push(String(error && error.message)));
    clients.set(id, record);
    await withTimeout(client.connect(), 5000, `${record.label}: connect`);
    await waitUntil(() => record.frames.some((f) => f.op === 10), 5000, `${record.label}: hello`);
    const userObject = await withTimeout(client.authenticate({ token: `u:${user}` }), 5000, `${record.label}: op 22`);
    return { client: id, user: userObject };
  },

  /** Sends op 0 {t: type, d: data} from the client. */
  async send({ client: id, type, data }) {
    const record = clients.get(id);
    record.client.send(new Message(0, data, type));
    return {};
  },

  /**
   * Waits until the client has received op 0 of `type` (with d.marker === marker when given) and
   * replies with every application message it received so far, in order.
   */
  async until({ client: id, type, marker, timeoutMs }) {
    const record = clients.get(id);
    const matches = (m) => m.t === type && (marker === undefined || (m.d && m.d.marker === marker));
    try {
      await waitUntil(() => record.messages.some(matches), timeoutMs || 5000, `${record.label}: ${type} ${marker || ''}`);
    } catch (error) {
      throw new Error(`${error.message}; received ${JSON.stringify(record.messages)}`);
    }
    return { messages: record.messages };
  },

  async messages({ client: id }) {
    return { messages: clients.get(id).messages };
  },

  async closeClient({ client: id }) {
    const record = clients.get(id);
    if (!record) return {};
    clients.delete(id);
    await closeClient(record);
    return {};
  },

  // ---- commands of MixedClusterIT (message sync in a mixed cluster); the ones above are unchanged

  /**
   * Like startServer, but with message sync: sync {enabled: true}, authentication.storeConnectedUsers
   * true (1.5.8's default, explicit here). Stopped with stopServer.
   */
  async startSyncServer({ redis, namespace }) {
    const httpServer = http.createServer((req, res) => {
      res.writeHead(404);
      res.end();
    });
    await new Promise((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(0, '127.0.0.1', resolve);
    });
    const config = {
      server: httpServer,
      path: '/node',
      redis,
      gracefullyExit: false,
      sync: { enabled: true },
      authentication: { storeConnectedUsers: true }
    };
    if (namespace) config.namespace = namespace;
    const server = new Server(config);
    server.on('error', (error) => console.log(`node sync server error: ${error && error.message}`));
    for (const connection of [server.redis, server.publisher, server.subscriber]) {
      if (connection) connection.on('error', (e) => console.log(`node sync server redis: ${e.message}`));
    }
    server.on('connection', (client) => {
      client.authenticate((credentials, done) => {
        const id = token(credentials);
        if (id) return done(null, { id, user: { id, name: `User ${id}` } });
        return done(new Error('bad token'));
      });
      client.on('message', (message) => {
        if (message.type === 'ECHO') client.send(new Message(0, message.data, 'ECHO'), true);
      });
    });
    const id = `s${++nextId}`;
    const url = `ws://127.0.0.1:${httpServer.address().port}/node`;
    servers.set(id, { server, httpServer, url });
    return { server: id, url };
  },

  /**
   * The Node server's own server.send(new Message(0, data, type), recipients, excluding) (recipients
   * absent: the global send). Awaits send() (with sync it checks presence first), then a PING on the
   * server's publisher, so a PUBLISH it made has been executed. A message stored for an offline
   * recipient is written later (1.5.8 does not await its HGET/HSET): poll undelivered_messages.
   */
  async serverSend({ server: id, recipients, excluding, type, data }) {
    const s = servers.get(id);
    if (!s) throw new Error(`no server ${id}`);
    await s.server.send(new Message(0, data, type), recipients || undefined, excluding || undefined);
    await withTimeout(s.server.publisher.ping(), 5000, 'PING after server.send');
    return {};
  },

  /**
   * A Dispatcher(redis, {namespace, sync: {enabled: true}}): dispatchMessage is awaited (it checks
   * connected_clients per recipient, stores for the offline ones, publishes to the others), then a
   * PING on its publisher. Stores are not awaited by 1.5.8: poll undelivered_messages.
   */
  async syncDispatch({ redis, namespace, recipients, excluding, type, data }) {
    const key = `sync|${redis}|${namespace || ''}`;
    let dispatcher = dispatchers.get(key);
    if (!dispatcher) {
      const config = { sync: { enabled: true } };
      if (namespace) config.namespace = namespace;
      dispatcher = new Dispatcher(redis, config);
      dispatcher.redis.on('error', (e) => console.log(`sync dispatcher redis: ${e.message}`));
      dispatcher.publisher.on('error', (e) => console.log(`sync dispatcher publisher: ${e.message}`));
      dispatchers.set(key, dispatcher);
    }
    let to = recipients || ['*'];
    if (excluding) to = to.filter((r) => excluding.indexOf(r) === -1);
    await dispatcher.dispatchMessage(new Message(0, data, type), to);
    await withTimeout(dispatcher.publisher.ping(), 5000, 'PING after sync dispatch');
    return {};
  },

  /** Every raw frame the client received so far (op, d, t, s as sent), in order. */
  async frames({ client: id }) {
    return { frames: clients.get(id).frames };
  },

  async shutdown() {
    setImmediate(shutdown);
    return {};
  }
};

async function closeClient(record) {
  const c = record.client;
  // 1.5.8 schedules a reconnection on every close once hello announced c_reconnect_interval
  c.reconnectionIntervalTime = undefined;
  const ws = c.ws;
  if (!ws || ws.readyState === ws.CLOSED) return;
  const closed = new Promise((resolve) => ws.once('close', resolve));
  c.disconnect(1000);
  try {
    await withTimeout(closed, 2000, `${record.label}: close`);
  } catch (e) {
    ws.terminate();
  }
}

async function closeServer({ server, httpServer }) {
  for (const c of server.clients) {
    if (c.heartbeatInterval) clearInterval(c.heartbeatInterval);
    c.socket.terminate();
  }
  // let the server run its disconnection bookkeeping (DECR / SREM) before its Redis connections go
  await waitUntil(() => server.clients.length === 0, 2000, 'node server clients closed').catch(() => {});
  server.close();
  httpServer.closeAllConnections?.();
  await new Promise((resolve) => httpServer.close(() => resolve()));
  await Promise.all([server.redis, server.publisher, server.subscriber].map(quitRedis));
}

let shuttingDown = false;
async function shutdown() {
  if (shuttingDown) return;
  shuttingDown = true;
  const timer = setTimeout(() => process.exit(1), 5000);
  try {
    await Promise.allSettled([...clients.values()].map(closeClient));
    await Promise.allSettled([...servers.values()].map(closeServer));
    await Promise.allSettled([...dispatchers.values()].flatMap((d) => [quitRedis(d.redis), quitRedis(d.publisher)]));
  } finally {
    clearTimeout(timer);
    process.exit(0);
  }
}

const lines = readline.createInterface({ input: process.stdin });
lines.on('line', async (line) => {
  if (!line.trim()) return;
  let request;
  try {
    request = JSON.parse(line);
  } catch (error) {
    console.log(`unparseable request: ${line}`);
    return;
  }
  const handler = commands[request.cmd];
  try {
    if (!handler) throw new Error(`unknown command ${request.cmd}`);
    const result = await handler(request);
    reply({ id: request.id, ok: true, ...result });
  } catch (error) {
    reply({ id: request.id, ok: false, error: String((error && error.stack) || error) });
  }
});
lines.on('close', shutdown);
process.on('unhandledRejection', (error) => console.log(`unhandled rejection: ${(error && error.stack) || error}`));
process.on('uncaughtException', (error) => console.log(`uncaught exception: ${(error && error.stack) || error}`));

reply({ ready: true });
