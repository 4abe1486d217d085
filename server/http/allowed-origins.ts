// The browser origins staff may use: PUBLIC_URL's, and outside production its loopback aliases
// (people type 127.0.0.1 as often as localhost) plus the Vite dev server. Both our CSRF check and
// better-auth's own origin check read this one list.
import type { Env } from '../env.ts';

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.includes(hostname) || hostname === '::1';
}

export function allowedOrigins(env: Pick<Env, 'PUBLIC_URL' | 'PORT' | 'NODE_ENV'>): Set<string> {
  const publicUrl = new URL(env.PUBLIC_URL);
  const origins = new Set([publicUrl.origin]);
  if (env.NODE_ENV === 'production') return origins;
  const aliases = (protocol: string, port: string) =>
    LOOPBACK_HOSTS.map((host) => new URL(`${protocol}//${host}${port ? `:${port}` : ''}`).origin);
  if (isLoopbackHost(publicUrl.hostname)) for (const o of aliases(publicUrl.protocol, publicUrl.port)) origins.add(o);
  // The server's own port, opened directly, and the Vite dev server that proxies to us in `npm run dev`.
  for (const o of aliases('http:', String(env.PORT))) origins.add(o);
  for (const o of aliases('http:', '5173')) origins.add(o);
  return origins;
}

/**
 * The answer to a request from an origin we do not serve: says where Creditdesk lives, in words.
 * Top-level code/message for better-auth's client (the sign-in form); error{} like every other API error.
 */
export function wrongOriginBody(publicUrl: string, origin: string | undefined) {
  const message = `Open Creditdesk at ${publicUrl}${origin ? ` (requests from ${origin} are refused)` : ''}.`;
  return { code: 'WRONG_ORIGIN', message, publicUrl, error: { code: 'forbidden', message } };
}
