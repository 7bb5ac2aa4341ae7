// The DNS and reputation checks and the schemas of the evidence they judge, for the registry.
import type { z } from 'zod';
import { caaEvidenceKind, caaEvidenceSchema } from '../../evidence/dns/caa-evidence.ts';
import { danglingCnameEvidenceKind, danglingCnameEvidenceSchema } from '../../evidence/dns/dangling-cname-evidence.ts';
import { dnssecEvidenceKind, dnssecEvidenceSchema } from '../../evidence/dns/dnssec-evidence.ts';
import { nameserversEvidenceKind, nameserversEvidenceSchema } from '../../evidence/dns/nameservers-evidence.ts';
import { registrationEvidenceKind, registrationEvidenceSchema } from '../../evidence/dns/registration-evidence.ts';
import { zoneTransferEvidenceKind, zoneTransferEvidenceSchema } from '../../evidence/dns/zone-transfer-evidence.ts';
import { dnsblEvidenceKind, dnsblEvidenceSchema } from '../../evidence/reputation/dnsbl-evidence.ts';
import { reputationDnsblCheck } from '../reputation/dnsbl.ts';
import type { CheckDefinition } from '../types.ts';
import { dnsCaaCheck } from './caa.ts';
import { dnsDanglingCnameCheck } from './dangling-cname.ts';
import { dnsDnssecCheck } from './dnssec.ts';
import { dnsNameserversCheck } from './nameservers.ts';
import { dnsRegistrationCheck } from './registration.ts';
import { dnsZoneTransferCheck } from './zone-transfer.ts';

export const dnsChecks: CheckDefinition[] = [
  dnsDnssecCheck,
  dnsCaaCheck,
  dnsNameserversCheck,
  dnsZoneTransferCheck,
  dnsDanglingCnameCheck,
  dnsRegistrationCheck,
  reputationDnsblCheck,
] as CheckDefinition[];

export const dnsEvidenceSchemas: Record<string, z.ZodType> = {
  [dnssecEvidenceKind]: dnssecEvidenceSchema,
  [caaEvidenceKind]: caaEvidenceSchema,
  [nameserversEvidenceKind]: nameserversEvidenceSchema,
  [zoneTransferEvidenceKind]: zoneTransferEvidenceSchema,
  [danglingCnameEvidenceKind]: danglingCnameEvidenceSchema,
  [registrationEvidenceKind]: registrationEvidenceSchema,
  [dnsblEvidenceKind]: dnsblEvidenceSchema,
};
