/**
 * Certificate Manager API v1: DNS authorizations, certificates, certificate maps and their
 * entries, and long-running operations. Behaviour spec: docs/emulator.md, "Certificate Manager".
 *
 * Contract highlights:
 * - Resources are stored under their resource names (`projects/P/locations/L/certificates/N`).
 *   Enums are accepted as names or numbers; answers use names, or numbers when the request asks
 *   for `$alt=json;enum-encoding=int` (as the Node SDK does).
 * - create, patch and delete answer an operation `{name, metadata}` at once (the change is
 *   visible at once); it is done after opLatencyMs with `response` (`@type` the resource, or
 *   google.protobuf.Empty for a delete). An operation fault fails it and leaves nothing changed.
 * - A DNS authorization answers its CNAME record in `dnsResourceRecord`. A managed certificate is
 *   PROVISIONING until the data plane finds every authorization's record in the emulator's DNS
 *   (src/emulator/dataplane/cert-manager-certs.ts). A self-managed certificate's key is kept out of
 *   every answer; its `pemCertificate`, `sanDnsnames` and `expireTime` are filled in.
 * - Errors are google.rpc style: 404 `certificate "NAME" not found`, 409 ALREADY_EXISTS, 400
 *   INVALID_ARGUMENT for a bad id, field or reference, 400 FAILED_PRECONDITION for deleting a
 *   resource another one uses.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import type { EmulatorContext } from '../core/context.js';
import { ApiError, json, type ApiRequest } from '../core/http.js';
import type { Json, JsonObject } from '../core/store.js';
import { operationStartOptions } from '../core/operations.js';
import { authorizationRecord, convertEnums, isEnumValue, MESSAGE_TYPE, RESOURCE_ID, SINGULAR, type Collection } from './cert-manager-model.js';

const TYPE_PREFIX = 'type.googleapis.com/google.cloud.certificatemanager.v1.';
const GRPC_CODE: Record<number, number> = { 400: 3, 403: 7, 404: 5, 409: 6, 429: 8, 500: 13, 503: 14 };
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const MUTABLE: Record<Collection, readonly string[]> = {
  dnsAuthorizations: ['labels', 'description'],
  certificates: ['labels', 'description'],
  certificateMaps: ['labels', 'description'],
  certificateMapEntries: ['labels', 'description', 'certificates'],
  trustConfigs: ['labels', 'description', 'trustStores', 'allowlistedCertificates'],
};
/** Where the emulator keeps self-managed private keys: never in an answer. */
export const privateKeyPath = (certificate: string) => `emulator/certmanager-keys/${certificate}`;

const wantsInt = (req: ApiRequest) => (req.query.get('$alt') ?? '').includes('enum-encoding=int');
const invalid = (message: string) => ApiError.rpc(400, message, 'INVALID_ARGUMENT');
const notFound = (collection: Collection, name: string) => ApiError.rpc(404, `${SINGULAR[collection]} "${name}" not found`);

