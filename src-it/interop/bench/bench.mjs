#!/usr/bin/env node
// Mesa benchmark: orchestrator and load generator in one process.
//
//   node bench.mjs --out <dir> [--servers mesa-jakarta,bare-jakarta,node-mesa,bare-ws] [--quick]
//                  [--wlp <liberty wlp dir> --war <mesa-bench.war> --server-xml <file> --jvm-options <file>]
//                  [--max-conns N] [... see --help]
//
// Pins itself to core 1, starts each server under test pinned to core 0 (one at a time) and its own
// redis-server on core 1, drives raw `ws` clients against it over loopback, measures the server's
// CPU (utime+stime from /proc/<pid>/stat) and RSS (VmRSS), prints Markdown tables to stdout
// (progress goes to stderr) and writes <out>/results.json and <out>/results.md.
// Exit code: 0 when the run completed (goals missed included), 1 when the benchmark itself failed
// (a server did not start, connections failed, messages missing), 2 on bad usage or a crash.
// See README.md next to this file.

import { spawn, spawnSync, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import Redis from 'ioredis';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ALL_SERVERS = ['mesa-jakarta', 'bare-jakarta', 'node-mesa', 'bare-ws'];
const ALL_SCENARIOS = ['memory', 'broadcast', 'paced', 'targeted', 'echo'];
const OURS = 'mesa-jakarta';
const REFERENCE = 'node-mesa';

// ---------------------------------------------------------------- parameters

const DEFAULTS = {
  out: '', wlp: '', war: '', serverXml: '', jvmOptions: '',
  servers: ALL_SERVERS.join(','),
  scenarios: ALL_SCENARIOS.join(','),
  quick: false, sync: false, noPin: false, help: false,
  // memory + idle
  memConns: 10000, maxConns: 19000, settleS: 15, idleS: 30,
  // broadcast burst
  bcastClients: '1000,5000', bcastCounts: '200,100', bcastSize: 64, bcastRounds: 3, bcastTimeoutS: 60,
  // broadcast paced
  pacedClients: 1000, pacedRate: 20, pacedS: 10,
  // targeted through Redis
  tgtUsers: '1000,10000', tgtMsgs: '50000,20000', tgtSize: 64, tgtInflight: 2000, tgtBatch: 200,
  tgtMaxS: 60, tgtPacedRate: 1000, tgtPacedS: 10,
  // echo
  echoWarmup: 200, echoN: 5000,
  // connections, warm-up, timeouts
  connectConcurrency: 200, connectTimeoutS: 30, connectPhaseS: 600,
  warmupClients: 200, jvmWarmupRounds: 5, startTimeoutS: 120, stopTimeoutS: 20, seed: 12345
};
// --quick: about a tenth of the sizes, for a one-minute smoke run per server.
const QUICK = {
  memConns: 1000, maxConns: 2000, settleS: 3, idleS: 12,
  bcastClients: '100,500', bcastCounts: '100,50', bcastRounds: 3,
  pacedClients: 100, pacedS: 3,
  tgtUsers: '100,1000', tgtMsgs: '5000,2000', tgtPacedS: 3,
  echoWarmup: 50, echoN: 500, warmupClients: 100, jvmWarmupRounds: 3
};
const BOOLEAN = new Set(['quick', 'sync', 'noPin', 'help']);

const USAGE = `usage: node bench.mjs --out <dir> [options]
  --servers LIST          ${ALL_SERVERS.join(',')} (default: all; run in this order)
  --scenarios LIST        ${ALL_SCENARIOS.join(',')} (default: all applicable)
  --quick                 sizes divided by ~10 (smoke run)
  --wlp DIR --war FILE --server-xml FILE --jvm-options FILE   needed for mesa-jakarta / bare-jakarta
  --max-conns N           largest connection count of the memory scenario (default 19000, clamped to the fd limit)
  --sync                  node-mesa with message sync enabled (default off)
  --no-pin                do not pin with taskset
  --render results.json   only print the tables of an earlier run (no other option)
  every numeric parameter: --mem-conns --settle-s --idle-s --bcast-clients 1000,5000 --bcast-counts 200,100
    --bcast-size --bcast-rounds --bcast-timeout-s --paced-clients --paced-rate --paced-s --tgt-users 1000,10000
    --tgt-msgs 50000,20000 --tgt-size --tgt-inflight --tgt-batch --tgt-max-s --tgt-paced-rate --tgt-paced-s
    --echo-warmup --echo-n --connect-concurrency --connect-timeout-s --connect-phase-s --warmup-clients
    --jvm-warmup-rounds --start-timeout-s --stop-timeout-s --seed`;

function parseArgs(argv) {
  const given = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument ${arg}`);
    const eq = arg.indexOf('=');
    const rawKey = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    const key = rawKey.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    if (!(key in DEFAULTS)) throw new UsageError(`unknown option --${rawKey}`);
    let value = eq > 0 ? arg.slice(eq + 1) : undefined;
    if (BOOLEAN.has(key)) value = value === undefined ? true : value !== 'false';
    else if (value === undefined) {
      value = argv[++i];
      if (value === undefined) throw new UsageError(`--${rawKey} needs a value`);
    }
    given[key] = value;
  }
  const p = { ...DEFAULTS, ...(given.quick ? QUICK : {}), ...given };
  for (const [k, def] of Object.entries(DEFAULTS)) {
    if (typeof def !== 'number') continue;
    p[k] = Number(p[k]);
    if (!Number.isFinite(p[k]) || p[k] < 0) throw new UsageError(`--${k} must be a non-negative number`);
  }
  const list = (s) => String(s).split(',').map((x) => x.trim()).filter(Boolean);
  const numList = (k) => {
    const xs = list(p[k]).map(Number);
    if (xs.length === 0 || xs.some((x) => !Number.isInteger(x) || x <= 0)) throw new UsageError(`--${k} must be positive integers`);
    return xs;
  };
  p.servers = list(p.servers);
  p.scenarios = list(p.scenarios);
  for (const s of p.servers) if (!ALL_SERVERS.includes(s)) throw new UsageError(`unknown server ${s}`);
  for (const s of p.scenarios) if (!ALL_SCENARIOS.includes(s)) throw new UsageError(`unknown scenario ${s}`);
  p.bcastClients = numList('bcastClients');
  p.bcastCounts = numList('bcastCounts');
  p.tgtUsers = numList('tgtUsers');
  p.tgtMsgs = numList('tgtMsgs');
  p.bcastCounts = p.bcastClients.map((_, i) => Math.min(100000, p.bcastCounts[Math.min(i, p.bcastCounts.length - 1)]));
  p.tgtMsgs = p.tgtUsers.map((_, i) => p.tgtMsgs[Math.min(i, p.tgtMsgs.length - 1)]);
  p.bcastSize = Math.min(65536, p.bcastSize);
  p.bcastRounds = Math.max(1, Math.round(p.bcastRounds));
  p.tgtBatch = Math.max(1, Math.min(p.tgtBatch, p.tgtInflight));
  if (!p.out) throw new UsageError('--out is required');
  if (p.servers.some((s) => s.endsWith('-jakarta'))) {
    for (const k of ['wlp', 'war', 'serverXml', 'jvmOptions']) {
      const flag = '--' + k.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
      if (!p[k]) throw new UsageError(`${flag} is required for ${p.servers.filter((s) => s.endsWith('-jakarta')).join(',')}`);
      p[k] = path.resolve(p[k]);
      if (!fs.existsSync(p[k])) throw new UsageError(`${flag} ${p[k]}: no such file or directory`);
    }
    if (!fs.existsSync(path.join(p.wlp, 'bin', 'server'))) throw new UsageError(`--wlp ${p.wlp}: no bin/server`);
  }
  p.out = path.resolve(p.out);
  return p;
}

class UsageError extends Error {}

// ---------------------------------------------------------------- small utilities

const log = (...a) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${a.join(' ')}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => performance.timeOrigin + performance.now(); // epoch ms, fractional: same clock as the servers' ts
const TICKS = Number(safeExec('getconf', ['CLK_TCK'])) || 100;

function safeExec(cmd, args, opts = {}) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10000, ...opts }).trim();
  } catch {
    return '';
  }
}

/** utime + stime of the whole process (all its threads), in seconds. */
function cpuSeconds(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // rest[0] is field 3 (state)
  return (Number(rest[11]) + Number(rest[12])) / TICKS; // fields 14 utime, 15 stime
}

function rssKiB(pid) {
  const m = /VmRSS:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

function loadgenCpuSeconds() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Busy and steal ticks per core from /proc/stat (busy = everything but idle and iowait). */
function coreTicks() {
  const cores = {};
  for (const line of fs.readFileSync('/proc/stat', 'utf8').split('\n')) {
    const m = /^cpu(\d+)\s+(.*)/.exec(line);
    if (!m) continue;
    const f = m[2].trim().split(/\s+/).map(Number); // user nice system idle iowait irq softirq steal guest guest_nice
    cores[m[1]] = { busy: f[0] + f[1] + f[2] + f[5] + f[6], steal: f[7] || 0 };
  }
  return cores;
}

/**
 * CPU of the server, the load generator and redis over a window, plus how busy the server's core was
 * with anything else (other processes, interrupts): a noise indicator, 0 on a quiet machine.
 */
function cpuMeter(ctx) {
  const t0 = now();
  const s0 = cpuSplit(ctx.server.pid);
  const l0 = loadgenCpuSeconds();
  const r0 = ctx.redis ? cpuSeconds(ctx.redis.pid) : 0;
  const c0 = coreTicks();
  return () => {
    const elapsedS = (now() - t0) / 1000;
    const s1 = cpuSplit(ctx.server.pid);
    const server = s1.user + s1.system - s0.user - s0.system;
    const loadgen = loadgenCpuSeconds() - l0;
    const redis = ctx.redis ? cpuSeconds(ctx.redis.pid) - r0 : 0;
    const c1 = coreTicks();
    const core = ctx.P.pin ? '0' : null;
    const core0 = core && c0[core] && c1[core] ? c1[core] : null;
    const serverCoreBusyPct = core0 ? 100 * (core0.busy - c0[core].busy) / TICKS / elapsedS : undefined;
    const serverCoreStealPct = core0 ? 100 * (core0.steal - c0[core].steal) / TICKS / elapsedS : undefined;
    const serverCpuPct = 100 * server / elapsedS;
    return { elapsedS, serverCpuS: server, serverUserS: s1.user - s0.user, serverSystemS: s1.system - s0.system,
      loadgenCpuS: loadgen, redisCpuS: redis,
      serverCpuPct, loadgenCpuPct: 100 * loadgen / elapsedS, redisCpuPct: 100 * redis / elapsedS,
      otherLoadOnServerCorePct: serverCoreBusyPct === undefined ? undefined : Math.max(0, serverCoreBusyPct - serverCpuPct),
      serverCoreStealPct };
  };
}

function cpuSplit(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(rest[11]) / TICKS, system: Number(rest[12]) / TICKS };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitFor(what, timeoutMs, check, intervalMs = 100) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(intervalMs);
  }
}

function tail(file, lines = 30) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return `(no ${file})`;
  }
}

/** Latency recorder: fixed capacity, percentiles by nearest rank. */
class Rec {
  constructor(capacity) {
    this.a = new Float64Array(Math.max(1, capacity));
    this.n = 0;
  }
  add(v) {
    if (this.n < this.a.length) this.a[this.n++] = v;
  }
  summary() {
    if (this.n === 0) return { n: 0 };
    const s = this.a.slice(0, this.n).sort();
    const pct = (p) => s[Math.min(this.n - 1, Math.max(0, Math.ceil(p * this.n) - 1))];
    let sum = 0;
    for (let i = 0; i < this.n; i++) sum += s[i];
    return { n: this.n, p50: pct(0.5), p99: pct(0.99), max: s[this.n - 1], mean: sum / this.n };
  }
}

/** A promise-based wait on a condition that the message sink re-checks on every message. */
class Waiter {
  constructor() {
    this.w = null;
  }
  check() {
    const w = this.w;
    if (w && w.cond()) {
      this.w = null;
      w.resolve(true);
    }
  }
  wait(cond, timeoutMs) {
    if (cond()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.w = null;
        resolve(false);
      }, timeoutMs);
      this.w = { cond, resolve: (v) => { clearTimeout(timer); resolve(v); } };
    });
  }
}

function makeRandom(seed) {
  let x = seed >>> 0 || 1;
  return (n) => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x % n;
  };
}

function median(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return undefined;
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
}

// ---------------------------------------------------------------- child processes

const children = new Set();
let pidsFile = null;

function writePids() {
  if (!pidsFile) return;
  try {
    fs.writeFileSync(pidsFile, [...children].map((c) => `${c.pid} ${c.benchName}\n`).join(''));
  } catch { /* best effort */ }
}

function spawnTracked(name, cmd, args, opts) {
  const proc = spawn(cmd, args, opts);
  proc.benchName = name;
  proc.exitInfo = null;
  children.add(proc);
  writePids();
  proc.on('exit', (code, signal) => {
    proc.exitInfo = { code, signal };
    children.delete(proc);
    writePids();
  });
  proc.on('error', (e) => {
    proc.exitInfo = { error: e.message };
    children.delete(proc);
    writePids();
  });
  return proc;
}

function killAllChildren() {
  for (const c of children) {
    try { process.kill(c.pid, 'SIGKILL'); } catch { /* gone */ }
    if (c.javaPid && c.javaPid !== c.pid) try { process.kill(c.javaPid, 'SIGKILL'); } catch { /* gone */ }
  }
  children.clear();
  writePids();
}

async function stopProc(proc, timeoutMs) {
  if (!proc || proc.exitInfo) return;
  const exited = new Promise((r) => proc.once('exit', r));
  try { proc.kill('SIGTERM'); } catch { /* gone */ }
  const ok = await Promise.race([exited.then(() => true), sleep(timeoutMs).then(() => false)]);
  if (!ok) {
    log(`${proc.benchName} (pid ${proc.pid}) did not stop within ${timeoutMs / 1000} s: SIGKILL`);
    try { proc.kill('SIGKILL'); } catch { /* gone */ }
    await Promise.race([exited, sleep(5000)]);
  }
}

function pinPrefix(core, P) {
  return P.pin ? ['taskset', ['-c', String(core)]] : null;
}

function spawnPinned(name, core, cmd, args, opts, P) {
  const pin = pinPrefix(core, P);
  return pin ? spawnTracked(name, pin[0], [...pin[1], cmd, ...args], opts) : spawnTracked(name, cmd, args, opts);
}

function comm(pid) {
  try { return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim(); } catch { return ''; }
}

/** The pid itself if it runs `comm`, else its first descendant that does. */
function findProcess(pid, name) {
  if (comm(pid) === name) return pid;
  const byParent = new Map();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const st = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(st.slice(st.lastIndexOf(')') + 2).split(' ')[1]);
      if (!byParent.has(ppid)) byParent.set(ppid, []);
      byParent.get(ppid).push(Number(d));
    } catch { /* raced */ }
  }
  const queue = [pid];
  while (queue.length) {
    const p = queue.shift();
    for (const c of byParent.get(p) || []) {
      if (comm(c) === name) return c;
      queue.push(c);
    }
  }
  return 0;
}

// ---------------------------------------------------------------- redis

async function startRedis(P) {
  const port = await freePort();
  const logFile = path.join(P.out, 'redis.log');
  const fd = fs.openSync(logFile, 'w');
  const proc = spawnPinned('redis-server', 1, 'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--protected-mode', 'yes'],
    { stdio: ['ignore', fd, fd] }, P);
  fs.closeSync(fd);
  await waitFor('redis-server', 15000, () => {
    if (proc.exitInfo) throw new Error(`redis-server exited ${JSON.stringify(proc.exitInfo)}:\n${tail(logFile)}`);
    return /Ready to accept connections/.test(fs.readFileSync(logFile, 'utf8'));
  });
  const uri = `redis://127.0.0.1:${port}`;
  const client = new Redis(uri, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: () => null });
  await client.connect();
  await client.ping();
  log(`redis-server pid ${proc.pid} on ${uri}`);
  return { proc, pid: proc.pid, uri, client };
}

