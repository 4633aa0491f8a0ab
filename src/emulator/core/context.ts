/**
 * What every API module of the emulator gets: the shared store, the router, the options, the clock,
 * the operation timer, the fault engine, and hooks for start-up/reset and shutdown.
 *
 * A module (`EmulatorModule`) adds its routes in `install` and may register:
 * - `onReset(fn)`: run once every module is installed (start-up) and again after every
 *   `POST /_emulator/reset`, each time with an empty store. The seed loader uses it.
 * - `onClose(fn)`: run when the emulator stops (close servers, clear timers), in reverse order.
 * - `seeders[api]`: a function that creates one resource of that API directly in the store, with
 *   the defaults the API fills in, without an operation (for the seed loader). Compute registers
 *   `seeders.compute` (see src/emulator/compute/seeder.ts for the collections it takes).
 * - `hosts[name] = "host:port"`: named endpoints it serves besides the HTTP API (e.g. `dns`),
 *   printed by the foreground runner and listed by `/_emulator/`.
 */
import type { IdSource } from './ids.js';
import type { FaultEngine, FaultPlan } from './faults.js';
import type { Router } from './http.js';
import type { OperationTracker } from './operations.js';
import type { Json, JsonObject, ResourceStore } from './store.js';

export interface EmulatorOptions {
  /** TCP port of the HTTP API; 0 (default) picks a free one. */
  port?: number;
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** How long every operation stays RUNNING before it is DONE; default 0 (done on the next tick). */
  opLatencyMs?: number;
  /**
   * The seed: a parsed seed document, a path to a JSON/YAML seed file, or `false` for an empty
   * emulator. Default: the built-in demo seed.
   */
  seed?: string | Json | false;
  /** Fault plan: a path to a JSON/YAML file, or a parsed plan. */
  faults?: string | FaultPlan;
  /** Seed for generated ids and addresses, so two runs hand out the same values; default 1. */
  randomSeed?: number;
  /** DNS server (Cloud DNS data plane); `false` to disable. */
  dns?: { port?: number; host?: string } | false;
  /** Loopback data plane for the load balancers; `false` to disable. */
  dataplane?: { host?: string } | false;
  /**
   * How long a Google-managed certificate (Compute or Certificate Manager) stays PROVISIONING once
   * everything it waits for is in place (its domains resolve to its load balancer, or its DNS
   * authorization records resolve); default 0 (ACTIVE on the next check). Google takes 15-60 minutes.
   */
  certificateProvisioningMs?: number;
  /** Fixed clock for tests: every `now()` returns this instant. */
  fixedNow?: Date;
  /** Longest time `.../operations/NAME/wait` blocks before returning a still-RUNNING operation; default 120000 (Google waits ~2 min). */
  waitTimeoutMs?: number;
}

export interface ResolvedEmulatorOptions extends EmulatorOptions {
  port: number;
  host: string;
  opLatencyMs: number;
  seed: string | Json | false | undefined;
  waitTimeoutMs: number;
  randomSeed: number;
}

/** Creates one resource directly in the store (seed loader use): `api`-specific collection names. */
export type Seeder = (project: string, collection: string, body: JsonObject, location?: string) => void;

export type { IdSource };

export interface RequestLogEntry {
  seq: number;
  time: string;
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  durationMs: number;
  /** Indexes of the fault rules that fired for this call. */
  faults?: number[];
  /** A connection-reset fault reset the connection instead of answering. */
  connectionReset?: boolean;
}

export interface EmulatorContext {
  store: ResourceStore;
  router: Router;
  options: ResolvedEmulatorOptions;
  now(): Date;
  operations: OperationTracker;
  faults: FaultEngine;
  ids: IdSource;
  /** API calls served so far (not the `/_emulator/` ones), oldest first. */
  requests: RequestLogEntry[];
  /** Calls `listener` with every API call once it is logged (after it ran, before it is answered). */
  onRequest(listener: (entry: RequestLogEntry) => void): () => void;
  seeders: Record<string, Seeder>;
  hosts: Record<string, string>;
  /** The URL the HTTP API listens on (set once listening). */
  url: string;
  onClose(fn: () => void | Promise<void>): void;
  onReset(fn: () => void | Promise<void>): void;
  /** Clears the store, pending operations, request log and fault counters, then runs the reset hooks. */
  reset(): Promise<void>;
}

export interface EmulatorModule {
  name: string;
  install(ctx: EmulatorContext): void | Promise<void>;
}

export type { Router };
