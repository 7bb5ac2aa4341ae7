// Evidence builders for the pure mail-server check tests: valid by schema (they are parsed),
// with fixed dates so the checks' `now` decides.
import assert from 'node:assert/strict';
import type { CheckResult } from '../../src/checks/types.ts';
import { type DkimEvidence, dkimEvidenceSchema } from '../../src/evidence/mail-servers/dkim-evidence.ts';
import { type MtaStsEvidence, mtaStsEvidenceSchema } from '../../src/evidence/mail-servers/mta-sts-evidence.ts';
import { type MxCertificate, type MxEvidence, mxEvidenceSchema, type MxHost, type SmtpSession } from '../../src/evidence/mail-servers/mx-evidence.ts';
import { type TlsRptEvidence, tlsRptEvidenceSchema } from '../../src/evidence/mail-servers/tls-rpt-evidence.ts';
import { hasMessage } from '../../src/i18n/index.ts';

export const now = new Date('2026-12-04T12:00:00Z');

const digest = (seed: string, length: number) => seed.repeat(length).slice(0, length);

export function certificate(overrides: Partial<MxCertificate> = {}): MxCertificate {
  return {
    subject: 'CN=mx.bakkerij.nl',
    issuer: "CN=R11, O=Let's Encrypt, C=US",
    subjectAltNames: ['DNS:mx.bakkerij.nl'],
    validFrom: '2026-11-01T00:00:00.000Z',
    validTo: '2027-01-30T00:00:00.000Z',
    fingerprintSha256: 'AA:BB',
    keyType: 'ec',
    keyBits: 256,
    selfSigned: false,
    hostnameMatches: true,
    ...overrides,
  };
}

export interface SessionOptions {
  protocol?: string;
  versions?: SmtpSession['versions'];
  chainTrusted?: boolean;
  chainError?: string | null;
  certificate?: Partial<MxCertificate>;
  /** Digests of the leaf (and an issuer) for DANE: seeds repeated to hex length. */
  chainSeeds?: string[];
}

export function tlsSession(options: SessionOptions = {}): SmtpSession {
  return {
    address: '192.0.2.25',
    greetingCode: 220,
    greeting: 'mx.bakkerij.nl ESMTP',
    extensions: ['PIPELINING', 'SIZE', 'STARTTLS'],
    starttlsOffered: true,
    bytesAfterStarttls: 0,
    failure: null,
    failureStage: null,
    failureDetail: null,
    durationMs: 120,
    tls: {
      protocol: options.protocol ?? 'TLSv1.3',
      cipher: 'TLS_AES_256_GCM_SHA384',
      chainTrusted: options.chainTrusted ?? true,
      chainError: options.chainError ?? null,
      certificate: certificate(options.certificate),
      chain: (options.chainSeeds ?? ['a', 'b']).map((seed) => ({
        subject: `CN=${seed}`,
        certSha256: digest(seed, 64),
        certSha512: digest(seed, 128),
        spkiSha256: digest(`${seed}1`, 64),
        spkiSha512: digest(`${seed}1`, 128),
      })),
    },
    versions: options.versions ?? [
      { version: 'TLSv1', outcome: 'refused', detail: null },
      { version: 'TLSv1.1', outcome: 'refused', detail: null },
      { version: 'TLSv1.2', outcome: 'accepted', detail: null },
      { version: 'TLSv1.3', outcome: 'accepted', detail: null },
    ],
  };
}

export function failedSession(failure: NonNullable<SmtpSession['failure']>, overrides: Partial<SmtpSession> = {}): SmtpSession {
  const stage = failure === 'starttls_not_offered' ? 'ehlo' : failure === 'handshake_failed' ? 'tls' : 'connect';
  return {
    ...tlsSession(),
    extensions: failure === 'starttls_not_offered' ? ['PIPELINING'] : ['PIPELINING', 'STARTTLS'],
    starttlsOffered: failure !== 'starttls_not_offered',
    failure,
    failureStage: stage,
    failureDetail: null,
    tls: null,
    versions: null,
    ...overrides,
  };
}

