'use client';

// Issues the key in the (sandbox) window under the customer_uid the server chose, posts the imp_uid to
// the app's route handler, then waits until month 2's charge (scheduled by month 1's webhook) has been
// verified on the server.
import { useEffect, useState } from 'react';
import Script from 'next/script';
import { requestBillingKey, loadIamport, newMerchantUid, ready, BillingKeyError } from 'iamport-billing';

type State = 'idle' | 'issuing' | 'subscribing' | 'charged' | 'verified' | 'error';
type Charged = { charged: string; merchant_uid: string; paid_at: number };
type Verified = { imp_uid: string; merchant_uid: string; status: string; amount: number };

export default function SubscribeForm({ customerUid }: { customerUid: string }) {
  const [wasm, setWasm] = useState(false);
  const [sdk, setSdk] = useState(false);
  const [state, setState] = useState<State>('idle');
  const [detail, setDetail] = useState<unknown>(null);
  const [charged, setCharged] = useState<Charged | null>(null);

  useEffect(() => {
    ready().then(() => setWasm(true), () => setState('error'));
  }, []);

  // Once month 1 is paid, poll until month 2's charge is verified.
  useEffect(() => {
    if (state !== 'charged' || !charged) return undefined;
    const month2 = charged.merchant_uid.replace(/_m1$/, '_m2');
    const timer = setInterval(async () => {
      const res = await fetch(`/api/subscriptions/${encodeURIComponent(customerUid)}`);
      const { verified } = (await res.json()) as { verified: Verified[] };
      const charge = verified.find((p) => p.merchant_uid === month2 && p.status === 'paid');
      if (charge) {
        setDetail(charge);
        setState('verified');
      }
    }, 300);
    return () => clearInterval(timer);
  }, [state, charged, customerUid]);

  async function subscribe() {
    setState('issuing');
    try {
      const result = await requestBillingKey({
        pg: 'danal_tpay', merchant_uid: newMerchantUid('sub'), name: '정기결제 등록', amount: 0,
        customer_uid: customerUid, buyer_tel: '010-1234-5678',
      });
      if (!result.success) throw new Error(result.error_msg);
      setState('subscribing');
      const res = await fetch('/api/subscribe', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ imp_uid: result.imp_uid }), // the customer_uid is the server's
      });
      const body = await res.json();
      if (!res.ok) throw Object.assign(new Error(body.message ?? body.fail_reason), { body });
      setCharged(body);
      setDetail(body);
      setState('charged');
    } catch (err) {
      setDetail(err instanceof BillingKeyError ? { code: err.code, message: err.message } : (err as { body?: unknown }).body ?? String(err));
      setState('error');
    }
  }

  const due = charged ? new Date((charged.paid_at + 30 * 86_400) * 1000).toISOString().slice(0, 10) : '';
  return (
    <>
      <Script src="/sandbox/iamport-sandbox.js" onReady={() => { void loadIamport({ merchantCode: 'imp00000000' }).then(() => setSdk(true), () => setState('error')); }} />
      <p data-testid="customer_uid">{customerUid}</p>
      <button type="button" data-testid="subscribe" onClick={subscribe} disabled={!wasm || !sdk || state === 'issuing' || state === 'subscribing'}>Subscribe (9,900 KRW a month)</button>
      <p data-testid="subscription" data-state={state}>
        {{ idle: '', issuing: 'Issuing the key…', subscribing: 'Confirming and charging…', charged: `Month 1 paid; month 2 is due on ${due}: waiting for its webhook`, verified: 'Month 2 is paid: verified with iamport', error: 'Failed' }[state]}
      </p>
      <pre data-testid="subscription-detail">{detail === null ? '' : JSON.stringify(detail, null, 2)}</pre>
    </>
  );
}
