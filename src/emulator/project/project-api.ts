/**
 * What a project lets the caller do, as preflight asks Google before changing anything:
 *
 * - Cloud Resource Manager v3 `POST /v3/projects/P:testIamPermissions {permissions}` answers the
 *   permissions the caller holds: every one asked for, but those the seed's `deniedPermissions`
 *   names for the project (the emulator has no accounts).
 * - Service Usage v1 `GET /v1/projects/P/services?filter=state:ENABLED` answers the enabled APIs:
 *   every API the emulator serves, but those the seed's `disabledApis` names for the project.
 *
 * Both read the project's seeded metadata (src/emulator/seed/load-seed.ts); a project that was not
 * seeded denies nothing and has every API on. Errors are google.rpc style.
 */
import type { EmulatorContext, EmulatorModule } from '../core/context.js';
import { ApiError, json } from '../core/http.js';
import type { JsonObject } from '../core/store.js';
import { derivedProjectNumber, projectMetaPath } from '../run/run-model.js';

/** The APIs the emulator serves, by their service names. */
const SERVED_SERVICE_NAMES = [
  'apigateway.googleapis.com',
  'appengine.googleapis.com',
  'certificatemanager.googleapis.com',
  'cloudfunctions.googleapis.com',
  'cloudresourcemanager.googleapis.com',
  'compute.googleapis.com',
  'dns.googleapis.com',
  'iap.googleapis.com',
  'networksecurity.googleapis.com',
  'run.googleapis.com',
  'serviceusage.googleapis.com',
] as const;

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export function installProjectApi(ctx: EmulatorContext): void {
  const { store, router } = ctx;
  const rpc = { errorStyle: 'rpc' as const };
  const meta = (project: string): JsonObject => store.get<JsonObject>(projectMetaPath(project)) ?? {};

  router.add(
    'POST',
    '/v3/projects/:project:testIamPermissions',
    (req, p) => {
      const asked = strings((req.body as JsonObject | undefined)?.['permissions']);
      if (asked.length > 100) throw ApiError.rpc(400, 'At most 100 permissions can be tested in one call.', 'INVALID_ARGUMENT');
      const denied = new Set(strings(meta(p['project']!)['deniedPermissions']));
      const held = asked.filter((permission) => !denied.has(permission));
      return json(held.length ? { permissions: held } : {});
    },
    rpc,
  );

  router.add(
    'GET',
    '/v1/projects/:project/services',
    (req, p) => {
      const project = p['project']!;
      const m = meta(project);
      const disabled = new Set(strings(m['disabledApis']));
      const number = typeof m['projectNumber'] === 'string' ? m['projectNumber'] : derivedProjectNumber(project);
      const filter = req.query.get('filter');
      const all = SERVED_SERVICE_NAMES.map((name) => ({ name, state: disabled.has(name) ? 'DISABLED' : 'ENABLED' }));
      const wanted = filter === 'state:ENABLED' ? all.filter((s) => s.state === 'ENABLED') : filter === 'state:DISABLED' ? all.filter((s) => s.state === 'DISABLED') : all;
      return json({
        services: wanted.map((s) => ({ name: `projects/${number}/services/${s.name}`, parent: `projects/${number}`, state: s.state, config: { name: s.name } })),
      });
    },
    rpc,
  );
}

export const projectModule: EmulatorModule = {
  name: 'projects',
  install(ctx) {
    installProjectApi(ctx);
  },
};
