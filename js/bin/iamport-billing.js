#!/usr/bin/env node
// `npx iamport-billing doctor`: checks an iamport account for Danal credit-card billing and prints a
// checklist, each ✗ with what to change in the console. The REST API key and secret come from the
// environment only (IAMPORT_KEY, IAMPORT_SECRET; IAMPORT_BASE_URL for the sandbox), never from the
// command line, where they would stay in the shell's history; the secret is never printed. Exit
// status 0 only when Danal billing can work; 1 when it cannot; 2 for a wrong command line.

import { createIamportClient, IamportError } from '../server/node.js';

const USAGE = `usage: npx iamport-billing doctor [--live]

Checks your iamport (PortOne V1) account for Danal credit-card billing.
Reads from the environment:
  IAMPORT_KEY       your REST API key (imp_key)
  IAMPORT_SECRET    your REST API secret (imp_secret); never printed
  IAMPORT_BASE_URL  optional: another API address (the local sandbox's, in tests)
--live              real charges are wanted: a test-mode channel alone is a failure`;

const KEYS_MENU = "PortOne's console: 상점・계정 관리 > 내 식별코드・API Keys (V1 API); the classic iamport console: 시스템 설정 > 내정보";

const secret = process.env.IAMPORT_SECRET ?? '';
// Defence in depth: the client never puts the secret in a message, and nothing here prints it.
const scrub = (text) => (secret ? String(text).split(secret).join('***') : String(text));
const say = (line = '') => process.stdout.write(`${scrub(line)}\n`);
const ok = (what) => say(`✓ ${what}`);
const bad = (what, fix) => {
  say(`✗ ${what}`);
  if (fix) say(`    ${fix}`);
};

async function doctor(live) {
  say(`iamport-billing doctor: Danal credit-card billing${live ? ', live' : ''}`);
  say();
  const key = process.env.IAMPORT_KEY ?? '';
  const baseUrl = process.env.IAMPORT_BASE_URL || undefined;
  const missing = [['IAMPORT_KEY', key], ['IAMPORT_SECRET', secret]].filter(([, v]) => !v).map(([n]) => n);
  if (missing.length) {
    bad(`${missing.join(' and ')} not set`, `set them to your REST API key and secret (${KEYS_MENU})`);
    return false;
  }
  let iamport;
  try {
    iamport = createIamportClient({ impKey: key, impSecret: secret, baseUrl });
  } catch (err) {
    bad('the configuration is not valid', err.message);
    return false;
  }
  let report;
  try {
    report = await iamport.checkSetup({ live });
  } catch (err) {
    if (err instanceof IamportError && err.code === 'UNAUTHORIZED') {
      bad('credentials refused by iamport', `IAMPORT_KEY / IAMPORT_SECRET must be the V1 REST API key and secret (${KEYS_MENU})`);
    } else {
      bad(`could not read the account's PG settings (${err?.code ?? 'error'})`, err?.message ?? String(err));
    }
    return false;
  }
  ok(`credentials accepted${baseUrl ? ` by ${baseUrl}` : ''}`);

  const problem = (...codes) => report.problems.find((p) => codes.includes(p.code));
  const channel = report.danal.find((c) => c.type === 'payment');
  const missingChannel = problem('NO_DANAL_CHANNEL', 'NO_DANAL_PAYMENT_CHANNEL');
  if (missingChannel || !channel) {
    bad('no Danal credit-card channel for the window', missingChannel?.message);
    return false;
  }
  const name = channel.channel_name ? `${channel.channel_name}, ` : '';
  ok(`a Danal credit-card channel for the window (${name}pg_id ${channel.pg_id})`);

  const testOnly = problem('DANAL_TEST_ONLY');
  if (testOnly) bad('test mode only: no real charges', testOnly.message);
  else if (channel.sandbox) ok('test mode: cards are not really charged (run with --live to require a live channel)');
  else ok('live mode: cards are really charged');

  const noKey = problem('NO_CHANNEL_KEY');
  if (noKey) bad('no channelKey for the window', noKey.message);
  else ok(`channelKey to use: ${channel.channel_key} (requestBillingKey({ channelKey: '${channel.channel_key}', … }))`);

  for (const other of report.problems.filter((p) => p !== testOnly && p !== noKey)) bad(other.code, other.message);
  say();
  say(report.ok ? 'Danal billing can work with this account.' : 'Danal billing cannot work yet: change what is marked ✗.');
  return report.ok;
}

const args = process.argv.slice(2);
if (args[0] === '--help' || args[0] === '-h' || args[0] === 'help') {
  say(USAGE);
} else if (args[0] !== 'doctor' || args.slice(1).some((a) => a !== '--live')) {
  process.stderr.write(`${scrub(USAGE)}\n`);
  process.exitCode = 2;
} else {
  process.exitCode = (await doctor(args.includes('--live'))) ? 0 : 1;
}
