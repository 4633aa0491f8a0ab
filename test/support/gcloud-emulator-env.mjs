/**
 * The environment that points the real gcloud at a running emulator (`url`, `port`) through a
 * throwaway configuration in `configDir`: endpoint overrides per API, no credentials, no prompts,
 * and the emulator as gcloud's HTTP proxy too (gcloud run calls the regional host
 * REGION-127.0.0.1:PORT, which resolves nowhere; the emulator serves absolute-form requests by
 * their path). Shared by the export tests and the benchmark.
 */
export function gcloudEmulatorEnv({ url, port }, configDir, base = process.env) {
  return {
    ...base,
    CLOUDSDK_CONFIG: configDir,
    CLOUDSDK_AUTH_DISABLE_CREDENTIALS: 'true',
    CLOUDSDK_CORE_DISABLE_PROMPTS: '1',
    CLOUDSDK_CORE_DISABLE_USAGE_REPORTING: '1',
    CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE: `${url}/compute/v1/`,
    CLOUDSDK_API_ENDPOINT_OVERRIDES_RUN: `${url}/`,
    CLOUDSDK_API_ENDPOINT_OVERRIDES_DNS: `${url}/dns/v1/`,
    CLOUDSDK_API_ENDPOINT_OVERRIDES_CERTIFICATEMANAGER: `${url}/`,
    CLOUDSDK_API_ENDPOINT_OVERRIDES_NETWORKSECURITY: `${url}/`,
    CLOUDSDK_PROXY_TYPE: 'http',
    CLOUDSDK_PROXY_ADDRESS: '127.0.0.1',
    CLOUDSDK_PROXY_PORT: String(port),
  };
}
