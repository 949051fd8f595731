// Shared helpers for the interop tests: where the server is, timeouts, and thin
// adapters around the REAL npm clients (@cryb/mesa Client, mesa-js-client) that
// record what each client reports through its own public API.
import { after } from 'node:test';
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import mesa from '@cryb/mesa';

// mesa-js-client is a browser client: it reads the global WebSocket once, when its
// module is evaluated. Node 20 has no global WebSocket (only behind
// --experimental-websocket), so install the `ws` implementation before loading it.
if (typeof globalThis.WebSocket === 'undefined') {
  globalThis.WebSocket = WebSocket;
}
const { default: MesaJsClient } = await import('mesa-js-client');

const { Client: MesaNodeClient, Message: MesaMessage } = mesa;

/** True when no MESA_URL is given: the tests then run against the Node Mesa 1.5.8 reference server. */
export const REFERENCE = !process.env.MESA_URL;

/**
 * The server URL. With MESA_URL set (InteropIT) it is our server; without it a Node
 * Mesa 1.5.8 reference server is started in this process and closed after the file.
 * @returns {Promise<string>}
 */
export function serverUrl() {
  if (!serverUrlPromise) serverUrlPromise = resolveServerUrl();
  return serverUrlPromise;
}

let serverUrlPromise;

async function resolveServerUrl() {
  if (!REFERENCE) return process.env.MESA_URL;
  const { startReferenceServer } = await import('../reference-server.mjs');
  const ref = await startReferenceServer(0);
  after(() => ref.close());
  console.log(`# MESA_URL is not set: testing against the Node Mesa 1.5.8 reference server at ${ref.url}`);
  return ref.url;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A short random id, so tests that run side by side never share user ids or payloads. */
export const nonce = () => randomBytes(6).toString('hex');

/** Rejects with `what` when the promise has not settled within `ms`. */
export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Polls `fn` until it returns a truthy value, which is returned. */
export async function waitUntil(fn, ms, what) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(10);
  }
}

function parseFrame(data) {
  try {
    return JSON.parse(data.toString());
  } catch (error) {
    return { unparseable: data.toString() };
  }
}

/**
 * What both adapters share. Every adapter records:
 * - frames:       every frame the client's socket received, parsed (tapped on the
 *                 client's own socket, after the client's listener ran)
 * - messages:     what the client delivered to the application, as {op, d, t, s}
 * - connected:    the options of each connected event
 * - disconnected: {code, reason, willAttemptReconnect} of each disconnected event
 * - errors:       errors the client reported
 */
class Recorder {
  constructor(kind, label) {
    this.kind = kind;
    this.label = label;
    this.frames = [];
    this.messages = [];
    this.connected = [];
    this.disconnected = [];
    this.errors = [];
  }

  /** Frames of the current (last) connection start after its hello; all hellos so far. */
  get hellos() {
    return this.frames.filter((f) => f.op === 10);
  }

  get hello() {
    const hellos = this.hellos;
    return hellos[hellos.length - 1];
  }

  heartbeats() {
    return this.frames.filter((f) => f.op === 1);
  }

  /** Application messages of the given type whose data carries this nonce. */
  received(type, tag) {
    return this.messages.filter((m) => m.t === type && m.d && m.d.nonce === tag);
  }

  async waitForMessage(type, tag, ms = 5000) {
    return waitUntil(() => this.received(type, tag)[0], ms, `${this.label}: message ${type} ${tag}`);
  }

  /** Resolves once the connection has been opened and its hello processed. */
  async open(ms = 10000) {
    const hellosBefore = this.hellos.length;
    await withTimeout(this.connect(), ms, `${this.label}: connect`);
    await waitUntil(() => this.hellos.length > hellosBefore, ms, `${this.label}: hello (op 10)`);
    return this.hello;
  }

  /**
   * Round trip through the server: every message the server queued to this
   * connection before it handled this ECHO has been received when it resolves.
   */
  async barrier(ms = 5000) {
    const tag = nonce();
    this.send('ECHO', { nonce: tag, barrier: true });
    await this.waitForMessage('ECHO', tag, ms);
  }
}

