/** Test helpers: drive the emulator's REST APIs with plain fetch and reach the loopback data plane. */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json(): any;
}

export async function api(base: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Inserts a compute resource and waits for its operation; throws on any error. */
export async function computeInsert(base: string, collectionPath: string, body: unknown): Promise<void> {
  const res = await api(base, 'POST', `/compute/v1/projects/demo-project/${collectionPath}`, body);
  if (res.status !== 200) throw new Error(`insert ${collectionPath}: ${res.status} ${JSON.stringify(res.body)}`);
  const op = res.body as { name: string; region?: string };
  const scope = op.region ? `regions/${op.region.split('/').at(-1)}` : 'global';
  const done = await api(base, 'POST', `/compute/v1/projects/demo-project/${scope}/operations/${op.name}/wait`, '');
  if (done.body.error) throw new Error(`insert ${collectionPath} failed: ${JSON.stringify(done.body.error)}`);
}

export function get(port: number, path: string, host: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) }));
    });
    req.on('error', reject);
    req.end();
  });
}

export function getTls(port: number, path: string, host: string, ca: string, servername = host): Promise<Reply & { peerNames: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', port, path, servername, ca, headers: { host }, agent: false }, (res) => {
      const cert = (res.socket as import('node:tls').TLSSocket).getPeerCertificate();
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body), peerNames: cert.subjectaltname ?? '' }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
