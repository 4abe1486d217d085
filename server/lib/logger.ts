// pino options shared by the Fastify server and scripts. Request ids come from Fastify
// (x-request-id when the caller sends one); secrets never reach the log through redaction.
import { createRequire } from 'node:module';
import type { LoggerOptions } from 'pino';

const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["stripe-signature"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.secret',
  '*.apiKey',
];

// Customer emails travel in URLs (tRPC query input, service API paths); request logs keep the
// shape of the URL but not the address, plain or percent-encoded.
const EMAIL_IN_URL = /[^\s/?&=,"'{}:[\]]+(?:@|%40)[^\s/?&=,"'{}:[\]]+/gi;

function redactEmails(url: string): string {
  return url.replace(EMAIL_IN_URL, '[email]');
}

interface LoggedRequest {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

/** pino-pretty is a devDependency: a production install logs JSON even on a terminal. */
function prettyAvailable(): boolean {
  try {
    createRequire(import.meta.url).resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      req: (req: LoggedRequest) => ({
        method: req.method,
        url: redactEmails(req.url ?? ''),
        host: req.host,
        remoteAddress: req.ip,
        remotePort: req.socket?.remotePort,
      }),
    },
    ...(process.stdout.isTTY && prettyAvailable()
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } }
      : {}),
  };
}
