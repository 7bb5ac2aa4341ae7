// The port of the Observatory's grading, test by test, on hand-built evidence. The agreement
// with the real Observatory is tested in test/web/observatory-agreement.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chain, exchange, htmlPage, redirect, untrustedTls, webEvidence } from '../../../../test/web/evidence-builder.ts';
import { cookiesTest } from './cookies.ts';
import { crossOriginResourceSharingTest } from './cors.ts';
import { contentSecurityPolicyTest } from './csp.ts';
import { CspSyntaxError, duplicateWarningsKey, parseCsp } from './csp-parser.ts';
import { gradeForScore, outcomes as o, scoreModifiers } from './expectations.ts';
import { gradeWebsite } from './grade.ts';
import { strictTransportSecurityTest } from './hsts.ts';
import { redirectionTest } from './redirection.ts';
import { referrerPolicyTest } from './referrer-policy.ts';
import { headerView, observatoryRequests } from './requests.ts';
import { subresourceIntegrityTest } from './sri.ts';
import { xFrameOptionsTest } from './x-frame-options.ts';

const requestsFor = (shape: Parameters<typeof webEvidence>[0]) => observatoryRequests(webEvidence(shape));
const csp = (policy: string | string[], shape: Parameters<typeof webEvidence>[0] = {}) =>
  contentSecurityPolicyTest(requestsFor({ ...shape, headers: { 'content-security-policy': policy, ...shape.headers } })).result;

describe('grade chart', () => {
  it('rounds down to a multiple of 5 and caps at A+', () => {
    assert.deepEqual([100, 140, 99, 95, 90, 89, 85, 84, 80, 75, 70, 69, 65, 60, 55, 50, 45, 40, 35, 30, 25, 24, 0, -40].map((score) => gradeForScore(score).grade), [
      'A+', 'A+', 'A', 'A', 'A', 'A-', 'A-', 'B+', 'B+', 'B', 'B', 'B-', 'B-', 'C+', 'C', 'C', 'C-', 'D+', 'D', 'D', 'D-', 'F', 'F', 'F',
    ]);
    assert.equal(gradeForScore(-40).score, 0);
  });
  it('has a modifier for every outcome', () => {
    for (const outcome of Object.values(o)) assert.equal(typeof scoreModifiers[outcome], 'number', outcome);
  });
});

describe('headers as the Observatory receives them', () => {
  it('joins repeats with a comma, keeps the first of single-value headers, lists set-cookie', () => {
    const view = headerView([
      ['strict-transport-security', 'max-age=1'],
      ['strict-transport-security', 'max-age=2'],
      ['content-type', 'text/html'],
      ['content-type', 'text/plain'],
      ['set-cookie', 'a=1'],
      ['set-cookie', 'b=2'],
      ['x-frame-options', ' DENY\t'],
    ]);
    assert.equal(view.get('strict-transport-security'), 'max-age=1, max-age=2');
    assert.equal(view.get('content-type'), 'text/html');
    assert.deepEqual(view.get('set-cookie'), ['a=1', 'b=2']);
    assert.equal(view.get('x-frame-options'), 'DENY');
  });
});

describe('CSP parser', () => {
  it('refuses short policies and repeated directives, tolerates repeated report-uri', () => {
    assert.throws(() => parseCsp(['abc']), CspSyntaxError);
    assert.throws(() => parseCsp(["script-src 'self'; script-src 'none'"]), CspSyntaxError);
    const duplicates = parseCsp(["default-src 'self'; report-uri /a; report-uri /b"]);
    assert.deepEqual([...(duplicates.get(duplicateWarningsKey) ?? [])], ['report-uri']);
    assert.deepEqual([...(duplicates.get('report-uri') ?? [])], ['/b']);
  });
  it('treats an empty source list as none, and allows a source only when every policy allows it', () => {
    assert.deepEqual([...(parseCsp(['img-src ; script-src https://a.example']).get('img-src') ?? [])], ["'none'"]);
    const combined = parseCsp(["script-src 'self' https://cdn.example; object-src 'none'", "script-src 'self'"]);
    assert.deepEqual([...(combined.get('script-src') ?? [])], ["'self'"]);
    assert.deepEqual([...(combined.get('object-src') ?? [])], ["'none'"]);
  });
});