async function waitForSubscriber(redis, timeoutMs) {
  await waitFor('the server to subscribe to the Redis channel "ws"', timeoutMs, async () => {
    const [, n] = await redis.client.pubsub('NUMSUB', 'ws');
    return Number(n) >= 1;
  }, 250);
}

// ---------------------------------------------------------------- servers under test

const KINDS = {
  'mesa-jakarta': { scenarios: ALL_SCENARIOS, heartbeats: true, targeted: true, jvm: true, contextPath: '/mesa-bench/bench' },
  'bare-jakarta': { scenarios: ['memory', 'broadcast', 'paced'], heartbeats: false, targeted: false, jvm: true, contextPath: '/mesa-bench/bare' },
  'node-mesa': { scenarios: ALL_SCENARIOS, heartbeats: true, targeted: true, jvm: false, script: 'mesa-server.cjs' },
  'bare-ws': { scenarios: ['memory', 'broadcast', 'paced'], heartbeats: false, targeted: false, jvm: false, script: 'ws-server.cjs' }
};

async function startServer(name, P, redis) {
  const kind = KINDS[name];
  const t0 = Date.now();
  const s = kind.jvm ? await startLiberty(name, kind, P, redis) : await startNodeServer(name, kind, P, redis);
  s.startSeconds = (Date.now() - t0) / 1000;
  Object.assign(s, { name, ...kind });
  log(`${name} up in ${s.startSeconds.toFixed(1)} s: pid ${s.pid} (${comm(s.pid)}), ${s.url}`);
  return s;
}

