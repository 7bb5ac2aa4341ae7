// A small helper the DNS and reputation checks share to build their results.
import type { CheckResult, CheckStatus, MessageParams, Severity } from '../types.ts';
import { checkResult } from '../result.ts';

export function resultFor(id: string, version: number) {
  return (status: CheckStatus, severity: Severity, summaryKey: string, summaryParams: MessageParams, details: Record<string, unknown>): CheckResult => checkResult({ id, version }, status, severity, summaryKey, summaryParams, details);
}

/** Reasons a DNS measurement can fail, each with `checks.dns.reason.<code>` in the catalogues. */
export const dnsFailureReasons = [
  'dns_timeout',
  'dns_malformed',
  'dns_network',
  'dns_truncated',
  'dns_budget',
  'dns_aborted',
  'dns_servfail',
  'dns_refused',
  'dns_rcode',
  'dns_invalid_name',
  'dns_cname_loop',
  'dns_failure',
] as const;
export type DnsFailureReason = (typeof dnsFailureReasons)[number];

/** `timeout` (DnsClient) or `dns_timeout` (raw client) → the catalogue's reason code. */
export function dnsReason(failure: string | null | undefined): DnsFailureReason {
  const code = `dns_${String(failure ?? 'failure').replace(/^dns_/, '')}`;
  return (dnsFailureReasons as readonly string[]).includes(code) ? (code as DnsFailureReason) : 'dns_failure';
}
