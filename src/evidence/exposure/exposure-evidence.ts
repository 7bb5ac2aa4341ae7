// What the exposed-services scan found on a domain's addresses, as stored JSONB. No I/O here:
// the network checks import this module, never the gatherer.
import { z } from 'zod';
import { serviceIds } from '../../net/port-probe/types.ts';

export const exposureEvidenceKind = 'network.exposure';

const text = (max = 256) => z.string().max(max);

export const portResultSchema = z.object({
  port: z.number().int().min(1).max(65535),
  transport: z.enum(['tcp', 'udp']),
  state: z.enum(['open', 'closed', 'filtered', 'error', 'skipped']),
  service: z.enum(serviceIds).nullable(),
  product: text(64).nullable(),
  version: text(64).nullable(),
  detail: z.record(text(64), z.union([text(512), z.number(), z.boolean()])).refine((detail) => Object.keys(detail).length <= 24, 'too many details'),
  banner: text(400).nullable(),
  connections: z.number().int().min(0).max(10),
  durationMs: z.number().int().min(0),
});
export type PortResultEvidence = z.infer<typeof portResultSchema>;

export const exposureFailures = ['no_address', 'dns_timeout', 'dns_failure', 'target_refused'] as const;

export const exposureEvidenceSchema = z.object({
  domain: text(253),
  /** The names whose addresses were scanned (the domain and www) and what DNS said. */
  hosts: z
    .array(z.object({ name: text(253), addresses: z.array(text(64)).max(16), failure: z.enum(['no_address', 'dns_timeout', 'dns_failure']).nullable() }))
    .max(4),
  targets: z
    .array(
      z.object({
        address: text(64),
        /** Names (of `hosts`) that point here. */
        names: z.array(text(253)).max(4),
        ports: z.array(portResultSchema).max(64),
      }),
    )
    .max(8),
  /** Addresses the address policy refused (private, loopback, reserved). */
  refusedAddresses: z.array(text(64)).max(32),
  /** False when the time budget ran out before every port was tried (those are `skipped`). */
  complete: z.boolean(),
  portsPerAddress: z.number().int().min(0).max(64),
  durationMs: z.number().int().min(0),
  error: z.enum(exposureFailures).nullable(),
});
export type ExposureEvidence = z.infer<typeof exposureEvidenceSchema>;
