// Identify what listens on an open port by talking to it: first listen for a banner (servers
// that speak first), then try the port's client-first probes, each on a fresh connection.
// At most `maxConnections` connections per port, every read bounded by the read timeout.
import type { PortSpec, RequestProbeId } from './catalogue.ts';
import { ftp } from './protocols/ftp.ts';
import { http, https } from './protocols/http.ts';
import { mongodb, mongodbLegacy } from './protocols/mongodb.ts';
import { mssql } from './protocols/mssql.ts';
import { mysql } from './protocols/mysql.ts';
import { netbios } from './protocols/netbios.ts';
import { pjl } from './protocols/pjl.ts';
import { postgresql } from './protocols/postgresql.ts';
import { rdp } from './protocols/rdp.ts';
import { redis } from './protocols/redis.ts';
import { smb } from './protocols/smb.ts';
import { smtp } from './protocols/smtp.ts';
import { ssh } from './protocols/ssh.ts';
import { telnet } from './protocols/telnet.ts';
import { vnc } from './protocols/vnc.ts';
import type { ProbeSession } from './session.ts';
import { type BannerProtocol, type Identification, type ProbeContext, printableExcerpt, type RequestProtocol } from './types.ts';

export const bannerProtocols: readonly BannerProtocol[] = [ssh, smtp, ftp, telnet, vnc, mysql];

export const requestProtocols: Readonly<Record<RequestProbeId, RequestProtocol>> = {
  rdp,
  smb,
  netbios,
  redis,
  postgresql,
  mssql,
  mongodb,
  'mongodb-legacy': mongodbLegacy,
  http,
  https,
  pjl,
};

export const maxConnections = 3;
/** How long a port whose usual protocol is client-first gets to send a banner anyway. */
export const bannerGraceMs = 600;

export interface IdentifyOutcome {
  identification: Identification | null;
  /** What the server sent unasked when nothing recognised it (printable excerpt). */
  banner: string | null;
  connections: number;
}

/** Opens another connection to the same port, plain or TLS; undefined when that fails. */
export type Reopen = (tls: boolean) => Promise<ProbeSession | undefined>;

function guarded<T>(run: () => T): T | undefined {
  try {
    return run();
  } catch {
    return undefined;
  }
}

async function fromBanner(session: ProbeSession, context: ProbeContext, banner: Buffer): Promise<Identification | undefined> {
  const candidates = bannerProtocols
    .map((protocol) => ({ protocol, provisional: guarded(() => protocol.match(banner)) }))
    .filter((candidate): candidate is { protocol: BannerProtocol; provisional: Identification } => candidate.provisional !== undefined)
    .sort((a, b) => (guarded(() => b.protocol.affinity?.(banner)) ?? 1) - (guarded(() => a.protocol.affinity?.(banner)) ?? 1));
  for (const { protocol, provisional } of candidates) {
    if (!protocol.confirm) return provisional;
    if (session.isClosed()) return undefined;
    session.reset();
    const confirmed = await protocol.confirm(session, context, provisional).catch(() => undefined);
    if (confirmed) return confirmed;
  }
  return undefined;
}

export async function identifyService(first: ProbeSession, spec: PortSpec, context: ProbeContext, reopen: Reopen): Promise<IdentifyOutcome> {
  let connections = 1;
  const graceMs = spec.probes.length === 0 ? context.readTimeoutMs : Math.min(context.readTimeoutMs, bannerGraceMs);
  try {
    await first.waitFor((data) => bannerProtocols.some((protocol) => guarded(() => protocol.complete(data)) === true), graceMs);
    const banner = Buffer.from(first.received());
    if (banner.length > 0) {
      const identification = await fromBanner(first, context, banner);
      return { identification: identification ?? null, banner: identification ? null : printableExcerpt(banner), connections };
    }
    let session: ProbeSession | undefined = first;
    for (const probeId of spec.probes) {
      const protocol = requestProtocols[probeId];
      if (!session || protocol.tls) {
        if (connections >= maxConnections) break;
        session?.close();
        connections += 1;
        session = await reopen(protocol.tls === true);
        if (!session) continue;
      }
      // A parser that trips over hostile bytes means "not this protocol", never a failed scan.
      const identification = await protocol.converse(session, context).catch(() => undefined);
      session.close();
      if (identification) return { identification, banner: null, connections };
      session = undefined;
    }
    return { identification: null, banner: null, connections };
  } finally {
    first.close();
  }
}
