// A server component, pre-rendered at build time: the client component below (and with it the
// package, imported at its top level) is rendered once in Node by `next build`.
import BillingForm from './billing-form';

export default function Page() {
  return (
    <main>
      <h1>iamport-billing · Next.js app router</h1>
      <BillingForm />
    </main>
  );
}