export function installCertificateManagerApi(ctx: EmulatorContext): void {
  const { store, router } = ctx;
  const rpc = { errorStyle: 'rpc' as const };
  const at = () => ctx.now().toISOString();
  /** A fresh etag (base64, as Google's look). */
  const etag = () => Buffer.from(ctx.ids.uuid().replace(/-/g, '').slice(0, 8), 'hex').toString('base64');
  const out = (req: ApiRequest, value: JsonObject): JsonObject => (wantsInt(req) ? convertEnums(value, 'int') : value);

  const load = (collection: Collection, name: string): JsonObject => {
    const found = store.get<JsonObject>(name);
    if (!found) throw notFound(collection, name);
    return found;
  };
  const children = (parent: string, collection: Collection): JsonObject[] =>
    store.list<JsonObject>(`${parent}/${collection}`).filter(([k]) => k.split('/').length === parent.split('/').length + 2).map(([, v]) => v);
  const allOf = (collection: Collection): JsonObject[] =>
    store.entries().filter(([k]) => k.split('/').at(-2) === collection && k.startsWith('projects/')).map(([, v]) => v as JsonObject);

  /** Stores a not-done operation; `finish` applies the change when it is done (not on a fault). */
  /**
   * Where Google names the operation of a change (as recorded): under the resource's location, but
   * under `global` for every change of a regional DNS authorization and for the update and delete
   * of a regional certificate.
   */
  const operationLocation = (location: string, target: string, verb: string): string =>
    location !== 'global' && (target.includes('/dnsAuthorizations/') || (target.includes('/certificates/') && verb !== 'create')) ? 'global' : location;

  const startOperation = (location: string, project: string, target: string, verb: string, req: ApiRequest, finish: () => JsonObject): JsonObject => {
    const fault = req.operationFault;
    const name = `projects/${project}/locations/${operationLocation(location, target, verb)}/operations/operation-${ctx.ids.uuid()}`;
    const metadata: JsonObject = { '@type': `${TYPE_PREFIX}OperationMetadata`, apiVersion: 'v1', createTime: at(), target, verb };
    const op: JsonObject = { name, metadata };
    store.put(name, op);
    let response: JsonObject | undefined;
    if (!fault) response = finish();
    ctx.operations.start(name, () => {
      const current = store.get<JsonObject>(name);
      if (!current) return;
      const done: JsonObject = { ...current, done: true };
      if (fault) done['error'] = { code: GRPC_CODE[fault.httpErrorStatusCode] ?? 2, message: fault.httpErrorMessage || fault.errors[0]?.message || 'operation failed' };
      else done['response'] = response!;
      store.put(name, done);
    }, operationStartOptions(req));
    return op;
  };

  // ---- validation of a new resource ----

  const validate = (collection: Collection, project: string, location: string, body: JsonObject, parent: string): JsonObject => {
    const b = convertEnums(body, 'name');
    for (const k of ['name', 'createTime', 'updateTime', 'dnsResourceRecord', 'pemCertificate', 'sanDnsnames', 'expireTime', 'gclbTargets', 'state']) delete b[k];
    switch (collection) {
      case 'dnsAuthorizations': {
        const domain = b['domain'];
        if (typeof domain !== 'string' || !DOMAIN.test(domain)) throw invalid(`Invalid value for field 'domain': ${JSON.stringify(domain ?? '')}. It must be a fully qualified domain name without a wildcard.`);
        if (b['type'] !== undefined && !isEnumValue('type', b['type'])) throw invalid(`Invalid value at 'dns_authorization.type', ${JSON.stringify(b['type'])}`);
        // Google accepts a regional authorization of the default type too (recorded: dnsauthorization__full).
        b['type'] ??= 'FIXED_RECORD';
        b['dnsResourceRecord'] = authorizationRecord(project, domain, String(b['type']));
        return b;
      }
      case 'certificates': {
        const managed = b['managed'] as JsonObject | undefined;
        const selfManaged = b['selfManaged'] as JsonObject | undefined;
        if (!managed === !selfManaged) throw invalid('A certificate must be either managed or self-managed.');
        if (b['scope'] !== undefined && !isEnumValue('scope', b['scope'])) throw invalid(`Invalid value at 'certificate.scope', ${JSON.stringify(b['scope'])}`);
        if (b['scope'] === 'ALL_REGIONS' && location !== 'global') throw invalid('Scope ALL_REGIONS is allowed only for global certificates.');
        if (b['scope'] === 'DEFAULT') delete b['scope'];
        if (managed) {
          const domains = (managed['domains'] as Json[] | undefined) ?? [];
          if (domains.length === 0 || domains.length > 100) throw invalid('A managed certificate needs 1 to 100 domains.');
          for (const d of domains) if (typeof d !== 'string' || !DOMAIN.test(d.replace(/^\*\./, ''))) throw invalid(`Invalid domain ${JSON.stringify(d)}.`);
          const authorizations = ((managed['dnsAuthorizations'] as Json[] | undefined) ?? []).map(String);
          const authorized = new Set<string>();
          for (const a of authorizations) {
            const auth = store.get<JsonObject>(a);
            if (!auth) throw invalid(`dnsAuthorization "${a}" not found.`);
            if (!a.startsWith(`projects/${project}/locations/${location}/`)) throw invalid(`dnsAuthorization "${a}" must be in location ${location}, like the certificate.`);
            authorized.add(String(auth['domain']));
          }
          if (authorizations.length > 0) {
            for (const d of domains as string[]) {
              if (!authorized.has(d.replace(/^\*\./, ''))) throw invalid(`Domain ${d} is not covered by any of the given DNS authorizations.`);
            }
          } else if ((domains as string[]).some((d) => d.startsWith('*.'))) {
            throw invalid('Wildcard domains need DNS authorization.');
          } else if (location !== 'global') {
            throw invalid('Regional Google-managed certificates need DNS authorizations.');
          }
          b['managed'] = { domains, ...(authorizations.length ? { dnsAuthorizations: authorizations } : {}), state: 'PROVISIONING', authorizationAttemptInfo: (domains as string[]).map((domain) => ({ domain, state: 'AUTHORIZING' })) };
        } else {
          const pem = selfManaged!['pemCertificate'];
          const key = selfManaged!['pemPrivateKey'];
          // Google answered 200 to a create whose recorded request has no key (certificate__selfmanaged):
          // the key is not required here; one that is given must match. A certificate without a key
          // cannot be served by the data plane.
          if (typeof pem !== 'string' || (key !== undefined && typeof key !== 'string')) throw invalid('A self-managed certificate needs pemCertificate (and pemPrivateKey to be served).');
          let cert: X509Certificate;
          try {
            cert = new X509Certificate(pem);
            if (typeof key === 'string' && !cert.checkPrivateKey(createPrivateKey(key))) throw new Error('mismatch');
          } catch {
            throw invalid('The certificate or private key is invalid, or they do not match.');
          }
          // As recorded, the answer carries selfManaged.pemCertificate; never the private key.
          b['selfManaged'] = { pemCertificate: pem };
          b['pemCertificate'] = pem;
          b['sanDnsnames'] = (cert.subjectAltName ?? '').split(/,\s*/).filter((s) => s.startsWith('DNS:')).map((s) => s.slice(4));
          b['expireTime'] = new Date(cert.validTo).toISOString();
          if (typeof key === 'string') b['__privateKey'] = key;
        }
        return b;
      }
      case 'certificateMaps':
        return b;
      case 'trustConfigs': {
        checkTrustStores(b);
        return pemsEndingInNewline(b);
      }
      case 'certificateMapEntries': {
        const hostname = b['hostname'];
        const primary = b['matcher'] === 'PRIMARY';
        if ((hostname === undefined) === !primary) throw invalid('A certificate map entry needs either a hostname or the PRIMARY matcher.');
        if (hostname !== undefined && (typeof hostname !== 'string' || !DOMAIN.test(hostname.replace(/^\*\./, '')))) throw invalid(`Invalid hostname ${JSON.stringify(hostname)}.`);
        for (const e of children(parent, 'certificateMapEntries')) {
          if (primary && e['matcher'] === 'PRIMARY') throw invalid(`Certificate map ${parent} already has a PRIMARY entry (${e['name']}).`);
          if (hostname !== undefined && e['hostname'] === hostname) throw ApiError.rpc(409, `Certificate map ${parent} already has an entry for ${hostname} (${e['name']}).`, 'ALREADY_EXISTS');
        }
        checkEntryCertificates(b, project);
        // As recorded (certificatemapentry): an entry is answered without a state.
        return b;
      }
    }
  };

  /** Google stores every PEM with a final newline (recorded: sent without, answered with). */
  const pemsEndingInNewline = (b: JsonObject): JsonObject => {
    const walk = (v: Json): Json => {
      if (Array.isArray(v)) return v.map(walk);
      if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k === 'pemCertificate' && typeof x === 'string' ? `${x.trimEnd()}\n` : walk(x as Json)]));
      return v;
    };
    return walk(b) as JsonObject;
  };

  /** A trust config's stores: at most one, each certificate a PEM that parses (Google's TrustConfig reference). */
  const checkTrustStores = (b: JsonObject): void => {
    const stores = (b['trustStores'] as JsonObject[] | undefined) ?? [];
    if (!Array.isArray(stores)) throw invalid('trustStores must be a list.');
    if (stores.length > 1) throw invalid('Only one trust store is supported.');
    const pems = [
      ...stores.flatMap((st, i) => [
        ...(((st['trustAnchors'] as JsonObject[] | undefined) ?? []).map((a, j) => [`trustStores[${i}].trustAnchors[${j}]`, a['pemCertificate']] as const)),
        ...(((st['intermediateCas'] as JsonObject[] | undefined) ?? []).map((a, j) => [`trustStores[${i}].intermediateCas[${j}]`, a['pemCertificate']] as const)),
      ]),
      ...(((b['allowlistedCertificates'] as JsonObject[] | undefined) ?? []).map((a, j) => [`allowlistedCertificates[${j}]`, a['pemCertificate']] as const)),
    ];
    for (const [field, pem] of pems) {
      try {
        new X509Certificate(String(pem ?? ''));
      } catch {
        throw invalid(`${field}.pemCertificate is not a PEM certificate.`);
      }
    }
  };

  const checkEntryCertificates = (b: JsonObject, project: string): void => {
    for (const c of ((b['certificates'] as Json[] | undefined) ?? []).map(String)) {
      if (!store.get(c)) throw invalid(`certificate "${c}" not found.`);
      if (!c.startsWith(`projects/${project}/locations/global/`)) throw invalid(`certificate "${c}" must be global to be in a certificate map.`);
    }
  };

  /** Why a resource cannot be deleted: another one uses it. */
  const usedBy = (collection: Collection, name: string): string | undefined => {
    const refers = (value: Json | undefined): boolean => JSON.stringify(value ?? null).includes(`"${name}"`) || JSON.stringify(value ?? null).includes(`certificatemanager.googleapis.com/${name}"`);
    if (collection === 'dnsAuthorizations') return allOf('certificates').find((c) => refers((c['managed'] as JsonObject | undefined)?.['dnsAuthorizations']))?.['name'] as string | undefined;
    if (collection === 'certificates') {
      const entry = allOf('certificateMapEntries').find((e) => refers(e['certificates']));
      if (entry) return String(entry['name']);
    }
    if (collection === 'certificateMaps') {
      const entry = children(name, 'certificateMapEntries')[0];
      if (entry) return String(entry['name']);
    }
    if (collection === 'trustConfigs') {
      const policy = store.entries().find(([k, v]) => /\/serverTlsPolicies\/[^/]+$/.test(k) && refers(((v as JsonObject)['mtlsPolicy'] as JsonObject | undefined)?.['clientValidationTrustConfig']));
      if (policy) return policy[0];
    }
    if (collection === 'certificates' || collection === 'certificateMaps') {
      const proxy = store.entries().find(([k, v]) => /\/targetHttpsProxies\/[^/]+$/.test(k) && refers(collection === 'certificates' ? (v as JsonObject)['sslCertificates'] : (v as JsonObject)['certificateMap']));
      if (proxy) return proxy[0];
    }
    return undefined;
  };

  // ---- routes ----

  const install = (collection: Collection, base: string, parentOf: (p: Record<string, string>) => string) => {
    const idParam = `${SINGULAR[collection]}Id`;
    const nameOf = (p: Record<string, string>) => `${parentOf(p)}/${collection}/${p['id']}`;
    // A finished operation's response carries the resource without its labels, as Google's do
    // (a trust config's keeps them: recorded).
    const typed = (r: JsonObject): JsonObject => {
      const { labels: _labels, ...rest } = r;
      return { '@type': `${TYPE_PREFIX}${MESSAGE_TYPE[collection]}`, ...(collection === 'trustConfigs' ? r : rest) };
    };
    // Trust config changes are answered done at once, without the response (recorded).
    const answer = (op: JsonObject, req: ApiRequest) => json(collection === 'trustConfigs' && !req.operationFault ? { ...op, done: true } : op);

    router.add('GET', `${base}/${collection}`, (req, p) => {
      const items = children(parentOf(p), collection).map((r) => out(req, r));
      return json(items.length ? { [collection]: items } : {});
    }, rpc);

    router.add('GET', `${base}/${collection}/:id`, (req, p) => json(out(req, load(collection, nameOf(p)))), rpc);

    router.add('POST', `${base}/${collection}`, (req, p) => {
      const parent = parentOf(p);
      if (collection === 'certificateMapEntries') load('certificateMaps', parent);
      const id = req.query.get(idParam) ?? '';
      if (!RESOURCE_ID.test(id)) throw invalid(`Invalid ${idParam} "${id}": it must be 1-63 lower-case letters, digits or hyphens, starting with a letter.`);
      const name = `${parent}/${collection}/${id}`;
      if (store.has(name)) throw ApiError.rpc(409, `Resource '${name}' already exists`, 'ALREADY_EXISTS');
      const { __privateKey: privateKey, ...body } = validate(collection, p['project']!, p['location']!, (req.body ?? {}) as JsonObject, parent);
      const now = at();
      // As recorded: certificates are answered without create or update time, map entries without an
      // update time; the others with both.
      const resource: JsonObject =
        collection === 'certificates' ? { ...body, name } : collection === 'certificateMapEntries' ? { ...body, name, createTime: now } : { ...body, name, createTime: now, updateTime: now };
      if (collection === 'trustConfigs') resource['etag'] = etag();
      const op = startOperation(p['location']!, p['project']!, name, 'create', req, () => {
        if (typeof privateKey === 'string') store.put(privateKeyPath(name), { pem: privateKey });
        store.put(name, resource);
        return typed(resource);
      });
      // A per-project DNS authorization is answered done at once (recorded), without its response.
      if (collection === 'dnsAuthorizations' && resource['type'] === 'PER_PROJECT_RECORD' && !req.operationFault) return json({ ...op, done: true });
      return answer(op, req);
    }, rpc);

    router.add('PATCH', `${base}/${collection}/:id`, (req, p) => {
      const name = nameOf(p);
      const current = load(collection, name);
      const mask = (req.query.get('updateMask') ?? '').split(',').map((s) => s.trim().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())).filter(Boolean);
      if (mask.length === 0) throw invalid('updateMask is required.');
      const bad = mask.filter((f) => !MUTABLE[collection].includes(f));
      if (bad.length > 0) throw invalid(`Field(s) ${bad.join(', ')} cannot be updated; updatable: ${MUTABLE[collection].join(', ')}.`);
      const body = convertEnums((req.body ?? {}) as JsonObject, 'name');
      const next: JsonObject = collection === 'certificates' || collection === 'certificateMapEntries' ? { ...current } : { ...current, updateTime: at() };
      for (const f of mask) {
        if (body[f] === undefined) delete next[f];
        else next[f] = body[f]!;
      }
      if (collection === 'certificateMapEntries') checkEntryCertificates(next, p['project']!);
      if (collection === 'trustConfigs') {
        checkTrustStores(next);
        Object.assign(next, pemsEndingInNewline(next), { etag: etag() });
      }
      const op = startOperation(p['location']!, p['project']!, name, 'update', req, () => {
        store.put(name, next);
        return typed(next);
      });
      return answer(op, req);
    }, rpc);

    router.add('DELETE', `${base}/${collection}/:id`, (req, p) => {
      const name = nameOf(p);
      load(collection, name);
      const user = usedBy(collection, name);
      if (user) throw ApiError.rpc(400, `${SINGULAR[collection]} "${name}" is in use by "${user}"; remove that reference first.`, 'FAILED_PRECONDITION');
      const op = startOperation(p['location']!, p['project']!, name, 'delete', req, () => {
        store.delete(name);
        store.delete(privateKeyPath(name));
        return { '@type': 'type.googleapis.com/google.protobuf.Empty' };
      });
      return answer(op, req);
    }, rpc);
  };

  const base = '/v1/projects/:project/locations/:location';
  const locationOf = (p: Record<string, string>) => `projects/${p['project']}/locations/${p['location']}`;
  install('dnsAuthorizations', base, locationOf);
  install('certificates', base, locationOf);
  install('certificateMaps', base, locationOf);
  install('trustConfigs', base, locationOf);
  install('certificateMapEntries', `${base}/certificateMaps/:map`, (p) => `${locationOf(p)}/certificateMaps/${p['map']}`);

  // ---- operations ----

  const loadOp = (p: Record<string, string>): JsonObject => {
    const name = `${locationOf(p)}/operations/${p['operation']}`;
    const op = store.get<JsonObject>(name);
    if (!op) throw ApiError.rpc(404, `Operation '${name}' not found.`);
    return op;
  };
  const opOut = (req: ApiRequest, op: JsonObject): JsonObject => (op['response'] ? { ...op, response: out(req, op['response'] as JsonObject) } : op);
  router.add('GET', `${base}/operations/:operation`, (req, p) => json(opOut(req, loadOp(p))), rpc);
  router.add('GET', `${base}/operations`, (req, p) => {
    const ops = store.list<JsonObject>(`${locationOf(p)}/operations`).map(([, v]) => opOut(req, v));
    return json(ops.length ? { operations: ops } : {});
  }, rpc);
  router.add('DELETE', `${base}/operations/:operation`, (_req, p) => {
    store.delete(String(loadOp(p)['name']));
    return json({});
  }, rpc);
}
