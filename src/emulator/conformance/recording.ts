/**
 * Recorded HTTP exchanges: the `.log` format of test/fixtures/gcp-recordings (k8s-config-connector golden
 * logs) and go-vcr v2 YAML cassettes, read into one Exchange shape.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse as parseYaml } from 'yaml';

export interface Exchange {
  /** 1-based position in the file. */
  index: number;
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  requestBody: string;
  status: number;
  responseHeaders: Record<string, string>;
  responseBody: string;
}

export interface Recording {
  file: string;
  name: string;
  format: 'log' | 'vcr';
  exchanges: Exchange[];
}

const REQUEST_LINE = /^(GET|POST|PUT|PATCH|DELETE|HEAD) (\S+)$/;
const STATUS_LINE = /^(\d{3})(?: .*)?$/;
const HEADER = /^([A-Za-z0-9-]+): ?(.*)$/;

/** Parses one `.log` file: exchanges separated by `---` lines. */
export function parseLog(text: string): Exchange[] {
  const blocks = text.replace(/\r\n/g, '\n').split(/\n---\n/);
  const out: Exchange[] = [];
  for (const block of blocks) {
    const lines = block.split('\n');
    let i = 0;
    while (i < lines.length && lines[i]!.trim() === '') i++;
    if (i >= lines.length) continue;
    const req = REQUEST_LINE.exec(lines[i]!.trim());
    if (!req) throw new Error(`expected a request line, got: ${lines[i]}`);
    i++;
    const requestHeaders: Record<string, string> = {};
    while (i < lines.length && HEADER.test(lines[i]!)) {
      const m = HEADER.exec(lines[i]!)!;
      requestHeaders[m[1]!.toLowerCase()] = m[2]!;
      i++;
    }
    // request body: everything up to the status line
    const bodyLines: string[] = [];
    while (i < lines.length && !(STATUS_LINE.test(lines[i]!) && /^\d{3} [A-Z]/.test(lines[i]!))) {
      bodyLines.push(lines[i]!);
      i++;
    }
    if (i >= lines.length) throw new Error(`no status line for ${req[1]} ${req[2]}`);
    const status = Number(STATUS_LINE.exec(lines[i]!)![1]);
    i++;
    const responseHeaders: Record<string, string> = {};
    while (i < lines.length && HEADER.test(lines[i]!)) {
      const m = HEADER.exec(lines[i]!)!;
      responseHeaders[m[1]!.toLowerCase()] = m[2]!;
      i++;
    }
    out.push({
      index: out.length + 1,
      method: req[1]!,
      url: req[2]!,
      requestHeaders,
      requestBody: bodyLines.join('\n').trim(),
      status,
      responseHeaders,
      responseBody: lines.slice(i).join('\n').trim(),
    });
  }
  return out;
}

interface VcrInteraction {
  request?: { method?: string; url?: string; body?: string; headers?: Record<string, string[]> };
  response?: { code?: number; status?: string; body?: string; headers?: Record<string, string[]> };
}

function flatHeaders(h: Record<string, string[]> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h ?? {})) out[k.toLowerCase()] = (v ?? []).join(', ');
  return out;
}

/** Parses a go-vcr (v2) cassette. */
export function parseVcr(text: string): Exchange[] {
  const docs = text.split(/^---\s*$/m).map((d) => d.trim()).filter((d) => d && !/^(#.*\n?)*$/.test(d));
  const doc = parseYaml(docs.at(-1) ?? '') as { interactions?: VcrInteraction[] };
  return (doc.interactions ?? []).map((it, i) => ({
    index: i + 1,
    method: String(it.request?.method ?? 'GET').toUpperCase(),
    url: String(it.request?.url ?? ''),
    requestHeaders: flatHeaders(it.request?.headers),
    requestBody: String(it.request?.body ?? '').trim(),
    status: Number(it.response?.code ?? Number(String(it.response?.status ?? '0').split(' ')[0])),
    responseHeaders: flatHeaders(it.response?.headers),
    responseBody: String(it.response?.body ?? '').trim(),
  }));
}

export function loadRecording(file: string): Recording {
  const text = readFileSync(file, 'utf8');
  const vcr = /\.ya?ml$/.test(file);
  return { file, name: basename(file), format: vcr ? 'vcr' : 'log', exchanges: vcr ? parseVcr(text) : parseLog(text) };
}
