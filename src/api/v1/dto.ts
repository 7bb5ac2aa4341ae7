// What the API returns: camelCase views of the stored rows, without internal columns.
import type { Selectable } from 'kysely';
import type { Organisation } from '../../db/schema.ts';

const iso = (value: Date | string | null | undefined): string | null =>
  value === null || value === undefined ? null : value instanceof Date ? value.toISOString() : value;

export const organisationDto = (o: Organisation & { partner_name?: string | null }) => ({
  id: o.id,
  programmeId: o.programme_id,
  name: o.name,
  kvkNumber: o.kvk_number,
  sector: o.sector,
  sizeClass: o.size_class,
  street: o.street,
  postalCode: o.postal_code,
  city: o.city,
  status: o.status,
  itPartnerId: o.it_partner_id,
  itPartnerName: o.partner_name ?? null,
  studentUserId: o.student_user_id,
  createdAt: iso(o.created_at),
});

export const assetDto = (a: {
  id: string;
  kind: string;
  value: string;
  verification_state: string;
  verification_token: string;
  verified_at: Date | null;
  created_at: Date;
}) => ({
  id: a.id,
  kind: a.kind,
  value: a.value,
  verificationState: a.verification_state,
  verificationToken: a.verification_token,
  verifiedAt: iso(a.verified_at),
  createdAt: iso(a.created_at),
});

export const resultDto = (r: {
  asset_id: string;
  asset: string;
  check_id: string;
  check_version: number;
  status: string;
  severity: string;
  summary_key: string;
  summary_params: unknown;
  details: unknown;
  previous_status: string | null;
  first_seen_at: Date;
  last_seen_at: Date;
  resolved_at: Date | null;
}) => ({
  assetId: r.asset_id,
  asset: r.asset,
  check: r.check_id,
  checkVersion: r.check_version,
  status: r.status,
  severity: r.severity,
  summaryKey: r.summary_key,
  summaryParams: r.summary_params,
  evidence: r.details,
  previousStatus: r.previous_status,
  firstSeenAt: iso(r.first_seen_at),
  lastSeenAt: iso(r.last_seen_at),
  resolvedAt: iso(r.resolved_at),
});

export const rowDto = <T extends Record<string, unknown>>(row: T): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(row).map(([key, value]) => [key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()), value instanceof Date ? value.toISOString() : value]),
  );

export type { Selectable };
