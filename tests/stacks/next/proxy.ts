// Test wiring, not part of the example: when SANDBOX_URL is set (tests/stacks/next-server.test.mjs),
// the sandbox window's POST /__sandbox/window/pay goes to the sandbox server, so the key it issues
// exists where the route handlers look it up. Unset (tests/stacks/next.test.mjs), the app answers 404
// and the window decides in the browser.
import { NextResponse, type NextRequest } from 'next/server';

export function proxy(request: NextRequest) {
  const sandbox = process.env.SANDBOX_URL;
  if (!sandbox) return NextResponse.next();
  return NextResponse.rewrite(new URL(request.nextUrl.pathname, sandbox));
}

export const config = { matcher: '/__sandbox/:path*' };
