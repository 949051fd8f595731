// mesa-client.js: a small browser client for the Mesa 1.x wire protocol (no dependencies), with the
// resume extension (docs/resume.md) when the server offers it.
//
//   const client = new MesaClient('ws://localhost:9080/chat');
//   client.on('message', ({ type, data, sequence, position }) => ...);
//   const me = await client.authenticate({ token }, { shouldSync: true, positions });
//   client.send('CHAT', { text: 'hi' });
//
// Resume: `positions` stores the user's position {epoch, s}: get() (null if none) and set(p). If hello
// lists the rule "resume", op 2 carries it, messages to the user come numbered (`position`), each once
// and in order (duplicates dropped; on a gap the client reconnects and resumes), and are acknowledged
// (op 3) at most once a second and when the page is hidden. Otherwise: plain Mesa 1.x.
//
// Events (client.on(name, fn) returns a function that unsubscribes):
//   state         {state}  'connecting' | 'connected' (hello received) | 'authenticated' | 'closed'
//   connected     {reconnect, rules}          after hello (op 10)
//   authenticated {user, reconnect}           after op 22, also after each automatic re-authentication
//   message       {type, data, sequence, position}  op 0; sequence: s of a message redelivered by
//                                             shouldSync (Mesa 1.x); position: s of a resumed stream
//   reset         {epoch, s, previous}        resume: the position was not served: resync from the app
//   disconnected  {code, reason, willReconnect}
//   authfailed    {code, reason}              the server refused the credentials (close 1008)

const OP = { DISPATCH: 0, HEARTBEAT: 1, AUTHENTICATE: 2, ACK: 3, HELLO: 10, HEARTBEAT_ACK: 11, AUTH_ACK: 22, RESUMED: 23 };
const POLICY_VIOLATION = 1008;
const ACK_EVERY = 1000; // ms: at most one op 3 per second
const isWhole = (n) => Number.isSafeInteger(n) && n >= 0;

export class MesaClient {
  constructor(url, { autoConnect = true, clientVersion = '1.5.8', fallbackReconnectInterval = 0 } = {}) {
    this.url = url;
    this.clientVersion = clientVersion;
    this.fallbackReconnectInterval = fallbackReconnectInterval;
    this.state = 'closed';
    this.rules = [];
    this.heartbeatInterval = null;    // c_heartbeat_interval from hello, ms
    this.reconnectInterval = null;    // c_reconnect_interval from hello, ms
    this.authenticationTimeout = null;
    this.user = null;
    this.ws = null;
    this.credentials = null;          // kept to sign in again after a reconnect
    this.pendingAuth = null;          // {resolve, reject} of authenticate()
    this.stopped = false;
    this.everConnected = false;
    this.positions = null;            // the app's position store (resume), from authenticate()
    this.position = null;             // {epoch, s}: the last message delivered to the app
    this.resumed = false;             // this connection got op 23: its messages to the user carry s
    this.acked = 0;                   // the last s acknowledged on this connection
    this.timers = { reconnect: null, watchdog: null, ack: null };
    this.listeners = new Map();
    // Acknowledge what was shown before the page may be frozen or closed (not in Node: no document).
    globalThis.document?.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') this.acknowledge(); });
    if (autoConnect) this.connect();
  }

  on(event, fn) {
    if (!this.listeners.has(event)) this.listeners.set(event, new Set());
    this.listeners.get(event).add(fn);
    return () => this.listeners.get(event).delete(fn);
  }

  emit(event, detail) {
    for (const fn of this.listeners.get(event) || []) {
      try { fn(detail); } catch (e) { console.error(`mesa-client: '${event}' listener failed`, e); }
    }
  }

  setState(state) {
    if (this.state !== state) { this.state = state; this.emit('state', { state }); }
  }