async function startNodeServer(name, kind, P, redis) {
  const port = await freePort();
  const logFile = path.join(P.out, `${name}.log`);
  const fd = fs.openSync(logFile, 'w');
  const args = [path.join(HERE, kind.script), String(port)];
  if (name === 'node-mesa') {
    args.push(redis.uri);
    if (P.sync) args.push('--sync');
  }
  const proc = spawnPinned(name, 0, process.execPath, args, { cwd: HERE, stdio: ['ignore', fd, fd] }, P);
  fs.closeSync(fd);
  await waitFor(`${name} READY`, P.startTimeoutS * 1000, () => {
    if (proc.exitInfo) throw new Error(`${name} exited ${JSON.stringify(proc.exitInfo)}:\n${tail(logFile)}`);
    return /READY \d+/.test(fs.readFileSync(logFile, 'utf8'));
  });
  const pid = findProcess(proc.pid, 'node');
  if (!pid) throw new Error(`${name}: no node process under pid ${proc.pid}`);
  return { proc, pid, url: `ws://127.0.0.1:${port}/`, logFile, stop: () => stopProc(proc, P.stopTimeoutS * 1000) };
}

function javaHome() {
  if (process.env.JAVA_HOME) return process.env.JAVA_HOME;
  const java = safeExec('sh', ['-c', 'command -v java']);
  if (!java) throw new Error('no JAVA_HOME and no java on the PATH');
  return path.dirname(path.dirname(fs.realpathSync(java)));
}

const LIBERTY_FAILURES = /\b(CWWKZ0002E|CWWKZ0004E|CWWKZ0005E|CWWKZ0013E|CWWKZ0014W|CWWKO0221E|CWWKF0001E|CWWKF0042E|CWWKE0005E|CWWKE0701E)\b.*/;

async function startLiberty(name, kind, P, redis) {
  const base = path.join(P.out, `liberty-${name}`);
  fs.rmSync(base, { recursive: true, force: true });
  const serverDir = path.join(base, 'usr', 'servers', 'benchServer');
  fs.mkdirSync(path.join(serverDir, 'dropins'), { recursive: true });
  const port = await freePort();
  const httpsPort = await freePort();
  fs.copyFileSync(P.serverXml, path.join(serverDir, 'server.xml'));
  fs.copyFileSync(P.jvmOptions, path.join(serverDir, 'jvm.options'));
  fs.writeFileSync(path.join(serverDir, 'bootstrap.properties'),
    `mesa.bench.http.port=${port}\nmesa.bench.https.port=${httpsPort}\n`);
  fs.copyFileSync(P.war, path.join(serverDir, 'dropins', 'mesa-bench.war'));

  const env = { ...process.env };
  for (const k of ['HTTP_PORT', 'HTTPS_PORT', 'WLP_USER_DIR', 'WLP_OUTPUT_DIR', 'SERVER_NAME', 'LOG_DIR', 'LOG_FILE',
    'X_LOG_DIR', 'X_LOG_FILE', 'JVM_ARGS', 'WLP_DEBUG_ADDRESS', 'WLP_DEBUG_SUSPEND', 'WLP_DEBUG_REMOTE',
    'JAVA_TOOL_OPTIONS', '_JAVA_OPTIONS', 'JDK_JAVA_OPTIONS', 'OPENJ9_JAVA_OPTIONS', 'IBM_JAVA_OPTIONS']) delete env[k];
  Object.assign(env, {
    WLP_USER_DIR: path.join(base, 'usr'),
    WLP_OUTPUT_DIR: path.join(base, 'output'),
    JAVA_HOME: javaHome(),
    MESA_REDIS_URI: redis.uri
  });
  const consoleLog = path.join(base, 'console.log');
  const messagesLog = path.join(base, 'output', 'benchServer', 'logs', 'messages.log');
  const fd = fs.openSync(consoleLog, 'w');
  const proc = spawnPinned(name, 0, path.join(P.wlp, 'bin', 'server'), ['run', 'benchServer'],
    { cwd: base, env, stdio: ['ignore', fd, fd] }, P);
  fs.closeSync(fd);
  const stop = () => stopProc(proc, P.stopTimeoutS * 1000);
  try {
    await waitFor(`${name}: CWWKF0011I and CWWKZ0001I for mesa-bench in ${messagesLog}`, P.startTimeoutS * 1000, () => {
      if (proc.exitInfo) throw new Error(`${name} exited ${JSON.stringify(proc.exitInfo)}:\n${tail(consoleLog)}\n${tail(messagesLog)}`);
      if (!fs.existsSync(messagesLog)) return false;
      const text = fs.readFileSync(messagesLog, 'utf8');
      const failure = LIBERTY_FAILURES.exec(text);
      if (failure) throw new Error(`${name}: ${failure[0]}\n--- ${messagesLog} (tail):\n${tail(messagesLog)}`);
      return /CWWKF0011I/.test(text) && /CWWKZ0001I.*\bmesa-bench\b/.test(text);
    }, 250);
  } catch (e) {
    await stop();
    throw e;
  }
  const pid = findProcess(proc.pid, 'java');
  if (!pid) {
    await stop();
    throw new Error(`${name}: no java process under pid ${proc.pid} (${comm(proc.pid)})`);
  }
  proc.javaPid = pid;
  return { proc, pid, url: `ws://127.0.0.1:${port}${kind.contextPath}`, logFile: messagesLog, stop };
}

// ---------------------------------------------------------------- load generator: clients

const HEARTBEAT_ACK = '{"op":11,"d":{}}';
const IGNORE_SINK = (conn, msg) => { conn.pool.stray++; };

class Conn {
  constructor(pool, i) {
    this.pool = pool;
    this.i = i;
    this.id = `u${i}`;
    this.ws = null;
    this.authed = false;
    this.closing = false;
    this.got = 0;
    this.onAck = null;
    this.onClosed = null;
  }