describe('content-security-policy', () => {
  it('grades policies from best to worst', () => {
    assert.equal(csp("default-src 'none'"), o.cspImplementedWithNoUnsafeDefaultSrcNone);
    assert.equal(csp("default-src 'self'"), o.cspImplementedWithNoUnsafe);
    assert.equal(csp("default-src 'self'; style-src 'self' 'unsafe-inline'"), o.cspImplementedWithUnsafeInlineInStyleSrcOnly);
    assert.equal(csp("default-src 'self'; img-src http://images.example"), o.cspImplementedWithInsecureSchemeInPassiveContentOnly);
    assert.equal(csp("default-src 'self'; script-src 'self' 'unsafe-eval'"), o.cspImplementedWithUnsafeEval);
    assert.equal(csp("default-src 'self'; script-src 'self' 'unsafe-inline'"), o.cspImplementedWithUnsafeInline);
    assert.equal(csp("img-src 'self'"), o.cspImplementedWithUnsafeInline, 'no script-src and no default-src');
    assert.equal(csp("default-src 'self'; connect-src http://api.example"), o.cspImplementedWithInsecureScheme);
    assert.equal(csp("default-src 'self'; script-src 'strict-dynamic'"), o.cspHeaderInvalid);
  });
  it('lets a nonce or hash neutralise unsafe-inline, and strict-dynamic drop host sources', () => {
    assert.equal(csp("default-src 'self'; script-src 'nonce-abc' 'unsafe-inline'; object-src 'none'"), o.cspImplementedWithNoUnsafe);
    assert.equal(csp("default-src 'none'; script-src 'nonce-abc' 'strict-dynamic' https: 'unsafe-inline'"), o.cspImplementedWithNoUnsafeDefaultSrcNone);
  });
  it('reads <meta> policies, but report-only only from headers', () => {
    const meta = contentSecurityPolicyTest(
      requestsFor({ html: htmlPage({ metas: [{ httpEquiv: 'Content-Security-Policy', name: null, content: "default-src 'none'" }] }) }),
    );
    assert.equal(meta.result, o.cspImplementedWithNoUnsafeDefaultSrcNone);
    const reportOnly = contentSecurityPolicyTest(requestsFor({ headers: { 'content-security-policy-report-only': "default-src 'self'" } }));
    assert.equal(reportOnly.result, o.cspNotImplementedButReportingEnabled);
    assert.equal(contentSecurityPolicyTest(requestsFor({})).result, o.cspNotImplemented);
  });
  it('marks a passing policy with repeated report-uri as duplicate directives', () => {
    assert.equal(csp("default-src 'none'; report-uri /a; report-uri /b"), o.cspImplementedButDuplicateDirectives);
  });
});

