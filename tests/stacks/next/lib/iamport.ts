// The webhook route's iamport client and the verified payments it records, in memory (a real app
// keeps them in its database).
import { createIamportClient, type IamportClient, type Payment } from 'iamport-billing/server';

let client: IamportClient | undefined;

/** Made on first use: `next build` loads the route modules without the environment. */
export function iamport(): IamportClient {
  client ??= createIamportClient({
    impKey: process.env.IAMPORT_KEY!,
    impSecret: process.env.IAMPORT_SECRET!,
    baseUrl: process.env.IAMPORT_BASE_URL, // unset: https://api.iamport.kr
  });
  return client;
}

export type Verified = Pick<Payment, 'imp_uid' | 'merchant_uid' | 'status' | 'amount'>;

// customer_uid → the payments its webhooks announced, as iamport records them. One Map for every
// route handler of the process (each route is bundled on its own).
const store = globalThis as typeof globalThis & { __verified?: Map<string, Verified[]> };
export const verified = (store.__verified ??= new Map<string, Verified[]>());