  open(timeoutMs) {
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (err) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        try { this.ws.terminate(); } catch { /* closed */ }
        reject(err);
      };
      const timer = setTimeout(() => fail(new Error(`no auth ack (op 22) within ${timeoutMs / 1000} s`)), timeoutMs);
      this.onAck = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(this);
      };
      const ws = new WebSocket(this.pool.url, { perMessageDeflate: false, skipUTF8Validation: true, handshakeTimeout: timeoutMs });
      this.ws = ws;
      ws.on('message', (data) => this.onMessage(data));
      ws.on('error', (e) => {
        if (!this.authed) fail(e);
        else this.pool.errors++;
      });
      ws.on('close', (code) => {
        if (!this.authed) fail(new Error(`closed (${code}) before auth ack`));
        else if (!this.closing) this.pool.unexpectedClose(this, code);
        if (this.onClosed) this.onClosed();
      });
    });
  }

  onMessage(data) {
    let m;
    try {
      m = JSON.parse(data.toString());
    } catch {
      this.pool.badFrames++;
      return;
    }
    switch (m.op) {
      case 0:
        this.pool.sink(this, m);
        break;
      case 1:
        this.pool.heartbeats++;
        if (m.d && m.d.tries) this.pool.heartbeatRetries++;
        this.ws.send(HEARTBEAT_ACK);
        break;
      case 10:
        this.ws.send(`{"op":2,"d":{"token":"${this.id}","shouldSync":false}}`);
        break;
      case 22:
        this.authed = true;
        if (this.onAck) this.onAck();
        break;
      default:
        this.pool.otherOps++;
    }
  }

  send(text) {
    this.ws.send(text);
  }

  close(timeoutMs) {
    if (!this.ws || this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    this.closing = true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        try { this.ws.terminate(); } catch { /* closed */ }
        resolve();
      }, timeoutMs);
      this.onClosed = () => { clearTimeout(timer); resolve(); };
      try { this.ws.close(1000); } catch { this.ws.terminate(); }
    });
  }
}

class Pool {
  constructor(url, P) {
    this.url = url;
    this.P = P;
    this.conns = [];
    this.next = 0;
    this.sink = IGNORE_SINK;
    this.heartbeats = 0;
    this.heartbeatRetries = 0;
    this.stray = 0;
    this.badFrames = 0;
    this.otherOps = 0;
    this.errors = 0;
    this.unexpectedCloses = 0;
    this.closeCodes = {};
  }

  unexpectedClose(conn, code) {
    this.unexpectedCloses++;
    this.closeCodes[code] = (this.closeCodes[code] || 0) + 1;
  }

  prune() {
    this.conns = this.conns.filter((c) => c.ws && c.ws.readyState === WebSocket.OPEN);
  }

  /**
   * Opens or closes connections until `n` are open and authenticated. Bounded concurrency and
   * time; no retries. Throws on any failure unless allowFailures (then the failures are returned).
   */
  async resize(n, { allowFailures = false } = {}) {
    this.prune();
    if (n <= this.conns.length) {
      const victims = this.conns.splice(n);
      await Promise.all(victims.map((c) => c.close(5000)));
      return { opened: 0, failed: 0, notStarted: 0, errors: {} };
    }
    const need = n - this.conns.length;
    const deadline = Date.now() + this.P.connectPhaseS * 1000;
    const errors = {};
    let started = 0;
    let failed = 0;
    let opened = 0;
    const t0 = now();
    const worker = async () => {
      while (started < need && Date.now() < deadline) {
        started++;
        const c = new Conn(this, this.next++);
        try {
          await c.open(this.P.connectTimeoutS * 1000);
          this.conns.push(c);
          opened++;
        } catch (e) {
          failed++;
          const key = String(e.message || e).replace(/u\d+/g, 'u<i>').slice(0, 120);
          errors[key] = (errors[key] || 0) + 1;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.P.connectConcurrency, need) }, worker));
    const notStarted = need - started;
    const result = { opened, failed, notStarted, errors, seconds: (now() - t0) / 1000 };
    if ((failed || notStarted) && !allowFailures) {
      throw new Error(`connections to ${this.url}: ${opened} of ${need} opened, ${failed} failed, ${notStarted} not attempted (time limit); errors: ${JSON.stringify(errors)}`);
    }
    return result;
  }

  async closeAll() {
    await this.resize(0);
  }
}

// ---------------------------------------------------------------- scenarios

function checkAlive(ctx) {
  if (ctx.server.proc.exitInfo) throw new Error(`${ctx.server.name} exited: ${JSON.stringify(ctx.server.proc.exitInfo)}\n${tail(ctx.server.logFile)}`);
}

/** One BENCH_BROADCAST burst to the connected clients; waits until every client got all `count`. */
async function broadcastRound(ctx, count, size, timeoutMs) {
  const { pool } = ctx;
  pool.prune();
  const conns = pool.conns;
  const N = conns.length;
  const expected = N * count;
  for (const c of conns) c.got = 0;
  const rec = new Rec(expected);
  const waiter = new Waiter();
  let received = 0;
  let tLast = 0;
  pool.sink = (conn, m) => {
    if (m.t !== 'BENCH') return void pool.stray++;
    const t = now();
    rec.add(t - m.d.ts);
    conn.got++;
    received++;
    tLast = t;
    if (received >= expected) waiter.check();
  };
  const meter = cpuMeter(ctx);
  const t0 = now();
  conns[0].send(JSON.stringify({ op: 0, t: 'BENCH_BROADCAST', d: { count, size } }));
  const complete = await waiter.wait(() => received >= expected, timeoutMs);
  await sleep(200); // let the server finish its write completions before reading its CPU
  const cpu = meter();
  pool.sink = IGNORE_SINK;
  const lat = rec.summary();
  const spanS = ((tLast || now()) - t0) / 1000;
  const r = {
    clients: N, count, size, expected, received, missing: expected - received, complete,
    clientsShort: conns.filter((c) => c.got < count).length,
    seconds: spanS, msgsPerS: received / spanS,
    serverCpuUsPerMsg: received ? cpu.serverCpuS * 1e6 / received : undefined,
    loadgenCpuUsPerMsg: received ? cpu.loadgenCpuS * 1e6 / received : undefined,
    loadgenCpuPct: cpu.loadgenCpuPct, serverCpuPct: cpu.serverCpuPct,
    serverSystemSharePct: cpu.serverCpuS ? 100 * cpu.serverSystemS / cpu.serverCpuS : undefined,
    otherLoadOnServerCorePct: cpu.otherLoadOnServerCorePct, serverCoreStealPct: cpu.serverCoreStealPct,
    p50Ms: lat.p50, p99Ms: lat.p99, maxMs: lat.max
  };
  if (!complete) await sleep(2000); // drain stragglers before the next round
  return r;
}

