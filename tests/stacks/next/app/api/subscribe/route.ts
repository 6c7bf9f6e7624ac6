// The browser sends what requestBillingKey answered; this confirms the key with iamport, charges the
// first month and schedules the next. (The README's "The full flow" shows this file.)
import { createIamportClient, IamportError, type IamportClient } from 'iamport-billing/server';

let client: IamportClient | undefined; // made on first use: `next build` loads this file without your env
const iamport = () => (client ??= createIamportClient({
  impKey: process.env.IAMPORT_KEY!, impSecret: process.env.IAMPORT_SECRET!,
  baseUrl: process.env.IAMPORT_BASE_URL, // unset: https://api.iamport.kr
}));
const orderId = (kind: string) => `${kind}_${crypto.randomUUID().replaceAll('-', '')}`.slice(0, 40);

export async function POST(request: Request) {
  const { imp_uid, customer_uid } = await request.json(); // customer_uid: decide it on the server
  try {
    await iamport().confirmBillingKey({ imp_uid, customer_uid, amount: 0 }); // iamport's record, not the browser's word
    const charge = await iamport().chargeBillingKey({ customer_uid, merchant_uid: orderId('first'), amount: 9900, name: '월 구독' });
    if (charge.status === 'failed') return Response.json({ fail_reason: charge.fail_reason }, { status: 402 });
    const [next] = await iamport().scheduleCharges({
      customer_uid,
      schedules: [{ merchant_uid: orderId('month'), schedule_at: new Date(Date.now() + 30 * 86_400_000), amount: 9900, name: '월 구독' }],
    });
    return Response.json({ charged: charge.payment.imp_uid, scheduled: next.merchant_uid, schedule_at: next.schedule_at });
  } catch (err) {
    if (!(err instanceof IamportError)) throw err;
    const status = ['INVALID_PARAM', 'MISMATCH', 'NOT_FOUND'].includes(err.code) ? 400 : 502; // else iamport's side
    return Response.json({ code: err.code, message: err.message, field: err.field }, { status });
  }
}
