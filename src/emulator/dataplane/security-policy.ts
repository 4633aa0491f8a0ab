/**
 * Cloud Armor security policy evaluation for the data plane, limited to what a loopback request
 * lets the emulator know: the client IP (the socket's address, 127.0.0.1 for local clients), the
 * host, path, method and headers.
 *
 * Evaluated: rules in priority order (lowest number first, first match wins); matches
 * `versionedExpr: SRC_IPS_V1` with `config.srcIpRanges` (IPv4 CIDRs and `*`); CEL expressions made
 * of `inIpRange(origin.ip, 'CIDR')`, `request.path.startsWith('...')`, `request.path.matches('...')`,
 * `request.headers['NAME'] == '...'`, `request.method == '...'`, joined by `&&` / `||` and
 * negated with `!`. A rule whose expression uses anything else never matches.
 * Actions: `allow`; `deny(403|404|502)` answers that status. `throttle`, `rate_based_ban` and
 * `redirect` are treated as allow (rate limits and reCAPTCHA are not emulated). Preview rules
 * (`preview: true`) never act.
 */
import { ipToInt } from '../compute/ip.js';

export interface PolicyRequest {
  clientIp: string;
  host: string;
  path: string;
  method: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface PolicyRule {
  priority?: number;
  action?: string;
  preview?: boolean;
  match?: { versionedExpr?: string; config?: { srcIpRanges?: string[] }; expr?: { expression?: string } };
}

export type PolicyVerdict = { allowed: true; rule?: number } | { allowed: false; status: number; rule: number };

export function ipInRange(ip: string, range: string): boolean {
  if (range === '*') return true;
  const [base, bitsText] = range.split('/');
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  const a = ipToInt(ip);
  const b = ipToInt(base ?? '');
  if (a === undefined || b === undefined || !(bits >= 0 && bits <= 32)) {
    return ip.toLowerCase() === (base ?? '').toLowerCase() && bitsText === undefined;
  }
  const size = 2 ** (32 - bits);
  return Math.floor(a / size) === Math.floor(b / size);
}

function unquote(s: string): string {
  return s.trim().replace(/^['"]|['"]$/g, '');
}

/** Evaluates the supported CEL subset; undefined when the expression uses anything else. */
export function evaluateExpression(expression: string, req: PolicyRequest): boolean | undefined {
  const expr = expression.trim();
  if (expr.startsWith('(') && expr.endsWith(')') && balanced(expr.slice(1, -1))) return evaluateExpression(expr.slice(1, -1), req);
  for (const op of ['||', '&&'] as const) {
    const parts = splitTop(expr, op);
    if (parts.length > 1) {
      const values = parts.map((p) => evaluateExpression(p, req));
      if (values.some((v) => v === undefined)) return undefined;
      return op === '||' ? values.some(Boolean) : values.every(Boolean);
    }
  }
  if (expr.startsWith('!')) {
    const v = evaluateExpression(expr.slice(1), req);
    return v === undefined ? undefined : !v;
  }
  let m = /^inIpRange\(\s*origin\.ip\s*,\s*(['"][^'"]+['"])\s*\)$/.exec(expr);
  if (m) return ipInRange(req.clientIp, unquote(m[1]!));
  m = /^request\.path\.startsWith\(\s*(['"][^'"]*['"])\s*\)$/.exec(expr);
  if (m) return req.path.startsWith(unquote(m[1]!));
  m = /^request\.path\.matches\(\s*(['"][^'"]*['"])\s*\)$/.exec(expr);
  if (m) {
    try {
      return new RegExp(unquote(m[1]!)).test(req.path);
    } catch {
      return undefined;
    }
  }
  m = /^request\.headers\[\s*(['"][^'"]+['"])\s*\]\s*(==|!=)\s*(['"][^'"]*['"])$/.exec(expr);
  if (m) {
    const raw = req.headers[unquote(m[1]!).toLowerCase()];
    const value = Array.isArray(raw) ? raw.join(',') : (raw ?? '');
    return m[2] === '==' ? value === unquote(m[3]!) : value !== unquote(m[3]!);
  }
  m = /^request\.method\s*(==|!=)\s*(['"][^'"]*['"])$/.exec(expr);
  if (m) return m[1] === '==' ? req.method === unquote(m[2]!) : req.method !== unquote(m[2]!);
  return undefined;
}

function balanced(s: string): boolean {
  let depth = 0;
  for (const c of s) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (depth < 0) return false;
  }
  return depth === 0;
}

function splitTop(expr: string, op: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i]!;
    if (quote) {
      if (c === quote && expr[i - 1] !== '\\') quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && expr.startsWith(op, i)) {
      parts.push(expr.slice(start, i));
      start = i + op.length;
      i += op.length - 1;
    }
  }
  parts.push(expr.slice(start));
  return parts;
}

function ruleMatches(rule: PolicyRule, req: PolicyRequest): boolean {
  const match = rule.match;
  if (!match) return false;
  if (match.versionedExpr === 'SRC_IPS_V1') return (match.config?.srcIpRanges ?? []).some((r) => ipInRange(req.clientIp, r));
  if (match.expr?.expression) return evaluateExpression(match.expr.expression, req) === true;
  return false;
}

export function evaluatePolicy(rules: PolicyRule[], req: PolicyRequest): PolicyVerdict {
  const ordered = [...rules].sort((a, b) => (a.priority ?? 2147483647) - (b.priority ?? 2147483647));
  for (const rule of ordered) {
    if (rule.preview || !ruleMatches(rule, req)) continue;
    const action = rule.action ?? 'allow';
    const deny = /^deny\((\d{3})\)$/.exec(action);
    if (deny) return { allowed: false, status: Number(deny[1]), rule: rule.priority ?? 2147483647 };
    return { allowed: true, rule: rule.priority ?? 2147483647 };
  }
  return { allowed: true };
}
