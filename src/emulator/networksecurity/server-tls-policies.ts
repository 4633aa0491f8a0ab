/**
 * Network Security API (v1 and v1beta1): server TLS policies, what a target HTTPS proxy's
 * `serverTlsPolicy` points at for mutual TLS (the networksecurity__servertlspolicy__crud recording;
 * Google's ServerTlsPolicy reference beyond it). Behaviour spec: docs/emulator.md, "Network Security".
 *
 * - `projects/P/locations/L/serverTlsPolicies/N`, created with `?serverTlsPolicyId=N` (1-63
 *   letters, digits, hyphens, starting with a letter), patched with an `updateMask`, deleted.
 * - A load balancer's policy has `mtlsPolicy {clientValidationMode: REJECT_INVALID |
 *   ALLOW_INVALID_OR_MISSING_CLIENT_CERT, clientValidationTrustConfig}`; the trust config must exist
 *   (Certificate Manager, same project); `allowOpen` and `serverCertificate` are for Traffic Director.
 * - create, patch and delete answer an operation `{name, metadata}` at once (the change is visible
 *   at once); it is done after opLatencyMs with `response` (the policy, or google.protobuf.Empty).
 *   Operations are read under the version they were made in (`/v1beta1/.../operations/O`).
 * - Deleting a policy a target HTTPS proxy uses is 400 FAILED_PRECONDITION.
 */
import type { EmulatorContext } from '../core/context.js';
import { ApiError, json, type ApiRequest } from '../core/http.js';
import type { JsonObject } from '../core/store.js';
import { operationStartOptions } from '../core/operations.js';

const ID = /^[a-zA-Z][a-zA-Z0-9-]{0,62}$/;
const MODES = ['REJECT_INVALID', 'ALLOW_INVALID_OR_MISSING_CLIENT_CERT'];
const GRPC_CODE: Record<number, number> = { 400: 3, 403: 7, 404: 5, 409: 6, 429: 8, 500: 13, 503: 14 };
const invalid = (message: string) => ApiError.rpc(400, message, 'INVALID_ARGUMENT');

