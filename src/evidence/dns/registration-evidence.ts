// What the RDAP lookup of the domain's registration found, as stored JSONB. No I/O here.
import { z } from 'zod';

export const registrationEvidenceKind = 'dns.registration';

const name = z.string().max(300);
const url = z.string().max(2048);

export const registrationOutcomes = ['found', 'not_found', 'no_service', 'failed', 'off'] as const;

export const registrationEvidenceSchema = z.object({
  domain: name,
  /** The registered domain (registrable domain of the ICANN section of the Public Suffix List). */
  registeredDomain: name.nullable(),
  outcome: z.enum(registrationOutcomes),
  /** Why the lookup failed (`bootstrap_failed`, `http_status`, `not_json`, a fetch failure code). */
  failure: z.string().max(64).nullable(),
  bootstrapUrl: url.nullable(),
  rdapUrl: url.nullable(),
  httpStatus: z.number().int().nullable(),
  expiration: z.iso.datetime().nullable(),
  registration: z.iso.datetime().nullable(),
  lastChanged: z.iso.datetime().nullable(),
  registrar: z.string().max(300).nullable(),
  statuses: z.array(z.string().max(100)).max(20),
});
export type RegistrationEvidence = z.infer<typeof registrationEvidenceSchema>;
