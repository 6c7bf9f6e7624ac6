// Consumer code that must compile under `tsc --strict` against iamport-billing/server: every method,
// narrowing on a charge's `status` and on an error's `code`, and the exact types of results.

import {
  createIamportClient,
  IamportError,
  type BillingKey,
  type CancelHistory,
  type ChargeResult,
  type IamportClient,
  type IamportClientConfig,
  type IamportErrorCode,
  type JsonValue,
  type Payment,
  type Schedule,
  type ScheduleParams,
  type SetupProblemCode,
  type SetupReport,
} from 'iamport-billing/server';

/** Compile-time equality of two types. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(): T | void {}

const config: IamportClientConfig = { impKey: 'sandbox_key', impSecret: 'sandbox_secret', baseUrl: 'http://127.0.0.1:8080', timeoutMs: 10_000 };
const iamport: IamportClient = createIamportClient(config);
createIamportClient({ impKey: 'k', impSecret: 's' });

// The server step of the flow: confirm what the browser said, charge, schedule a month ahead.
export async function subscribe(imp_uid: string, customer_uid: string): Promise<string> {
  const issued = await iamport.confirmBillingKey({ imp_uid, customer_uid, amount: 0 });
  expectType<Equal<typeof issued, Payment>>();
  await iamport.confirmBillingKey({ imp_uid, customer_uid, amount: 1004, merchant_uid: 'issue_1' });

  const charge = await iamport.chargeBillingKey({ customer_uid, merchant_uid: 'order_1', amount: 9900, name: '월 구독' });
  expectType<Equal<typeof charge, ChargeResult>>();
  if (charge.status === 'failed') {
    const why: string = charge.fail_reason;
    return why;
  }
  expectType<Equal<typeof charge, { status: 'paid'; payment: Payment }>>();
  await iamport.chargeBillingKey({
    customer_uid, merchant_uid: 'order_2', amount: 9900, name: '월 구독', tax_free: 0, vat_amount: 900,
    buyer_name: '아임포트', buyer_email: 'iamport@siot.do', buyer_tel: '010-1234-5678', buyer_addr: '서울', buyer_postcode: '04001',
    card_quota: 0, custom_data: { plan: 'monthly', seats: [1, 2], trial: null }, notice_url: 'https://example.com/webhook',
  });

  // schedule_at: unix seconds or a Date.
  const schedules = await iamport.scheduleCharges({
    customer_uid,
    schedules: [
      { merchant_uid: 'order_3', schedule_at: new Date(Date.now() + 30 * 86_400_000), amount: 9900, name: '월 구독' },
      { merchant_uid: 'order_4', schedule_at: Math.floor(Date.now() / 1000) + 60 * 86_400, amount: 9900, name: '월 구독', custom_data: 'x' },
      { merchant_uid: 'order_5', schedule_at: '2030-01-01T09:00:00+09:00', amount: 9900, name: '월 구독' },
    ],
  });
  expectType<Equal<typeof schedules, Schedule[]>>();
  const params: ScheduleParams = { customer_uid, schedules: [{ merchant_uid: 'order_5', schedule_at: 1_900_000_000, amount: 1, name: 'n' }] };
  await iamport.scheduleCharges(params);
  return charge.payment.imp_uid;
}

export async function theRest(customer_uid: string): Promise<void> {
  const revoked: Schedule[] = await iamport.unscheduleCharges({ customer_uid, merchant_uid: ['order_3', 'order_4'] });
  await iamport.unscheduleCharges({ customer_uid, merchant_uid: 'order_3' });
  await iamport.unscheduleCharges({ customer_uid });
  const schedule = await iamport.getSchedule('order_3');
  expectType<Equal<typeof schedule.schedule_at, number>>();
  expectType<Equal<typeof schedule.imp_uid, string | null>>();
  const key = await iamport.getBillingKey(customer_uid);
  expectType<Equal<typeof key, BillingKey>>();
  expectType<Equal<typeof key.inserted, number>>();
  const deleted: BillingKey = await iamport.deleteBillingKey(customer_uid);
  const payment = await iamport.getPayment('imps_000000000001');
  const found: Payment = await iamport.findPayment('order_1');
  expectType<Equal<typeof payment.amount, number>>();
  expectType<Equal<typeof payment.custom_data, string | null>>();
  expectType<Equal<typeof payment.cancel_history, CancelHistory[]>>();
  const cancelled = await iamport.cancelPayment({ imp_uid: payment.imp_uid, reason: '고객 요청', amount: 1000, checksum: 9900 });
  await iamport.cancelPayment({ merchant_uid: 'order_1', reason: '고객 요청' });
  expectType<Equal<typeof cancelled, Payment>>();
  void [revoked, deleted, found];
}

// A subscription's later life: its schedules and payments as async iterables, retry, move, check.
export async function lifecycle(customer_uid: string): Promise<number> {
  let count = 0;
  for await (const s of iamport.listSchedules({ customer_uid, from: new Date('2027-01-01T00:00:00Z'), to: 1_830_297_600, status: 'scheduled' })) {
    expectType<Equal<typeof s, Schedule>>();
    count += s.amount;
  }
  for await (const p of iamport.listPayments({ customer_uid })) {
    expectType<Equal<typeof p, Payment>>();
    count += p.amount;
  }
  const schedules: AsyncIterable<Schedule> = iamport.listSchedules({ customer_uid, from: '2027-01-01T00:00:00+09:00', to: new Date() });
  void schedules;
  const retried = await iamport.retrySchedule('order_3');
  expectType<Equal<typeof retried, ChargeResult>>();
  const moved = await iamport.reschedule({ merchant_uid: 'order_3', schedule_at: new Date(Date.now() + 3 * 86_400_000) });
  const updated = await iamport.updateSchedule({ merchant_uid: 'order_4', schedule_at: 1_900_000_000 });
  expectType<Equal<typeof moved | typeof updated, Schedule>>();
  const keys = await iamport.getBillingKeys([customer_uid, 'other']);
  expectType<Equal<typeof keys, BillingKey[]>>();
  const report: SetupReport = await iamport.checkSetup({ live: true });
  await iamport.checkSetup();
  if (!report.ok) {
    const code: SetupProblemCode = report.problems[0]!.code;
    void code;
  }
  const channelKey: string | null = report.danal[0]?.channel_key ?? null;
  void channelKey;
  return count;
}

// A new status from iamport is kept as it is: the known ones narrow, any other string is allowed.
export function describe(payment: Payment, schedule: Schedule): string {
  switch (payment.status) {
    case 'paid':
      return `paid ${payment.amount} at ${payment.paid_at}`;
    case 'cancelled':
    case 'failed':
    case 'ready':
      return payment.status;
    default: {
      const other: string = payment.status;
      return `${other} (new) ${schedule.schedule_status}`;
    }
  }
}

// A webhook route handler: the body as text (JSON or form), an object, or URLSearchParams.
export async function webhook(request: Request): Promise<Response> {
  const payment = await iamport.verifyWebhook(await request.text());
  await iamport.verifyWebhook({ imp_uid: 'imps_000000000001', merchant_uid: 'order_1', status: 'paid' });
  await iamport.verifyWebhook({ imp_uid: 'imps_000000000001', status: 'cancelled', cancellation_id: 'c1', extra: [1] });
  await iamport.verifyWebhook(new URLSearchParams('imp_uid=imps_000000000001&merchant_uid=order_1&status=paid'));
  await iamport.verifyWebhook(new TextEncoder().encode('imp_uid=imps_000000000001&status=paid')); // express.raw(), a Buffer
  return Response.json({ status: payment.status });
}

// Errors: a class with a stable code and the field's path.
export function explain(err: unknown): { status: number; body: JsonValue } {
  if (!(err instanceof IamportError)) throw err;
  const code: IamportErrorCode = err.code;
  expectType<Equal<typeof err.field, string | undefined>>();
  expectType<Equal<typeof err.api_code, number | undefined>>();
  expectType<Equal<typeof err.name, 'IamportError'>>();
  expectType<Equal<typeof err.outcome_unknown, true | undefined>>();
  if (err.outcome_unknown) return { status: 503, body: { code, retry_after_lookup: true } };
  const status = code === 'INVALID_PARAM' || code === 'MISMATCH' ? 400 : code === 'NOT_FOUND' ? 404 : 502;
  return { status, body: { code, message: err.message, field: err.field ?? null, expected: err.expected ?? null } };
}