export function installNetworkSecurityApi(ctx: EmulatorContext): void {
  const { store, router } = ctx;
  const rpc = { errorStyle: 'rpc' as const };
  const at = () => ctx.now().toISOString();

  for (const version of ['v1', 'v1beta1'] as const) {
    const base = `/${version}/projects/:project/locations/:location`;
    const parentOf = (p: Record<string, string>) => `projects/${p['project']}/locations/${p['location']}`;
    const nameOf = (p: Record<string, string>) => `${parentOf(p)}/serverTlsPolicies/${p['id']}`;
    const typeName = `type.googleapis.com/google.cloud.networksecurity.${version}`;
    const load = (name: string): JsonObject => {
      const found = store.get<JsonObject>(name);
      if (!found) throw ApiError.rpc(404, `Resource '${name}' was not found`);
      return found;
    };

    const check = (body: JsonObject, project: string): JsonObject => {
      const out: JsonObject = {};
      for (const k of ['description', 'labels', 'allowOpen', 'serverCertificate']) if (body[k] !== undefined) out[k] = body[k]!;
      const mtls = body['mtlsPolicy'] as JsonObject | undefined;
      if (mtls !== undefined) {
        const mode = mtls['clientValidationMode'];
        if (mode !== undefined && !MODES.includes(String(mode))) throw invalid(`Invalid value for mtls_policy.client_validation_mode: ${JSON.stringify(mode)}.`);
        const trust = mtls['clientValidationTrustConfig'];
        if (trust !== undefined) {
          const path = String(trust).replace(/^\/\/certificatemanager\.googleapis\.com\//, '');
          if (!path.startsWith(`projects/${project}/`) || !/\/trustConfigs\/[^/]+$/.test(path)) throw invalid(`mtls_policy.client_validation_trust_config must be a trust config of project ${project}.`);
          if (!store.get(path)) throw invalid(`Trust config ${path} not found.`);
        }
        out['mtlsPolicy'] = mtls;
      }
      return out;
    };

    const operate = (req: ApiRequest, p: Record<string, string>, target: string, verb: string, finish: () => JsonObject): JsonObject => {
      const fault = req.operationFault;
      const name = `${parentOf(p)}/operations/operation-${ctx.ids.uuid()}`;
      const metadata: JsonObject = { '@type': `${typeName}.OperationMetadata`, apiVersion: version, createTime: at(), target, verb };
      const op: JsonObject = { name, metadata };
      store.put(name, op);
      const response = fault ? undefined : finish();
      ctx.operations.start(name, () => {
        const current = store.get<JsonObject>(name);
        if (!current) return;
        const done: JsonObject = { ...current, done: true, metadata: { ...(current['metadata'] as JsonObject), endTime: at() } };
        if (fault) done['error'] = { code: GRPC_CODE[fault.httpErrorStatusCode] ?? 2, message: fault.httpErrorMessage || fault.errors[0]?.message || 'operation failed' };
        else done['response'] = response!;
        store.put(name, done);
      }, operationStartOptions(req));
      return op;
    };
    const typed = (r: JsonObject): JsonObject => ({ '@type': `${typeName}.ServerTlsPolicy`, ...r });

    router.add('GET', `${base}/serverTlsPolicies`, (_req, p) => {
      const prefix = `${parentOf(p)}/serverTlsPolicies/`;
      const items = store.entries().filter(([k]) => k.startsWith(prefix) && !k.slice(prefix.length).includes('/')).map(([, v]) => v as JsonObject);
      return json(items.length ? { serverTlsPolicies: items } : {});
    }, rpc);
    router.add('GET', `${base}/serverTlsPolicies/:id`, (_req, p) => json(load(nameOf(p))), rpc);
    router.add('POST', `${base}/serverTlsPolicies`, (req, p) => {
      const id = req.query.get('serverTlsPolicyId') ?? '';
      if (!ID.test(id)) throw invalid(`Invalid serverTlsPolicyId "${id}": 1-63 letters, digits or hyphens, starting with a letter.`);
      const name = `${parentOf(p)}/serverTlsPolicies/${id}`;
      if (store.has(name)) throw ApiError.rpc(409, `Resource '${name}' already exists`, 'ALREADY_EXISTS');
      const now = at();
      const resource: JsonObject = { ...check((req.body ?? {}) as JsonObject, p['project']!), createTime: now, name, updateTime: now };
      return json(operate(req, p, name, 'create', () => {
        store.put(name, resource);
        return typed(resource);
      }));
    }, rpc);
    router.add('PATCH', `${base}/serverTlsPolicies/:id`, (req, p) => {
      const name = nameOf(p);
      const current = load(name);
      const mask = (req.query.get('updateMask') ?? '').split(',').map((s) => s.trim().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())).filter(Boolean);
      const body = check((req.body ?? {}) as JsonObject, p['project']!);
      const next: JsonObject = { ...current, updateTime: at() };
      for (const f of mask.length > 0 ? mask : Object.keys(body)) {
        if (body[f] === undefined) delete next[f];
        else next[f] = body[f]!;
      }
      return json(operate(req, p, name, 'update', () => {
        store.put(name, next);
        return typed(next);
      }));
    }, rpc);
    router.add('DELETE', `${base}/serverTlsPolicies/:id`, (req, p) => {
      const name = nameOf(p);
      load(name);
      const user = store.entries().find(([k, v]) => /\/targetHttpsProxies\/[^/]+$/.test(k) && String((v as JsonObject)['serverTlsPolicy'] ?? '').endsWith(name));
      if (user) throw ApiError.rpc(400, `Server TLS policy ${name} is in use by ${user[0]}; remove that reference first.`, 'FAILED_PRECONDITION');
      return json(operate(req, p, name, 'delete', () => {
        store.delete(name);
        return { '@type': 'type.googleapis.com/google.protobuf.Empty' };
      }));
    }, rpc);
    if (version === 'v1beta1') {
      // v1 operations are answered by the Certificate Manager module's route (same path, same store).
      router.add('GET', `${base}/operations/:operation`, (_req, p) => json(load(`${parentOf(p)}/operations/${p['operation']}`)), rpc);
    }
  }
}
