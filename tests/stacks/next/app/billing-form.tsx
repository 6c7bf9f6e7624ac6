'use client';

// The package imported at the top of a client component, as an app would: no dynamic(), no ssr: false.
import { useEffect, useState, type FormEvent } from 'react';
import Script from 'next/script';
import { requestBillingKey, loadIamport, newMerchantUid, ready, BillingKeyError } from 'iamport-billing';

type Status = 'loading' | 'ready' | 'error';
type Shown = { state: 'empty' | 'success' | 'failure' | 'error'; value: unknown; seq: number };

export default function BillingForm() {
  const [wasm, setWasm] = useState<Status>('loading');
  const [sdk, setSdk] = useState<Status>('loading');
  const [sdkMessage, setSdkMessage] = useState('');
  const [shown, setShown] = useState<Shown>({ state: 'empty', value: null, seq: 0 });

  useEffect(() => {
    ready().then(() => setWasm('ready'), () => setWasm('error'));
  }, []);

  const show = (state: Shown['state'], value: unknown) => setShown((s) => ({ state, value, seq: s.seq + 1 }));

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    requestBillingKey({
      pg: 'danal_tpay',
      pay_method: 'card',
      merchant_uid: newMerchantUid('next'),
      name: '최초인증결제',
      amount: Number(form.get('amount')),
      customer_uid: String(form.get('customer_uid')),
      buyer_email: 'iamport@siot.do',
      buyer_name: '아임포트',
      buyer_tel: String(form.get('buyer_tel')),
    }).then(
      ({ raw, ...result }) => show(result.success ? 'success' : 'failure', result),
      (err: unknown) => show('error', err instanceof BillingKeyError
        ? { instanceOfBillingKeyError: true, name: err.name, code: err.code, field: err.field ?? null, message: err.message }
        : { instanceOfBillingKeyError: false, message: String(err) }),
    );
  }

  return (
    <>
      <Script
        src="/sandbox/iamport-sandbox.js"
        onReady={() => {
          loadIamport({ merchantCode: 'imp00000000' }).then(
            () => setSdk('ready'),
            (err: BillingKeyError) => { setSdk('error'); setSdkMessage(`${err.code}: ${err.message}`); },
          );
        }}
      />
      <p data-testid="wasm-status" data-state={wasm}>{wasm === 'ready' ? 'Package ready' : wasm === 'error' ? 'The package failed to load' : 'Loading the package…'}</p>
      <p data-testid="sdk-status" data-state={sdk}>{sdk === 'ready' ? 'Sandbox SDK ready' : sdk === 'error' ? sdkMessage : 'Loading the sandbox SDK…'}</p>
      <form onSubmit={submit} noValidate>
        <label>customer_uid <input data-testid="customer_uid" name="customer_uid" defaultValue="your-customer-unique-id" /></label>
        <label>amount <input data-testid="amount" name="amount" defaultValue="0" inputMode="numeric" /></label>
        <label>buyer_tel <input data-testid="buyer_tel" name="buyer_tel" defaultValue="02-1234-1234" /></label>
        <button type="submit" data-testid="submit" disabled={wasm !== 'ready' || sdk !== 'ready'}>Issue billing key</button>
      </form>
      <pre data-testid="result" data-state={shown.state} data-seq={shown.seq}>
        {shown.value === null ? '' : JSON.stringify(shown.value, null, 2)}
      </pre>
    </>
  );
}
