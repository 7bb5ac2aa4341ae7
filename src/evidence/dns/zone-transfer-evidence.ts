// What the zone-transfer probe found, as stored JSONB. No I/O here.
import { z } from 'zod';
import { lookupSchema } from './nameservers-evidence.ts';

export const zoneTransferEvidenceKind = 'dns.zone-transfer';

const name = z.string().max(300);

export const zoneTransferOutcomes = [
  /** The server sent the zone (its SOA and records): anyone can list every name in it. */
  'allowed',
  /** The server answered with an error code or an empty answer. */
  'refused',
  /** The server accepted the connection and hung up without a reply. */
  'closed',
  /** No answer within the deadline. */
  'no_answer',
  /** No TCP connection to port 53. */
  'unreachable',
  /** A reply that is not DNS. */
  'malformed',
  /** The address policy does not allow connecting to the address (not public). */
  'not_allowed',
] as const;

export const zoneTransferEvidenceSchema = z.object({
  domain: name,
  zone: name.nullable(),
  lookups: z.array(lookupSchema).max(16),
  attempts: z
    .array(
      z.object({
        nameServer: name,
        address: z.string().max(64),
        outcome: z.enum(zoneTransferOutcomes),
        /** The DNS response code, when a reply came. */
        rcode: z.number().int().min(0).max(4095).nullable(),
        /** Records in the first message of an allowed transfer. */
        records: z.number().int().nonnegative().nullable(),
        /** A few of the names the transfer revealed. */
        sample: z.array(name).max(10),
        detail: z.string().max(200).nullable(),
      }),
    )
    .max(40),
});
export type ZoneTransferEvidence = z.infer<typeof zoneTransferEvidenceSchema>;
