// The webhook route's iamport client and the verified payments it records, in memory (a real app
// keeps them in its database).
import { createIamportClient, IamportError, type IamportClient, type Payment } from 'iamport-billing/server';

let client: IamportClient | undefined;

/** Made on first use: `next build` loads the route modules without the environment. */
export function iamport(): IamportClient {
  client ??= createIamportClient({
    impKey: process.env.IAMPORT_KEY!,
    impSecret: process.env.IAMPORT_SECRET!,
    baseUrl: process.env.IAMPORT_BASE_URL, // unset: https://api.iamport.kr
  });
  return client;
}

export type Verified = Pick<Payment, 'imp_uid' | 'merchant_uid' | 'status' | 'amount'>;

// customer_uid → the payments its webhooks announced, as iamport records them. One Map for every
// route handler of the process (each route is bundled on its own).
const store = globalThis as typeof globalThis & { __verified?: Map<string, Verified[]> };
export const verified = (store.__verified ??= new Map<string, Verified[]>());

/**
 * A month's `paid` payment (merchant_uid `${issuance imp_uid}_m${n}`, as app/api/subscribe charges
 * month 1) schedules month n + 1, 30 days after it was paid by iamport's clock. A repeated webhook
 * schedules nothing more: iamport refuses a merchant_uid already scheduled or paid.
 */
export async function scheduleNextMonth(payment: Payment): Promise<void> {
  const month = /^(.+)_m(\d+)$/.exec(payment.merchant_uid);
  if (!month || payment.status !== 'paid' || payment.customer_uid === null) return;
  const merchant_uid = `${month[1]}_m${Number(month[2]) + 1}`;
  try {
    await iamport().scheduleCharges({
      customer_uid: payment.customer_uid,
      schedules: [{ merchant_uid, schedule_at: payment.paid_at + 30 * 86_400, amount: payment.amount, name: payment.name ?? '월 구독' }],
    });
  } catch (err) {
    if (!(err instanceof IamportError) || err.code !== 'API_ERROR') throw err;
    await iamport().getSchedule(merchant_uid); // scheduled by an earlier delivery: else NOT_FOUND, thrown
  }
}
