// web.headers.grade: the website's HTTP security headers graded exactly by the MDN HTTP
// Observatory's published method (base 100, a modifier per test, bonuses only from 90, its
// grade chart); see ./observatory/ for the hand-written port. `details.score` and
// `details.grade` are the Observatory's score and grade for the same answers.
import type { WebHttpEvidence } from '../../evidence/http/web-http-evidence.ts';
import type { CheckDefinition, CheckResult, CheckStatus, Severity } from '../types.ts';
import { gradeWebsite } from './observatory/grade.ts';

const id = 'web.headers.grade';
const version = 1;

/** How a grade letter becomes a verdict: A is fine, B worth a look, C a problem, D and F serious. */
function verdictOf(grade: string): { status: CheckStatus; severity: Severity; key: string } {
  if (grade.startsWith('A')) return { status: 'pass', severity: 'info', key: 'checks.web.headers.grade.pass' };
  if (grade.startsWith('B')) return { status: 'notice', severity: 'low', key: 'checks.web.headers.grade.notice' };
  if (grade.startsWith('C')) return { status: 'warn', severity: 'medium', key: 'checks.web.headers.grade.warn' };
  return { status: 'fail', severity: 'medium', key: 'checks.web.headers.grade.fail' };
}

export const webHeadersGradeCheck: CheckDefinition<WebHttpEvidence> = {
  id,
  version,
  area: 'web',
  owner: 'web',
  evidenceKind: 'web.http',
  titleKey: 'checks.web.headers.grade.title',
  remediationKey: 'checks.web.headers.grade.remediation',
  references: [
    { title: 'MDN HTTP Observatory: tests and scoring', url: 'https://developer.mozilla.org/en-US/observatory/docs/tests_and_scoring' },
    { title: 'OWASP: HTTP Headers Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/HTTP_Headers_Cheat_Sheet.html' },
    { title: 'OWASP Secure Headers Project', url: 'https://owasp.org/www-project-secure-headers/' },
    { title: 'W3C: Content Security Policy Level 3', url: 'https://www.w3.org/TR/CSP3/' },
  ],

  judge(evidence) {
    const grading = gradeWebsite(evidence);
    const base = { checkId: id, checkVersion: version };
    if (!grading.graded) {
      const result: CheckResult = {
        ...base,
        status: 'error',
        severity: 'info',
        summaryKey: `checks.web.headers.grade.${grading.reason}`,
        summaryParams: { host: evidence.host, status: grading.status ?? 0 },
        details: { host: evidence.host, reason: grading.reason, status: grading.status },
      };
      return result;
    }
    const verdict = verdictOf(grading.grade);
    return {
      ...base,
      status: verdict.status,
      severity: verdict.severity,
      summaryKey: verdict.key,
      summaryParams: { host: evidence.host, score: grading.score, grade: grading.grade },
      details: {
        score: grading.score,
        grade: grading.grade,
        algorithmVersion: grading.algorithmVersion,
        host: evidence.host,
        status: grading.status,
        testsPassed: grading.testsPassed,
        testsQuantity: grading.tests.length,
        tests: grading.tests,
        facts: grading.facts,
      },
    };
  },
};
