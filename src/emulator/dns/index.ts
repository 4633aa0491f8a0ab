/**
 * The Cloud DNS module: the v1 REST API and the DNS server (UDP, loopback) answering from the zones.
 * The server's address is published as `ctx.hosts.dns` ("127.0.0.1:PORT"); `options.dns: false`
 * turns the server off (the API stays).
 */
import type { EmulatorModule } from '../core/context.js';
import { installDnsApi } from './dns-api.js';
import { ZoneIndex } from './dns-model.js';
import { startDnsServer } from './dns-server.js';

export const dnsModule: EmulatorModule = {
  name: 'dns',
  async install(ctx) {
    installDnsApi(ctx);
    if (ctx.options.dns === false) return;
    const index = new ZoneIndex(ctx.store);
    const server = await startDnsServer(() => index.zones(), {
      host: ctx.options.dns?.host ?? '127.0.0.1',
      port: ctx.options.dns?.port ?? 0,
    });
    ctx.hosts['dns'] = `${server.host}:${server.port}`;
    ctx.onClose(async () => {
      index.close();
      await server.close();
    });
  },
};
