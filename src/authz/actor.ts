// Who is asking: a signed-in user with the memberships that scope what they may see.
import type { Kysely } from 'kysely';
import type { DB, Role } from '../db/schema.ts';

export interface Grant {
  role: Role;
  programmeId: string | null;
  partnerId: string | null;
  insurerId: string | null;
  organisationId: string | null;
}

export interface Actor {
  userId: string;
  email: string;
  name: string;
  language: 'nl' | 'en';
  grants: Grant[];
}

export async function loadGrants(db: Kysely<DB>, userId: string): Promise<Grant[]> {
  const rows = await db
    .selectFrom('memberships')
    .select(['role', 'programme_id', 'partner_id', 'insurer_id', 'organisation_id'])
    .where('user_id', '=', userId)
    .execute();
  return rows.map((row) => ({
    role: row.role,
    programmeId: row.programme_id,
    partnerId: row.partner_id,
    insurerId: row.insurer_id,
    organisationId: row.organisation_id,
  }));
}

export async function loadActor(db: Kysely<DB>, userId: string): Promise<Actor | null> {
  const user = await db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'language', 'status'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user || user.status !== 'active') return null;
  return { userId: user.id, email: user.email, name: user.name, language: user.language, grants: await loadGrants(db, userId) };
}

export const hasRole = (actor: Actor, ...roles: Role[]): boolean => actor.grants.some((g) => roles.includes(g.role));
