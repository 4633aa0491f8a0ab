/**
 * What the emulator serves and how gcloud is pointed at it: one list for `serverless-lb emulator
 * --help`, the instructions the running emulator prints, and docs/emulator.md. Imports nothing, so
 * the help can name the APIs without loading the emulator.
 */

/** Every API the emulator serves, with the path prefix it answers under. */
export const SERVED_APIS: ReadonlyArray<{ api: string; paths: string }> = [
  { api: 'Compute Engine API v1 (and beta, for API Gateway NEGs)', paths: '/compute/v1/, /compute/beta/' },
  { api: 'Cloud Run Admin API v2, with IAM policies', paths: '/v2/projects/P/locations/L/services' },
  { api: 'Cloud Run Admin API v1 (Knative), for gcloud run', paths: '/apis/serving.knative.dev/v1/' },
  { api: 'Certificate Manager API v1', paths: '/v1/projects/P/locations/L/{certificates,certificateMaps,dnsAuthorizations,trustConfigs}' },
  { api: 'Network Security API v1 and v1beta1 (server TLS policies)', paths: '/v1/projects/P/locations/L/serverTlsPolicies, /v1beta1/...' },
  { api: 'Cloud DNS API v1', paths: '/dns/v1/projects/P/managedZones' },
  { api: 'Cloud Functions API v1 (reads)', paths: '/v1/projects/P/locations/L/functions' },
  { api: 'App Engine Admin API v1 (reads)', paths: '/v1/apps/APP' },
  { api: 'API Gateway API v1 (reads)', paths: '/v1/projects/P/locations/L/gateways' },
  { api: 'Cloud Resource Manager API v3 (testIamPermissions)', paths: '/v3/projects/P:testIamPermissions' },
  { api: 'Service Usage API v1 (services.list)', paths: '/v1/projects/P/services' },
];

/**
 * The gcloud commands that point a throwaway gcloud configuration at an emulator at `url`
 * (`http://HOST:PORT`). gcloud run prefixes the region to the Cloud Run host
 * (europe-west1-127.0.0.1), so the emulator is also gcloud's proxy.
 */
export function gcloudSetup(url: string, project = 'demo-project'): string[] {
  const { hostname, port } = new URL(url);
  return [
    'export CLOUDSDK_CONFIG=$(mktemp -d)',
    'gcloud config set auth/disable_credentials true',
    `gcloud config set core/project ${project}`,
    `gcloud config set api_endpoint_overrides/compute ${url}/compute/v1/`,
    `gcloud config set api_endpoint_overrides/run ${url}/`,
    `gcloud config set api_endpoint_overrides/dns ${url}/dns/v1/`,
    `gcloud config set api_endpoint_overrides/certificatemanager ${url}/`,
    'gcloud config set proxy/type http',
    `gcloud config set proxy/address ${hostname}`,
    `gcloud config set proxy/port ${port}`,
  ];
}
