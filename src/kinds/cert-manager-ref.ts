/**
 * Certificate Manager resource paths as the HTTPS proxy references them:
 * `//certificatemanager.googleapis.com/projects/P/locations/L/<collection>/N`, and as Certificate
 * Manager resources reference each other: the same without the service prefix. Pure.
 */

/** The prefix Compute Engine references to Certificate Manager resources carry. */
export const CERT_MANAGER_PREFIX = '//certificatemanager.googleapis.com/';

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

/** A Certificate Manager path without the service prefix (how one Certificate Manager resource names another). */
export function certManagerName(path: string): string {
  return path.startsWith(CERT_MANAGER_PREFIX) ? path.slice(CERT_MANAGER_PREFIX.length) : path;
}
