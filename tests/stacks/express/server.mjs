// An Express 5 merchant server with iamport-billing/server, as a user writes it: the browser issues a
// billing key (amount 0) and posts { imp_uid, merchant_uid, customer_uid } here; this server confirms
// the key, charges the first month, schedules the next one, and verifies every webhook.
//
//   IAMPORT_BASE_URL=http://127.0.0.1:8080 IAMPORT_KEY=sandbox_key IAMPORT_SECRET=sandbox_secret \
//   PORT=3000 node server.mjs
//
// Subscriptions and verified webhooks live in memory here; a real merchant keeps them in its database.

import { randomUUID } from 'node:crypto';
import express from 'express';
import { createIamportClient, IamportError } from 'iamport-billing/server';

const PRICE = 9900;
const MONTH = 30 * 86_400;

const iamport = createIamportClient({
  impKey: process.env.IAMPORT_KEY,
  impSecret: process.env.IAMPORT_SECRET,
  baseUrl: process.env.IAMPORT_BASE_URL, // unset: https://api.iamport.kr
});

/** customer_uid → { charged, scheduled, webhooks: [verified payments] } */
const subscriptions = new Map();
const orderId = (kind) => `${kind}_${randomUUID().replaceAll('-', '').slice(0, 24)}`;

const app = express();

app.post('/api/subscribe', express.json(), async (req, res) => {
  const { imp_uid, customer_uid } = req.body ?? {};
  // The browser's answer is not proof: iamport's record of the payment is.
  const issued = await iamport.confirmBillingKey({ imp_uid, customer_uid, amount: 0 }); // amount 0: the key only
  const charge = await iamport.chargeBillingKey({ customer_uid, merchant_uid: orderId('first'), amount: PRICE, name: '월 구독' });
  if (charge.status === 'failed') {
    res.status(402).json({ status: 'failed', fail_reason: charge.fail_reason });
    return;
  }
  const [scheduled] = await iamport.scheduleCharges({
    customer_uid,
    schedules: [{ merchant_uid: orderId('month'), schedule_at: new Date(Date.now() + MONTH * 1000), amount: PRICE, name: '월 구독' }],
  });
  subscriptions.set(customer_uid, { issued: issued.imp_uid, charged: charge.payment, scheduled, webhooks: [] });
  res.json({ status: 'subscribed', charged: charge.payment.imp_uid, scheduled: scheduled.merchant_uid, schedule_at: scheduled.schedule_at });
});

// iamport posts { imp_uid, merchant_uid, status } as JSON or form text; verifyWebhook reads both and
// answers iamport's own record of the payment (never the body's word).
app.post('/iamport/webhook', express.text({ type: () => true }), async (req, res) => {
  const payment = await iamport.verifyWebhook(req.body);
  const subscription = payment.customer_uid ? subscriptions.get(payment.customer_uid) : undefined;
  subscription?.webhooks.push({ imp_uid: payment.imp_uid, merchant_uid: payment.merchant_uid, status: payment.status, amount: payment.amount });
  res.json({ ok: true });
});

app.get('/api/subscriptions/:customer_uid', (req, res) => {
  const subscription = subscriptions.get(req.params.customer_uid);
  if (!subscription) res.status(404).json({ code: 'NOT_FOUND' });
  else res.json(subscription);
});

// Express 5 passes a rejected handler's error here.
app.use((err, req, res, next) => {
  if (!(err instanceof IamportError)) return next(err);
  const status = { INVALID_PARAM: 400, MISMATCH: 400, NOT_FOUND: 404, UNAUTHORIZED: 502 }[err.code] ?? 502;
  res.status(status).json({ code: err.code, message: err.message, field: err.field });
});

const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(`express: listening on http://127.0.0.1:${server.address().port}`);
});
