// Evidence for the pure leak-check tests, built the way the gatherers build it (the HTML goes
// through the same extractPageFacts), so a test reads like the response it stands for.
import type { HomePageEvidence, VersionFile } from '../../src/evidence/web-leaks/home-page-evidence.ts';
import { homePageEvidenceSchema } from '../../src/evidence/web-leaks/home-page-evidence.ts';
import { extractPageFacts } from '../../src/evidence/web-leaks/page-facts.ts';
import type { SecurityTxtEvidence, SecurityTxtFetch } from '../../src/evidence/web-leaks/security-txt-evidence.ts';
import { securityTxtEvidenceSchema } from '../../src/evidence/web-leaks/security-txt-evidence.ts';

export interface PageSpec {
  url?: string;
  headers?: Array<[string, string]>;
  html?: string | null;
  cookies?: string[];
  versionFiles?: VersionFile[];
}

export function homePage(spec: PageSpec = {}): HomePageEvidence {
  const url = spec.url ?? 'https://shop.example.nl/';
  const html = spec.html === undefined ? '<!doctype html><title>Home</title>' : spec.html;
  return homePageEvidenceSchema.parse({
    requestedUrl: url,
    finalUrl: url,
    status: 200,
    redirects: [{ url, status: 200 }],
    error: null,
    errorDetail: null,
    headers: [['content-type', 'text/html; charset=utf-8'], ...(spec.headers ?? [])],
    cookieNames: spec.cookies ?? [],
    contentType: html === null ? 'application/json' : 'text/html; charset=utf-8',
    bodyTruncated: false,
    page: html === null ? null : extractPageFacts(html, url),
    versionFilesProbed: spec.versionFiles !== undefined,
    versionFiles: spec.versionFiles ?? [],
  });
}

export function unreachableHomePage(): HomePageEvidence {
  return homePageEvidenceSchema.parse({
    requestedUrl: 'https://down.example.nl/',
    finalUrl: null,
    status: null,
    redirects: [],
    error: 'connection_refused',
    errorDetail: 'ECONNREFUSED',
    headers: [],
    cookieNames: [],
    contentType: null,
    bodyTruncated: false,
    page: null,
    versionFilesProbed: false,
    versionFiles: [],
  });
}

export function securityTxtFetch(body: string | null, overrides: Partial<SecurityTxtFetch> = {}): SecurityTxtFetch {
  const url = overrides.url ?? 'https://shop.example.nl/.well-known/security.txt';
  return {
    url,
    finalUrl: url,
    status: body === null ? 404 : 200,
    redirects: [],
    contentType: body === null ? 'text/html' : 'text/plain; charset=utf-8',
    error: null,
    errorDetail: null,
    body,
    bodyTruncated: false,
    ...overrides,
  };
}

export function securityTxtEvidence(wellKnown: SecurityTxtFetch, legacy: SecurityTxtFetch | null = null): SecurityTxtEvidence {
  return securityTxtEvidenceSchema.parse({ wellKnown, legacy });
}
