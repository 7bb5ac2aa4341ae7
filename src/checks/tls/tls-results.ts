// Small helpers the TLS checks share: building results, turning a gathering failure into an
// error result, and naming lists of suites or protocols without flooding a sentence.
import type { CheckResult, CheckStatus, MessageParams, Severity } from '../types.ts';

export type ResultMaker = (status: CheckStatus, severity: Severity, summaryKey: string, summaryParams: MessageParams, details: Record<string, unknown>) => CheckResult;

export function resultMaker(checkId: string, checkVersion: number): ResultMaker {
  return (status, severity, summaryKey, summaryParams, details) => ({ checkId, checkVersion, status, severity, summaryKey, summaryParams, details });
}

interface ConnectionFacts {
  host: string;
  port: number;
  address: string | null;
  addresses: string[];
  refusedAddresses: string[];
  error: string | null;
  errorDetail: string | null;
}

export function connectionDetails(evidence: ConnectionFacts) {
  return { host: evidence.host, port: evidence.port, address: evidence.address, addresses: evidence.addresses };
}

/** The error result for evidence whose gathering failed, or undefined when it did not. */
export function gatheringError(make: ResultMaker, evidence: ConnectionFacts): CheckResult | undefined {
  if (evidence.error === null) return undefined;
  return make('error', 'info', `checks.reason.${evidence.error}`, { host: evidence.host, address: evidence.address ?? '' }, {
    ...connectionDetails(evidence),
    reason: evidence.error,
    reasonDetail: evidence.errorDetail,
    refusedAddresses: evidence.refusedAddresses,
  });
}

/** `a, b, c (+4)`: at most `max` names in a summary; the details carry the full list. */
export function nameList(names: string[], max = 6): string {
  const unique = [...new Set(names)];
  const shown = unique.slice(0, max).join(', ');
  return unique.length > max ? `${shown} (+${unique.length - max})` : shown;
}

/** Protocol names as people write them: TLS 1.0 rather than OpenSSL's TLSv1. */
export function protocolLabel(protocol: string): string {
  return protocol === 'TLSv1' ? 'TLS 1.0' : protocol.replace(/^TLSv/, 'TLS ').replace(/^SSLv/, 'SSL ');
}
