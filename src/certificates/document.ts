// The certificate document: a one-page A4 PDF in Dutch and English, laid out by a Typst template
// (templates/certificate.typ) with a QR code to the public verification page, and the signed
// statement embedded in it. The plain PDF is hashed into the statement before signing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NodeCompiler } from '@myriaddreamin/typst-ts-node-compiler';
import QRCode from 'qrcode';
import { t } from '../i18n/index.ts';
import type { Texts } from '../norm/types.ts';
import { embedInPdf, sha256Hex, signStatement, type CertificateStatement, type SignedStatement } from './statement.ts';

const template = readFileSync(join(import.meta.dirname, 'templates', 'certificate.typ'), 'utf8');
const labelKeys = ['certificate', 'certifies', 'kvk', 'validFrom', 'validUntil', 'programme', 'level', 'norm', 'measured', 'notMeasured', 'number', 'verify', 'signed', 'key'] as const;

let compiler: NodeCompiler | undefined;
const typst = (): NodeCompiler => (compiler ??= NodeCompiler.create());

export interface DocumentTexts {
  /** Area id → its title, from the norm. */
  areaTitles: Record<string, Texts>;
  normTitle: Texts;
  streakMonths: number;
}

const labels = (lang: 'nl' | 'en') => Object.fromEntries(labelKeys.map((key) => [key, t(lang, `certificates.document.${key}`)]));
const areaList = (ids: string[], titles: Record<string, Texts>, lang: 'nl' | 'en') =>
  ids.length === 0 ? t(lang, 'certificates.document.none') : ids.map((id) => titles[id]?.[lang] ?? id).join(', ');

/** The PDF as laid out, without the signature (the bytes whose hash the statement carries). */
export async function renderCertificatePdf(statement: CertificateStatement, texts: DocumentTexts): Promise<Buffer> {
  const qr = await QRCode.toString(statement.verifyUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
  const data = {
    id: statement.id,
    documentTitle: t('nl', 'certificates.document.title', { company: statement.company.name }),
    labels: { nl: labels('nl'), en: labels('en') },
    company: statement.company,
    meets: {
      nl: t('nl', 'certificates.document.meets', { norm: `${texts.normTitle.nl} ${statement.norm.version}`, level: statement.level, months: texts.streakMonths }),
      en: t('en', 'certificates.document.meets', { norm: `${texts.normTitle.en} ${statement.norm.version}`, level: statement.level, months: texts.streakMonths }),
    },
    validFrom: statement.validFrom,
    validUntil: statement.validUntil,
    programme: `${statement.programme.name} (${statement.programme.region})`,
    level: statement.level,
    norm: `${statement.norm.id} ${statement.norm.version}`,
    measured: { nl: areaList(statement.scope.measuredAreas, texts.areaTitles, 'nl'), en: areaList(statement.scope.measuredAreas, texts.areaTitles, 'en') },
    notMeasured: { nl: areaList(statement.scope.notMeasuredAreas, texts.areaTitles, 'nl'), en: areaList(statement.scope.notMeasuredAreas, texts.areaTitles, 'en') },
    verifyUrl: statement.verifyUrl,
    keyId: statement.keyId,
  };
  const issued = Math.floor(Date.parse(statement.issuedAt) / 1000);
  return typst().pdf({ mainFileContent: template, inputs: { data: JSON.stringify(data), qr } }, { creationTimestamp: issued });
}

export interface IssuedDocument {
  signed: SignedStatement;
  /** The PDF with the signed statement embedded. */
  pdf: Buffer;
}

/** Lays out, hashes, signs and embeds: the certificate as it is handed out. */
export async function issueDocument(
  statement: Omit<CertificateStatement, 'document'>,
  texts: DocumentTexts,
  key: Parameters<typeof signStatement>[1],
): Promise<IssuedDocument> {
  const plain = await renderCertificatePdf(statement as CertificateStatement, texts);
  const signed = signStatement({ ...statement, document: { mediaType: 'application/pdf', sha256: sha256Hex(plain) } }, key);
  return { signed, pdf: embedInPdf(plain, signed) };
}
