// Gather mail.dkim: DKIM keys live at <selector>._domainkey.<domain>, and a domain does not say
// which selectors it uses, so we ask for the common ones (Microsoft 365, Google Workspace, the
// hosting panels, the big mail services) plus a configurable list, all concurrently through the
// caching DNS client. `_domainkey.<domain>` itself tells whether anything exists below it:
// NXDOMAIN there means no selector at all (RFC 8020).
import type { Evidence } from '../../checks/types.ts';
import { type DkimEvidence, dkimEvidenceKind, dkimEvidenceSchema } from './dkim-evidence.ts';
import { type MailDns, mxFacts, outcomeOf, txtFacts } from './lookups.ts';

/** Common selectors: Microsoft 365 (selector1/2), Google Workspace (google), cPanel/Plesk (default),
 *  DirectAdmin (x), Mailchimp (k1–k3), SendGrid (s1/s2), iCloud (sig1), Fastmail (fm1), others. */
export const defaultDkimSelectors = [
  'selector1',
  'selector2',
  'google',
  'default',
  'k1',
  'k2',
  'k3',
  's1',
  's2',
  'dkim',
  'mail',
  'x',
  'sig1',
  'fm1',
  'protonmail',
  'zoho',
  'mandrill',
  'key1',
] as const;

export const maxSelectors = 60;
const selectorPattern = /^[a-z0-9]([a-z0-9_-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9_-]{0,61}[a-z0-9])?)*$/;

/** Selectors from a comma-separated list (`DKIM_SELECTORS=mailjet,smtpapi`); invalid names are dropped. */
export function parseSelectorList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((selector) => selector.trim().toLowerCase())
    .filter((selector) => selector.length <= 63 && selectorPattern.test(selector));
}

/** The selectors to try: the defaults plus `extra`, without duplicates, at most `maxSelectors`. */
export function dkimSelectors(extra: string[] = []): string[] {
  return [...new Set([...defaultDkimSelectors, ...extra])].slice(0, maxSelectors);
}

export interface DkimGatherOptions {
  dns: MailDns;
  /** Selectors beyond the defaults (configuration, or what an organisation declared). */
  extraSelectors?: string[];
}

/** DKIM_SELECTORS from the environment: extra selectors, comma-separated. */
export function configuredDkimSelectors(env: NodeJS.ProcessEnv = process.env): string[] {
  return parseSelectorList(env.DKIM_SELECTORS);
}

/** Never throws: an unexpected failure becomes evidence of failed lookups (`internal`). */
export async function gatherDkimEvidence(domain: string, options: DkimGatherOptions): Promise<Evidence<DkimEvidence>> {
  try {
    return await gatherDkim(domain, options);
  } catch {
    const failed = { status: 'error' as const, failure: 'internal' };
    const data: DkimEvidence = {
      domain: domain.slice(0, 253),
      domainkeyNode: failed,
      mxHosts: [],
      selectors: dkimSelectors(options.extraSelectors).map((selector) => ({ selector, ...failed, txt: [] })),
    };
    return { kind: dkimEvidenceKind, gatheredAt: new Date().toISOString(), data };
  }
}

async function gatherDkim(domain: string, options: DkimGatherOptions): Promise<Evidence<DkimEvidence>> {
  const selectors = dkimSelectors(options.extraSelectors);
  const [node, mx, found] = await Promise.all([
    options.dns.txt(`_domainkey.${domain}`),
    mxFacts(options.dns, domain),
    Promise.all(selectors.map(async (selector) => ({ selector, ...(await txtFacts(options.dns, `${selector}._domainkey.${domain}`)) }))),
  ]);
  const data: DkimEvidence = {
    domain: domain.slice(0, 253),
    domainkeyNode: outcomeOf(node),
    mxHosts: mx.hosts.slice(0, 20),
    selectors: found,
  };
  return { kind: dkimEvidenceKind, gatheredAt: new Date().toISOString(), data: dkimEvidenceSchema.parse(data) };
}