async function scenarioMemory(ctx) {
  const { P, pool, server } = ctx;
  await pool.closeAll();
  await sleep(2000);
  const rss0 = rssKiB(server.pid);
  const res = { rss0KiB: rss0 };
  const closes0 = pool.unexpectedCloses;

  log(`${server.name} memory: connecting ${P.memConns} clients`);
  const c1 = await pool.resize(P.memConns);
  res.connectSeconds = c1.seconds;
  res.connectPerS = P.memConns / c1.seconds;
  log(`${server.name} memory: ${P.memConns} connected in ${c1.seconds.toFixed(1)} s; settling ${P.settleS} s`);
  await sleep(P.settleS * 1000);
  checkAlive(ctx);
  pool.prune();
  res.n = pool.conns.length;
  res.rssKiB = rssKiB(server.pid);
  res.perConnKiB = (res.rssKiB - rss0) / res.n;

  if (server.heartbeats) {
    log(`${server.name} idle: ${res.n} idle connections for ${P.idleS} s`);
    const hb0 = pool.heartbeats;
    const retries0 = pool.heartbeatRetries;
    const meter = cpuMeter(ctx);
    await sleep(P.idleS * 1000);
    const cpu = meter();
    res.idleCpuPct = cpu.serverCpuPct;
    res.idleLoadgenCpuPct = cpu.loadgenCpuPct;
    res.idleSeconds = cpu.elapsedS;
    res.idleHeartbeatsPerS = (pool.heartbeats - hb0) / cpu.elapsedS;
    res.idleHeartbeatRetries = pool.heartbeatRetries - retries0;
    res.idleOtherLoadOnServerCorePct = cpu.otherLoadOnServerCorePct;
  }

  const fdLimit = Number(safeExec('sh', ['-c', 'ulimit -n'])) || 1024;
  let openFds = 0;
  try { openFds = fs.readdirSync('/proc/self/fd').length; } catch { /* ignore */ }
  const maxTarget = Math.min(P.maxConns, fdLimit - (openFds - pool.conns.length) - 200);
  res.maxTarget = maxTarget;
  res.maxRequested = P.maxConns;
  res.loadgenFdLimit = fdLimit;
  if (maxTarget > pool.conns.length) {
    log(`${server.name} memory: connecting up to ${maxTarget} clients (requested ${P.maxConns}, load generator fd limit ${fdLimit})`);
    const c2 = await pool.resize(maxTarget, { allowFailures: true });
    res.maxConnectFailures = c2.failed + c2.notStarted;
    res.maxConnectErrors = c2.errors;
    await sleep(P.settleS * 1000);
    checkAlive(ctx);
    pool.prune();
    res.maxN = pool.conns.length;
    res.maxRssKiB = rssKiB(server.pid);
    res.maxPerConnKiB = (res.maxRssKiB - rss0) / res.maxN;
    log(`${server.name} memory: ${res.maxN} connected (${res.maxConnectFailures} failed)`);
  }
  res.unexpectedCloses = pool.unexpectedCloses - closes0;
  if (res.unexpectedCloses) res.closeCodes = { ...pool.closeCodes };
  await pool.closeAll();
  await sleep(1000);
  return res;
}

async function scenarioBroadcast(ctx) {
  const { P, pool, server } = ctx;
  const out = {};
  for (let k = 0; k < P.bcastClients.length; k++) {
    const N = P.bcastClients[k];
    const C = P.bcastCounts[k];
    await pool.resize(N);
    await sleep(1000);
    const rounds = [];
    for (let r = 0; r <= P.bcastRounds; r++) {
      checkAlive(ctx);
      const res = await broadcastRound(ctx, C, P.bcastSize, P.bcastTimeoutS * 1000);
      log(`${server.name} broadcast ${N} clients × ${C}: ${r === 0 ? 'warm-up' : `round ${r}`}: ${res.received}/${res.expected} in ${res.seconds.toFixed(2)} s, ` +
        `${fmt(res.msgsPerS)} msg/s, ${fmt(res.serverCpuUsPerMsg)} µs server CPU/msg, p50 ${fmt(res.p50Ms)} ms p99 ${fmt(res.p99Ms)} ms, load generator ${fmt(res.loadgenCpuPct)} % CPU, other load on the server core ${fmt(res.otherLoadOnServerCorePct)} %`);
      if (res.missing) throw new Error(`broadcast ${N}×${C}: ${res.missing} of ${res.expected} messages missing after ${P.bcastTimeoutS} s (${res.clientsShort} clients short)`);
      if (r > 0) rounds.push(res);
    }
    const med = {};
    for (const key of Object.keys(rounds[0])) if (typeof rounds[0][key] === 'number') med[key] = median(rounds.map((x) => x[key]));
    out[N] = { clients: N, count: C, median: med, rounds };
    await sleep(500);
  }
  return out;
}

async function scenarioPaced(ctx) {
  const { P, pool, server } = ctx;
  const N = P.pacedClients;
  await pool.resize(N);
  await sleep(1000);
  pool.prune();
  const conns = pool.conns;
  const total = Math.max(1, Math.round(P.pacedRate * P.pacedS));
  const expected = total * conns.length;
  const rec = new Rec(expected);
  const waiter = new Waiter();
  let received = 0;
  pool.sink = (conn, m) => {
    if (m.t !== 'BENCH') return void pool.stray++;
    rec.add(now() - m.d.ts);
    received++;
    if (received >= expected) waiter.check();
  };
  const trigger = JSON.stringify({ op: 0, t: 'BENCH_BROADCAST', d: { count: 1, size: P.bcastSize } });
  log(`${server.name} paced broadcast: ${conns.length} clients, ${P.pacedRate}/s for ${P.pacedS} s`);
  const meter = cpuMeter(ctx);
  const t0 = now();
  const intervalMs = 1000 / P.pacedRate;
  for (let k = 0; k < total; k++) {
    const due = t0 + k * intervalMs;
    const wait = due - now();
    if (wait > 0) await sleep(wait);
    conns[0].send(trigger);
  }
  const complete = await waiter.wait(() => received >= expected, P.bcastTimeoutS * 1000);
  const cpu = meter();
  pool.sink = IGNORE_SINK;
  const lat = rec.summary();
  const res = {
    clients: conns.length, rate: P.pacedRate, seconds: P.pacedS, triggers: total, expected, received,
    missing: expected - received, p50Ms: lat.p50, p99Ms: lat.p99, maxMs: lat.max,
    serverCpuPct: cpu.serverCpuPct, loadgenCpuPct: cpu.loadgenCpuPct, otherLoadOnServerCorePct: cpu.otherLoadOnServerCorePct,
    serverCpuUsPerMsg: received ? cpu.serverCpuS * 1e6 / received : undefined
  };
  log(`${server.name} paced broadcast: ${received}/${expected}, p50 ${fmt(res.p50Ms)} ms p99 ${fmt(res.p99Ms)} ms`);
  if (!complete) throw Object.assign(new Error(`paced broadcast: ${res.missing} of ${expected} messages missing`), { partial: res });
  return res;
}

/**
 * Targeted messages through Redis, as a Mesa 1.5.8 Dispatcher publishes them: PUBLISH ws
 * {"message":{"op":0,"d":{...},"t":"BENCH"},"recipients":["u<i>"]}, one random connected user each.
 * Burst mode keeps at most `inflight` messages published but not yet received; paced mode
 * publishes at `rate` per second.
 */
async function targetedRun(ctx, { M, inflight, batch, maxS, rate, size }) {
  const { pool, redis } = ctx;
  pool.prune();
  const conns = pool.conns;
  const U = conns.length;
  const random = makeRandom(ctx.P.seed + U + M);
  const pad = 'x'.repeat(size);
  const got = new Uint8Array(M);
  const targets = new Array(M);
  const rec = new Rec(M);
  const waiter = new Waiter();
  let sent = 0;
  let received = 0;
  let wrong = 0;
  let duplicates = 0;
  let tLast = 0;
  let noSubscriber = 0;
  pool.sink = (conn, m) => {
    if (m.t !== 'BENCH') return void pool.stray++;
    const t = now();
    const seq = m.d && m.d.seq;
    if (!(seq >= 0 && seq < M) || got[seq]) return void duplicates++;
    got[seq] = 1;
    if (targets[seq] !== conn) wrong++;
    rec.add(t - m.d.ts);
    received++;
    tLast = t;
    waiter.check();
  };
  const publish = async (n) => {
    const pipe = redis.client.pipeline();
    for (let j = 0; j < n; j++) {
      const seq = sent++;
      const target = conns[random(U)];
      targets[seq] = target;
      pipe.publish('ws', JSON.stringify({ message: { op: 0, d: { ts: now(), seq, pad }, t: 'BENCH' }, recipients: [target.id] }));
    }
    const replies = await pipe.exec();
    for (const [err, subscribers] of replies) if (err || !(subscribers >= 1)) noSubscriber++;
  };

  const meter = cpuMeter(ctx);
  const t0 = now();
  const deadline = t0 + maxS * 1000;
  let timeLimited = false;
  let stalled = false;
  if (rate) {
    const total = Math.min(M, Math.round(rate * maxS));
    const intervalMs = 1000 / rate;
    while (sent < total) {
      if (now() > deadline + 5000) { timeLimited = true; break; }
      const due = Math.min(total, Math.floor((now() - t0) / intervalMs) + 1);
      if (due > sent) await publish(due - sent);
      await sleep(1);
    }
  } else {
    while (sent < M) {
      if (now() > deadline) { timeLimited = true; break; }
      const n = Math.min(batch, M - sent);
      if (!(await waiter.wait(() => inflight - (sent - received) >= n, 10000))) { stalled = true; break; }
      await publish(n);
    }
  }
  const complete = await waiter.wait(() => received >= sent, 15000);
  const tDone = tLast || now();
  await sleep(200);
  const cpu = meter();
  pool.sink = IGNORE_SINK;
  const lat = rec.summary();
  const spanS = (tDone - t0) / 1000;
  return {
    users: U, requested: M, sent, received, missing: sent - received, wrongRecipient: wrong, duplicates,
    unsubscribedPublishes: noSubscriber, timeLimited, stalled, complete, seconds: spanS,
    msgsPerS: received / spanS, serverCpuUsPerMsg: received ? cpu.serverCpuS * 1e6 / received : undefined,
    serverCpuPct: cpu.serverCpuPct, loadgenCpuPct: cpu.loadgenCpuPct, redisCpuPct: cpu.redisCpuPct,
    otherLoadOnServerCorePct: cpu.otherLoadOnServerCorePct, serverCoreStealPct: cpu.serverCoreStealPct,
    loadgenCpuUsPerMsg: received ? cpu.loadgenCpuS * 1e6 / received : undefined,
    p50Ms: lat.p50, p99Ms: lat.p99, maxMs: lat.max, rate: rate || undefined
  };
}