/** @cryb/mesa@1.5.8 `Client` (Node, EventEmitter, uses `ws`). */
export class NodeClient extends Recorder {
  constructor(url, label = 'node-client') {
    super('@cryb/mesa Client', label);
    // autoConnect would call connect() without handling its rejection
    this.client = new MesaNodeClient(url, { autoConnect: false });
    this.client.on('connected', (options) => {
      this.connected.push(options);
      // 'connected' is emitted from the socket's open handler, before any frame is read
      this.client.ws.on('message', (data) => this.frames.push(parseFrame(data)));
    });
    this.client.on('message', (m) => this.messages.push({ op: m.opcode, d: m.data, t: m.type, s: m.sequence }));
    this.client.on('disconnected', (code, reason, options) => {
      this.disconnected.push({ code, reason: String(reason ?? ''), ...options });
    });
    // an EventEmitter 'error' without a listener would throw
    this.client.on('error', (error) => this.errors.push(error));
  }

  connect() {
    return this.client.connect();
  }

  /** Resolves with the client's own result: d of op 22. */
  authenticate(token, options) {
    return this.client.authenticate({ token }, options);
  }

  send(type, data) {
    this.client.send(new MesaMessage(0, data, type));
  }

  get isAuthenticated() {
    return this.client.authenticated;
  }

  async close() {
    const c = this.client;
    // Client 1.5.8 schedules a reconnection on every close, even after disconnect()
    // (registerClose ignores didForcefullyDisconnect): forget the interval first.
    c.reconnectionIntervalTime = undefined;
    if (c.reconnectionInterval) clearInterval(c.reconnectionInterval);
    const ws = c.ws;
    if (!ws || ws.readyState === ws.CLOSED) return;
    const closed = new Promise((resolve) => ws.once('close', resolve));
    c.disconnect(1000);
    try {
      await withTimeout(closed, 3000, `${this.label}: close`);
    } catch (error) {
      ws.terminate();
    }
  }
}

/** mesa-js-client@1.4.8 (browser client on the global WebSocket). */
export class JsClient extends Recorder {
  constructor(url, label = 'js-client') {
    super('mesa-js-client', label);
    this.client = new MesaJsClient(url, { autoConnect: false });
    this.client.onConnected = (options) => {
      this.connected.push(options);
      this.client.ws.addEventListener('message', (event) => this.frames.push(parseFrame(event.data)));
    };
    this.client.onMessage = (m) => this.messages.push({ op: m.opcode, d: m.data, t: m.type, s: m.sequence });
    this.client.onDisconnected = (code, reason, options) => {
      this.disconnected.push({ code, reason: String(reason ?? ''), ...options });
    };
    this.client.onError = (error) => this.errors.push(error);
  }

  connect() {
    return this.client.connect();
  }

  /** Resolves with d of op 22 when hello's rules contain sends_user_object, else undefined. */
  authenticate(token, options) {
    return this.client.authenticate({ token }, options);
  }

  send(type, data) {
    this.client.send(0, data, type);
  }

  get isAuthenticated() {
    return this.client.authenticated;
  }

  async close() {
    const c = this.client;
    const ws = c.ws;
    // disconnect() sets didForcefullyDisconnect, which stops the reconnection
    if (!ws || ws.readyState === WebSocket.CLOSED) {
      c.disconnect(1000);
      return;
    }
    const closed = new Promise((resolve) => ws.addEventListener('close', resolve, { once: true }));
    c.disconnect(1000);
    try {
      await withTimeout(closed, 3000, `${this.label}: close`);
    } catch (error) {
      ws.terminate();
    }
  }
}

export const CLIENT_KINDS = {
  node: (url, label) => new NodeClient(url, label),
  js: (url, label) => new JsClient(url, label)
};

/** Closes every client, whatever happens to each. */
export async function closeAll(clients) {
  await Promise.allSettled(clients.map((c) => c.close()));
}

/** A raw `ws` client that records every frame and its close, and never answers anything. */
export class RawClient {
  constructor(url) {
    this.frames = [];
    this.binary = 0;
    this.ws = new WebSocket(url);
    this.ws.on('message', (data, isBinary) => {
      if (isBinary) this.binary += 1;
      this.frames.push(parseFrame(data));
    });
    this.ws.on('error', () => {});
    this.closed = new Promise((resolve) => {
      this.ws.on('close', (code, reason) => resolve({ code, reason: reason.toString(), at: Date.now() }));
    });
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve(Date.now()));
      this.ws.once('error', reject);
    });
  }

  send(object) {
    this.ws.send(JSON.stringify(object));
  }

  close() {
    if (this.ws.readyState !== WebSocket.CLOSED) this.ws.terminate();
  }
}