export function host(name: string, session: SmtpSession | null, tlsa: MxHost['tlsa'] = { status: 'nxdomain', failure: null, records: [], secure: null }): MxHost {
  return {
    name,
    preference: 10,
    addresses: session ? [session.address] : [],
    refusedAddresses: [],
    addressFailure: session ? null : 'no_address',
    sessions: session ? [session] : [],
    tlsa,
  };
}

export function mxEvidence(hosts: MxHost[], overrides: Partial<MxEvidence> = {}): MxEvidence {
  return mxEvidenceSchema.parse({
    domain: 'bakkerij.nl',
    lookup: { status: hosts.length > 0 ? 'ok' : 'nodata', failure: null },
    nullMx: false,
    mxSecure: null,
    records: hosts.map((item) => ({ preference: item.preference, exchange: item.name })),
    hosts,
    truncated: false,
    ...overrides,
  });
}

export function dkimEvidence(selectors: Array<{ selector: string; txt?: string[]; status?: 'ok' | 'nxdomain' | 'nodata' | 'error' }>, overrides: Partial<DkimEvidence> = {}): DkimEvidence {
  return dkimEvidenceSchema.parse({
    domain: 'bakkerij.nl',
    domainkeyNode: { status: 'nodata', failure: null },
    mxHosts: ['mx.bakkerij.nl'],
    selectors: selectors.map(({ selector, txt = [], status }) => ({
      selector,
      status: status ?? (txt.length > 0 ? 'ok' : 'nxdomain'),
      failure: status === 'error' ? 'timeout' : null,
      txt,
    })),
    ...overrides,
  });
}

export function mtaStsEvidence(overrides: Partial<MtaStsEvidence> = {}, policy: Partial<NonNullable<MtaStsEvidence['policy']>> | null = {}): MtaStsEvidence {
  return mtaStsEvidenceSchema.parse({
    domain: 'bakkerij.nl',
    mxLookup: { status: 'ok', failure: null },
    nullMx: false,
    mxHosts: ['mx1.bakkerij.nl', 'mx2.bakkerij.nl'],
    record: { status: 'ok', failure: null, txt: ['v=STSv1; id=20261204T1'] },
    policy:
      policy === null
        ? null
        : {
            url: 'https://mta-sts.bakkerij.nl/.well-known/mta-sts.txt',
            address: '192.0.2.80',
            status: 200,
            contentType: 'text/plain; charset=utf-8',
            body: 'version: STSv1\nmode: enforce\nmx: *.bakkerij.nl\nmax_age: 604800\n',
            bodyTruncated: false,
            tlsVerified: true,
            tlsError: null,
            redirectLocation: null,
            failure: null,
            failureDetail: null,
            ...policy,
          },
    ...overrides,
  });
}

export function tlsRptEvidence(txt: string[], overrides: Partial<TlsRptEvidence> = {}): TlsRptEvidence {
  return tlsRptEvidenceSchema.parse({
    domain: 'bakkerij.nl',
    mxLookup: { status: 'ok', failure: null },
    nullMx: false,
    mxHosts: ['mx.bakkerij.nl'],
    record: { status: txt.length > 0 ? 'ok' : 'nxdomain', failure: null, txt },
    ...overrides,
  });
}

/** The verdict, with its message existing in both languages and serialisable details. */
export function verdict(result: CheckResult): [string, string] {
  for (const language of ['nl', 'en'] as const) assert.ok(hasMessage(language, result.summaryKey), `${language}: ${result.summaryKey}`);
  assert.doesNotThrow(() => JSON.stringify(result.details));
  const prefix = 'checks.mail.';
  return [result.status, result.summaryKey.startsWith(prefix) ? result.summaryKey.slice(prefix.length) : result.summaryKey];
}
