import type { CheckResult, CheckStatus, MessageParams, Severity } from './types.ts';

/** A result of the check with this id and version; the one place the shape is filled in. */
export const checkResult = (
  check: { id: string; version: number },
  status: CheckStatus,
  severity: Severity,
  summaryKey: string,
  summaryParams: MessageParams,
  details: Record<string, unknown>,
): CheckResult => ({ checkId: check.id, checkVersion: check.version, status, severity, summaryKey, summaryParams, details });
