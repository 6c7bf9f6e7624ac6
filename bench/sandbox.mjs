// make bench-sandbox: the local iamport sandbox under load, on the build `make demo` runs (debug).
//
//   node bench/sandbox.mjs [--charges 10000] [--in-flight 32] [--reads 1000] [--bin target/debug/iamport-sandbox]
//
// Starts the sandbox on a free 127.0.0.1 port with a fresh data directory, with its webhooks sent to
// a receiver in this process that answers 200 (a merchant's handler, kept out of the figures), issues
// one billing key through the window endpoint, then:
//   1. POST /subscribe/payments/again on that key, `--charges` times, `--in-flight` at once;
//   2. GET /payments/{imp_uid} one at a time, `--reads` times, for payments picked at random among
//      those just made.
// Prints throughput, the median latency of the first and last 200 charges (by start) and their
// ratio, the server's CPU time per charge (from /proc: independent of other load on the machine), the
// read median, and the size of the database files. A benchmark, not a test: it checks
// only that every charge was answered `paid`.
import { spawn } from 'node:child_process';
import { createServer, Agent, request } from 'node:http';
import { mkdtempSync, readdirSync, statSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir, cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : dflt;
};
const CHARGES = Number(opt('charges', 10000));
const IN_FLIGHT = Number(opt('in-flight', 32));
const READS = Number(opt('reads', 1000));
const BIN = path.resolve(REPO, opt('bin', process.env.SANDBOX_BIN || 'target/debug/iamport-sandbox'));
const EDGE = 200;

const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });

function call(base, method, p, body, token) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? null : Buffer.from(JSON.stringify(body));
    const headers = { accept: 'application/json' };
    if (data) Object.assign(headers, { 'content-type': 'application/json', 'content-length': data.length });
    if (token) headers.authorization = `Bearer ${token}`;
    const req = request(new URL(p, base), { method, headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch (e) {
          reject(new Error(`${method} ${p}: HTTP ${res.statusCode}, not JSON`));
        }
      });
    });
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

/** CPU seconds (user + system) the process has used so far, from /proc (Linux); null elsewhere. */
function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return null;
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (x) => `${x.toFixed(1)} ms`;

async function main() {
  const hooks = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('{}'));
  });
  await new Promise((r) => hooks.listen(0, '127.0.0.1', r));
  const hookUrl = `http://127.0.0.1:${hooks.address().port}/webhook`;

  const dataDir = mkdtempSync(path.join(tmpdir(), 'iamport-sandbox-bench-'));
  const child = spawn(BIN, ['--port', '0', '--data-dir', dataDir, '--www', path.join(REPO, 'www'),
    '--pkg', path.join(REPO, 'pkg'), '--webhook-url', hookUrl], { stdio: ['ignore', 'pipe', 'ignore'] });
  const base = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`the sandbox exited (${code}) before listening`)));
  });
  try {
    const key = 'bench_card';
    const issued = await call(base, 'POST', '/__sandbox/window/pay', { merchant_uid: 'bench_issue', amount: 0,
      customer_uid: key, name: 'bench', outcome: 'approve' });
    if (!issued.success) throw new Error(`issuance failed: ${JSON.stringify(issued)}`);
    const tok = await call(base, 'POST', '/users/getToken', { imp_key: 'sandbox_key', imp_secret: 'sandbox_secret' });
    const token = tok.response.access_token;

    const latency = new Array(CHARGES);
    const impUids = [];
    let next = 0;
    let failures = 0;
    const loadBefore = loadavg()[0];
    const cpuBefore = cpuSeconds(child.pid);
    const started = performance.now();
    async function worker() {
      while (next < CHARGES) {
        const i = next++;
        const t0 = performance.now();
        const v = await call(base, 'POST', '/subscribe/payments/again', { customer_uid: key,
          merchant_uid: `bench_${i}`, amount: 1000 + (i % 100), name: '월 구독' }, token);
        latency[i] = performance.now() - t0;
        if (v.code === 0 && v.response.status === 'paid') impUids.push(v.response.imp_uid);
        else failures += 1;
      }
    }
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    const elapsed = (performance.now() - started) / 1000;
    const cpuAfter = cpuSeconds(child.pid);
    const cpuPerCharge = cpuBefore === null || cpuAfter === null ? null : ((cpuAfter - cpuBefore) / CHARGES) * 1000;
    if (failures) throw new Error(`${failures} charges were not answered paid`);

    const reads = [];
    for (let i = 0; i < READS; i += 1) {
      const imp = impUids[Math.floor(Math.random() * impUids.length)];
      const t0 = performance.now();
      const v = await call(base, 'GET', `/payments/${imp}`, undefined, token);
      reads.push(performance.now() - t0);
      if (v.code !== 0) throw new Error(`GET /payments/${imp}: ${JSON.stringify(v)}`);
    }
    const bytes = readdirSync(dataDir).reduce((n, f) => n + statSync(path.join(dataDir, f)).size, 0);

    const first = median(latency.slice(0, EDGE));
    const last = median(latency.slice(-EDGE));
    const rate = CHARGES / elapsed;
    console.log(`iamport-sandbox under load (${BIN.replace(REPO + '/', '')}, ${cpus().length} cores, load average ${loadBefore.toFixed(2)} before the charges)`);
    if (loadBefore > cpus().length) {
      console.log(`  note: the machine was busy before the run (load ${loadBefore.toFixed(2)} on ${cpus().length} cores): rates are lower than on an idle machine; the CPU time per charge is not`);
    }
    console.log(`  charges: ${CHARGES} POST /subscribe/payments/again, ${IN_FLIGHT} in flight, one key`);
    console.log('');
    console.log('| figure | this run | goal | state.json baseline (3,000 charges) |');
    console.log('|---|---|---|---|');
    console.log(`| charges per second | ${rate.toFixed(0)} | ≥ 500 | 18 |`);
    console.log(`| median latency, first ${EDGE} charges | ${ms(first)} | | 196 ms |`);
    console.log(`| median latency, last ${EDGE} charges | ${ms(last)} | | 3,450 ms |`);
    console.log(`| last / first | ${(last / first).toFixed(2)}× | ≤ 1.5× | 17.6× |`);
    if (cpuPerCharge !== null) {
      console.log(`| sandbox CPU time per charge (user + system) | ${cpuPerCharge.toFixed(2)} ms | | |`);
    }
    console.log(`| GET /payments/{imp_uid} median (${READS} reads, one at a time, ${impUids.length + 1} payments stored) | ${ms(median(reads))} | < 5 ms | |`);
    console.log(`| data files | ${(bytes / 1e6).toFixed(1)} MB | | 3.6 MB |`);
  } finally {
    child.kill('SIGTERM');
    hooks.close();
    agent.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(`bench-sandbox: ${e.message}`);
  process.exit(1);
});
