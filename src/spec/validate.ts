/**
 * validateSpec: shape (the zod schema), defaults that depend on other fields, then every rule of
 * docs/constraints.md that can be checked offline. Every problem is collected and reported at once.
 *
 * Pure except through the injected io: files (the self-managed certificate, the IAP secret file) are
 * read only with io.readFile, the clock only through io.now, the environment only through io.env.
 * Without io.readFile the file checks are skipped; without io.env the secret variable is not looked up.
 * No Problem ever carries a secret or a file's contents.
 */
import type { core } from 'zod/mini';
import { SPEC_FIELDS, normalizeKey } from './fields.js';
import { makeProblem, hasErrors, type Problem } from './problem.js';
import { didYouMean } from './closest-match.js';
import { specSchema, type Spec } from './schema.js';
import { defaultPort, usesNetwork } from './derive.js';
import { BACKEND_KINDS_BY_TYPE, Collector, type SpecIo } from './check-kit.js';
import { checkBackends, checkRegions } from './check-backends.js';
import { checkRouting, checkDomains, checkFrontend } from './check-frontend.js';
import { checkRoutes } from './check-routes.js';
import { checkTls } from './check-tls.js';
import { checkCertificate, checkCdnIap } from './check-certificate.js';
import { checkCloudArmor, checkOutlierDetection, checkKeepAlive, checkIngress, checkInvoker, checkDns, checkMigration } from './check-options.js';

export { BACKEND_KINDS_BY_TYPE, type SpecIo };


export type ValidateResult =
  | { ok: true; spec: Spec; warnings: Problem[] }
  | { ok: false; problems: Problem[] };

/** Validates a SpecInput (from a config file, flags, or both merged). */
export function validateSpec(input: unknown, io: SpecIo = {}): ValidateResult {
  const parsed = specSchema.safeParse(input);
  if (parsed.success) {
    // zod hands out its default values by reference: copy, so completing or changing a Spec never
    // leaks into the next parse.
    const spec = structuredClone(parsed.data);
    const problems = checkSpec(spec, io);
    return hasErrors(problems) ? { ok: false, problems } : { ok: true, spec, warnings: problems };
  }
  const shapeProblems = zodProblems(parsed.error, input);
  // Report the cross-field rules too where the rest of the input still parses without the bad values.
  const removed = issuePaths(parsed.error);
  const pruned = prune(input, removed);
  const retry = pruned === undefined ? undefined : specSchema.safeParse(pruned);
  const ruleProblems = retry?.success
    ? checkSpec(structuredClone(retry.data), io).filter((p) => !removed.some((path) => related(path, p.key)))
    : [];
  return { ok: false, problems: [...shapeProblems, ...ruleProblems] };
}

function related(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}

const SECRET_KEY = /secret|password|passphrase|token|^privateKey$|^key$|^certificate(Pem)?$/i;

/** The value at a zod issue's path in the input. */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let node = input;
  for (const part of path) node = node && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[part] : undefined;
  return node;
}

function zodProblems(error: core.$ZodError, input: unknown): Problem[] {
  const out: Problem[] = [];
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const name of issue.keys) {
        const key = path === '' ? name : `${path}.${name}`;
        if (SECRET_KEY.test(name)) {
          const isKey = /key|certificate/i.test(name);
          out.push(
            makeProblem(
              'error',
              key,
              'secrets and file contents are never taken inline in the config',
              isKey
                ? 'use certificate.certificateFile and certificate.privateKeyFile (paths to PEM files)'
                : 'use options.iap.oauth2ClientSecretFile (a file path) or options.iap.oauth2ClientSecretEnv (a variable name)',
              'secret-inline',
            ),
          );
        } else {
          const known = childKeys(path);
          out.push(makeProblem('error', key, `unknown key "${name}"`, known.length ? `keys allowed here: ${known.join(', ')}` : 'remove it (docs/config.md lists every key)'));
        }
      }
      continue;
    }
    const field = SPEC_FIELDS.find((f) => f.key === normalizeKey(path));
    let message = issue.message;
    if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) message = 'is required';
    if (issue.code === 'invalid_value') {
      // Echo what was given (a flag's or a key's value) and the nearest allowed one.
      const given = valueAt(input, issue.path);
      const allowed = issue.values.map(String);
      message = `${JSON.stringify(given)} is not one of ${allowed.join(', ')}${typeof given === 'string' ? didYouMean(given, allowed) : ''}`;
    }
    const hint = field ? `expected ${field.type}` : 'see docs/config.md';
    out.push(makeProblem('error', path, message, hint));
  }
  return out;
}

function childKeys(path: string): string[] {
  const parent = normalizeKey(path);
  const prefix = parent === '' ? '' : `${parent}.`;
  const names = new Set<string>();
  for (const field of SPEC_FIELDS) {
    if (!field.key.startsWith(prefix)) continue;
    const rest = field.key.slice(prefix.length);
    const name = rest.split('.')[0]?.replace(/\[\]$/, '');
    if (name) names.add(name);
  }
  return [...names];
}

function issuePaths(error: core.$ZodError): string[] {
  const paths: string[] = [];
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') for (const k of issue.keys) paths.push(path === '' ? k : `${path}.${k}`);
    else paths.push(path);
  }
  return paths;
}

/**
 * A deep copy of the input without the object properties at the given dotted paths; undefined when a
 * path is the whole input or an array element (removing one would shift the indexes problems name).
 */
function prune(input: unknown, paths: string[]): unknown {
  let copy: unknown;
  try {
    copy = structuredClone(input);
  } catch {
    return undefined;
  }
  for (const path of paths) {
    const parts = path.split('.');
    const last = parts.at(-1)!;
    if (path === '' || /^\d+$/.test(last)) return undefined;
    let node: unknown = copy;
    for (const part of parts.slice(0, -1)) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
    if (node && typeof node === 'object' && !Array.isArray(node)) delete (node as Record<string, unknown>)[last];
  }
  return copy;
}

/**
 * Fills the defaults that depend on other fields, in place: frontend.port, routing.defaultBackend,
 * each host rule's defaultBackend, and frontend.network for the types that live in a VPC.
 */
function complete(spec: Spec): void {
  spec.frontend.port ??= defaultPort(spec.frontend.protocol);
  if (spec.routing.defaultBackend === undefined && spec.backends[0]) spec.routing.defaultBackend = spec.backends[0].name;
  for (const rule of spec.routing.hosts) rule.defaultBackend ??= spec.routing.defaultBackend;
  if (usesNetwork(spec.type)) spec.frontend.network ??= { network: 'default', subnet: 'default', proxyOnlySubnet: { mode: 'existing' } };
}

/** Runs every rule on a shape-valid Spec (completing its defaults) and returns errors and warnings. */
function checkSpec(spec: Spec, io: SpecIo): Problem[] {
  const c = new Collector();
  const original = {
    defaultBackend: spec.routing.defaultBackend,
    network: spec.frontend.network,
  };
  complete(spec);
  checkBackends(spec, c);
  checkRegions(spec, c);
  checkRouting(spec, c, original.defaultBackend === undefined);
  checkRoutes(spec, c);
  checkDomains(spec, c);
  checkFrontend(spec, c, original.network !== undefined);
  checkCertificate(spec, c, io);
  checkTls(spec, c, io);
  checkCdnIap(spec, c, io);
  checkCloudArmor(spec, c);
  checkOutlierDetection(spec, c);
  checkKeepAlive(spec, c);
  checkIngress(spec, c);
  checkInvoker(spec, c);
  checkDns(spec, c);
  checkMigration(spec, c);
  return c.problems;
}