  connect() {
    this.stopped = false;
    clearTimeout(this.timers.reconnect);
    if (this.ws && this.ws.readyState <= 1) return; // CONNECTING or OPEN
    const ws = new WebSocket(this.url);
    this.ws = ws;
    this.setState('connecting');
    ws.onmessage = (event) => { if (this.ws === ws) this.receive(event.data); };
    ws.onclose = (event) => { if (this.ws === ws) this.closed(event.code, event.reason); };
    ws.onerror = () => { /* a close event follows */ };
  }

  // Resolves with the user object of op 22. The credentials are kept and sent again after every
  // reconnect, until disconnect() or until the server refuses them.
  authenticate(credentials, { shouldSync = true, positions = null } = {}) {
    this.credentials = { ...credentials, shouldSync };
    this.positions = positions;
    this.position = null;
    if (this.pendingAuth) this.pendingAuth.reject(new Error('superseded by a newer authenticate()'));
    return new Promise((resolve, reject) => {
      this.pendingAuth = { resolve, reject };
      if (this.state === 'connected') this.sendAuthentication();
      else if (this.state === 'closed' && !this.ws) this.connect();
    });
  }

  // Sends an application message (op 0); false when there is no open connection to send it on.
  send(type, data = {}) {
    return this.sendRaw({ op: OP.DISPATCH, d: data, t: type });
  }

  disconnect(code = 1000, reason = '') {
    this.acknowledge();
    this.stopped = true;
    this.credentials = null;
    this.user = null;
    clearTimeout(this.timers.reconnect);
    const ws = this.ws;
    if (ws && ws.readyState <= 1) ws.close(code, reason);
    this.closed(code, reason);
  }

  sendRaw(frame) {
    if (!this.ws || this.ws.readyState !== 1) return false;
    this.ws.send(JSON.stringify(frame));
    return true;
  }

  sendAuthentication() {
    const d = { ...this.credentials };
    if (this.positions && this.rules.includes('resume')) {
      // The stored position is read once per page: after that this page's own position is used, so
      // another tab of the same user that got further does not make this one skip messages.
      if (!this.position) this.position = this.loadPosition();
      d.resume = { epoch: this.position.epoch, s: this.position.s };
    }
    this.sendRaw({ op: OP.AUTHENTICATE, d });
  }

  // The stored position, or none: a malformed one would be refused (1007) on every attempt.
  loadPosition() {
    let p = null;
    try { p = this.positions.get(); } catch (e) { console.error('mesa-client: reading the position failed', e); }
    return p && (typeof p.epoch === 'string' || p.epoch === null) && isWhole(p.s) ? { epoch: p.epoch, s: p.s } : { epoch: null, s: 0 };
  }

  savePosition(position) {
    this.position = position;
    try { this.positions.set({ ...position }); } catch (e) { console.error('mesa-client: saving the position failed', e); }
  }

  // op 3 {s}: the server may drop what this user's pages processed, up to s (cumulative).
  acknowledge() {
    clearTimeout(this.timers.ack);
    this.timers.ack = null;
    const s = this.position && this.position.s;
    if (this.resumed && s > this.acked && this.sendRaw({ op: OP.ACK, d: { s } })) this.acked = s;
  }

  // Resume, section 4: deliver s = last + 1, drop what was delivered, reconnect on a gap.
  receiveNumbered(frame) {
    const last = this.position.s;
    if (frame.s <= last) return; // a duplicate
    if (frame.s > last + 1) {
      console.warn(`mesa-client: missed messages ${last + 1}..${frame.s - 1}, resuming from ${last}`);
      this.drop(4001, 'gap in the numbered messages'); // reconnects, then resumes from `last`
      return;
    }
    this.emit('message', { type: frame.t, data: frame.d, position: frame.s });
    this.savePosition({ epoch: this.position.epoch, s: frame.s });
    if (!this.timers.ack) this.timers.ack = setTimeout(() => this.acknowledge(), ACK_EVERY);
  }

