/**
 * The registry entries (fields.ts) of a route rule list, for each place one may stand
 * (`routing.routes`, `routing.hosts[].routes`). Config only: a route rule has too many parts for a
 * flag; docs/traffic-management.md shows them at work.
 */
import type { SpecField } from './spec-field.js';
import { HTTP_METHODS, REDIRECT_CODES, RETRY_CONDITIONS } from './route-schema.js';

export function routeRuleFields(at: string, where: string): SpecField[] {
  const f = (key: string, type: string, description: string, fallback?: string): SpecField => ({ key: `${at}${key}`, type, ...(fallback !== undefined ? { default: fallback } : {}), description: `${description} (config only).` });
  return [
    f('', 'object[] (1-200)', `Route rules for ${where}, tried by priority; the first whose match holds answers (instead of path rules)`),
    f('[].priority', 'integer 0-2147483647 (unique)', 'Lower is tried first', 'position x 10'),
    f('[].match', 'object', 'What a request must be to match; empty matches everything', '{pathPrefix: /}'),
    f('[].match.pathPrefix', 'string (path)', 'The path starts with this'),
    f('[].match.path', 'string (path)', 'The path is exactly this'),
    f('[].match.pathRegex', 'string (RE2)', 'The whole path matches this expression (Envoy-based types)'),
    f('[].match.ignoreCase', 'boolean', 'Match pathPrefix, path and pathRegex without regard to case', 'false'),
    f('[].match.headers', 'object[]', 'Header conditions, all of which must hold'),
    f('[].match.headers[].name', 'string', 'The header name'),
    f('[].match.headers[].exact', 'string', 'The header has exactly this value'),
    f('[].match.headers[].prefix', 'string', 'The header value starts with this'),
    f('[].match.headers[].suffix', 'string', 'The header value ends with this'),
    f('[].match.headers[].regex', 'string (RE2)', 'The header value matches this expression (Envoy-based types)'),
    f('[].match.headers[].present', 'boolean', 'The header is present (true) or absent (false)'),
    f('[].match.headers[].invert', 'boolean', 'The rule matches when the condition does not hold', 'false'),
    f('[].match.query', 'object[]', 'Query parameter conditions, all of which must hold'),
    f('[].match.query[].name', 'string', 'The parameter name'),
    f('[].match.query[].exact', 'string', 'The parameter has exactly this value'),
    f('[].match.query[].regex', 'string (RE2)', 'The parameter value matches this expression (Envoy-based types)'),
    f('[].match.query[].present', 'boolean', 'The parameter is present'),
    f('[].match.methods', `(${HTTP_METHODS.join(' | ')})[]`, 'The request method is one of these (classic: one)'),
    f('[].backend', 'string (backend name)', 'Send matching requests to this backend'),
    f('[].backends', 'object[] (2-10)', 'Split matching requests over these backends by weight (not classic)'),
    f('[].backends[].backend', 'string (backend name)', 'A backend of the split'),
    f('[].backends[].weight', 'integer 0-1000', 'Its share, relative to the others (90 and 10: 90 % / 10 %)'),
    f('[].redirect', 'object', 'Redirect matching requests instead'),
    f('[].redirect.host', 'string', 'The host to redirect to', 'the request\'s'),
    f('[].redirect.path', 'string (path)', 'Replaces the whole path'),
    f('[].redirect.prefix', 'string (path)', 'Replaces the matched pathPrefix'),
    f('[].redirect.https', 'boolean', 'Redirect to https', 'false'),
    f('[].redirect.code', REDIRECT_CODES.join(' | '), 'The redirect status', '301'),
    f('[].redirect.stripQuery', 'boolean', 'Drop the query string', 'false'),
    f('[].rewrite', 'object', 'Rewrite the request before the backend gets it'),
    f('[].rewrite.pathPrefix', 'string (path)', 'Replaces the matched path prefix'),
    f('[].rewrite.host', 'string', 'Replaces the Host header'),
    f('[].timeoutSec', 'number seconds > 0', 'How long the load balancer waits for the whole response; then 504 (not classic; the way to give a serverless backend a timeout)', '30 (Google)'),
    f('[].retry', 'object', 'Retry failed requests (not classic)'),
    f('[].retry.attempts', 'integer 1-25', 'Retries after the first try'),
    f('[].retry.on', `(${RETRY_CONDITIONS.join(' | ')})[]`, 'What counts as failed'),
    f('[].retry.perTryTimeoutSec', 'number seconds > 0', 'Time for each try', 'timeoutSec'),
    f('[].requestHeaders', 'object', 'Headers set on or removed from the request (not classic)'),
    f('[].requestHeaders.set', 'map name -> value', 'Headers set, replacing any the request has'),
    f('[].requestHeaders.remove', 'string[]', 'Headers removed'),
    f('[].responseHeaders', 'object', 'Headers set on or removed from the response (not classic)'),
    f('[].responseHeaders.set', 'map name -> value', 'Headers set, replacing any the response has'),
    f('[].responseHeaders.remove', 'string[]', 'Headers removed'),
    f('[].mirror', 'string (backend name)', 'Also send a copy of each matching request to this backend; its answers are dropped (not classic)'),
    f('[].cors', 'object', 'Cross-origin requests: the load balancer answers preflights and adds the Access-Control-* headers (not classic)'),
    f('[].cors.allowOrigins', 'string[]', 'Origins allowed (`https://app.example.com`, or `*`)'),
    f('[].cors.allowMethods', `(${HTTP_METHODS.join(' | ')})[]`, 'Methods allowed'),
    f('[].cors.allowHeaders', 'string[]', 'Request headers allowed'),
    f('[].cors.exposeHeaders', 'string[]', 'Response headers the browser may read'),
    f('[].cors.maxAgeSec', 'integer seconds 0-86400', 'How long a browser may keep a preflight answer'),
    f('[].cors.allowCredentials', 'boolean', 'Requests may carry credentials', 'false'),
  ];
}
