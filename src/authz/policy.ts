// The one place that decides who may see and do what. Deny by default: a role grants only
// the actions listed here, and only inside the scope of its membership. Repositories ask this
// module for a SQL condition, so every query about organisations is scoped by the caller's
// tenancy; an organisation outside that scope does not exist for the caller (404).
import { sql, type ExpressionBuilder, type Expression, type SqlBool } from 'kysely';
import type { DB, Role } from '../db/schema.ts';
import { AppError, forbidden, notFound } from '../errors.ts';
import type { Actor, Grant } from './actor.ts';

export type OrganisationAction =
  | 'organisation.view'
  | 'organisation.update'
  | 'asset.manage'
  | 'results.view'
  | 'scan.request'
  | 'members.invite'
  // Issue 5: the norm, the score and the Cyberkeurmerk.
  | 'certificate.view'
  | 'certificate.revoke'
  | 'certificate.approve'
  | 'risk.accept';

export type PlatformAction =
  | 'programme.manage'
  | 'partner.manage'
  | 'insurer.manage'
  | 'organisation.create'
  | 'audit.view'
  | 'norm.view';

const organisationGrants: Record<Role, readonly OrganisationAction[]> = {
  platform_admin: ['organisation.view', 'organisation.update', 'asset.manage', 'results.view', 'scan.request', 'members.invite', 'certificate.view', 'certificate.revoke', 'certificate.approve', 'risk.accept'],
  coordinator: ['organisation.view', 'organisation.update', 'asset.manage', 'results.view', 'scan.request', 'members.invite', 'certificate.view', 'certificate.revoke', 'certificate.approve'],
  it_partner: ['organisation.view', 'organisation.update', 'asset.manage', 'results.view', 'scan.request', 'members.invite', 'certificate.view'],
  // Students help companies get on board: they see and edit the basics, never the weaknesses.
  student: ['organisation.view', 'organisation.update', 'asset.manage', 'certificate.view'],
  director: ['organisation.view', 'organisation.update', 'asset.manage', 'results.view', 'scan.request', 'members.invite', 'certificate.view', 'risk.accept'],
  contact_it: ['organisation.view', 'asset.manage', 'results.view', 'scan.request', 'certificate.view'],
  contact_web: ['organisation.view', 'asset.manage', 'results.view', 'scan.request', 'certificate.view'],
  contact_hr: ['organisation.view', 'results.view', 'certificate.view'],
  // An insurer sees a company only while that company consents to share its data with it.
  insurer: ['organisation.view', 'results.view', 'certificate.view'],
};

const platformGrants: Record<Role, readonly PlatformAction[]> = {
  platform_admin: ['programme.manage', 'partner.manage', 'insurer.manage', 'organisation.create', 'audit.view', 'norm.view'],
  coordinator: ['partner.manage', 'organisation.create', 'audit.view', 'norm.view'],
  it_partner: ['organisation.create', 'norm.view'],
  student: ['organisation.create', 'norm.view'],
  director: ['norm.view'],
  contact_it: ['norm.view'],
  contact_web: ['norm.view'],
  contact_hr: ['norm.view'],
  insurer: ['norm.view'],
};

type OrganisationScope = ExpressionBuilder<DB, 'organisations'>;

function grantCondition(eb: OrganisationScope, actor: Actor, grant: Grant): Expression<SqlBool> | null {
  switch (grant.role) {
    case 'platform_admin':
      return sql<SqlBool>`true`;
    case 'coordinator':
      return grant.programmeId ? eb('organisations.programme_id', '=', grant.programmeId) : null;
    case 'it_partner':
      return grant.partnerId ? eb('organisations.it_partner_id', '=', grant.partnerId) : null;
    case 'student':
      return grant.programmeId
        ? eb.and([eb('organisations.programme_id', '=', grant.programmeId), eb('organisations.student_user_id', '=', actor.userId)])
        : null;
    case 'director':
    case 'contact_it':
    case 'contact_web':
    case 'contact_hr':
      return grant.organisationId ? eb('organisations.id', '=', grant.organisationId) : null;
    case 'insurer':
      return grant.insurerId
        ? eb.exists(
            eb
              .selectFrom('consents')
              .select('consents.id')
              .whereRef('consents.organisation_id', '=', 'organisations.id')
              .where('consents.kind', '=', 'insurer_data_sharing')
              .where('consents.insurer_id', '=', grant.insurerId)
              .where('consents.revoked_at', 'is', null),
          )
        : null;
  }
}

