// Gather dns.registration: the registration of the domain's registered (registrable) domain,
// looked up with RDAP where the IANA bootstrap file names a server for its top-level domain.
import { getDomain } from 'tldts';
import type { Evidence } from '../../checks/types.ts';
import { lookupRdapDomain, type RdapFetchOptions } from './rdap-client.ts';
import { type RegistrationEvidence, registrationEvidenceKind, registrationEvidenceSchema } from './registration-evidence.ts';

export interface RegistrationGatherOptions extends RdapFetchOptions {
  /** IANA's RDAP bootstrap file for DNS; null switches RDAP off. */
  bootstrapUrl: string | null;
}

export async function gatherRegistrationEvidence(domain: string, options: RegistrationGatherOptions): Promise<Evidence<RegistrationEvidence>> {
  const registeredDomain = getDomain(domain, { allowPrivateDomains: false }) ?? null;
  const data: RegistrationEvidence = {
    domain,
    registeredDomain,
    outcome: 'off',
    failure: null,
    bootstrapUrl: options.bootstrapUrl,
    rdapUrl: null,
    httpStatus: null,
    expiration: null,
    registration: null,
    lastChanged: null,
    registrar: null,
    statuses: [],
  };
  if (options.bootstrapUrl !== null && registeredDomain !== null) {
    const lookup = await lookupRdapDomain(registeredDomain, options.bootstrapUrl, options);
    data.outcome = lookup.outcome;
    if (lookup.outcome === 'found') Object.assign(data, { rdapUrl: lookup.rdapUrl, httpStatus: lookup.httpStatus, ...lookup.domain });
    if (lookup.outcome === 'not_found') Object.assign(data, { rdapUrl: lookup.rdapUrl, httpStatus: lookup.httpStatus });
    if (lookup.outcome === 'failed') Object.assign(data, { failure: lookup.failure.slice(0, 64), rdapUrl: lookup.rdapUrl, httpStatus: lookup.httpStatus });
  }
  return { kind: registrationEvidenceKind, gatheredAt: new Date().toISOString(), data: registrationEvidenceSchema.parse(data) };
}
