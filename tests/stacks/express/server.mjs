// An Express 5 merchant server with iamport-billing/server, as a user writes it from README.md and
// docs/server.md: the browser issues a billing key (amount 0) and posts { imp_uid } here; this server
// confirms the key, charges the first month, and from then on follows iamport's webhooks: a paid month
// schedules the next, a failed one is tried again a few days later, up to a limit, then the
// subscription ends ("Renewals and failed charges" in docs/server.md shows onPayment below).
//
//   IAMPORT_BASE_URL=http://127.0.0.1:8080 IAMPORT_KEY=sandbox_key IAMPORT_SECRET=sandbox_secret \
//   PORT=3000 node server.mjs
//
// Subscriptions live in memory here; a real merchant keeps them in its database.

import express from 'express';
import { createIamportClient, IamportError } from 'iamport-billing/server';

const iamport = createIamportClient({
  impKey: process.env.IAMPORT_KEY,
  impSecret: process.env.IAMPORT_SECRET,
  baseUrl: process.env.IAMPORT_BASE_URL, // unset: https://api.iamport.kr
});

/** customer_uid → { imp_uid (the issuance), status: 'active' | 'ended', months: { [n]: Month }, notices } */
const subscriptions = new Map();

// A stand-in for your login: this app takes the customer from a `session` cookie that holds the
// customer_uid. A real app reads its own signed session and keeps each customer's customer_uid in its
// database; the browser's word never decides whose card is charged.
function customerUidOf(req) {
  const session = /(?:^|;\s*)session=([^;]+)/.exec(req.get('cookie') ?? '')?.[1];
  return session === undefined ? undefined : decodeURIComponent(session);
}

// ---- renewals: the recipe in docs/server.md ----------------------------------------------------------
const PRICE = 9900;
const NAME = '월 구독';
const MONTH = 30 * 86_400; // the next month is due 30 days after this one was paid (iamport's clock)
const RETRY_AFTER = 3 * 86_400; // a failed month is charged again 3 days later,
const ATTEMPTS = 3; // 3 attempts in all; then the subscription ends

// Month n of the subscription that the issuance imp_uid started: one merchant_uid per month, the same
// through its retries, so iamport refuses to charge a month twice (a repeated post, a repeated webhook).
const monthUid = (imp_uid, n) => `${imp_uid}_m${n}`;
const monthOf = (merchant_uid) => {
  const m = /^(.+)_m(\d+)$/.exec(merchant_uid ?? '');
  return m ? { imp_uid: m[1], n: Number(m[2]) } : undefined;
};

/** A payment, as iamport records it (verifyWebhook, or a charge's answer): the subscription follows it. */
async function onPayment(payment) {
  // The issuance's own payment (Danal's 10 KRW card check) is `paid`, then `cancelled` about 30
  // minutes later: neither says anything about the subscription.
  if (payment.customer_uid_usage === 'issue') return;
  const sub = subscriptions.get(payment.customer_uid);
  const month = monthOf(payment.merchant_uid);
  if (!sub || !month || month.imp_uid !== sub.imp_uid || sub.status !== 'active') return; // not ours, or over
  const record = (sub.months[month.n] ??= { merchant_uid: payment.merchant_uid, status: 'scheduled', paid: null, failed: [] });
  if (payment.status === 'paid') {
    record.status = 'paid';
    record.paid = payment.imp_uid;
    await scheduleMonth(payment.customer_uid, monthUid(sub.imp_uid, month.n + 1), payment.paid_at + MONTH);
  } else if (payment.status === 'failed') {
    // Webhooks repeat and arrive out of order: count each failed attempt (its own imp_uid) once.
    if (record.status === 'paid' || record.failed.includes(payment.imp_uid)) return;
    record.failed.push(payment.imp_uid);
    record.status = 'failed';
    if (record.failed.length < ATTEMPTS) {
      await iamport.reschedule({ merchant_uid: payment.merchant_uid, schedule_at: payment.failed_at + RETRY_AFTER });
      record.status = 'rescheduled';
    } else {
      await endSubscription(payment.customer_uid, sub, `month ${month.n} was declined ${ATTEMPTS} times (${payment.fail_reason})`);
    }
  }
}

/** Schedules a month once: a second call (a repeated webhook) finds it already there. */
async function scheduleMonth(customer_uid, merchant_uid, schedule_at) {
  try {
    await iamport.scheduleCharges({ customer_uid, schedules: [{ merchant_uid, schedule_at, amount: PRICE, name: NAME }] });
  } catch (err) {
    // iamport refuses a merchant_uid already scheduled or paid: fine if that is this month's schedule.
    if (!(err instanceof IamportError) || err.code !== 'API_ERROR') throw err;
    await iamport.getSchedule(merchant_uid); // NOT_FOUND (thrown) if the refusal was something else
  }
}

