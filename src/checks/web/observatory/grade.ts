// The Observatory's overall score and grade, re-implemented by hand for Cybermonitor from reading
// src/scanner/index.js and src/grader (see expectations.ts): base 100, every test's modifier
// added, bonuses (positive modifiers) only when the score without them is at least 90, then
// the grade chart. A home page that does not answer, or answers with an error status other
// than 401 or 403, gets no grade.
import type { WebHttpEvidence } from '../../../evidence/http/web-http-evidence.ts';
import { cookiesTest } from './cookies.ts';
import { crossOriginResourcePolicyTest } from './corp.ts';
import { crossOriginResourceSharingTest } from './cors.ts';
import { contentSecurityPolicyTest } from './csp.ts';
import { gradeForScore, minimumScoreForBonus, observatoryAlgorithmVersion, type Outcome, scoreModifiers } from './expectations.ts';
import { strictTransportSecurityTest } from './hsts.ts';
import { redirectionTest } from './redirection.ts';
import { referrerPolicyTest } from './referrer-policy.ts';
import { observatoryRequests } from './requests.ts';
import { subresourceIntegrityTest } from './sri.ts';
import type { ObservatoryTestName } from './test-outcome.ts';
import { xContentTypeOptionsTest } from './x-content-type-options.ts';
import { xFrameOptionsTest } from './x-frame-options.ts';

export interface GradedTest {
  test: ObservatoryTestName;
  result: Outcome;
  pass: boolean;
  scoreModifier: number;
}

export type ObservatoryGrade =
  | {
      graded: true;
      algorithmVersion: number;
      score: number;
      grade: string;
      status: number;
      testsPassed: number;
      tests: GradedTest[];
      /** Facts behind some outcomes, for the person who fixes them. */
      facts: {
        hsts: { maxAge: number | null; includeSubDomains: boolean; preload: boolean };
        corsReflectsOriginWithCredentials: boolean;
        externalScripts: Array<{ src: string; integrity: string | null }>;
        redirectRoute: string[];
      };
    }
  | { graded: false; reason: 'site_down' | 'unexpected_status'; status: number | null };

export function gradeWebsite(evidence: WebHttpEvidence): ObservatoryGrade {
  const requests = observatoryRequests(evidence);
  const auto = requests.auto;
  if (!auto) return { graded: false, reason: 'site_down', status: null };
  if (auto.status < 200 || (auto.status >= 400 && auto.status !== 401 && auto.status !== 403)) {
    return { graded: false, reason: 'unexpected_status', status: auto.status };
  }

  const csp = contentSecurityPolicyTest(requests);
  const cookies = cookiesTest(requests);
  const cors = crossOriginResourceSharingTest(requests, evidence.corsOrigin);
  const redirection = redirectionTest(requests);
  const referrer = referrerPolicyTest(requests);
  const hsts = strictTransportSecurityTest(requests);
  const sri = subresourceIntegrityTest(requests);
  const xcto = xContentTypeOptionsTest(requests);
  const xfo = xFrameOptionsTest(requests);
  const corp = crossOriginResourcePolicyTest(requests);
  const outcomes = [csp, cookies, cors, redirection, referrer, hsts, sri, xcto, xfo, corp];

  let withBonus = 100;
  let withoutBonus = 100;
  const tests: GradedTest[] = outcomes.map(({ test, result, pass }) => {
    const scoreModifier = scoreModifiers[result];
    withBonus += scoreModifier;
    if (scoreModifier < 0) withoutBonus += scoreModifier;
    return { test, result, pass, scoreModifier };
  });
  const { score, grade } = gradeForScore(withoutBonus >= minimumScoreForBonus ? withBonus : withoutBonus);

  return {
    graded: true,
    algorithmVersion: observatoryAlgorithmVersion,
    score,
    grade,
    status: auto.status,
    testsPassed: tests.filter((test) => test.pass).length,
    tests,
    facts: {
      hsts: { maxAge: hsts.maxAge, includeSubDomains: hsts.includeSubDomains, preload: hsts.preload },
      corsReflectsOriginWithCredentials: cors.reflectsOriginWithCredentials,
      externalScripts: sri.externalScripts.map(({ src, integrity }) => ({ src, integrity })),
      redirectRoute: redirection.route,
    },
  };
}
