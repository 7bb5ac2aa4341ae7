// Shared reading of mail.mx evidence for the MX checks: how each MX host's SMTP session went,
// and the answers every MX check gives when there is nothing to judge (no MX, null MX, DNS down).
import type { MxEvidence, MxHost, SmtpSession } from '../../evidence/mail-servers/mx-evidence.ts';
import type { CheckStatus, MessageParams, Severity } from '../types.ts';
import { type MailProvider, mailProviderOf } from './mx-providers.ts';

export type SessionState =
  /** STARTTLS offered and the handshake completed. */
  | 'tls'
  | 'no_starttls'
  /** STARTTLS offered, but refused when asked or the handshake failed. */
  | 'starttls_broken'
  /** No address, refused address, no connection, or the server misbehaved before STARTTLS. */
  | 'unreachable';

export interface HostReading {
  name: string;
  provider: MailProvider | null;
  session: SmtpSession | undefined;
  state: SessionState;
  /** Why the host is unreachable (`no_address`, `connection_refused`, `timeout`, …). */
  reason: string | null;
}

export function readHost(host: MxHost): HostReading {
  const session = host.sessions[0];
  const provider = mailProviderOf(host.name);
  const base = { name: host.name, provider, session };
  if (!session) {
    const reason = host.addresses.length === 0 ? (host.addressFailure ?? 'no_address') : 'target_refused';
    return { ...base, state: 'unreachable', reason };
  }
  if (session.failure === null && session.tls) return { ...base, state: 'tls', reason: null };
  if (session.failure === 'starttls_not_offered') return { ...base, state: 'no_starttls', reason: null };
  if (session.failure === 'starttls_rejected' || session.failure === 'handshake_failed') return { ...base, state: 'starttls_broken', reason: session.failureDetail ?? session.failure };
  return { ...base, state: 'unreachable', reason: session.failure ?? 'unknown' };
}

export interface NothingToJudge {
  status: CheckStatus;
  severity: Severity;
  /** Key under checks.mail.mx. */
  key: string;
  params: MessageParams;
}

/** The verdict when the MX set itself decides: DNS failed, null MX, or no MX at all. */
export function nothingToJudge(evidence: MxEvidence): NothingToJudge | undefined {
  if (evidence.lookup.status === 'error') return { status: 'error', severity: 'info', key: 'lookup_failed', params: { domain: evidence.domain, reason: evidence.lookup.failure ?? 'error' } };
  if (evidence.nullMx) return { status: 'info', severity: 'info', key: 'null_mx', params: { domain: evidence.domain } };
  if (evidence.hosts.length === 0) return { status: 'info', severity: 'info', key: 'no_mx', params: { domain: evidence.domain } };
  return undefined;
}

export const hostList = (hosts: Array<{ name: string }>, max = 5): string => {
  const names = hosts.map((host) => host.name);
  return names.length > max ? `${names.slice(0, max).join(', ')} (+${names.length - max})` : names.join(', ');
};
