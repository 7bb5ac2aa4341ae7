// Kysely's view of the schema in src/db/migrations. Keep in step with the SQL.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T = Record<string, unknown>> = ColumnType<T, T | string | undefined, T | string>;

export type Role =
  | 'platform_admin'
  | 'coordinator'
  | 'it_partner'
  | 'student'
  | 'director'
  | 'contact_it'
  | 'contact_hr'
  | 'contact_web'
  | 'insurer';

export type OrganisationStatus = 'aangemeld' | 'aangesloten' | 'gemonitord' | 'voldoet' | 'gecertificeerd';
export type AssetKind = 'domain' | 'ip_address' | 'device' | 'person';
export type VerificationState = 'unverified' | 'verified' | 'attested';
export type ResultStatus = 'pass' | 'notice' | 'warn' | 'fail' | 'info' | 'error';
export type ConsentKind = 'insurer_data_sharing' | 'public_certificate' | 'active_scanning';
export type TokenPurpose = 'setup' | 'invitation' | 'password_reset';

export interface ProgrammesTable {
  id: Generated<string>;
  name: string;
  region: string;
  goal_companies: number | null;
  goal_certificates: number | null;
  goal_months: number | null;
  starts_on: ColumnType<string | null, string | null | undefined, string | null>;
  /** Migration 0004: a coordinator approves each certificate before it is issued. */
  certificate_approval_required: Generated<boolean>;
  created_at: DefaultTimestamp;
}

export interface PartnersTable {
  id: Generated<string>;
  programme_id: string;
  name: string;
  kvk_number: string | null;
  created_at: DefaultTimestamp;
}

export interface InsurersTable {
  id: Generated<string>;
  name: string;
  created_at: DefaultTimestamp;
}

export interface UsersTable {
  id: Generated<string>;
  email: string;
  name: string;
  password_hash: string | null;
  totp_secret: string | null;
  totp_enabled_at: NullableTimestamp;
  /** bigint (migration 0002): read as a string like every int8. */
  totp_last_step: ColumnType<string | null, string | number | null | undefined, string | number | null>;
  status: ColumnType<'invited' | 'active' | 'disabled', 'invited' | 'active' | 'disabled' | undefined>;
  language: ColumnType<'nl' | 'en', 'nl' | 'en' | undefined>;
  failed_logins: Generated<number>;
  locked_until: NullableTimestamp;
  last_login_at: NullableTimestamp;
  created_at: DefaultTimestamp;
}