function targetedProblems(r, what) {
  const p = [];
  if (r.missing) p.push(`${r.missing} of ${r.sent} missing`);
  if (r.wrongRecipient) p.push(`${r.wrongRecipient} delivered to the wrong user`);
  if (r.duplicates) p.push(`${r.duplicates} duplicates`);
  if (r.unsubscribedPublishes) p.push(`${r.unsubscribedPublishes} PUBLISH replies with no subscriber`);
  if (r.stalled) p.push('stalled (no progress for 10 s)');
  return p.length ? `${what}: ${p.join(', ')}` : null;
}

async function scenarioTargeted(ctx) {
  const { P, pool, server } = ctx;
  const out = {};
  const problems = [];
  for (let k = 0; k < P.tgtUsers.length; k++) {
    const U = P.tgtUsers[k];
    await pool.resize(U);
    await sleep(1000);
    checkAlive(ctx);
    log(`${server.name} targeted: ${U} users, ${P.tgtMsgs[k]} messages (≤ ${P.tgtInflight} in flight, ≤ ${P.tgtMaxS} s)`);
    const burst = await targetedRun(ctx, { M: P.tgtMsgs[k], inflight: P.tgtInflight, batch: P.tgtBatch, maxS: P.tgtMaxS, size: P.tgtSize });
    log(`${server.name} targeted ${U} users: ${burst.received}/${burst.sent} in ${burst.seconds.toFixed(2)} s${burst.timeLimited ? ' (time limit)' : ''}: ` +
      `${fmt(burst.msgsPerS)} msg/s, ${fmt(burst.serverCpuUsPerMsg)} µs server CPU/msg, p50 ${fmt(burst.p50Ms)} ms p99 ${fmt(burst.p99Ms)} ms, load generator ${fmt(burst.loadgenCpuPct)} %, redis ${fmt(burst.redisCpuPct)} %, other load on the server core ${fmt(burst.otherLoadOnServerCorePct)} %`);
    const p1 = targetedProblems(burst, `targeted ${U} users`);
    if (p1) problems.push(p1);
    await sleep(500);
    const pacedM = Math.round(P.tgtPacedRate * P.tgtPacedS);
    log(`${server.name} targeted paced: ${U} users, ${P.tgtPacedRate} msg/s for ${P.tgtPacedS} s`);
    const paced = await targetedRun(ctx, { M: pacedM, rate: P.tgtPacedRate, maxS: P.tgtPacedS, size: P.tgtSize });
    log(`${server.name} targeted paced ${U} users: ${paced.received}/${paced.sent}, p50 ${fmt(paced.p50Ms)} ms p99 ${fmt(paced.p99Ms)} ms, ${fmt(paced.serverCpuUsPerMsg)} µs server CPU/msg`);
    const p2 = targetedProblems(paced, `targeted paced ${U} users`);
    if (p2) problems.push(p2);
    out[U] = { users: U, burst, paced };
  }
  if (problems.length) throw Object.assign(new Error(problems.join('; ')), { partial: out });
  return out;
}

async function scenarioEcho(ctx, { warmup, n } = {}) {
  const { P, pool, server } = ctx;
  warmup = warmup ?? P.echoWarmup;
  n = n ?? P.echoN;
  await pool.resize(1);
  await sleep(500);
  const conn = pool.conns[0];
  const rec = new Rec(n);
  let pending = null;
  pool.sink = (c, m) => {
    if (m.t === 'BENCH_ECHO' && pending && m.d && m.d.i === pending.i) {
      const p = pending;
      pending = null;
      p.resolve(now());
    } else pool.stray++;
  };
  try {
    for (let i = 0; i < warmup + n; i++) {
      const t = now();
      const reply = new Promise((resolve) => {
        const timer = setTimeout(() => resolve(0), 5000);
        pending = { i, resolve: (v) => { clearTimeout(timer); resolve(v); } };
      });
      conn.send(`{"op":0,"t":"BENCH_ECHO","d":{"i":${i},"ts":${t}}}`);
      const tr = await reply;
      if (!tr) throw new Error(`echo ${i}: no reply within 5 s`);
      if (i >= warmup) rec.add(tr - t);
    }
  } finally {
    pool.sink = IGNORE_SINK;
  }
  const lat = rec.summary();
  const res = { n, warmup, p50Ms: lat.p50, p99Ms: lat.p99, maxMs: lat.max, meanMs: lat.mean };
  log(`${server.name} echo: ${n} round trips, p50 ${fmt(res.p50Ms)} ms p99 ${fmt(res.p99Ms)} ms`);
  return res;
}

async function warmUp(ctx) {
  const { P, pool, server } = ctx;
  const rounds = server.jvm ? P.jvmWarmupRounds : 1;
  log(`${server.name} warm-up: ${P.warmupClients} clients, ${rounds} round(s)`);
  await pool.resize(P.warmupClients);
  for (let r = 0; r < rounds; r++) {
    const b = await broadcastRound(ctx, 200, P.bcastSize, P.bcastTimeoutS * 1000);
    if (b.missing) throw new Error(`warm-up broadcast: ${b.missing} of ${b.expected} messages missing`);
    if (server.targeted) {
      const t = await targetedRun(ctx, { M: 5000, inflight: P.tgtInflight, batch: P.tgtBatch, maxS: 30, size: P.tgtSize });
      const problem = targetedProblems(t, 'warm-up targeted');
      if (problem) throw new Error(problem);
    }
  }
  if (server.targeted) await scenarioEcho(ctx, { warmup: 0, n: 200 * rounds });
  await pool.closeAll();
  await sleep(2000);
}

const SCENARIOS = { memory: scenarioMemory, broadcast: scenarioBroadcast, paced: scenarioPaced, targeted: scenarioTargeted, echo: scenarioEcho };

