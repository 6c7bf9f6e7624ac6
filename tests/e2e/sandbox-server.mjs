// The sandbox server (the iamport-sandbox binary) for flow.test.mjs and the server stacks
// (tests/run-stacks.sh: server, express, next-server): started on a free port with a data dir of its
// own, webhooks sent to the app under test if asked, stopped (and its data dir removed) by `stop()`.
// Builds nothing: tests/run-e2e.sh and tests/run-stacks.sh run `cargo build -p iamport-sandbox` first
// ($SANDBOX_BIN overrides the binary).

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { REPO } from './server.mjs';

export const SANDBOX_BIN = path.resolve(REPO, process.env.SANDBOX_BIN ?? 'target/debug/iamport-sandbox');
/** The sandbox's REST API key and secret (its defaults). */
export const IMP_KEY = 'sandbox_key';
export const IMP_SECRET = 'sandbox_secret';
export const DAY = 86_400;

/**
 * Starts the sandbox; resolves `{ url, output, control, stop }` once it prints its address.
 * `webhookUrl`: where its webhooks go (else its own example merchant).
 */
export async function startSandbox({ webhookUrl } = {}) {
  assert.ok(existsSync(SANDBOX_BIN), `the sandbox server is missing at ${SANDBOX_BIN}: build it with \`cargo build -p iamport-sandbox\` (or set SANDBOX_BIN)`);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'iamport-sandbox-test-'));
  const args = ['--port', '0', '--data-dir', dataDir, '--www', 'www', '--pkg', 'pkg'];
  if (webhookUrl) args.push('--webhook-url', webhookUrl);
  const child = spawn(SANDBOX_BIN, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  // Ended with the test process, whatever way it ends.
  process.once('exit', () => child.kill('SIGKILL'));
  const output = [];
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error('no "listening on" line within 30 s')), 30_000);
    function fail(err) {
      clearTimeout(timer);
      child.kill();
      rmSync(dataDir, { recursive: true, force: true });
      reject(new Error(`${SANDBOX_BIN}: ${err.message}\n${output.join('')}`));
    }
    child.once('error', fail);
    child.once('exit', (code, signal) => fail(new Error(`exited (${code ?? signal}) before listening`)));
    child.stderr.on('data', (chunk) => output.push(String(chunk)));
    child.stdout.on('data', (chunk) => {
      output.push(String(chunk));
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output.join(''));
      if (match) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve(match[1]);
      }
    });
  });

  /**
   * A call to the sandbox's own endpoints or REST API from the test (never from the app): its answer,
   * or for an envelope `{ code: 0, response }`, the `response`.
   */
  async function control(method, urlPath, body) {
    const response = await fetch(`${url}${urlPath}`, {
      method,
      headers: body ? { 'Content-Type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    assert.ok(response.ok, `${method} ${urlPath}: HTTP ${response.status} ${text.slice(0, 300)}`);
    const data = JSON.parse(text);
    if (typeof data?.code !== 'number' || !('response' in data)) return data;
    assert.equal(data.code, 0, `${method} ${urlPath}: ${text.slice(0, 300)}`);
    return data.response;
  }

  async function stop() {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  }

  return { url, output, control, stop };
}

/**
 * Issues a billing key the way the sandbox window does when a buyer approves (amount 0: the key
 * with Danal's 10 KRW card check). Resolves the window's answer (`imp_uid`, `merchant_uid`, …).
 */
export async function issueKey(sandbox, { customer_uid, merchant_uid, amount = 0 }) {
  const answer = await sandbox.control('POST', '/__sandbox/window/pay', {
    pg: 'danal_tpay',
    pay_method: 'card',
    merchant_uid,
    name: '정기결제 등록',
    amount,
    customer_uid,
    buyer_tel: '010-1234-5678',
    outcome: 'approve',
  });
  assert.equal(answer.success, true, JSON.stringify(answer));
  return answer;
}

/** Polls `probe` every 200 ms until it resolves a truthy value; fails after `ms`. */
export async function eventually(probe, what, ms = 15_000) {
  const deadline = Date.now() + ms;
  let last;
  while (Date.now() < deadline) {
    last = await probe();
    if (last) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`${what}: not within ${ms / 1000} s (last: ${JSON.stringify(last)})`);
}

/**
 * iamport's REST API on the sandbox, as a test reads it (a fresh token each call: the clock may have
 * moved): `{ status, body }`, `body` the envelope.
 */
export async function rest(sandbox, method, urlPath, body) {
  const { access_token } = await sandbox.control('POST', '/users/getToken', { imp_key: IMP_KEY, imp_secret: IMP_SECRET });
  const headers = { Authorization: `Bearer ${access_token}` };
  if (body) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${sandbox.url}${urlPath}`, { method, headers, body: body ? JSON.stringify(body) : undefined });
  return { status: res.status, body: await res.json() };
}

/** Every payment iamport has that used the key `customer_uid`, newest first (every page). */
export async function paymentsOf(sandbox, customer_uid) {
  const all = [];
  for (let page = 1; page; ) {
    const { body } = await rest(sandbox, 'GET', `/subscribe/customers/${encodeURIComponent(customer_uid)}/payments?page=${page}`);
    assert.equal(body.code, 0, JSON.stringify(body));
    all.push(...body.response.list);
    page = body.response.next;
  }
  return all;
}

/** The payments that charged the key, the issuance's own (Danal's 10 KRW card check) left out. */
export async function chargesOf(sandbox, customer_uid) {
  return (await paymentsOf(sandbox, customer_uid)).filter((p) => p.customer_uid_usage !== 'issue');
}
