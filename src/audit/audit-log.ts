// The audit log: security events and every change of who may see or do what. Append-only.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

export interface AuditEvent {
  action: string;
  actorUserId?: string | null;
  subjectType?: string;
  subjectId?: string;
  organisationId?: string | null;
  ip?: string | null;
  details?: Record<string, unknown>;
}

export async function audit(db: Kysely<DB>, event: AuditEvent): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      action: event.action,
      actor_user_id: event.actorUserId ?? null,
      subject_type: event.subjectType ?? null,
      subject_id: event.subjectId ?? null,
      organisation_id: event.organisationId ?? null,
      ip: event.ip ?? null,
      details: JSON.stringify(event.details ?? {}),
    })
    .execute();
}
