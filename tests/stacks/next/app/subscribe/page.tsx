// The whole subscription: the key issued in the browser, confirmed and charged by the route handler
// app/api/subscribe, renewed by app/api/iamport/webhook, with iamport-billing/server. The server
// decides the customer_uid (here from the stand-in session, lib/session.ts) and hands it to the form.
import { customerUidOf } from '../../lib/session';
import SubscribeForm from './subscribe-form';

export default async function Page() {
  const customerUid = await customerUidOf();
  return (
    <main>
      <h1>iamport-billing · subscription</h1>
      {customerUid ? <SubscribeForm customerUid={customerUid} /> : <p data-testid="no-session">Log in first.</p>}
    </main>
  );
}