export interface OrganisationsTable {
  id: Generated<string>;
  programme_id: string;
  name: string;
  kvk_number: string;
  sector: string | null;
  size_class: '1-9' | '10-49' | '50-249' | '250+' | null;
  street: string | null;
  postal_code: string | null;
  city: string | null;
  status: ColumnType<OrganisationStatus, OrganisationStatus | undefined>;
  it_partner_id: string | null;
  student_user_id: string | null;
  schedule_minute: number;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface MembershipsTable {
  id: Generated<string>;
  user_id: string;
  role: Role;
  programme_id: string | null;
  partner_id: string | null;
  insurer_id: string | null;
  organisation_id: string | null;
  created_at: DefaultTimestamp;
}

export interface OrganisationContactsTable {
  id: Generated<string>;
  organisation_id: string;
  role: 'director' | 'it' | 'hr' | 'web';
  name: string;
  email: string;
  phone: string | null;
  user_id: string | null;
  created_at: DefaultTimestamp;
}

export interface ConsentsTable {
  id: Generated<string>;
  organisation_id: string;
  kind: ConsentKind;
  insurer_id: string | null;
  granted_by: string | null;
  granted_at: DefaultTimestamp;
  revoked_at: NullableTimestamp;
}

export interface AssetsTable {
  id: Generated<string>;
  organisation_id: string;
  kind: AssetKind;
  value: string;
  verification_state: ColumnType<VerificationState, VerificationState | undefined>;
  verification_token: string;
  verified_at: NullableTimestamp;
  created_by: string | null;
  created_at: DefaultTimestamp;
}

export interface ScansTable {
  id: Generated<string>;
  organisation_id: string;
  asset_id: string;
  job_id: string | null;
  trigger: 'schedule' | 'manual';
  status: ColumnType<'running' | 'completed' | 'failed', 'running' | 'completed' | 'failed' | undefined>;
  started_at: DefaultTimestamp;
  finished_at: NullableTimestamp;
  error: string | null;
}

export interface EvidenceTable {
  id: Generated<string>;
  scan_id: string;
  kind: string;
  data: Json<unknown>;
  gathered_at: Timestamp;
}

export interface CheckResultsTable {
  organisation_id: string;
  asset_id: string;
  check_id: string;
  check_version: number;
  status: ResultStatus;
  severity: string;
  summary_key: string;
  summary_params: Json<Record<string, string | number>>;
  details: Json<Record<string, unknown>>;
  previous_status: ResultStatus | null;
  first_seen_at: Timestamp;
  last_seen_at: Timestamp;
  resolved_at: NullableTimestamp;
  last_scan_id: string;
}

export interface CheckResultHistoryTable {
  id: Generated<string>;
  organisation_id: string;
  asset_id: string;
  check_id: string;
  check_version: number;
  scan_id: string;
  status: ResultStatus;
  severity: string;
  summary_key: string;
  summary_params: Json<Record<string, string | number>>;
  observed_at: Timestamp;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  mfa_passed: Generated<boolean>;
  created_at: DefaultTimestamp;
  last_seen_at: DefaultTimestamp;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}

export interface OneTimeTokensTable {
  token_hash: string;
  purpose: TokenPurpose;
  user_id: string | null;
  data: Json<Record<string, unknown>>;
  created_by: string | null;
  created_at: DefaultTimestamp;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
}

export interface AuditLogTable {
  id: Generated<string>;
  at: DefaultTimestamp;
  actor_user_id: string | null;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  organisation_id: string | null;
  ip: string | null;
  details: Json<Record<string, unknown>>;
}

export interface ScheduledScanDispatchesTable {
  asset_id: string;
  /** `YYYY-MM-DD` in the schedule's time zone. */
  local_date: string;
  job_id: string;
  dispatched_at: DefaultTimestamp;
}

export interface ScheduleDispatchStateTable {
  schedule: string;
  dispatched_until: Timestamp;
}

// --- Migration 0004: the norm's monthly verdicts and the Cyberkeurmerk -------------------------
export type MonthlyStatus = 'compliant' | 'non_compliant' | 'not_assessed';
export type CertificateStateValue = 'pending_approval' | 'issued' | 'warned' | 'renewed' | 'lapsed' | 'revoked' | 'expired';
type DateColumn = ColumnType<string, string, string>;

export interface MonthlyResultsTable {
  organisation_id: string;
  month: string;
  norm_id: string;
  norm_version: string;
  status: MonthlyStatus;
  score: number | null;
  grade: 'A' | 'B' | 'C' | 'D' | 'E' | 'F' | null;
  streak: number;
  coverage: Json<unknown>;
  problems: Json<unknown>;
  open_failures: Json<unknown>;
  area_scores: Json<unknown>;
  control_scores: Json<unknown>;
  measured_areas: Json<unknown>;
  check_versions: Json<unknown>;
  computed_at: DefaultTimestamp;
}

export interface AcceptedRisksTable {
  id: Generated<string>;
  organisation_id: string;
  control_id: string;
  reason: string;
  accepted_by: string | null;
  accepted_at: DefaultTimestamp;
  expires_on: DateColumn;
  withdrawn_at: NullableTimestamp;
  withdrawn_by: string | null;
}

export interface CertificateSigningKeysTable {
  key_id: string;
  public_jwk: Json<unknown>;
  created_at: DefaultTimestamp;
  retired_at: NullableTimestamp;
}

export interface CertificatesTable {
  id: Generated<string>;
  organisation_id: string;
  programme_id: string;
  norm_id: string;
  norm_version: string;
  level: string;
  state: CertificateStateValue;
  earned_in_month: string;
  valid_from: DateColumn;
  valid_until: DateColumn;
  measured_areas: Json<unknown>;
  not_measured_areas: Json<unknown>;
  previous_certificate_id: string | null;
  statement: ColumnType<unknown, string | null | undefined, string | null>;
  signature: string | null;
  key_id: string | null;
  document: ColumnType<Buffer | null, Buffer | null | undefined, Buffer | null>;
  issued_at: NullableTimestamp;
  approved_by: string | null;
  approved_at: NullableTimestamp;
  revoked_by: string | null;
  revoked_at: NullableTimestamp;
  revocation_reason: string | null;
  warned_at: NullableTimestamp;
  ended_at: NullableTimestamp;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface DB {
  programmes: ProgrammesTable;
  partners: PartnersTable;
  insurers: InsurersTable;
  users: UsersTable;
  organisations: OrganisationsTable;
  memberships: MembershipsTable;
  organisation_contacts: OrganisationContactsTable;
  consents: ConsentsTable;
  assets: AssetsTable;
  scans: ScansTable;
  evidence: EvidenceTable;
  check_results: CheckResultsTable;
  check_result_history: CheckResultHistoryTable;
  sessions: SessionsTable;
  one_time_tokens: OneTimeTokensTable;
  audit_log: AuditLogTable;
  scheduled_scan_dispatches: ScheduledScanDispatchesTable;
  schedule_dispatch_state: ScheduleDispatchStateTable;
  monthly_results: MonthlyResultsTable;
  accepted_risks: AcceptedRisksTable;
  certificate_signing_keys: CertificateSigningKeysTable;
  certificates: CertificatesTable;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type Organisation = Selectable<OrganisationsTable>;
export type OrganisationUpdate = Updateable<OrganisationsTable>;
export type Membership = Selectable<MembershipsTable>;
export type Asset = Selectable<AssetsTable>;
export type Programme = Selectable<ProgrammesTable>;
export type CheckResultRow = Selectable<CheckResultsTable>;
