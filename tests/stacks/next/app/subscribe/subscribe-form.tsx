'use client';

// Issues the key in the (sandbox) window, posts the result to the app's route handler, then waits
// until the scheduled charge's webhook has been verified on the server.
import { useEffect, useState, type FormEvent } from 'react';
import Script from 'next/script';
import { requestBillingKey, loadIamport, newMerchantUid, ready, BillingKeyError } from 'iamport-billing';

type State = 'idle' | 'issuing' | 'subscribing' | 'scheduled' | 'verified' | 'error';
type Scheduled = { charged: string; scheduled: string; schedule_at: number };
type Verified = { imp_uid: string; merchant_uid: string; status: string; amount: number };

export default function SubscribeForm() {
  const [wasm, setWasm] = useState(false);
  const [sdk, setSdk] = useState(false);
  const [state, setState] = useState<State>('idle');
  const [detail, setDetail] = useState<unknown>(null);
  const [scheduled, setScheduled] = useState<Scheduled | null>(null);
  const [customer, setCustomer] = useState('');

  useEffect(() => {
    ready().then(() => setWasm(true), () => setState('error'));
  }, []);

  // Once scheduled, poll until the scheduled charge's webhook is verified.
  useEffect(() => {
    if (state !== 'scheduled' || !scheduled) return undefined;
    const timer = setInterval(async () => {
      const res = await fetch(`/api/subscriptions/${encodeURIComponent(customer)}`);
      const { verified } = (await res.json()) as { verified: Verified[] };
      const charge = verified.find((p) => p.merchant_uid === scheduled.scheduled);
      if (charge) {
        setDetail(charge);
        setState('verified');
      }
    }, 300);
    return () => clearInterval(timer);
  }, [state, scheduled, customer]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const customer_uid = String(new FormData(event.currentTarget).get('customer_uid'));
    setCustomer(customer_uid);
    setState('issuing');
    try {
      const result = await requestBillingKey({
        pg: 'danal_tpay', merchant_uid: newMerchantUid('sub'), name: '정기결제 등록', amount: 0,
        customer_uid, buyer_tel: '010-1234-5678',
      });
      if (!result.success) throw new Error(result.error_msg);
      setState('subscribing');
      const res = await fetch('/api/subscribe', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ imp_uid: result.imp_uid, merchant_uid: result.merchant_uid, customer_uid }),
      });
      const body = await res.json();
      if (!res.ok) throw Object.assign(new Error(body.message ?? body.fail_reason), { body });
      setScheduled(body);
      setDetail(body);
      setState('scheduled');
    } catch (err) {
      setDetail(err instanceof BillingKeyError ? { code: err.code, message: err.message } : (err as { body?: unknown }).body ?? String(err));
      setState('error');
    }
  }

  return (
    <>
      <Script src="/sandbox/iamport-sandbox.js" onReady={() => { void loadIamport({ merchantCode: 'imp00000000' }).then(() => setSdk(true), () => setState('error')); }} />
      <form onSubmit={submit} noValidate>
        <label>customer_uid <input data-testid="customer_uid" name="customer_uid" defaultValue="user_1_card" /></label>
        <button type="submit" data-testid="subscribe" disabled={!wasm || !sdk || state === 'issuing' || state === 'subscribing'}>Subscribe (9,900 KRW a month)</button>
      </form>
      <p data-testid="subscription" data-state={state}>
        {{ idle: '', issuing: 'Issuing the key…', subscribing: 'Confirming and charging…', scheduled: `Next charge on ${scheduled ? new Date(scheduled.schedule_at * 1000).toISOString().slice(0, 10) : ''}: waiting for its webhook`, verified: 'The scheduled charge is paid: verified with iamport', error: 'Failed' }[state]}
      </p>
      <pre data-testid="subscription-detail">{detail === null ? '' : JSON.stringify(detail, null, 2)}</pre>
    </>
  );
}
