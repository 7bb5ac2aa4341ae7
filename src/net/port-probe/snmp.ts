// SNMP on UDP 161: one SNMPv2c GetRequest for sysDescr.0 with the community "public", sent at
// most twice. Only an answer from that address and port that decodes as a Response carrying our
// request id and our community is an identified SNMP service ("a default community answers");
// garbage, our own request echoed or a foreign request id is an open but unidentified port.
//
// Only "public" is tried, never "private": "public" is the documented read-only default, while
// trying "private" (the usual read-write default) would be guessing a write credential, and an
// agent that refuses a community may send an authenticationFailure trap to its admin for every
// wrong guess. Only a read request exists here (see ./snmp-ber.ts); nothing is ever set.
//
// UDP has no handshake: no answer at all is stored as `filtered` (open or filtered, nobody can
// tell), an ICMP port-unreachable as `closed`. Bounded: one socket, at most `maxAttempts`
// datagrams out, each attempt waits at most `maxAttemptMs`, at most `maxDatagrams` answers read,
// each at most 4 KiB; the caller's signal stops it at once.
import { randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { cleanDisplayString, decodeSnmpMessage, encodeGetRequest, maxDatagramBytes, pduTags, type SnmpMessage, snmpV2c, sysDescrOf, sysDescrOid } from './snmp-ber.ts';
import { productFromSysDescr } from './snmp-sysdescr.ts';
import { type DetailValue, printableExcerpt, type ServiceId } from './types.ts';

export const snmpPort = 161;
export const snmpCommunity = 'public';
export const maxAttempts = 2;
/** An SNMP agent answers within milliseconds; a longer wait only slows down silent hosts. */
export const maxAttemptMs = 1500;
const maxDatagrams = 8;

export type UdpPortState = 'open' | 'closed' | 'filtered' | 'error' | 'skipped';

/** The same shape as a TCP port result (src/net/port-probe/scan-ports.ts), over UDP. */
export interface UdpPortResult {
  port: number;
  transport: 'udp';
  state: UdpPortState;
  service: ServiceId | null;
  product: string | null;
  version: string | null;
  detail: Record<string, DetailValue>;
  /** The sysDescr of an identified agent; otherwise what an unrecognised responder sent. */
  banner: string | null;
  /** Datagrams sent. */
  connections: number;
  durationMs: number;
}

export interface SnmpProbeOptions {
  /** Upper bound of one attempt's wait (further capped at `maxAttemptMs`). */
  readTimeoutMs: number;
  signal?: AbortSignal;
  /** Tests only: another port than 161. */
  port?: number;
  /** Called for every datagram sent, for tests and metrics. */
  onSend?: (address: string, port: number) => void;
}

/** Is this datagram the answer to our request? */
export function isAnswerTo(message: SnmpMessage, requestId: number, community: string): boolean {
  return message.version === snmpV2c && message.pduTag === pduTags.response && message.requestId === requestId && message.community.equals(Buffer.from(community, 'latin1'));
}

/** Probe `address` (already cleared by the address policy) for SNMP with the default community. */
export function probeSnmp(address: string, options: SnmpProbeOptions): Promise<UdpPortResult> {
  const port = options.port ?? snmpPort;
  const startedAt = Date.now();
  const requestId = randomInt(1, 0x7fffffff);
  const request = encodeGetRequest({ community: snmpCommunity, requestId, oids: [sysDescrOid] });
  const attemptMs = Math.max(1, Math.min(options.readTimeoutMs, maxAttemptMs));
  const result = (state: UdpPortState, sent: number, fields: Partial<UdpPortResult> = {}): UdpPortResult => ({
    port,
    transport: 'udp',
    state,
    service: null,
    product: null,
    version: null,
    detail: {},
    banner: null,
    connections: sent,
    durationMs: Date.now() - startedAt,
    ...fields,
  });

  return new Promise((resolve) => {
    const socket = createSocket({ type: isIPv6(address) ? 'udp6' : 'udp4' });
    let sent = 0;
    let received = 0;
    let unrecognised: Buffer | undefined;
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const finish = (outcome: UdpPortResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      try {
        socket.close();
      } catch {
        // already closed
      }
      resolve(outcome);
    };
    const unidentified = () => result('open', sent, { banner: unrecognised ? printableExcerpt(unrecognised) : null });
    const onAbort = () => finish(unrecognised ? unidentified() : result('skipped', sent));
    const attempt = () => {
      if (settled) return;
      if (sent >= maxAttempts || unrecognised) {
        // Something answered, but not as SNMP; or nothing answered at all.
        finish(unrecognised ? unidentified() : result('filtered', sent, { detail: { reason: 'no_answer' } }));
        return;
      }
      sent += 1;
      options.onSend?.(address, port);
      socket.send(request);
      timer = setTimeout(attempt, attemptMs);
    };

    if (options.signal?.aborted) return finish(result('skipped', 0));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // A connected UDP socket reports the ICMP port-unreachable as ECONNREFUSED.
      if (error.code === 'ECONNREFUSED' && !unrecognised) finish(result('closed', sent));
      else if (unrecognised) finish(unidentified());
      else finish(result('error', sent, { detail: { reason: String(error.code ?? 'ERROR').slice(0, 40) } }));
    });
    socket.on('message', (datagram: Buffer) => {
      received += 1;
      const message = datagram.length <= maxDatagramBytes ? decodeSnmpMessage(datagram) : undefined;
      if (message && isAnswerTo(message, requestId, snmpCommunity)) {
        const bytes = sysDescrOf(message);
        const sysDescr = bytes ? cleanDisplayString(bytes) : null;
        const { product, version } = sysDescr ? productFromSysDescr(sysDescr) : { product: null, version: null };
        finish(
          result('open', sent, {
            service: 'snmp',
            product,
            version,
            banner: sysDescr || null,
            detail: { community: snmpCommunity, snmpVersion: '2c', errorStatus: message.errorStatus },
          }),
        );
        return;
      }
      unrecognised ??= datagram.subarray(0, 512);
      if (received >= maxDatagrams) finish(unidentified());
    });
    // connect() makes the kernel drop datagrams from any other address or port, and turns an
    // ICMP port-unreachable into an error on this socket.
    socket.connect(port, address, attempt);
  });
}