async function runServer(name, P, redis, results) {
  const r = { scenarios: {}, errors: [] };
  results.servers[name] = r;
  await redis.client.flushall();
  let server;
  try {
    server = await startServer(name, P, redis);
  } catch (e) {
    r.errors.push(`start: ${e.message}`);
    log(`${name}: FAILED to start: ${e.message}`);
    return;
  }
  Object.assign(r, { pid: server.pid, url: server.url, startSeconds: server.startSeconds });
  const pool = new Pool(server.url, P);
  const ctx = { P, server, pool, redis };
  try {
    if (server.targeted) await waitForSubscriber(redis, 30000);
    await warmUp(ctx);
    r.rssAfterWarmupKiB = rssKiB(server.pid);
    for (const scen of P.scenarios) {
      if (!server.scenarios.includes(scen)) continue;
      checkAlive(ctx);
      log(`${name}: scenario ${scen}`);
      try {
        r.scenarios[scen] = await SCENARIOS[scen](ctx);
      } catch (e) {
        if (e.partial) r.scenarios[scen] = e.partial;
        r.errors.push(`${scen}: ${e.message}`);
        log(`${name}: scenario ${scen} FAILED: ${e.message}`);
        pool.sink = IGNORE_SINK;
        await pool.closeAll().catch(() => {});
        await sleep(2000);
        if (server.proc.exitInfo) break;
      }
    }
  } catch (e) {
    r.errors.push(e.message);
    log(`${name}: FAILED: ${e.message}`);
  } finally {
    r.loadgen = { heartbeats: pool.heartbeats, heartbeatRetries: pool.heartbeatRetries, strayFrames: pool.stray,
      badFrames: pool.badFrames, otherOps: pool.otherOps, socketErrors: pool.errors, unexpectedCloses: pool.unexpectedCloses, closeCodes: pool.closeCodes };
    await pool.closeAll().catch(() => {});
    if (server.proc.exitInfo) r.errors.push(`server exited during the run: ${JSON.stringify(server.proc.exitInfo)}`);
    log(`${name}: stopping`);
    await server.stop();
  }
}

// ---------------------------------------------------------------- report

function fmt(v, unit = '') {
  if (v === undefined || v === null || Number.isNaN(v)) return '–';
  if (typeof v !== 'number') return String(v);
  const a = Math.abs(v);
  const s = a >= 1000 ? Math.round(v).toLocaleString('en-US') : a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : v.toFixed(3);
  return s + unit;
}

function buildTables(P, results) {
  const S = (name) => results.servers[name] && results.servers[name].scenarios;
  const get = (name, f) => {
    const s = S(name);
    if (!s) return undefined;
    try { return f(s); } catch { return undefined; }
  };
  const bN = P.bcastClients;
  const uN = P.tgtUsers;
  const uLast = uN[uN.length - 1];
  const tables = [];

  tables.push({ title: `Memory and idle cost (idle authenticated connections; Mesa servers send heartbeats every 10 s)`, rows: [
    { label: 'RSS with 0 clients, after warm-up (MiB)', f: (s) => s.memory.rss0KiB / 1024 },
    { label: 'connections (memory)', f: (s) => s.memory.n, noRatio: true, int: true },
    { label: `RSS growth per connection at ${P.memConns} (KiB)`, f: (s) => s.memory.perConnKiB, goal: { ratioMax: 1 } },
    { label: `idle CPU, ${P.memConns} connections (% of one core)`, f: (s) => s.memory.idleCpuPct, goal: { absMax: 5, unit: ' %' } },
    { label: 'heartbeats received per second while idle', f: (s) => s.memory.idleHeartbeatsPerS, noRatio: true },
    { label: "other load on the server's core while idle (%)", f: (s) => s.memory.idleOtherLoadOnServerCorePct, noRatio: true },
    { label: 'connections reached (largest count)', f: (s) => s.memory.maxN, noRatio: true, int: true },
    { label: 'RSS growth per connection at the largest count (KiB)', f: (s) => s.memory.maxPerConnKiB, goal: { ratioMax: 1 } },
    { label: 'connections refused or closed by the server', f: (s) => (s.memory.maxConnectFailures || 0) + (s.memory.unexpectedCloses || 0), noRatio: true, int: true }
  ] });

  const bRows = [];
  for (const N of bN) {
    const m = (s) => s.broadcast[N].median;
    bRows.push(
      { label: `${N} clients × ${P.bcastCounts[bN.indexOf(N)]}: delivered msgs/s`, f: (s) => m(s).msgsPerS },
      { label: `${N} clients: server CPU per delivered msg (µs)`, f: (s) => m(s).serverCpuUsPerMsg, goal: { ratioMax: 0.5 } },
      { label: `${N} clients: Mesa layer, ${OURS} ÷ bare-jakarta CPU per msg`, f: () => undefined,
        ratioOf: () => ratio(get(OURS, (s) => m(s).serverCpuUsPerMsg), get('bare-jakarta', (s) => m(s).serverCpuUsPerMsg)), goal: { ratioMax: 1.15, vs: 'bare-jakarta' } },
      { label: `${N} clients: latency p50 (ms)`, f: (s) => m(s).p50Ms },
      { label: `${N} clients: latency p99 (ms)`, f: (s) => m(s).p99Ms },
      { label: `${N} clients: load generator CPU (% of its core)`, f: (s) => m(s).loadgenCpuPct, noRatio: true },
      { label: `${N} clients: other load on the server's core (%)`, f: (s) => m(s).otherLoadOnServerCorePct, noRatio: true }
    );
  }
  tables.push({ title: `Broadcast burst (BENCH_BROADCAST, ${P.bcastSize}-byte pad; median of ${P.bcastRounds} rounds after a warm-up round)`, rows: bRows });

  tables.push({ title: `Broadcast paced (${P.pacedClients} clients, ${P.pacedRate} broadcasts/s for ${P.pacedS} s)`, rows: [
    { label: 'latency p50 (ms)', f: (s) => s.paced.p50Ms },
    { label: 'latency p99 (ms)', f: (s) => s.paced.p99Ms },
    { label: 'server CPU per delivered msg (µs)', f: (s) => s.paced.serverCpuUsPerMsg }
  ] });

  const tRows = [];
  for (const U of uN) {
    const last = U === uLast && uN.length > 1;
    tRows.push(
      { label: `${U} users: throughput (msgs/s received)`, f: (s) => s.targeted[U].burst.msgsPerS, goal: last ? { ratioMin: 20 } : undefined },
      { label: `${U} users: server CPU per msg (µs)`, f: (s) => s.targeted[U].burst.serverCpuUsPerMsg, goal: last ? { absMax: 20, unit: ' µs' } : undefined },
      { label: `${U} users: latency p50 / p99 under load (ms)`, f: (s) => pair(s.targeted[U].burst.p50Ms, s.targeted[U].burst.p99Ms) },
      { label: `${U} users: load generator / redis / other load on the server's core (% CPU)`,
        f: (s) => `${fmt(s.targeted[U].burst.loadgenCpuPct)} / ${fmt(s.targeted[U].burst.redisCpuPct)} / ${fmt(s.targeted[U].burst.otherLoadOnServerCorePct)}` },
      { label: `${U} users: ${P.tgtPacedRate} msgs/s paced, latency p50 (ms)`, f: (s) => s.targeted[U].paced.p50Ms },
      { label: `${U} users: ${P.tgtPacedRate} msgs/s paced, latency p99 (ms)`, f: (s) => s.targeted[U].paced.p99Ms, goal: { ratioMax: 1 } }
    );
  }
  if (uN.length > 1) {
    tRows.push({ label: `flatness: throughput at ${uLast} ÷ at ${uN[0]} users`,
      f: (s) => s.targeted[uLast].burst.msgsPerS / s.targeted[uN[0]].burst.msgsPerS, goal: { absMin: 0.8 } });
  }
  tables.push({ title: `Targeted through Redis (Dispatcher-format PUBLISH on "ws" to one random user; ≤ ${P.tgtInflight} in flight)`, rows: tRows });

  tables.push({ title: `Echo round trip (one client, ${P.echoN} sequential BENCH_ECHO after ${P.echoWarmup} warm-up)`, rows: [
    { label: 'p50 (ms)', f: (s) => s.echo.p50Ms },
    { label: 'p99 (ms)', f: (s) => s.echo.p99Ms, goal: { ratioMax: 1 } }
  ] });

  // evaluate
  for (const t of tables) {
    for (const row of t.rows) {
      row.values = {};
      for (const name of P.servers) row.values[name] = get(name, row.f);
      row.ratio = row.ratioOf ? row.ratioOf() : row.noRatio ? undefined : ratio(row.values[OURS], row.values[REFERENCE]);
      row.met = evaluate(row);
    }
  }
  return tables;
}

