// Which URLs an outbound endpoint may have. Deliveries carry customer data and are signed with our
// secret, so they must not be pointed at our own network: private, loopback, link-local and other
// special addresses are refused, after resolving the host name (a public-looking name may resolve
// to 10.0.0.5). Checked when an endpoint is saved and again before every delivery, so a DNS record
// changed later is caught too. Development and test allow http and loopback (a local receiver).
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { AppError } from '../../lib/app-error.ts';

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}
const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

export interface EndpointUrlPolicy {
  /** http:// and loopback addresses allowed (NODE_ENV development or test). */
  development: boolean;
  /** DNS lookup, replaceable in tests. */
  resolve?: (host: string) => Promise<string[]>;
}

const refuse = (message: string) => new AppError('VALIDATION', message, { field: 'url' });

async function resolveAll(host: string): Promise<string[]> {
  const answers = await lookup(host, { all: true, verbatim: true });
  return answers.map((a) => a.address);
}

/** The parsed URL, or a VALIDATION AppError that says what is wrong with it. */
export async function checkEndpointUrl(raw: string, policy: EndpointUrlPolicy): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw refuse('Enter a full URL, e.g. https://example.com/webhooks/creditdesk');
  }
  if (url.protocol !== 'https:' && !(policy.development && url.protocol === 'http:')) {
    throw refuse(
      policy.development ? 'The URL must start with https:// or http://' : 'The URL must start with https://',
    );
  }
  if (url.username || url.password)
    throw refuse('Credentials in the URL are not allowed; the signature authenticates us');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = await (policy.resolve ?? resolveAll)(host);
    } catch {
      throw refuse(`The host "${host}" could not be resolved`);
    }
    if (!addresses.length) throw refuse(`The host "${host}" could not be resolved`);
  }
  for (const raw of addresses) {
    const mapped = raw.toLowerCase().startsWith('::ffff:') && isIP(raw.slice(7)) === 4 ? raw.slice(7) : raw;
    const family = isIP(mapped) === 6 ? 'ipv6' : 'ipv4';
    if (loopback.check(mapped, family)) {
      if (policy.development) continue;
      throw refuse(`"${host}" points at a loopback address (${raw}); use a public https endpoint`);
    }
    if (blocked.check(mapped, family)) {
      throw refuse(`"${host}" resolves to a private or reserved address (${raw}); use a public https endpoint`);
    }
  }
  return url;
}
