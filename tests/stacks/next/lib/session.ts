// A stand-in for your login: this app's "session" is a `session` cookie that holds the customer's
// customer_uid, so the tests can be anyone. A real app reads its own signed session and keeps each
// customer's customer_uid in its database. Either way the server decides it: the browser's word never
// chooses whose card is charged.
import { cookies } from 'next/headers';

/** The logged-in customer's customer_uid, or undefined. */
export async function customerUidOf(): Promise<string | undefined> {
  return (await cookies()).get('session')?.value;
}
