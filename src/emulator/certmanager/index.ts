/**
 * The Certificate Manager module: the v1 REST API (cert-manager-api.ts). Managed certificates
 * become ACTIVE through the data plane module, which holds the emulator CA and the DNS view.
 */
import type { EmulatorContext, EmulatorModule } from '../core/context.js';
import { installCertificateManagerApi } from './cert-manager-api.js';

export const certificateManagerModule: EmulatorModule = {
  name: 'certificatemanager',
  install(ctx: EmulatorContext) {
    installCertificateManagerApi(ctx);
  },
};
