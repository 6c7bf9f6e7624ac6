// The whole subscription: the key issued in the browser, confirmed, charged and scheduled by the
// route handlers (app/api/subscribe, app/api/iamport/webhook) with iamport-billing/server.
import SubscribeForm from './subscribe-form';

export default function Page() {
  return (
    <main>
      <h1>iamport-billing · subscription</h1>
      <SubscribeForm />
    </main>
  );
}