function fmtRatio(r) {
  if (r === undefined) return '';
  return `${Math.abs(r) >= 10 ? fmt(r) : r.toFixed(3)}×`;
}

function pair(a, b) {
  return a === undefined && b === undefined ? undefined : `${fmt(a)} / ${fmt(b)}`;
}

function ratio(a, b) {
  return typeof a === 'number' && typeof b === 'number' && b !== 0 && Number.isFinite(a / b) ? a / b : undefined;
}

function goalText(g) {
  if (!g) return '';
  const vs = g.vs || REFERENCE;
  if (g.ratioMax !== undefined) return `≤ ${g.ratioMax}× ${vs}`;
  if (g.ratioMin !== undefined) return `≥ ${g.ratioMin}× ${vs}`;
  if (g.absMax !== undefined) return `≤ ${g.absMax}${g.unit || ''}`;
  if (g.absMin !== undefined) return `≥ ${g.absMin}${g.unit || ''}`;
  return '';
}

function evaluate(row) {
  const g = row.goal;
  if (!g) return undefined;
  const ours = row.values[OURS];
  if (g.ratioMax !== undefined) return row.ratio === undefined ? undefined : row.ratio <= g.ratioMax;
  if (g.ratioMin !== undefined) return row.ratio === undefined ? undefined : row.ratio >= g.ratioMin;
  if (typeof ours !== 'number') return undefined;
  if (g.absMax !== undefined) return ours <= g.absMax;
  if (g.absMin !== undefined) return ours >= g.absMin;
  return undefined;
}

function renderMarkdown(P, results, tables) {
  const servers = P.servers;
  const lines = [];
  lines.push(`## Mesa benchmark — ${results.machine.date}`, '');
  lines.push(`Machine: ${results.machine.nproc} cores (${results.machine.cpuModel}), ${results.machine.memTotalMiB} MiB, ` +
    `${results.machine.kernel}; node ${results.machine.node}; ${results.machine.java.split('\n')[0] || 'java: n/a'}. ` +
    `Servers pinned to core ${P.pin ? '0' : '(not pinned)'}, load generator and redis-server to core ${P.pin ? '1' : '(not pinned)'}; loopback only.` +
    (P.quick ? ' **--quick run (reduced sizes).**' : ''), '');
  const head = ['figure', ...servers];
  const showRatio = servers.includes(OURS) && servers.includes(REFERENCE);
  if (showRatio) head.push(`${OURS} ÷ ${REFERENCE}`);
  head.push('goal', 'met');
  for (const t of tables) {
    const rows = t.rows.filter((row) => (row.ratioOf
      ? servers.includes(OURS) && servers.includes(row.goal.vs) && row.ratio !== undefined
      : servers.some((n) => row.values[n] !== undefined)));
    if (rows.length === 0) continue;
    lines.push(`### ${t.title}`, '');
    lines.push(`| ${head.join(' | ')} |`, `|${head.map((h, i) => (i === 0 ? '---' : '---:')).join('|')}|`);
    for (const row of rows) {
      // A ratio against another server than node-mesa (the Mesa layer's cost) goes in our column.
      const cells = [row.label, ...servers.map((n) => (row.ratioOf ? (n === OURS ? fmtRatio(row.ratio) : '') : row.int && typeof row.values[n] === 'number' ? row.values[n].toLocaleString('en-US') : fmt(row.values[n])))];
      if (showRatio) cells.push(row.ratioOf ? '' : fmtRatio(row.ratio));
      cells.push(goalText(row.goal), row.met === undefined ? (row.goal ? 'n/a' : '') : row.met ? 'met' : '**not met**');
      lines.push(`| ${cells.join(' | ')} |`);
    }
    lines.push('');
  }
  const errs = Object.entries(results.servers).flatMap(([n, r]) => r.errors.map((e) => `- ${n}: ${e.split('\n')[0]}`));
  if (errs.length) lines.push('### Benchmark failures', '', ...errs, '');
  return lines.join('\n');
}

function machineInfo(P) {
  const cpuinfo = (() => { try { return fs.readFileSync('/proc/cpuinfo', 'utf8'); } catch { return ''; } })();
  const model = (/model name\s*:\s*(.*)/.exec(cpuinfo) || [])[1] || os.cpus()[0]?.model || 'unknown';
  let java = '';
  try {
    const jh = javaHome();
    const r = spawnSync(path.join(jh, 'bin', 'java'), ['-version'], { encoding: 'utf8', timeout: 20000 });
    java = (r.stderr || r.stdout || '').trim();
  } catch { /* no java */ }
  return {
    date: new Date().toISOString(), hostname: os.hostname(), nproc: Number(safeExec('nproc', ['--all'])) || os.cpus().length,
    loadavg: os.loadavg(),
    cpuModel: model.trim(), memTotalMiB: Math.round(os.totalmem() / 1048576), kernel: `${os.type()} ${os.release()}`,
    node: process.version, java, clkTck: TICKS, ulimitN: Number(safeExec('sh', ['-c', 'ulimit -n'])) || undefined,
    loadgenPid: process.pid
  };
}

// ---------------------------------------------------------------- main

async function main() {
  let P;
  try {
    if (process.argv.includes('--help')) {
      process.stdout.write(USAGE + '\n');
      return 0;
    }
    if (process.argv[2] === '--render') { // re-print the tables of an earlier run's results.json
      const results = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
      process.stdout.write(renderMarkdown(results.params, results, buildTables(results.params, results)) + '\n');
      return 0;
    }
    P = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`${e.message}\n${USAGE}\n`);
    return 2;
  }
  fs.mkdirSync(P.out, { recursive: true });
  pidsFile = path.join(P.out, 'pids');
  writePids();

  const machine = machineInfo(P);
  P.pin = !P.noPin && os.cpus().length >= 2 && !!safeExec('sh', ['-c', 'command -v taskset']);
  if (P.pin) {
    if (!safeExec('taskset', ['-a', '-pc', '1', String(process.pid)])) {
      log('could not pin the load generator to core 1 (taskset failed): running unpinned');
      P.pin = false;
    }
  } else {
    log('not pinning (--no-pin, fewer than 2 cores, or no taskset)');
  }
  if (!safeExec('sh', ['-c', 'command -v redis-server'])) throw new Error('redis-server is not on the PATH');

  machine.pinned = P.pin;
  const results = { params: { ...P }, machine, servers: {} };
  log(`out ${P.out}; servers ${P.servers.join(',')}; scenarios ${P.scenarios.join(',')}${P.quick ? ' (quick)' : ''}`);
  const redis = await startRedis(P);
  results.redis = { pid: redis.pid, uri: redis.uri };
  try {
    for (const name of P.servers) await runServer(name, P, redis, results);
  } finally {
    redis.client.disconnect();
    await stopProc(redis.proc, 5000);
  }

  const tables = buildTables(P, results);
  results.tables = tables.map((t) => ({ title: t.title, rows: t.rows.map((r) => ({ label: r.label, values: r.values, ratio: r.ratio, goal: goalText(r.goal) || undefined, met: r.met })) }));
  const md = renderMarkdown(P, results, tables);
  fs.writeFileSync(path.join(P.out, 'results.json'), JSON.stringify(results, null, 2));
  fs.writeFileSync(path.join(P.out, 'results.md'), md + '\n');
  process.stdout.write(md + '\n');
  const failures = Object.values(results.servers).reduce((n, r) => n + r.errors.length, 0);
  log(`results in ${path.join(P.out, 'results.md')} and results.json; ${failures ? `${failures} benchmark failure(s)` : 'run complete'}`);
  return failures ? 1 : 0;
}

process.on('exit', killAllChildren);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    log(`${sig}: stopping every child process`);
    killAllChildren();
    process.exit(130);
  });
}

main().then(
  (code) => process.exit(code),
  (e) => {
    log(`FAILED: ${e && e.stack ? e.stack : e}`);
    process.exit(2);
  }
);
