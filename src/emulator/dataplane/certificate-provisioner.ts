/**
 * What the emulator's two certificate provisioners share (compute managed SSL certificates in
 * managed-certs.ts, Certificate Manager certificates in cert-manager-certs.ts): the store, the CA and
 * the DNS zones they check against, the loop that runs their passes, what was issued for each
 * certificate, and when each was first seen (a domain fails only `failAfterMs` after that).
 *
 * Contract for a subclass: `provisions` says which store entries are its certificates; `provision`
 * takes one of them a step further (all of a pass share one `now` and one read of the zones), calling
 * `noteSeen` for a certificate it keeps track of and `failing` to learn whether one has had its time.
 * What was issued and seen for a certificate that left the store is forgotten.
 */
import type { JsonObject, ResourceStore } from '../core/store.js';
import type { ZoneData } from '../dns/dns-resolver.js';
import type { EmulatorCa } from './emulator-ca.js';
import { CheckLoop } from './check-loop.js';

export interface ManagedCertOptions {
  /** How often certificates are re-checked; default 1000 ms. */
  checkIntervalMs?: number;
  /** How long a domain may stay not authorized or not visible before it fails; default 15000 ms. */
  failAfterMs?: number;
  /** How long a certificate stays PROVISIONING once all it waits for is in place; default 0. */
  provisioningMs?: number;
}

export abstract class CertificateProvisioner<Issued> {
  /** What was issued for each certificate path (what makes it the same certificate is the subclass's). */
  protected readonly issued = new Map<string, Issued>();
  private readonly firstSeen = new Map<string, number>();
  /** When each certificate's conditions (visible, authorized) were first found met, without a break since. */
  private readonly readySince = new Map<string, number>();
  private readonly loop: CheckLoop;
  private readonly failAfterMs: number;
  private readonly provisioningMs: number;

  constructor(
    protected readonly store: ResourceStore,
    protected readonly ca: EmulatorCa,
    protected readonly zones: () => ZoneData[],
    options: ManagedCertOptions = {},
  ) {
    this.failAfterMs = options.failAfterMs ?? 15_000;
    this.provisioningMs = options.provisioningMs ?? 0;
    this.loop = new CheckLoop(store, () => this.pass(), options.checkIntervalMs ?? 1000);
  }

  /** Whether the store entry at `path` is a certificate this provisioner provisions. */
  protected abstract provisions(path: string, resource: JsonObject): boolean;

  /** Takes one certificate a step further (issues it, or updates its provisioning state). */
  protected abstract provision(path: string, cert: JsonObject, zones: ZoneData[], now: number): Promise<void>;

  /** One pass over the store's certificates; stops at the next certificate once closed. */
  private async pass(): Promise<void> {
    const certs = this.store.entries().filter(([path, value]) => this.provisions(path, value as JsonObject));
    const present = new Set(certs.map(([path]) => path));
    for (const key of [...this.firstSeen.keys()]) if (!present.has(key)) this.firstSeen.delete(key);
    for (const key of [...this.issued.keys()]) if (!present.has(key)) this.issued.delete(key);
    for (const key of [...this.readySince.keys()]) if (!present.has(key)) this.readySince.delete(key);
    const zones = this.zones();
    const now = Date.now();
    for (const [path, value] of certs) {
      if (this.loop.closed) return;
      await this.provision(path, value as JsonObject, zones, now);
    }
  }

  /** Runs one check pass (serialised with the periodic ones). */
  check(): Promise<void> {
    return this.loop.check();
  }

  close(): Promise<void> {
    return this.loop.close();
  }

  /** Notes the certificate as seen (from `now`, if new). */
  protected noteSeen(path: string, now: number): void {
    if (!this.firstSeen.has(path)) this.firstSeen.set(path, now);
  }

  /**
   * Whether a certificate whose conditions are `met` now may be issued: they have held, unbroken,
   * for `provisioningMs`. A break starts the wait again.
   */
  protected provisioned(path: string, met: boolean, now: number): boolean {
    if (!met) {
      this.readySince.delete(path);
      return false;
    }
    if (!this.readySince.has(path)) this.readySince.set(path, now);
    return now - this.readySince.get(path)! >= this.provisioningMs;
  }

  /** Whether `failAfterMs` has passed since the certificate was first seen (noting it now if new). */
  protected failing(path: string, now: number): boolean {
    this.noteSeen(path, now);
    return now - this.firstSeen.get(path)! >= this.failAfterMs;
  }
}
