// HTTP/1.1 (RFC 9112): a GET for `/` is answered with a status line `HTTP/1.x ddd`. The answer
// (headers, at most 64 KiB of body) is classified by ./http-fingerprints.ts. The same probe
// over TLS covers HTTPS admin pages, VPN portals and Webmin.
import type { ProbeSession } from '../session.ts';
import type { Identification, ProbeContext, RequestProtocol } from '../types.ts';
import { classifyHttp, type HttpAnswer } from './http-fingerprints.ts';

const statusLine = /^HTTP\/1\.[01] (\d{3})(?: [^\r\n]*)?\r?\n/;

export function httpRequest(host: string): string {
  return [
    'GET / HTTP/1.1',
    `Host: ${host}`,
    'User-Agent: Cybermonitor/0.1 (exposure check; +https://cybermonitor.invalid)',
    'Accept: text/html,application/json;q=0.9,*/*;q=0.8',
    'Connection: close',
    '',
    '',
  ].join('\r\n');
}

function dechunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let index = 0;
  while (index < body.length) {
    const lineEnd = body.indexOf('\r\n', index);
    if (lineEnd < 0) break;
    const size = Number.parseInt(body.subarray(index, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size <= 0) break;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    index = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/** A parsed answer once the headers are complete; the body is what arrived (capped by the session). */
export function parseHttpAnswer(data: Buffer): HttpAnswer | undefined {
  const headerEnd = data.indexOf('\r\n\r\n');
  if (headerEnd < 0) return undefined;
  const head = data.subarray(0, headerEnd + 2).toString('latin1');
  const status = statusLine.exec(head);
  if (!status) return undefined;
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n').slice(1, 100)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim().slice(0, 1024));
  }
  let body = data.subarray(headerEnd + 4);
  if (/chunked/i.test(headers.get('transfer-encoding') ?? '')) body = dechunk(body);
  return { status: Number(status[1]), headers, body: body.toString('utf8') };
}

function answerComplete(data: Buffer): boolean {
  const headerEnd = data.indexOf('\r\n\r\n');
  if (headerEnd < 0) return false;
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(data.subarray(0, headerEnd).toString('latin1'));
  return length !== null && data.length - headerEnd - 4 >= Number(length[1]);
}

async function converse(session: ProbeSession, context: ProbeContext): Promise<Identification | undefined> {
  session.write(httpRequest(context.host));
  await session.waitFor(answerComplete, context.readTimeoutMs);
  const answer = parseHttpAnswer(session.received());
  if (!answer) return undefined;
  const identified = classifyHttp(answer);
  return { ...identified, detail: { ...identified.detail, tls: session.tls } };
}

export const http: RequestProtocol = { id: 'http', converse };
export const https: RequestProtocol = { id: 'https', tls: true, converse };
