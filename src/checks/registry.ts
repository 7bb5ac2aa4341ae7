// The one list of checks, and how evidence is judged by them. Evidence is validated against its
// schema before any check sees it, so corrupt or hostile stored evidence yields an error
// result, never a crash.
import type { z } from 'zod';
import { certificateEvidenceKind, certificateEvidenceSchema } from '../evidence/tls/certificate-evidence.ts';
import { tlsCertificateCheck } from './tls/certificate.ts';
import { tlsCertificateChainCheck } from './tls/certificate-chain.ts';
import { tlsCertificateKeyCheck } from './tls/certificate-key.ts';
import { tlsCertificateSignatureCheck } from './tls/certificate-signature.ts';
import { webHttpEvidenceKind, webHttpEvidenceSchema } from '../evidence/http/web-http-evidence.ts';
import { webHeadersGradeCheck } from './web/headers-grade.ts';
import { webHstsCheck } from './web/hsts.ts';
import { webHttpsAvailableCheck } from './web/https-available.ts';
import { webHttpsRedirectCheck } from './web/https-redirect.ts';
import { ciphersEvidenceKind, ciphersEvidenceSchema, protocolsEvidenceKind, protocolsEvidenceSchema } from '../evidence/tls/tls-scan-evidence.ts';
import { tlsForwardSecrecyCheck } from './tls/forward-secrecy.ts';
import { tlsLegacyProtocolsCheck } from './tls/legacy-protocols.ts';
import { tlsNcscCheck } from './tls/ncsc.ts';
import { tlsWeakCiphersCheck } from './tls/weak-ciphers.ts';
import { homePageEvidenceKind, homePageEvidenceSchema } from '../evidence/web-leaks/home-page-evidence.ts';
import { securityTxtEvidenceKind, securityTxtEvidenceSchema } from '../evidence/web-leaks/security-txt-evidence.ts';
import { sensitiveFilesEvidenceKind, sensitiveFilesEvidenceSchema } from '../evidence/web-leaks/sensitive-files-evidence.ts';
import { webBannersCheck } from './web/banners.ts';
import { webCmsCheck } from './web/cms.ts';
import { webMixedContentCheck } from './web/mixed-content.ts';
import { webSecurityTxtCheck } from './web/security-txt.ts';
import { webSensitiveFilesCheck } from './web/sensitive-files.ts';
import { dmarcEvidenceKind, dmarcEvidenceSchema } from '../evidence/mail/dmarc-evidence.ts';
import { spfEvidenceKind, spfEvidenceSchema } from '../evidence/mail/spf-evidence.ts';
import { mailDmarcCheck } from './mail/dmarc.ts';
import { mailSpfCheck } from './mail/spf.ts';
import { dkimEvidenceKind, dkimEvidenceSchema } from '../evidence/mail-servers/dkim-evidence.ts';
import { mtaStsEvidenceKind, mtaStsEvidenceSchema } from '../evidence/mail-servers/mta-sts-evidence.ts';
import { mxEvidenceKind, mxEvidenceSchema } from '../evidence/mail-servers/mx-evidence.ts';
import { tlsRptEvidenceKind, tlsRptEvidenceSchema } from '../evidence/mail-servers/tls-rpt-evidence.ts';
import { mailDaneCheck } from './mail/dane.ts';
import { mailDkimCheck } from './mail/dkim.ts';
import { mailMtaStsCheck } from './mail/mta-sts.ts';
import { mailMxStarttlsCheck } from './mail/mx-starttls.ts';
import { mailMxTlsCheck } from './mail/mx-tls.ts';
import { mailTlsRptCheck } from './mail/tls-rpt.ts';
import type { CheckDefinition, CheckResult, Evidence } from './types.ts';
import { exposureEvidenceKind, exposureEvidenceSchema } from '../evidence/exposure/exposure-evidence.ts';
import { networkExposedServicesCheck } from './network/exposed-services.ts';
import { networkKnownExploitedCheck } from './network/known-exploited.ts';
import { lookalikeEvidenceKind, lookalikeEvidenceSchema } from '../evidence/lookalikes/lookalike-evidence.ts';
import { peopleLookalikeDomainsCheck } from './people/lookalike-domains.ts';
import { dnsChecks, dnsEvidenceSchemas } from './dns/dns-checks.ts';

