/**
 * A DNS server on a loopback UDP port answering from the emulator's Cloud DNS zones.
 *
 * Contract:
 * - Answers every question of a query with the resolver's result (see dns-resolver.ts): records
 *   of the asked type (A, AAAA, CNAME, NS, SOA, TXT, MX, CAA, SRV, PTR), CNAME chains followed through
 *   the zones, NXDOMAIN / NOERROR-empty with the SOA in authority, REFUSED for names no zone holds.
 * - Private zones are answered too (as a client inside their authorized networks would see them),
 *   winning over a public zone of the same DNS name.
 * - Sets AA on authoritative answers, echoes the id and the RD bit, never sets RA (no recursion).
 *   A packet that cannot be decoded gets FORMERR when its id can be read, else is dropped.
 * - UDP only (no TCP fallback); answers are small enough not to need truncation in practice.
 */
import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import * as dnsPacket from 'dns-packet';
import { resolveName, type RecordSet, type ZoneData } from './dns-resolver.js';

const RCODES = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
const RD = 1 << 8;

/** Strips the quotes of a TXT rrdata: `"a" "b"` -> ['a', 'b']. */
function txtStrings(rrdata: string): string[] {
  const parts = [...rrdata.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((m) => (m[1] ?? m[2] ?? '').replace(/\\(.)/g, '$1'));
  return parts.length ? parts : [''];
}

/** One rrdata (Cloud DNS text form) as a dns-packet answer, or undefined when the type is not served. */
export function toAnswer(rr: RecordSet, rrdata: string): dnsPacket.Answer | undefined {
  const base = { name: rr.name.replace(/\.$/, ''), ttl: rr.ttl, class: 'IN' as const };
  const fields = rrdata.trim().split(/\s+/);
  const host = (s: string | undefined) => (s ?? '').replace(/\.$/, '');
  switch (rr.type) {
    case 'A':
    case 'AAAA':
      return { ...base, type: rr.type, data: rrdata.trim() };
    case 'CNAME':
    case 'NS':
    case 'PTR':
      return { ...base, type: rr.type, data: host(rrdata.trim()) };
    case 'TXT':
      return { ...base, type: 'TXT', data: txtStrings(rrdata) };
    case 'MX':
      return { ...base, type: 'MX', data: { preference: Number(fields[0]), exchange: host(fields[1]) } };
    case 'SRV':
      return {
        ...base,
        type: 'SRV',
        data: { priority: Number(fields[0]), weight: Number(fields[1]), port: Number(fields[2]), target: host(fields[3]) },
      };
    case 'CAA':
      return {
        ...base,
        type: 'CAA',
        data: { flags: Number(fields[0]), tag: fields[1] as 'issue', value: (fields.slice(2).join(' ')).replace(/^"|"$/g, '') },
      };
    case 'SOA':
      return {
        ...base,
        type: 'SOA',
        data: {
          mname: host(fields[0]),
          rname: host(fields[1]),
          serial: Number(fields[2]),
          refresh: Number(fields[3]),
          retry: Number(fields[4]),
          expire: Number(fields[5]),
          minimum: Number(fields[6]),
        },
      };
    default:
      return undefined;
  }
}

function toAnswers(sets: RecordSet[]): dnsPacket.Answer[] {
  return sets.flatMap((rr) => rr.rrdatas.map((d) => toAnswer(rr, d)).filter((a): a is dnsPacket.Answer => a !== undefined));
}

/** Builds the response packet for a decoded query. Exported for tests of the wire form. */
export function answerQuery(query: dnsPacket.DecodedPacket, zones: ZoneData[]): Buffer {
  const questions = query.questions ?? [];
  const answers: dnsPacket.Answer[] = [];
  const authorities: dnsPacket.Answer[] = [];
  let rcode: number = RCODES.NOERROR;
  let authoritative = questions.length > 0;
  if (questions.length === 0) rcode = RCODES.FORMERR;
  for (const q of questions) {
    const res = resolveName(zones, q.name, q.type, { includePrivate: true });
    if (res.rcode !== 'NOERROR') rcode = RCODES[res.rcode];
    authoritative &&= res.authoritative;
    answers.push(...toAnswers(res.answers));
    authorities.push(...toAnswers(res.authority));
  }
  let flags = (query.flags ?? 0) & RD;
  if (authoritative) flags |= dnsPacket.AUTHORITATIVE_ANSWER;
  flags |= rcode;
  return dnsPacket.encode({ type: 'response', id: query.id ?? 0, flags, questions, answers, authorities });
}

export interface DnsServer {
  host: string;
  port: number;
  close(): Promise<void>;
}

/** Starts the server; `zones()` is read on every query, so answers follow the store at once. */
export async function startDnsServer(zones: () => ZoneData[], options: { host?: string; port?: number } = {}): Promise<DnsServer> {
  const host = options.host ?? '127.0.0.1';
  const socket: Socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  socket.on('message', (msg, rinfo) => {
    let reply: Buffer | undefined;
    try {
      reply = answerQuery(dnsPacket.decode(msg), zones());
    } catch {
      if (msg.length >= 2) {
        reply = dnsPacket.encode({ type: 'response', id: msg.readUInt16BE(0), flags: RCODES.FORMERR, questions: [] });
      }
    }
    if (reply) socket.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(options.port ?? 0, host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  socket.on('error', () => {
    // A send error to one client must not stop the server.
  });
  const address = socket.address() as AddressInfo;
  return {
    host,
    port: address.port,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
