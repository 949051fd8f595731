// mesa-client.js: a small browser client for the Mesa 1.x wire protocol (no dependencies).
//
//   const client = new MesaClient('ws://localhost:9080/chat');
//   client.on('message', ({ type, data, sequence }) => ...);
//   const me = await client.authenticate({ token }, { shouldSync: true });
//   client.send('CHAT', { text: 'hi' });
//
// Events (client.on(name, fn) returns a function that unsubscribes):
//   state         {state}  'connecting' | 'connected' (hello received) | 'authenticated' | 'closed'
//   connected     {reconnect, rules}          after hello (op 10)
//   authenticated {user, reconnect}           after op 22, also after each automatic re-authentication
//   message       {type, data, sequence}      op 0; sequence (s) is set on redelivered messages
//   disconnected  {code, reason, willReconnect}
//   authfailed    {code, reason}              the server refused the credentials (close 1008)

const OP = { DISPATCH: 0, HEARTBEAT: 1, AUTHENTICATE: 2, HELLO: 10, HEARTBEAT_ACK: 11, AUTH_ACK: 22 };
const POLICY_VIOLATION = 1008;

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
    this.timers = { reconnect: null, watchdog: null };
    this.listeners = new Map();
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
  authenticate(credentials, { shouldSync = true } = {}) {
    this.credentials = { ...credentials, shouldSync };
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
    this.sendRaw({ op: OP.AUTHENTICATE, d: this.credentials });
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
      case OP.DISPATCH:
        this.emit('message', { type: frame.t, data: frame.d, sequence: frame.s });
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
    this.timers.watchdog = setTimeout(() => {
      const ws = this.ws;
      if (ws) { try { ws.close(4000, 'no heartbeat'); } catch { /* ignore */ } }
      this.closed(4000, 'no heartbeat from the server');
    }, this.heartbeatInterval * 3);
  }

  closed(code, reason) {
    if (!this.ws && this.state === 'closed') return; // already handled
    this.ws = null;
    clearTimeout(this.timers.watchdog);
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
