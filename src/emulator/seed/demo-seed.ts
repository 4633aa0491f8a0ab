/**
 * The built-in demo seed, used when the emulator gets no seed: the names every example config in
 * docs/examples/ refers to (project demo-project, Cloud Run services in three regions, a 1st gen
 * function, App Engine, API Gateway, the default network with a proxy-only subnet, a reserved
 * address and the example.com zone).
 */
import type { SeedInput } from './seed-schema.js';

const run = (region: string, name: string, extra: Record<string, unknown> = {}) => ({ region, name, ...extra });

export const DEMO_SEED: SeedInput = {
  project: 'demo-project',
  projectNumbers: { 'demo-project': '123456789012' },
  runServices: [
    run('europe-west1', 'web', { tags: ['canary'] }),
    run('europe-west1', 'api'),
    run('europe-west1', 'static'),
    run('europe-west1', 'admin'),
    run('europe-west1', 'hello-fn', { function: true }),
    run('europe-west1', 'internal-api'),
    run('europe-west1', 'web-canary'),
    run('europe-west1', 'internal-api-v2', { ingress: 'INGRESS_TRAFFIC_INTERNAL_ONLY' }),
    run('us-central1', 'web'),
    run('us-central1', 'api'),
    run('us-central1', 'internal-api'),
    run('asia-northeast1', 'web'),
  ],
  functions: [
    { region: 'us-central1', name: 'legacy-fn' },
    { region: 'europe-west1', name: 'legacy-fn' },
  ],
  appEngine: [
    {
      locationId: 'europe-west',
      services: [
        { name: 'default', versions: ['v1', 'v2'] },
        { name: 'admin', versions: ['v1', 'v2'] },
      ],
    },
  ],
  apiGateways: [{ region: 'europe-west1', name: 'demo-gateway' }],
  networks: [
    {
      name: 'default',
      autoCreateSubnetworks: false,
      subnetworks: [
        { name: 'default', region: 'europe-west1', ipCidrRange: '10.132.0.0/20' },
        { name: 'default', region: 'us-central1', ipCidrRange: '10.128.0.0/20' },
        { name: 'default', region: 'asia-northeast1', ipCidrRange: '10.146.0.0/20' },
        {
          name: 'proxy-only-europe-west1',
          region: 'europe-west1',
          ipCidrRange: '10.129.0.0/23',
          purpose: 'REGIONAL_MANAGED_PROXY',
          role: 'ACTIVE',
        },
      ],
    },
  ],
  addresses: [{ name: 'reserved-ip', addressType: 'EXTERNAL', ipVersion: 'IPV4' }],
  dnsZones: [{ name: 'example-com', dnsName: 'example.com.', description: 'Demo public zone', visibility: 'public' }],
};
