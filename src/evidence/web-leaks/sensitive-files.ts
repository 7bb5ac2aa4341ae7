// ACTIVE probe (verified or attested domains only): ask for about twenty paths that should never
// be public and confirm each by its content. First a random path that cannot exist sets the
// baseline: a site that answers 200 with the same page for everything ("soft 404") shows there,
// and a marker that also appears in the baseline answer is never counted. Bodies are read with
// a range request and a 64 KB cap, and only redacted excerpts are kept.
import { randomBytes } from 'node:crypto';
import type { Evidence } from '../../checks/types.ts';
import { type FetchOptions, fetchChain } from '../../net/http-client.ts';
import { belongsToDomain, fetchOptionsOf, fetchSitePath, type LeakGatherOptions, siteUnreachable } from './home-page.ts';
import { type ProbeOutcome, type SensitiveFilesEvidence, sensitiveFilesEvidenceKind, sensitiveFilesEvidenceSchema } from './sensitive-files-evidence.ts';
import { probeReadBytes, type SensitiveProbe, sensitiveProbes } from './sensitive-files-probes.ts';

/** Two probes at a time (the HTTP client allows no more per host anyway). */
const parallelProbes = 2;
/** After this many probes time out, the site is too slow to go on. */
const maxTimeouts = 2;

export interface SensitiveFilesGatherOptions extends LeakGatherOptions {
  /** The paths to ask for; the curated list unless a test narrows it. */
  probes?: SensitiveProbe[];
}

function readOptions(fetchOptions: FetchOptions): FetchOptions {
  return {
    ...fetchOptions,
    maxRedirects: 0,
    maxBodyBytes: probeReadBytes,
    headers: { range: `bytes=0-${probeReadBytes - 1}`, accept: '*/*' },
  };
}

export async function gatherSensitiveFilesEvidence(domain: string, options: SensitiveFilesGatherOptions): Promise<Evidence<SensitiveFilesEvidence>> {
  const fetchOptions = fetchOptionsOf(options);
  const data: SensitiveFilesEvidence = { origin: null, error: null, errorDetail: null, baseline: null, probes: [], incomplete: false };
  const evidence = (): Evidence<SensitiveFilesEvidence> => ({
    kind: sensitiveFilesEvidenceKind,
    gatheredAt: new Date().toISOString(),
    data: sensitiveFilesEvidenceSchema.parse(data),
  });

  const unreachable = await siteUnreachable(domain, options);
  if (unreachable) {
    data.origin = `https://${domain}`;
    data.error = unreachable.error;
    data.errorDetail = unreachable.errorDetail;
    return evidence();
  }

  // The baseline may redirect (http → https, bare name → www.): where it lands is the origin
  // the probes go to, as long as that is still this domain.
  const baselinePath = `/cybermonitor-${randomBytes(12).toString('hex')}`;
  const { url, result } = await fetchSitePath(domain, baselinePath, { ...readOptions(fetchOptions), maxRedirects: 3 });
  const baseline = result.final;
  if (!baseline) {
    data.origin = new URL(url).origin;
    data.error = result.error ?? 'no_response';
    data.errorDetail = result.errorDetail?.slice(0, 256) ?? null;
    return evidence();
  }
  const origin = belongsToDomain(baseline.url, domain) ? new URL(baseline.url).origin : new URL(url).origin;
  data.origin = origin;
  data.baseline = { path: baselinePath, status: baseline.status, bytes: baseline.bodyBytes };
  const baselineBody = baseline.status >= 200 && baseline.status < 300 ? (baseline.body ?? '') : '';

  const probes = options.probes ?? sensitiveProbes;
  const outcomes: Array<ProbeOutcome | undefined> = new Array(probes.length);
  let next = 0;
  let timeouts = 0;
  const stopped = () => timeouts >= maxTimeouts || options.signal?.aborted === true;

  const probeOne = async (probe: SensitiveProbe): Promise<ProbeOutcome> => {
    const answer = await fetchChain(`${origin}${probe.path}`, readOptions(fetchOptions));
    const response = answer.final ?? answer.hops.at(-1);
    if (answer.error === 'timeout') timeouts += 1;
    const outcome: ProbeOutcome = {
      path: probe.path,
      kind: probe.kind,
      status: response?.status ?? null,
      error: response ? null : (answer.error ?? 'no_response'),
      confirmed: false,
      soft404: false,
      marker: null,
      excerpt: null,
    };
    // 200, or 206 for the range we asked; a redirect or an error status is no exposure.
    if (!answer.final || (answer.final.status !== 200 && answer.final.status !== 206)) return outcome;
    const confirmation = probe.confirm(answer.final.body ?? '');
    if (!confirmation) return outcome;
    outcome.confirmed = true;
    outcome.marker = confirmation.marker.slice(0, 128);
    outcome.excerpt = confirmation.excerpt.slice(0, 300);
    // The same marker in the answer for a path that cannot exist: the site says this to everyone.
    if (baselineBody !== '' && probe.confirm(baselineBody)) outcome.soft404 = true;
    return outcome;
  };

  const worker = async () => {
    while (next < probes.length && !stopped()) {
      const index = next;
      next += 1;
      outcomes[index] = await probeOne(probes[index] as SensitiveProbe);
    }
  };
  await Promise.all(Array.from({ length: parallelProbes }, worker));
  data.probes = outcomes.filter((outcome): outcome is ProbeOutcome => outcome !== undefined);
  data.incomplete = data.probes.length < probes.length;
  return evidence();
}
