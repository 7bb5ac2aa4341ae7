// DANE for SMTP (RFC 7672, RFC 7671): which TLSA records a sender may use, and whether they
// match the chain the MX server presented. Pure: digests are computed by the gatherer.

export interface TlsaRecord {
  usage: number;
  selector: number;
  matchingType: number;
  /** Association data, lowercase hex (bounded). */
  data: string;
  /** SHA-256 of the association data, so full-data records (matching type 0) can be compared. */
  dataSha256: string;
}

/** Digests of one presented certificate and its SubjectPublicKeyInfo, lowercase hex. */
export interface CertificateDigests {
  certSha256: string;
  certSha512: string;
  spkiSha256: string;
  spkiSha512: string;
}

/** RFC 7672 3.1.3: senders use DANE-TA(2) and DANE-EE(3); PKIX-TA(0) and PKIX-EE(1) are unusable for SMTP. */
export function isUsableForSmtp(record: TlsaRecord): boolean {
  return (record.usage === 2 || record.usage === 3) && (record.selector === 0 || record.selector === 1) && [0, 1, 2].includes(record.matchingType);
}

function digestMatches(record: TlsaRecord, certificate: CertificateDigests): boolean {
  const full = record.selector === 0;
  switch (record.matchingType) {
    case 0:
      return record.dataSha256 === (full ? certificate.certSha256 : certificate.spkiSha256);
    case 1:
      return record.data === (full ? certificate.certSha256 : certificate.spkiSha256);
    case 2:
      return record.data === (full ? certificate.certSha512 : certificate.spkiSha512);
    default:
      return false;
  }
}

/** Whether a usable record matches the presented chain (leaf for DANE-EE, an issuer for DANE-TA). */
export function tlsaMatchesChain(record: TlsaRecord, chain: CertificateDigests[]): boolean {
  if (!isUsableForSmtp(record)) return false;
  if (record.usage === 3) return chain[0] !== undefined && digestMatches(record, chain[0]);
  return chain.slice(1).some((certificate) => digestMatches(record, certificate));
}
