// Consumer mistakes that pkg/server/index.d.ts must turn into compile errors. Each `// @ts-expect-error`
// names, in [brackets], text the error message must contain; ../check-invalid.mjs removes the
// directives and checks that each following line, and no other, is an error that says so.

import { createIamportClient, IamportError, type Payment } from 'iamport-billing/server';

// @ts-expect-error [impSecret] the secret is required
createIamportClient({ impKey: 'k' });

// @ts-expect-error [imp_key] the config is camelCase: the Rust names are not keys here
createIamportClient({ imp_key: 'k', imp_secret: 's' });

// @ts-expect-error [string] timeoutMs is a number of milliseconds
createIamportClient({ impKey: 'k', impSecret: 's', timeoutMs: '10s' });

const iamport = createIamportClient({ impKey: 'k', impSecret: 's' });

// @ts-expect-error [amount] confirm needs the amount the browser asked for
void iamport.confirmBillingKey({ imp_uid: 'imps_1', customer_uid: 'c1' });

// @ts-expect-error [string] amount is a number of KRW, not a string
void iamport.chargeBillingKey({ customer_uid: 'c1', merchant_uid: 'm1', amount: '9900', name: 'n' });

// @ts-expect-error [name] a charge needs an order name
void iamport.chargeBillingKey({ customer_uid: 'c1', merchant_uid: 'm1', amount: 9900 });

// @ts-expect-error [nmae] an unknown key in a literal is an error (the client refuses it too)
void iamport.chargeBillingKey({ customer_uid: 'c1', merchant_uid: 'm1', amount: 9900, name: 'n', nmae: 'n' });

// @ts-expect-error [2026-12-01] schedule_at is unix seconds, a Date or a date-time with its time and offset, not a bare date
void iamport.scheduleCharges({ customer_uid: 'c1', schedules: [{ merchant_uid: 'm1', schedule_at: '2026-12-01', amount: 1, name: 'n' }] });

// @ts-expect-error [requires 1] at least one schedule
void iamport.scheduleCharges({ customer_uid: 'c1', schedules: [] });

// @ts-expect-error [number] getPayment takes the imp_uid string
void iamport.getPayment(1);

// @ts-expect-error [reason] a cancel says why
void iamport.cancelPayment({ imp_uid: 'imps_1' });

// @ts-expect-error [imp_uid] a cancel names the payment by imp_uid or merchant_uid
void iamport.cancelPayment({ reason: 'r' });

// @ts-expect-error [undefined] by imp_uid or by merchant_uid, not both
void iamport.cancelPayment({ imp_uid: 'imps_1', merchant_uid: 'm1', reason: 'r' });

// @ts-expect-error [number] verifyWebhook takes an object, JSON text or form text
void iamport.verifyWebhook(42);

// @ts-expect-error [imp_uid] a webhook body names its payment
void iamport.verifyWebhook({ merchant_uid: 'm1', status: 'paid' });

// @ts-expect-error [to] a list of schedules needs its range
void iamport.listSchedules({ customer_uid: 'c1', from: 1 });

// @ts-expect-error ["paid"] a schedule's status is scheduled, executed or revoked
void iamport.listSchedules({ customer_uid: 'c1', from: 1, to: 2, status: 'paid' });

// @ts-expect-error [then] a list is iterated with for await, not awaited as a Promise
void iamport.listPayments({ customer_uid: 'c1' }).then(() => 1);

// @ts-expect-error [schedule_at] a reschedule needs its new time
void iamport.reschedule({ merchant_uid: 'm1' });

// @ts-expect-error [string] getBillingKeys takes an array of customer_uid
void iamport.getBillingKeys('c1');

// @ts-expect-error [string] live is a boolean
void iamport.checkSetup({ live: 'yes' });

// @ts-expect-error [confirm] no such method
void iamport.confirm({ imp_uid: 'imps_1', customer_uid: 'c1', amount: 0 });

export async function results(payment: Payment): Promise<void> {
  // @ts-expect-error [null] custom_data may be null
  const data: string = payment.custom_data;
  // @ts-expect-error [null] customer_uid is null for a payment without a billing key
  const uid: string = payment.customer_uid;
  const charge = await iamport.chargeBillingKey({ customer_uid: 'c1', merchant_uid: 'm1', amount: 1, name: 'n' });
  // @ts-expect-error [fail_reason] only a failed charge has a fail_reason
  const why: string = charge.fail_reason;
  void [data, uid, why];
}

export function errors(err: IamportError): void {
  // @ts-expect-error ["DECLINED"] not one of the codes
  if (err.code === 'DECLINED') return;
  // @ts-expect-error [read-only] an error's code is not for writing
  err.code = 'NETWORK';
  // @ts-expect-error [private] IamportError is thrown by the client, not built by hand
  void new IamportError();
}
