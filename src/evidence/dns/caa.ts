// Gather dns.caa: the relevant CAA record set of the domain (RFC 8659 section 3): ask the
// domain, then each parent up to (not including) the top-level domain, and stop at the first
// name that has CAA records. A DNS failure on the way is recorded and ends the climb.
import type { Evidence } from '../../checks/types.ts';
import type { DnsClient } from '../../net/dns-client.ts';
import { type CaaEvidence, caaEvidenceKind, caaEvidenceSchema } from './caa-evidence.ts';

interface CaaData {
  flags?: number;
  tag?: string;
  value?: string;
}

export async function gatherCaaEvidence(domain: string, options: { dns: Pick<DnsClient, 'query'> }): Promise<Evidence<CaaEvidence>> {
  const data: CaaEvidence = { domain, lookups: [], foundAt: null, records: [] };
  const labels = domain.split('.');
  for (let start = 0; start < labels.length - 1 && data.lookups.length < 16; start += 1) {
    const name = labels.slice(start).join('.');
    const answer = await options.dns.query(name, 'CAA');
    data.lookups.push({ name, status: answer.status, failure: answer.status === 'error' ? String(answer.failure ?? 'error').slice(0, 64) : null });
    if (answer.status === 'error') break;
    const records = answer.answers
      .filter((record) => record.type === 'CAA')
      .slice(0, 50)
      .map((record) => {
        const caa = (record as { data?: CaaData }).data ?? {};
        return { flags: Number(caa.flags ?? 0) & 0xff, tag: String(caa.tag ?? '').toLowerCase().slice(0, 64), value: String(caa.value ?? '').slice(0, 1024) };
      });
    if (records.length > 0) {
      data.foundAt = name;
      data.records = records;
      break;
    }
  }
  return { kind: caaEvidenceKind, gatheredAt: new Date().toISOString(), data: caaEvidenceSchema.parse(data) };
}
