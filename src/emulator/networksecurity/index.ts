/** The Network Security module: server TLS policies for mutual TLS (server-tls-policies.ts). */
import type { EmulatorContext, EmulatorModule } from '../core/context.js';
import { installNetworkSecurityApi } from './server-tls-policies.js';

export const networkSecurityModule: EmulatorModule = {
  name: 'networksecurity',
  install(ctx: EmulatorContext) {
    installNetworkSecurityApi(ctx);
  },
};
