// iamport's webhook ({ imp_uid, merchant_uid, status } as JSON or form text): verifyWebhook answers
// iamport's own record of the payment, never the body's word. A month's `paid` schedules the next one;
// the issuance's own `paid` and `cancelled` (Danal's 10 KRW card check) change nothing.
import { iamport, scheduleNextMonth, verified } from '../../../../lib/iamport';

export async function POST(request: Request) {
  const payment = await iamport().verifyWebhook(await request.text());
  if (payment.customer_uid === null) return Response.json({ ok: true });
  if (payment.customer_uid_usage !== 'issue') await scheduleNextMonth(payment);
  const list = verified.get(payment.customer_uid) ?? [];
  list.push({ imp_uid: payment.imp_uid, merchant_uid: payment.merchant_uid, status: payment.status, amount: payment.amount });
  verified.set(payment.customer_uid, list);
  return Response.json({ ok: true });
}