/** Ends a subscription: deleting the key revokes its pending schedules too; then the customer is told. */
async function endSubscription(customer_uid, sub, why) {
  sub.status = 'ended'; // first: a late webhook changes nothing now
  sub.ended_because = why;
  try {
    await iamport.deleteBillingKey(customer_uid);
  } catch (err) {
    if (!(err instanceof IamportError) || err.code !== 'NOT_FOUND') throw err; // already deleted
  }
  sub.notices.push(`Your subscription has ended: ${why}. Register a card again to resubscribe.`); // an email, in a real app
}
// ---- end of the recipe -------------------------------------------------------------------------------

const app = express();

app.post('/api/subscribe', express.json(), async (req, res) => {
  const customer_uid = customerUidOf(req);
  if (customer_uid === undefined) return void res.status(401).json({ code: 'NO_SESSION' });
  const { imp_uid } = req.body ?? {};
  // The browser's answer is not proof: iamport's record of the payment is (issued to this customer_uid).
  await iamport.confirmBillingKey({ imp_uid, customer_uid, amount: 0 }); // amount 0: the key only
  if (subscriptions.get(customer_uid)?.status === 'active') {
    // Already subscribed (the same post again, a second card, a second tab): iamport charges the newest
    // card for the months to come; nothing to charge today. (In a database: a unique key per customer.)
    return void res.status(409).json({ code: 'ALREADY_SUBSCRIBED' });
  }
  // The first month's merchant_uid comes from the issuance: posted twice at once, iamport charges it once
  // and refuses the other (API_ERROR, answered 409 below).
  const charge = await iamport.chargeBillingKey({ customer_uid, merchant_uid: monthUid(imp_uid, 1), amount: PRICE, name: NAME });
  if (charge.status === 'failed') {
    return void res.status(402).json({ status: 'failed', fail_reason: charge.fail_reason }); // they try another card
  }
  subscriptions.set(customer_uid, { imp_uid, status: 'active', months: {}, notices: [] });
  await onPayment(charge.payment); // schedules month 2 (its `paid` webhook would too: scheduled once)
  res.json({ status: 'subscribed', charged: charge.payment.imp_uid, merchant_uid: charge.payment.merchant_uid, paid_at: charge.payment.paid_at });
});

// The customer registered a new card and pays the failed month now (retrySchedule charges it at once).
app.post('/api/subscription/pay-now', async (req, res) => {
  const customer_uid = customerUidOf(req);
  const sub = subscriptions.get(customer_uid);
  const n = sub?.status === 'active' && Object.keys(sub.months).find((k) => sub.months[k].status === 'rescheduled');
  if (!n) return void res.status(404).json({ code: 'NOTHING_TO_PAY' });
  const { merchant_uid } = sub.months[n];
  await iamport.unscheduleCharges({ customer_uid, merchant_uid }); // its retry in a few days: revoked, to run now
  const charge = await iamport.retrySchedule(merchant_uid); // a failed retry sends no webhook: its answer is all
  await onPayment(charge.payment); // paid: the next month is scheduled; failed: counted, rescheduled or ended
  res.status(charge.status === 'paid' ? 200 : 402).json({ status: charge.status, fail_reason: charge.fail_reason ?? null });
});

// iamport posts { imp_uid, merchant_uid, status } as JSON or form text: both parsers, then verifyWebhook
// answers iamport's own record of the payment (never the body's word).
app.post('/iamport/webhook', express.json(), express.urlencoded(), async (req, res) => {
  await onPayment(await iamport.verifyWebhook(req.body));
  res.json({ ok: true });
});

app.get('/api/subscriptions/:customer_uid', (req, res) => {
  const sub = subscriptions.get(req.params.customer_uid);
  if (!sub) res.status(404).json({ code: 'NOT_FOUND' });
  else res.json(sub);
});

// Express 5 passes a rejected handler's error here.
app.use((err, req, res, next) => {
  if (!(err instanceof IamportError)) return next(err);
  const status = { INVALID_PARAM: 400, MISMATCH: 400, NOT_FOUND: 404, API_ERROR: 409 }[err.code] ?? 502;
  res.status(status).json({ code: err.code, message: err.message, field: err.field });
});

const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(`express: listening on http://127.0.0.1:${server.address().port}`);
});
