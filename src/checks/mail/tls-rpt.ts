// mail.tls-rpt: SMTP TLS Reporting (RFC 8460). With a `_smtp._tls` record, sending servers
// (Google, Microsoft, …) mail a daily report of failed TLS connections to the domain's MX: the
// only way to learn that STARTTLS, DANE or MTA-STS broke before mail goes missing.
import type { TlsRptEvidence } from '../../evidence/mail-servers/tls-rpt-evidence.ts';
import type { CheckDefinition, CheckResult, CheckStatus, MessageParams, Severity } from '../types.ts';
import { parseTlsRptRecord, tlsRptRecordsOf } from './tls-rpt-record.ts';
import { checkResult } from '../result.ts';

const id = 'mail.tls-rpt';
const version = 1;

export const mailTlsRptCheck: CheckDefinition<TlsRptEvidence> = {
  id,
  version,
  area: 'mail',
  owner: 'it',
  evidenceKind: 'mail.tls-rpt',
  titleKey: 'checks.mail.tls-rpt.title',
  remediationKey: 'checks.mail.tls-rpt.remediation',
  references: [
    { title: 'RFC 8460: SMTP TLS Reporting', url: 'https://www.rfc-editor.org/rfc/rfc8460' },
    { title: 'Google Workspace: Set up TLS reporting', url: 'https://support.google.com/a/answer/10683907' },
  ],

  judge(evidence) {
    const details: Record<string, unknown> = { domain: evidence.domain, records: evidence.record.txt.filter((record) => /^v=TLSRPT/i.test(record)) };
    const result = (status: CheckStatus, severity: Severity, key: string, params: MessageParams = {}): CheckResult => checkResult({ id, version }, status, severity, key.startsWith('mx.') ? `checks.mail.${key}` : `checks.mail.tls-rpt.${key}`, params, details);

    if (evidence.mxLookup.status === 'error') return result('error', 'info', 'mx.lookup_failed', { domain: evidence.domain, reason: evidence.mxLookup.failure ?? 'error' });
    if (evidence.nullMx) return result('info', 'info', 'mx.null_mx', { domain: evidence.domain });
    if (evidence.mxHosts.length === 0) return result('info', 'info', 'mx.no_mx', { domain: evidence.domain });
    if (evidence.record.status === 'error') return result('error', 'info', 'lookup_failed', { reason: evidence.record.failure ?? 'error' });

    const records = tlsRptRecordsOf(evidence.record.txt);
    if (records.length === 0) return result('notice', 'low', 'missing');
    if (records.length > 1) return result('warn', 'medium', 'multiple_records', { count: records.length });
    const parsed = parseTlsRptRecord(records[0] as string);
    if (!parsed.ok) return result('warn', 'medium', 'invalid_record', { error: parsed.error, detail: parsed.detail });
    details.destinations = parsed.destinations.map((destination) => destination.uri);
    return result('pass', 'info', 'pass', { destinations: parsed.destinations.map((destination) => destination.uri).join(', ').slice(0, 300) });
  },
};
