/**
 * Serverless NEG URL masks: parse a request's host and path into the placeholders a mask names
 * (`<service>`, `<tag>` for Cloud Run; `<function>` for Cloud Functions; `<service>`, `<version>`
 * for App Engine; `<gateway>` for API Gateway).
 *
 * Semantics held to (Google's serverless NEG docs):
 * - A mask has no scheme. Everything before the first `/` is the host part, the rest the path part;
 *   a mask without `/` is host-only (any path matches).
 * - Host components before the first placeholder may be left out: the host part must match the end
 *   of the request host, on a label boundary; an empty host part matches any host.
 * - Path components after the last placeholder may be left out: the path part must match the start
 *   of the request path, on a segment boundary.
 * - A placeholder matches a non-empty run of characters inside one host label (it may share the label
 *   with literal text, as in `<service>-dot-app.appspot.com`) or inside one path segment.
 * Pure: no I/O.
 */

export type MaskValues = Record<string, string>;

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compile(part: string, charClass: string, names: string[]): string {
  let out = '';
  let last = 0;
  const re = /<([a-z]+)>/g;
  for (let m = re.exec(part); m; m = re.exec(part)) {
    out += escapeRegex(part.slice(last, m.index));
    names.push(m[1]!);
    out += `(${charClass}+?)`;
    last = m.index + m[0].length;
  }
  return out + escapeRegex(part.slice(last));
}

/** The placeholder names a mask uses, in order. */
export function maskPlaceholders(mask: string): string[] {
  return [...mask.matchAll(/<([a-z]+)>/g)].map((m) => m[1]!);
}

/**
 * Matches a request against a mask; returns the placeholder values, or undefined when the request
 * does not fit the mask. `host` may carry a port (ignored).
 */
export function matchUrlMask(mask: string, host: string, path: string): MaskValues | undefined {
  const slash = mask.indexOf('/');
  const hostPart = (slash === -1 ? mask : mask.slice(0, slash)).toLowerCase();
  const pathPart = slash === -1 ? '' : mask.slice(slash);
  const hostName = host.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');

  const values: MaskValues = {};
  if (hostPart !== '') {
    const names: string[] = [];
    const re = new RegExp(`^(?:.*\\.)?${compile(hostPart, '[^.]', names)}$`);
    const m = re.exec(hostName);
    if (!m) return undefined;
    names.forEach((n, i) => (values[n] = m[i + 1]!));
  }
  if (pathPart !== '' && pathPart !== '/') {
    const trimmed = pathPart.replace(/\/+$/, '');
    const names: string[] = [];
    const re = new RegExp(`^${compile(trimmed, '[^/]', names)}(?:/.*)?$`);
    const m = re.exec(path);
    if (!m) return undefined;
    names.forEach((n, i) => (values[n] = m[i + 1]!));
  }
  return values;
}
