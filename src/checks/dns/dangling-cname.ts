// dns.dangling-cname: a CNAME that still points at a cloud resource the company gave up lets
// anyone who claims that resource serve pages, set cookies and receive mail-verification links
// under the company's own name (subdomain takeover). Confirmed by the service's own signal or an
// unregistered target domain: a high-severity failure. A CNAME to a name that no longer exists,
// at no known service, is broken and possibly claimable: a warning.
import type { DanglingCnameEvidence } from '../../evidence/dns/dangling-cname-evidence.ts';
import type { CheckDefinition } from '../types.ts';
import { dnsReason, resultFor } from './outcome.ts';

const id = 'dns.dangling-cname';
const version = 1;

const names = (aliases: DanglingCnameEvidence['aliases']) =>
  aliases
    .map((alias) => `${alias.name} → ${alias.chain[alias.chain.length - 1] ?? ''}`)
    .join(', ')
    .slice(0, 400);

export const dnsDanglingCnameCheck: CheckDefinition<DanglingCnameEvidence> = {
  id,
  version,
  area: 'dns',
  owner: 'it',
  evidenceKind: 'dns.dangling-cname',
  titleKey: 'checks.dns.dangling-cname.title',
  remediationKey: 'checks.dns.dangling-cname.remediation',
  references: [
    { title: 'Microsoft: Prevent dangling DNS entries and avoid subdomain takeover', url: 'https://learn.microsoft.com/en-us/azure/security/fundamentals/subdomain-takeover' },
    { title: 'OWASP WSTG: Test for Subdomain Takeover', url: 'https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/02-Configuration_and_Deployment_Management_Testing/10-Test_for_Subdomain_Takeover' },
    { title: 'can-i-take-over-xyz (service fingerprints)', url: 'https://github.com/EdOverflow/can-i-take-over-xyz' },
  ],

  judge(evidence) {
    const result = resultFor(id, version);
    const confirmed = evidence.aliases.filter((alias) => alias.verdict === 'takeover' || alias.verdict === 'unregistered');
    const dangling = evidence.aliases.filter((alias) => alias.verdict === 'dangling');
    const unknown = evidence.aliases.filter((alias) => alias.verdict === 'unknown');
    const details = { ...evidence, confirmed: confirmed.map((alias) => alias.name), dangling: dangling.map((alias) => alias.name) };
    if (confirmed.length > 0) return result('fail', 'high', 'checks.dns.dangling-cname.takeover', { count: confirmed.length, names: names(confirmed) }, details);
    if (dangling.length > 0) return result('warn', 'medium', 'checks.dns.dangling-cname.dangling', { count: dangling.length, names: names(dangling) }, details);
    const failed = evidence.failedLookups[0];
    // Nothing could be looked up at all: the measurement failed.
    if (failed && evidence.failedCount >= evidence.checked) return result('error', 'info', `checks.dns.reason.${dnsReason(failed.failure)}`, { name: failed.name }, details);
    if (unknown.length > 0 || evidence.failedCount > 0) {
      return result('info', 'info', 'checks.dns.dangling-cname.incomplete', { checked: evidence.checked, failed: unknown.length + evidence.failedCount }, details);
    }
    return result('pass', 'info', 'checks.dns.dangling-cname.pass', { checked: evidence.checked, aliases: evidence.aliases.length }, details);
  },
};
