// A route handler on the edge runtime (Vercel Edge; `next start` runs it in Next's edge sandbox):
// the package's `edge-light` entry, its .wasm imported with `?module`, so the build keeps the wasm a
// file of its own and the function receives it compiled. GET /api/edge/payments/:imp_uid answers
// iamport's record of the payment; ?amount=… also checks it with confirmBillingKey.
import { createIamportClient, IamportError, type IamportClient } from 'iamport-billing/server';

export const runtime = 'edge';

let client: IamportClient | undefined; // made on first use: `next build` loads this file without your env
const iamport = () => (client ??= createIamportClient({
  impKey: process.env.IAMPORT_KEY!, impSecret: process.env.IAMPORT_SECRET!,
  baseUrl: process.env.IAMPORT_BASE_URL, // unset: https://api.iamport.kr
}));

export async function GET(request: Request, { params }: { params: Promise<{ imp_uid: string }> }) {
  const { imp_uid } = await params;
  const query = new URL(request.url).searchParams;
  try {
    if (query.has('customer_uid')) {
      const amount = Number(query.get('amount') ?? 0);
      return Response.json(await iamport().confirmBillingKey({ imp_uid, customer_uid: query.get('customer_uid')!, amount }));
    }
    return Response.json(await iamport().getPayment(imp_uid));
  } catch (err) {
    if (!(err instanceof IamportError)) throw err;
    const status = ['INVALID_PARAM', 'MISMATCH', 'NOT_FOUND'].includes(err.code) ? 400 : 502;
    return Response.json({ code: err.code, message: err.message, field: err.field }, { status });
  }
}
