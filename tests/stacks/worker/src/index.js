// A Cloudflare Worker with iamport-billing/server, as a merchant writes one: its REST API key and
// secret come from the Worker's environment (`wrangler secret put`; here, Miniflare's bindings).
// Bundled as wrangler bundles it (build.mjs: the package's `workerd` entry, its .wasm kept a module of
// its own); workerd runs it (tests/stacks/worker.test.mjs, through Miniflare, against the sandbox).
//
//   GET  /payments/:imp_uid   iamport's record of a payment
//   POST /charge              { customer_uid, merchant_uid, amount, name }: charges the billing key
import { createIamportClient, IamportError } from 'iamport-billing/server';

let client; // one per isolate, made on the first request (the environment arrives with it)
const iamport = (env) => (client ??= createIamportClient({
  impKey: env.IAMPORT_KEY,
  impSecret: env.IAMPORT_SECRET,
  baseUrl: env.IAMPORT_BASE_URL, // unset: https://api.iamport.kr
}));

async function route(request, env) {
  const url = new URL(request.url);
  const payment = /^\/payments\/([^/]+)$/.exec(url.pathname);
  if (request.method === 'GET' && payment) {
    return Response.json(await iamport(env).getPayment(decodeURIComponent(payment[1])));
  }
  if (request.method === 'POST' && url.pathname === '/charge') {
    return Response.json(await iamport(env).chargeBillingKey(await request.json()));
  }
  return Response.json({ code: 'NOT_FOUND' }, { status: 404 });
}

export default {
  async fetch(request, env) {
    try {
      return await route(request, env);
    } catch (err) {
      if (!(err instanceof IamportError)) throw err;
      const status = ['INVALID_PARAM', 'MISMATCH', 'NOT_FOUND'].includes(err.code) ? 400 : 502;
      return Response.json({ code: err.code, message: err.message, field: err.field }, { status });
    }
  },
};