  receive(raw) {
    let frame;
    try { frame = JSON.parse(raw); } catch { return; }
    if (!frame || typeof frame !== 'object') return;
    this.armWatchdog();
    const d = frame.d && typeof frame.d === 'object' ? frame.d : {};
    switch (frame.op) {
      case OP.HELLO: {
        this.heartbeatInterval = d.c_heartbeat_interval || null;
        this.reconnectInterval = d.c_reconnect_interval || null;
        this.authenticationTimeout = d.c_authentication_timeout || null;
        this.rules = Array.isArray(d.rules) ? d.rules : [];
        if (this.rules.includes('enforce_equal_versions')) {
          this.sendRaw({ op: OP.DISPATCH, d: { v: this.clientVersion }, t: 'CLIENT_VERSION' });
        }
        const reconnect = this.everConnected;
        this.everConnected = true;
        this.setState('connected');
        this.armWatchdog();
        this.emit('connected', { reconnect, rules: this.rules });
        if (this.credentials) this.sendAuthentication();
        return;
      }
      case OP.HEARTBEAT:
        this.sendRaw({ op: OP.HEARTBEAT_ACK, d: {} });
        return;
      case OP.AUTH_ACK: {
        const reconnect = this.user !== null;
        this.user = d;
        this.setState('authenticated');
        if (this.pendingAuth) { this.pendingAuth.resolve(d); this.pendingAuth = null; }
        this.emit('authenticated', { user: d, reconnect });
        return;
      }
      case OP.RESUMED: {
        if (!this.positions || !this.position || typeof d.epoch !== 'string' || !isWhole(d.s)) return;
        const previous = this.position;
        this.resumed = true;
        this.acked = d.s;
        this.savePosition({ epoch: d.epoch, s: d.s });
        if (d.reset) this.emit('reset', { epoch: d.epoch, s: d.s, previous });
        return;
      }
      case OP.DISPATCH:
        if (this.resumed && isWhole(frame.s)) this.receiveNumbered(frame);
        else this.emit('message', { type: frame.t, data: frame.d, sequence: frame.s });
        return;
      default:
        // Unknown opcodes are ignored, as Mesa clients do.
    }
  }

  // Heartbeats arrive every c_heartbeat_interval: after three silent intervals the connection is
  // presumed dead (sleeping laptop, lost network) and dropped, which starts a reconnect at once.
  armWatchdog() {
    clearTimeout(this.timers.watchdog);
    if (!this.heartbeatInterval || this.stopped) return;
    this.timers.watchdog = setTimeout(() => this.drop(4000, 'no heartbeat from the server'), this.heartbeatInterval * 3);
  }

  // Closes the connection from this side; a reconnect follows as after any close.
  drop(code, reason) {
    const ws = this.ws;
    if (ws) { try { ws.close(code, reason); } catch { /* ignore */ } }
    this.closed(code, reason);
  }

  closed(code, reason) {
    if (!this.ws && this.state === 'closed') return; // already handled
    this.ws = null;
    clearTimeout(this.timers.watchdog);
    clearTimeout(this.timers.ack);
    this.timers.ack = null;
    this.resumed = false;
    const authRefused = code === POLICY_VIOLATION && this.credentials !== null && this.state !== 'authenticated';
    if (authRefused) {
      // Don't retry credentials the server refused: the application must get new ones.
      this.credentials = null;
      if (this.pendingAuth) { this.pendingAuth.reject(new Error(`authentication refused (${code} ${reason})`)); this.pendingAuth = null; }
    }
    const interval = this.reconnectInterval || this.fallbackReconnectInterval;
    const willReconnect = !this.stopped && !authRefused && interval > 0;
    this.setState('closed');
    if (authRefused) this.emit('authfailed', { code, reason });
    this.emit('disconnected', { code, reason, willReconnect });
    if (willReconnect) this.timers.reconnect = setTimeout(() => this.connect(), interval);
  }
}
