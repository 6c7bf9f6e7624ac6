// The browser sends the imp_uid requestBillingKey answered; this confirms with iamport that the key was
// issued to the session's customer and charges the first month. (The README's "The full flow" shows it.)
import { createIamportClient, IamportError, type IamportClient } from 'iamport-billing/server';
import { customerUidOf } from '../../../lib/session'; // your login: the customer_uid is yours to decide

let client: IamportClient | undefined; // made on first use: `next build` loads this file without your env
const iamport = () => (client ??= createIamportClient({
  impKey: process.env.IAMPORT_KEY!, impSecret: process.env.IAMPORT_SECRET!,
  baseUrl: process.env.IAMPORT_BASE_URL, // unset: https://api.iamport.kr
}));

export async function POST(request: Request) {
  const customer_uid = await customerUidOf(); // from the session, never from the browser
  if (!customer_uid) return Response.json({ code: 'NO_SESSION' }, { status: 401 });
  const { imp_uid } = await request.json();
  try {
    await iamport().confirmBillingKey({ imp_uid, customer_uid, amount: 0 }); // iamport's record: issued to this customer
    // Month 1's merchant_uid comes from the issuance: iamport charges it once, however often this is posted.
    const charge = await iamport().chargeBillingKey({ customer_uid, merchant_uid: `${imp_uid}_m1`, amount: 9900, name: '월 구독' });
    if (charge.status === 'failed') return Response.json({ fail_reason: charge.fail_reason }, { status: 402 });
    // Its `paid` webhook schedules month 2 (docs/server.md, "Renewals and failed charges").
    return Response.json({ charged: charge.payment.imp_uid, merchant_uid: charge.payment.merchant_uid, paid_at: charge.payment.paid_at });
  } catch (err) {
    if (!(err instanceof IamportError)) throw err;
    const status = ({ INVALID_PARAM: 400, MISMATCH: 400, NOT_FOUND: 400, API_ERROR: 409 } as Record<string, number>)[err.code] ?? 502;
    return Response.json({ code: err.code, message: err.message, field: err.field }, { status });
  }
}