export const checks: CheckDefinition[] = [
  tlsCertificateCheck,
  tlsCertificateChainCheck,
  tlsCertificateKeyCheck,
  tlsCertificateSignatureCheck,
  tlsLegacyProtocolsCheck,
  tlsWeakCiphersCheck,
  tlsForwardSecrecyCheck,
  tlsNcscCheck,
  webHttpsAvailableCheck,
  webHttpsRedirectCheck,
  webHstsCheck,
  webHeadersGradeCheck,
  webBannersCheck,
  webCmsCheck,
  webMixedContentCheck,
  webSecurityTxtCheck,
  webSensitiveFilesCheck,
  mailSpfCheck,
  mailDmarcCheck,
  mailDkimCheck,
  mailMxStarttlsCheck,
  mailMxTlsCheck,
  mailMtaStsCheck,
  mailTlsRptCheck,
  mailDaneCheck,
  networkExposedServicesCheck,
  networkKnownExploitedCheck,
  peopleLookalikeDomainsCheck,
  ...dnsChecks,
];

const evidenceSchemas: Record<string, z.ZodType> = {
  [certificateEvidenceKind]: certificateEvidenceSchema,
  [protocolsEvidenceKind]: protocolsEvidenceSchema,
  [ciphersEvidenceKind]: ciphersEvidenceSchema,
  [webHttpEvidenceKind]: webHttpEvidenceSchema,
  [homePageEvidenceKind]: homePageEvidenceSchema,
  [securityTxtEvidenceKind]: securityTxtEvidenceSchema,
  [sensitiveFilesEvidenceKind]: sensitiveFilesEvidenceSchema,
  [spfEvidenceKind]: spfEvidenceSchema,
  [dmarcEvidenceKind]: dmarcEvidenceSchema,
  [mxEvidenceKind]: mxEvidenceSchema,
  [dkimEvidenceKind]: dkimEvidenceSchema,
  [mtaStsEvidenceKind]: mtaStsEvidenceSchema,
  [tlsRptEvidenceKind]: tlsRptEvidenceSchema,
  [exposureEvidenceKind]: exposureEvidenceSchema,
  [lookalikeEvidenceKind]: lookalikeEvidenceSchema,
  ...dnsEvidenceSchemas,
};

export function findCheck(id: string): CheckDefinition | undefined {
  return checks.find((check) => check.id === id);
}

export function checksFor(evidenceKind: string): CheckDefinition[] {
  return checks.filter((check) => check.evidenceKind === evidenceKind);
}

function errorResult(check: CheckDefinition, reason: string): CheckResult {
  return {
    checkId: check.id,
    checkVersion: check.version,
    status: 'error',
    severity: 'info',
    summaryKey: `checks.reason.${reason}`,
    summaryParams: {},
    details: { reason },
  };
}

/** Judge every piece of evidence with every check that reads its kind, in registry order. */
export function judgeAll(evidence: Evidence[], now: Date): CheckResult[] {
  const results: CheckResult[] = [];
  for (const item of evidence) {
    const schema = evidenceSchemas[item.kind];
    const parsed = schema?.safeParse(item.data);
    for (const check of checksFor(item.kind)) {
      if (!parsed?.success) {
        results.push(errorResult(check, 'evidence_invalid'));
        continue;
      }
      try {
        results.push(check.judge(parsed.data, { now }));
      } catch {
        results.push(errorResult(check, 'check_failed'));
      }
    }
  }
  return results;
}
