/**
 * Google's HTTP batch protocol (`POST /batch/...`, multipart/mixed of `application/http` parts),
 * which gcloud uses when one command touches several resources (e.g. `delete A B`).
 * Each part is served as a separate API call (logged and subject to faults like any other); the
 * answer is a multipart/mixed body whose parts carry `Content-ID: <response-ID>` and a full HTTP
 * response, as Google's batch endpoint answers.
 */
import type { ApiResponse } from './http.js';

export interface BatchPart {
  contentId?: string;
  method: string;
  /** Path and query (a full URL is reduced to them). */
  url: string;
  headers: Record<string, string>;
  body: string;
}

function splitHead(text: string): [string, string] {
  const m = /\r?\n\r?\n/.exec(text);
  return m ? [text.slice(0, m.index), text.slice(m.index + m[0].length)] : [text, ''];
}

function parseHeaders(block: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of block.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return out;
}

export function boundaryOf(contentType: string | undefined): string | undefined {
  const m = /boundary="?([^";]+)"?/i.exec(contentType ?? '');
  return m?.[1];
}

export function parseBatch(body: string, boundary: string): BatchPart[] {
  const parts: BatchPart[] = [];
  for (const chunk of body.split(`--${boundary}`)) {
    const trimmed = chunk.replace(/^\r?\n/, '');
    if (trimmed.trim() === '' || trimmed.startsWith('--')) continue;
    const [outerHead, inner] = splitHead(trimmed);
    const outer = parseHeaders(outerHead);
    const [innerHead, innerBody] = splitHead(inner);
    const [requestLine = '', ...headerLines] = innerHead.split(/\r?\n/);
    const [method = 'GET', target = '/'] = requestLine.trim().split(/\s+/);
    const url = /^https?:\/\//.test(target) ? target.replace(/^https?:\/\/[^/]+/, '') : target;
    parts.push({
      ...(outer['content-id'] ? { contentId: outer['content-id'].replace(/^<|>$/g, '') } : {}),
      method: method.toUpperCase(),
      url,
      headers: parseHeaders(headerLines.join('\n')),
      body: innerBody.replace(/\r?\n$/, ''),
    });
  }
  return parts;
}

const REASONS: Record<number, string> = { 200: 'OK', 204: 'No Content', 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 412: 'Precondition Failed', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable' };

export function formatBatch(responses: Array<{ contentId?: string; response: ApiResponse }>, boundary: string): string {
  const out: string[] = [];
  responses.forEach(({ contentId, response }, i) => {
    const json = response.body === undefined ? '' : JSON.stringify(response.body, null, 2) + '\n';
    out.push(
      `--${boundary}\r\nContent-Type: application/http\r\nContent-ID: <response-${contentId ?? String(i + 1)}>\r\n\r\n` +
        `HTTP/1.1 ${response.status} ${REASONS[response.status] ?? 'Status'}\r\nContent-Type: application/json; charset=UTF-8\r\nContent-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`,
    );
  });
  out.push(`--${boundary}--\r\n`);
  return out.join('\r\n');
}