/**
 * A SQL condition over `organisations` that is true exactly for the organisations on which the
 * actor may perform the action. No grant, no rows.
 */
export function organisationScope(actor: Actor, action: OrganisationAction) {
  return (eb: OrganisationScope): Expression<SqlBool> => {
    const conditions = actor.grants
      .filter((grant) => organisationGrants[grant.role].includes(action))
      .map((grant) => grantCondition(eb, actor, grant))
      .filter((condition): condition is Expression<SqlBool> => condition !== null);
    return conditions.length > 0 ? eb.or(conditions) : sql<SqlBool>`false`;
  };
}

export function canOnPlatform(actor: Actor, action: PlatformAction): boolean {
  return actor.grants.some((grant) => platformGrants[grant.role].includes(action));
}

export function assertCanOnPlatform(actor: Actor, action: PlatformAction): void {
  if (!canOnPlatform(actor, action)) throw forbidden();
}

/** The programmes in which the actor may create organisations; `null` means every programme. */
export function programmesForNewOrganisations(actor: Actor): { all: boolean; programmeIds: string[]; partnerIds: string[] } {
  const all = actor.grants.some((g) => g.role === 'platform_admin');
  const programmeIds = actor.grants
    .filter((g) => (g.role === 'coordinator' || g.role === 'student') && g.programmeId)
    .map((g) => g.programmeId as string);
  const partnerIds = actor.grants.filter((g) => g.role === 'it_partner' && g.partnerId).map((g) => g.partnerId as string);
  return { all, programmeIds, partnerIds };
}

export interface MembershipRequest {
  role: Role;
  programmeId?: string | null;
  partnerId?: string | null;
  insurerId?: string | null;
  organisationId?: string | null;
}

const organisationRoles: readonly Role[] = ['director', 'contact_it', 'contact_web', 'contact_hr'];
export const isOrganisationRole = (role: Role): boolean => organisationRoles.includes(role);

/**
 * Who may hand out which membership. Platform admins any; coordinators the roles of their own
 * programme; IT partners colleagues and the people of their client companies; directors the
 * contacts of their own company. The organisation/partner/programme facts the rule needs are
 * passed in, looked up by the caller through the scoped repositories.
 */
export function assertMayGrant(
  actor: Actor,
  request: MembershipRequest,
  facts: { organisationProgrammeId?: string | null; organisationPartnerId?: string | null; partnerProgrammeId?: string | null },
): void {
  const allowed = actor.grants.some((grant) => {
    switch (grant.role) {
      case 'platform_admin':
        return true;
      case 'coordinator':
        if (request.role === 'coordinator' || request.role === 'student') return request.programmeId === grant.programmeId;
        if (request.role === 'it_partner') return facts.partnerProgrammeId === grant.programmeId;
        if (isOrganisationRole(request.role)) return facts.organisationProgrammeId === grant.programmeId;
        return false;
      case 'it_partner':
        if (request.role === 'it_partner') return request.partnerId === grant.partnerId;
        if (isOrganisationRole(request.role)) return facts.organisationPartnerId === grant.partnerId;
        return false;
      case 'director':
        return isOrganisationRole(request.role) && request.organisationId === grant.organisationId;
      default:
        return false;
    }
  });
  if (!allowed) throw new AppError('forbidden', 'errors.forbidden_grant');
}

export { notFound };
