/**
 * Certificate Manager resource paths as the HTTPS proxy references them:
 * `//certificatemanager.googleapis.com/projects/P/locations/L/<collection>/N`. Pure.
 */

export interface CertManagerRef {
  project: string;
  location: string;
  collection: 'certificates' | 'certificateMaps';
  name: string;
}

const CERT_MANAGER_PATH =
  /^(?:\/\/certificatemanager\.googleapis\.com\/|https:\/\/certificatemanager\.googleapis\.com\/v1\/)?projects\/([^/]+)\/locations\/([^/]+)\/(certificates|certificateMaps)\/([^/]+)$/;

export function parseCertManagerRef(value: string): CertManagerRef | undefined {
  const match = CERT_MANAGER_PATH.exec(value);
  if (!match) return undefined;
  const [, project, location, collection, name] = match as unknown as [string, string, string, CertManagerRef['collection'], string];
  return { project, location, collection, name };
}
