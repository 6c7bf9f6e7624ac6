// A server component that uses the package itself while `next build` pre-renders it: the same Rust
// rules run in Node on the server (Next's server bundle moves the .wasm's URL; the package then
// finds its file from the app's folder).
import { ready, validateParams } from 'iamport-billing';

export default async function ServerCheck() {
  await ready();
  const forImp = validateParams({ customer_uid: 'server-side-check', amount: 1004, buyer_tel: '02-1234-1234', merchant_uid: 'merchant_server_1' });
  return <pre data-testid="server-check">{JSON.stringify(forImp)}</pre>;
}
