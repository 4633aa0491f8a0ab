/**
 * The verification report: one entry per check, each saying whether it passed and, when not, why
 * and what to do. This is the `verify` JSON document of docs/cli.md:
 * `{"ok": bool, "checks": [{"id", "ok", "detail", ...}]}`.
 *
 * Contract:
 * - A check's `status` is `pass`, `fail` or `skipped` (could not be run from here, or does not apply;
 *   `detail` says which and why). `ok` is `status !== 'fail'`; the report is ok when every check is.
 * - `items` detail a check per thing it looked at (a domain, a request, a certificate, a service),
 *   each with its own ok, detail and hint.
 * - `hint` says what to do; `records` (dns) lists the exact DNS records to create.
 * Pure data.
 */

export type CheckId = 'dns' | 'http' | 'https' | 'tls' | 'mtls' | 'routes' | 'certificate' | 'ingress' | 'iap';
export type CheckStatus = 'pass' | 'fail' | 'skipped';

export interface CheckItem {
  /** What was looked at: `www.example.com`, `GET https://api.example.com/`, `web (europe-west1)`. */
  name: string;
  ok: boolean;
  detail: string;
  hint?: string;
}

export interface CheckResult {
  id: CheckId;
  ok: boolean;
  status: CheckStatus;
  /** One line: what was found. */
  detail: string;
  /** What to do when the check did not pass (or a caveat when it was skipped). */
  hint?: string;
  items?: CheckItem[];
  /** dns only: the records to create, one zone-file line each (`www.example.com. 300 IN A 34.1.2.3`). */
  records?: string[];
}

export interface VerifyReport {
  ok: boolean;
  checks: CheckResult[];
  /** Wall time of the whole verification, in ms. */
  elapsedMs: number;
}

/** A check result from its items: failed when any item failed. */
export function fromItems(id: CheckId, items: CheckItem[], okDetail: string, extra: { hint?: string; records?: string[]; failDetail?: string } = {}): CheckResult {
  const failed = items.filter((i) => !i.ok);
  const ok = failed.length === 0;
  const result: CheckResult = {
    id,
    ok,
    status: ok ? 'pass' : 'fail',
    detail: ok ? okDetail : (extra.failDetail ?? `${failed.length} of ${items.length} failed: ${failed.map((f) => f.name).join(', ')}`),
    items,
  };
  const hint = extra.hint ?? failed.map((f) => f.hint).find((h) => h !== undefined);
  if (!ok && hint !== undefined) result.hint = hint;
  if (extra.records && extra.records.length > 0) result.records = extra.records;
  return result;
}

export function skipped(id: CheckId, detail: string, hint?: string): CheckResult {
  return { id, ok: true, status: 'skipped', detail, ...(hint !== undefined ? { hint } : {}) };
}

export function failed(id: CheckId, detail: string, hint?: string): CheckResult {
  return { id, ok: false, status: 'fail', detail, ...(hint !== undefined ? { hint } : {}) };
}

export function makeReport(checks: CheckResult[], elapsedMs: number): VerifyReport {
  return { ok: checks.every((c) => c.ok), checks, elapsedMs };
}

export interface VerifyReportJson {
  ok: boolean;
  checks: Array<Pick<CheckResult, 'id' | 'ok' | 'status' | 'detail' | 'hint' | 'records' | 'items'>>;
  elapsedMs: number;
}

/** The docs/cli.md JSON document (stable key order). */
export function reportJson(report: VerifyReport): VerifyReportJson {
  return {
    ok: report.ok,
    checks: report.checks.map((c) => ({
      id: c.id,
      ok: c.ok,
      status: c.status,
      detail: c.detail,
      ...(c.hint !== undefined ? { hint: c.hint } : {}),
      ...(c.records ? { records: c.records } : {}),
      ...(c.items ? { items: c.items } : {}),
    })),
    elapsedMs: Math.round(report.elapsedMs),
  };
}
