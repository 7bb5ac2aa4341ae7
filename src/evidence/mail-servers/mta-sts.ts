// Gather mail.mta-sts: the `_mta-sts` TXT record, and when it announces a policy (v=STSv1) the
// policy file from https://mta-sts.<domain>/.well-known/mta-sts.txt through the bounded HTTP
// client: the IP checked by the address policy, no redirects followed (RFC 8461 3.3), 64 KB at most.
import { mtaStsRecordsOf } from '../../checks/mail/mta-sts-policy.ts';
import type { Evidence } from '../../checks/types.ts';
import { fetchChain, headerValues } from '../../net/http-client.ts';
import type { Resolver } from '../../net/resolver.ts';
import { type MailDns, mxFacts, txtFacts } from './lookups.ts';
import { maxPolicyBytes, type MtaStsEvidence, mtaStsEvidenceKind, mtaStsEvidenceSchema } from './mta-sts-evidence.ts';

export interface MtaStsGatherOptions {
  dns: MailDns;
  /** The resolver the HTTP client uses for mta-sts.<domain>. */
  resolver: Resolver;
  allowPrivate: boolean;
  timeoutMs: number;
  extraCa?: string[];
  signal?: AbortSignal;
}

const bounded = (value: unknown, max = 256): string => String(value ?? '').slice(0, max);

export function policyUrl(domain: string): string {
  return `https://mta-sts.${domain}/.well-known/mta-sts.txt`;
}

async function fetchPolicy(domain: string, options: MtaStsGatherOptions): Promise<NonNullable<MtaStsEvidence['policy']>> {
  const url = policyUrl(domain);
  const chain = await fetchChain(url, {
    resolver: options.resolver,
    allowPrivate: options.allowPrivate,
    timeoutMs: options.timeoutMs,
    extraCa: options.extraCa,
    maxRedirects: 0,
    maxBodyBytes: maxPolicyBytes,
    signal: options.signal,
    headers: { accept: 'text/plain' },
  });
  const response = chain.final ?? chain.hops[0];
  const redirect = chain.final === undefined && response !== undefined ? (headerValues(response, 'location')[0] ?? null) : null;
  return {
    url,
    address: response?.address ?? null,
    status: response?.status ?? null,
    contentType: response ? bounded(headerValues(response, 'content-type')[0] ?? '', 256) || null : null,
    body: chain.final?.body?.slice(0, maxPolicyBytes) ?? null,
    bodyTruncated: chain.final?.bodyTruncated ?? false,
    tlsVerified: response?.tls ? response.tls.verified : null,
    tlsError: response?.tls?.verifyError ? bounded(response.tls.verifyError) : null,
    redirectLocation: redirect === null ? null : bounded(redirect, 512),
    failure: chain.final ? null : redirect !== null ? 'redirect' : bounded(chain.error ?? 'no_response', 64),
    failureDetail: chain.errorDetail ? bounded(chain.errorDetail) : null,
  };
}

/** Never throws: an unexpected failure becomes evidence of a failed lookup (`internal`). */
export async function gatherMtaStsEvidence(domain: string, options: MtaStsGatherOptions): Promise<Evidence<MtaStsEvidence>> {
  try {
    return await gatherMtaSts(domain, options);
  } catch {
    const failed = { status: 'error' as const, failure: 'internal' };
    const data: MtaStsEvidence = { domain: domain.slice(0, 253), mxLookup: failed, nullMx: false, mxHosts: [], record: { ...failed, txt: [] }, policy: null };
    return { kind: mtaStsEvidenceKind, gatheredAt: new Date().toISOString(), data };
  }
}

async function gatherMtaSts(domain: string, options: MtaStsGatherOptions): Promise<Evidence<MtaStsEvidence>> {
  const [mx, record] = await Promise.all([mxFacts(options.dns, domain), txtFacts(options.dns, `_mta-sts.${domain}`)]);
  const announced = mtaStsRecordsOf(record.txt).length > 0;
  const data: MtaStsEvidence = {
    domain: domain.slice(0, 253),
    mxLookup: mx.lookup,
    nullMx: mx.nullMx,
    mxHosts: mx.hosts.slice(0, 50),
    record,
    policy: announced ? await fetchPolicy(domain, options) : null,
  };
  return { kind: mtaStsEvidenceKind, gatheredAt: new Date().toISOString(), data: mtaStsEvidenceSchema.parse(data) };
}
