// What the subscription page polls: the payments the customer's webhooks announced, verified.
import { verified } from '../../../../lib/iamport';

export async function GET(_request: Request, { params }: { params: Promise<{ customer_uid: string }> }) {
  const { customer_uid } = await params;
  return Response.json({ verified: verified.get(customer_uid) ?? [] });
}
