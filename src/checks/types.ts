// The shape every check shares. Checks are pure: (evidence) => CheckResult, no I/O.
export type CheckStatus = 'pass' | 'notice' | 'warn' | 'fail' | 'info' | 'error';
export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';
export type Area = 'web' | 'tls' | 'mail' | 'dns' | 'network' | 'people' | 'devices' | 'process';
/** Who can fix a finding: the IT person, HR, the web developer or the director. */
export type OwnerRole = 'it' | 'hr' | 'web' | 'director';

export type MessageParams = Record<string, string | number>;

export interface CheckResult {
  checkId: string;
  checkVersion: number;
  status: CheckStatus;
  severity: Severity;
  /** i18n key of the verdict, e.g. `checks.tls.certificate.expired`. */
  summaryKey: string;
  summaryParams: MessageParams;
  /** Serialisable facts behind the verdict, shown to the person who fixes it. */
  details: Record<string, unknown>;
}

export interface Reference {
  title: string;
  url: string;
}

export interface CheckDefinition<E = unknown> {
  /** Stable id, never reused: `tls.certificate`, `web.headers.grade`. */
  id: string;
  version: number;
  area: Area;
  owner: OwnerRole;
  /** Kind of evidence (`tls.certificate`) the check judges; matches Evidence.kind. */
  evidenceKind: string;
  titleKey: string;
  remediationKey: string;
  references: Reference[];
  judge(evidence: E, context: JudgeContext): CheckResult;
}

export interface JudgeContext {
  /** The moment the evidence was gathered; checks never read the clock themselves. */
  now: Date;
}

/** Serialisable evidence as gathered once per scan and stored as JSONB. */
export interface Evidence<T = unknown> {
  kind: string;
  gatheredAt: string;
  data: T;
}