describe('cookies', () => {
  const cookies = (setCookie: string | string[], headers: Record<string, string> = { 'strict-transport-security': 'max-age=31536000' }) =>
    cookiesTest(requestsFor({ headers: { 'set-cookie': setCookie, ...headers } })).result;
  it('picks the worst cookie', () => {
    assert.equal(cookies('pref=1; Secure; SameSite=Lax'), o.cookiesSecureWithHttponlySessionsAndSamesite);
    assert.equal(cookies('pref=1; Secure'), o.cookiesSecureWithHttponlySessions);
    assert.equal(cookies('pref=1'), o.cookiesWithoutSecureFlagButProtectedByHsts);
    assert.equal(cookies('pref=1', {}), o.cookiesWithoutSecureFlag);
    assert.equal(cookies(['pref=1', 'PHPSESSID=2; Secure']), o.cookiesSessionWithoutHttponlyFlag);
    assert.equal(cookies('PHPSESSID=2; HttpOnly', {}), o.cookiesSessionWithoutSecureFlag);
    assert.equal(cookies('csrftoken=1; Secure'), o.cookiesAnticsrfWithoutSamesiteFlag);
    assert.equal(cookies('pref=1; Secure; SameSite=Sometimes'), o.cookiesSamesiteFlagInvalid);
    assert.equal(cookiesTest(requestsFor({})).result, o.cookiesNotFound);
  });
  it('ignores cookies the jar refuses (another domain)', () => {
    assert.equal(cookies('PHPSESSID=2; Domain=elsewhere.example'), o.cookiesNotFound);
  });
  it('counts cookies set along the redirects of the session', () => {
    const result = cookiesTest(
      requestsFor({
        https: chain('https://bakkerij.nl/', [
          exchange('https://bakkerij.nl/', 302, { location: '/home', 'set-cookie': 'sessionid=1; Path=/' }),
          exchange('https://bakkerij.nl/home', 200, { 'content-type': 'text/html', 'strict-transport-security': 'max-age=31536000' }),
        ]),
      }),
    );
    assert.equal(result.result, o.cookiesSessionWithoutHttponlyFlag);
  });
});

describe('cross-origin-resource-sharing', () => {
  const cors = (headers: Record<string, string>) =>
    crossOriginResourceSharingTest(requestsFor({ cors: chain('https://bakkerij.nl/', [exchange('https://bakkerij.nl/', 204, headers, { method: 'OPTIONS' })]) }), 'https://cors-probe.cybermonitor.invalid');
  it('tells public, restricted and (as the Observatory) reflected access apart', () => {
    assert.equal(cors({}).result, o.corsNotImplemented);
    assert.equal(cors({ 'access-control-allow-origin': '*' }).result, o.corsImplementedWithPublicAccess);
    assert.equal(cors({ 'access-control-allow-origin': 'https://partner.example' }).result, o.corsImplementedWithRestrictedAccess);
    const reflected = cors({ 'access-control-allow-origin': 'https://cors-probe.cybermonitor.invalid', 'access-control-allow-credentials': 'true' });
    assert.equal(reflected.result, o.corsImplementedWithRestrictedAccess);
    assert.equal(reflected.reflectsOriginWithCredentials, true);
  });
});

describe('redirection', () => {
  const route = (...hops: Parameters<typeof chain>[1]) => redirectionTest(requestsFor({ http: chain('http://bakkerij.nl/', hops) })).result;
  it('grades the http:// route', () => {
    assert.equal(route(redirect('http://bakkerij.nl/', 'https://bakkerij.nl/'), exchange('https://bakkerij.nl/', 200)), o.redirectionToHttps);
    assert.equal(route(redirect('http://bakkerij.nl/', 'https://www.bakkerij.nl/'), exchange('https://www.bakkerij.nl/', 200)), o.redirectionOffHostFromHttp);
    assert.equal(route(redirect('http://bakkerij.nl/', '/a'), redirect('http://bakkerij.nl/a', 'https://bakkerij.nl/a'), exchange('https://bakkerij.nl/a', 200)), o.redirectionNotToHttpsOnInitialRedirection);
    assert.equal(route(redirect('http://bakkerij.nl/', 'http://www.bakkerij.nl/'), exchange('http://www.bakkerij.nl/', 200)), o.redirectionNotToHttps);
    assert.equal(route(exchange('http://bakkerij.nl/', 200)), o.redirectionMissing);
    assert.equal(redirectionTest(requestsFor({ http: chain('http://bakkerij.nl/', [], 'connection_refused') })).result, o.redirectionNotNeededNoHttp);
  });
  it('sees an untrusted certificate on the way', () => {
    const result = route(redirect('http://bakkerij.nl/', 'https://bakkerij.nl/'), exchange('https://bakkerij.nl/', 200, {}, { tls: untrustedTls }));
    assert.equal(result, o.redirectionInvalidCert);
  });
});

