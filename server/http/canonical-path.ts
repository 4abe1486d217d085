// One path for every check. The router decodes %74 to "t" and URL parsers resolve "." and "..",
// while a check that compares strings sees the raw bytes: "/%74rpc/x" and "/api/auth/./sign-in"
// used to slip past the CSRF check and the login limiter while reaching the same handler. So a
// request whose raw path is not already canonical is refused before any route or hook sees it;
// every later check can then compare the raw path safely.

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

/** RFC 3986 5.2.4: the path with "." and ".." segments resolved. */
function removeDotSegments(path: string): string {
  const out: string[] = [];
  const segments = path.split('/');
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const last = i === segments.length - 1;
    if (segment === '.' || segment === '..') {
      if (segment === '..' && out.length > 1) out.pop();
      if (last) out.push('');
      continue;
    }
    out.push(segment);
  }
  return out.join('/') || '/';
}

/**
 * The canonical form of a raw request path (no query): percent-encoded unreserved characters
 * decoded (RFC 3986 6.2.2.2) and dot segments removed. Returns null for paths no client needs:
 * not starting with "/", holding a backslash (WHATWG URLs read it as "/") or a control character.
 */
export function canonicalPath(rawPath: string): string | null {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (!rawPath.startsWith('/') || /[\\\u0000-\u001f\u007f]/.test(rawPath)) return null;
  const decoded = rawPath.replace(/%([0-9A-Fa-f]{2})/g, (match, hex: string) => {
    const char = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : match.toUpperCase();
  });
  return removeDotSegments(decoded);
}

/** The raw path of a request URL (everything before "?"). */
export function rawPathOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/** True when the request's path is already canonical (the only kind the app serves). */
export function isCanonicalRequestPath(url: string): boolean {
  const raw = rawPathOf(url);
  return canonicalPath(raw) === raw;
}
