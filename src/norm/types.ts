// The norm as data: what the programme requires, as read from norms/<id>/<version>.yaml and
// validated by load.ts. Nothing here is computed; score.ts and compliance.ts do that.
import type { CheckStatus } from '../checks/types.ts';

export type Pillar = 'people' | 'it' | 'processes';
export type ControlLevel = 'mandatory' | 'advisory';

/** Text the norm carries itself, in both languages. */
export interface Texts {
  nl: string;
  en: string;
}

export interface NormReference {
  /** cyber-essentials | cis-v8 | ncsc | other */
  scheme: string;
  id?: string;
  title?: string;
  url?: string;
}

export interface NormSource {
  id: string;
  /** false while the source that feeds these controls is not built yet: they do not count. */
  live: boolean;
  title: Texts;
}

export interface NormArea {
  id: string;
  pillar: Pillar;
  /** Share of the overall score, all areas together 100. */
  weight: number;
  title: Texts;
}

export type Threshold = { kind: 'every' } | { kind: 'share'; min: number };

export interface NormControl {
  id: string;
  area: string;
  source: string;
  level: ControlLevel;
  /** Registered check ids (validated against src/checks/registry.ts at load). */
  checks: string[];
  /** Checks that a later source will provide; documentation only, never judged. */
  plannedChecks: string[];
  threshold: Threshold;
  /** Outcomes that count as failing; `fail` by default. */
  failOn: CheckStatus[];
  /** Days a newly failing mandatory control may stay open before the month is lost. */
  graceDays: number;
  /** Share of the area's score, all controls of an area together 100. */
  weight: number;
  title: Texts;
  why: Texts;
  references: NormReference[];
}

export interface CertificateRules {
  level: string;
  streakMonths: number;
  validityMonths: number;
  warnAfterNonCompliantMonths: number;
  lapseAfterNonCompliantMonths: number;
}

export interface ComplianceRules {
  /** Share of the month's (non-outage) days that need at least one measurement. */
  coverageShare: number;
  timezone: string;
}

export interface Norm {
  id: string;
  version: string;
  /** `YYYY-MM`: the first month judged by this version. */
  effectiveFrom: string;
  title: Texts;
  certificate: CertificateRules;
  compliance: ComplianceRules;
  sources: NormSource[];
  areas: NormArea[];
  controls: NormControl[];
}