describe('strict-transport-security (Observatory rules)', () => {
  const hsts = (value: string) => strictTransportSecurityTest(requestsFor({ headers: { 'strict-transport-security': value } })).result;
  it('uses six months, not a year, and keeps its leniencies', () => {
    assert.equal(hsts('max-age=15552000'), o.hstsImplementedMaxAgeAtLeastSixMonths);
    assert.equal(hsts('max-age=15551999'), o.hstsImplementedMaxAgeLessThanSixMonths);
    assert.equal(hsts('includeSubDomains'), o.hstsHeaderInvalid);
    assert.equal(hsts('max-age=abc'), o.hstsImplementedMaxAgeAtLeastSixMonths, 'NaN is not less than six months');
  });
});

describe('referrer-policy', () => {
  const referrer = (value: string) => referrerPolicyTest(requestsFor({ headers: { 'referrer-policy': value } })).result;
  it('takes the last policy a browser knows', () => {
    assert.equal(referrer('unsafe-url, strict-origin'), o.referrerPolicyPrivate);
    assert.equal(referrer('no-referrer, unsafe-url'), o.referrerPolicyUnsafe);
    assert.equal(referrer('no-referrer, made-up'), o.referrerPolicyPrivate);
    assert.equal(referrer('made-up'), o.referrerPolicyHeaderInvalid);
  });
});

describe('subresource-integrity', () => {
  const sri = (...scripts: Array<[string, string | null]>) =>
    subresourceIntegrityTest(
      requestsFor({ html: htmlPage({ scripts: scripts.map(([src, integrity]) => ({ src, resolvedSrc: src, integrity, crossorigin: null })), scriptCount: scripts.length }) }),
    ).result;
  it('judges scripts by where they come from and whether they carry a hash', () => {
    assert.equal(sri(), o.sriNotImplementedButNoScriptsLoaded);
    assert.equal(sri(['/app.js', null]), o.sriNotImplementedButAllScriptsLoadedFromSecureOrigin);
    assert.equal(sri(['/app.js', 'sha384-x']), o.sriImplementedAndAllScriptsLoadedSecurely);
    assert.equal(sri(['https://static.bakkerij.nl/app.js', null]), o.sriNotImplementedButAllScriptsLoadedFromSecureOrigin);
    assert.equal(sri(['https://cdn.example.com/a.js', 'sha384-x']), o.sriImplementedAndExternalScriptsLoadedSecurely);
    assert.equal(sri(['https://cdn.example.com/a.js', null]), o.sriNotImplementedButExternalScriptsLoadedSecurely);
    assert.equal(sri(['http://cdn.example.com/a.js', 'sha384-x']), o.sriImplementedButExternalScriptsNotLoadedSecurely);
    assert.equal(sri(['//cdn.example.com/a.js', null]), o.sriNotImplementedAndExternalScriptsNotLoadedSecurely);
    const json = subresourceIntegrityTest(requestsFor({ headers: { 'content-type': 'application/json' }, html: null })).result;
    assert.equal(json, o.sriNotImplementedResponseNotHtml);
  });
});

describe('x-frame-options', () => {
  it('prefers CSP frame-ancestors over the header', () => {
    const viaCsp = xFrameOptionsTest(requestsFor({ headers: { 'x-frame-options': 'nonsense', 'content-security-policy': "default-src 'self'; frame-ancestors 'self'" } }));
    assert.equal(viaCsp.result, o.xFrameOptionsImplementedViaCsp);
    assert.equal(xFrameOptionsTest(requestsFor({ headers: { 'x-frame-options': 'ALLOW-FROM https://a.example' } })).result, o.xFrameOptionsAllowFromOrigin);
  });
});

describe('the whole grade', () => {
  it('takes the https page when https answers, even with an untrusted certificate', () => {
    const grade = gradeWebsite(webEvidence({ https: chain('https://bakkerij.nl/', [exchange('https://bakkerij.nl/', 200, { 'content-type': 'text/html' }, { tls: untrustedTls })]) }));
    assert.ok(grade.graded);
    assert.equal(grade.tests.find((test) => test.test === 'strict-transport-security')?.result, o.hstsInvalidCert);
  });
});
