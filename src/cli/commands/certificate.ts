// `cybermonitor certificate verify FILE [--key PUBLICKEY]`: checks a Cyberkeurmerk PDF (or the
// signed statement JSON beside it) offline, without the database or the network.
//   exit 0  valid          the signature is good and today lies before its end date
//   exit 1  tampered       a changed byte, a changed date, no or an unreadable signature
//   exit 2  usage          wrong arguments, or FILE / the key file cannot be read
//   exit 3  unknown key    signed with a key that is not among the keys given
//   exit 4  expired        the signature is good but the certificate has ended
// Whether a certificate was revoked is not in the file: the QR code leads to /verify/<id>.
// Without --key it uses the public keys in this installation's key directory.
// `cybermonitor certificate rotate-key`: a new signing key; the old ones stay published.
import { readFileSync, statSync } from 'node:fs';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { keySettings, publicKeysInDirectory, publishSigningKey, rotateSigningKey } from '../../certificates/keys.ts';
import { parsePublicKeys, verifyCertificateFile, type PublicKeyEntry, type VerificationOutcome } from '../../certificates/statement.ts';
import { loadConfig } from '../../config.ts';
import { isLanguage, type Language, t } from '../../i18n/index.ts';
import { localDate } from '../../norm/calendar.ts';
import { withOperator } from '../operator.ts';
import { environmentLanguage, printable, safeJson } from './scan.ts';

export const verifyExitCodes: Record<VerificationOutcome | 'usage', number> = { valid: 0, tampered: 1, usage: 2, unknown_key: 3, expired: 4 };
/** A certificate PDF is some tens of kilobytes; anything far larger is not one. */
const maxFileBytes = 20 * 1024 * 1024;

export interface VerifyArgs {
  file: string;
  key?: string;
  json: boolean;
  lang: Language;
  /** Judge expiry on this local date (YYYY-MM-DD); today in Europe/Amsterdam by default. */
  date?: string;
}

function readBounded(path: string): Buffer {
  if (statSync(path).size > maxFileBytes) throw new Error('too large');
  return readFileSync(path);
}

export function runVerify(args: VerifyArgs, out: NodeJS.WritableStream, err: NodeJS.WritableStream): number {
  const lang = args.lang;
  let file: Buffer;
  try {
    file = readBounded(args.file);
  } catch {
    err.write(`${printable(t(lang, 'certificates.cli.unreadable', { file: args.file }))}\n`);
    return verifyExitCodes.usage;
  }
  let keys: PublicKeyEntry[];
  try {
    keys = args.key ? parsePublicKeys(readBounded(args.key).toString('utf8')) : publicKeysInDirectory(keySettings(loadConfig().dataDir).directory);
  } catch (error) {
    err.write(`${printable(t(lang, 'certificates.cli.bad_key', { file: args.key ?? '', reason: error instanceof Error ? error.message : String(error) }))}\n`);
    return verifyExitCodes.usage;
  }
  if (keys.length === 0) err.write(`${t(lang, 'certificates.cli.no_keys')}\n`);
  const today = args.date ?? localDate(new Date(), 'Europe/Amsterdam');
  const result = verifyCertificateFile(file, keys, today);
  if (args.json) {
    out.write(`${safeJson({ outcome: result.outcome, reason: result.reason ?? null, keyId: result.keyId ?? null, kind: result.kind ?? null, checkedOn: today, certificate: result.statement ?? null })}\n`);
  } else {
    const s = result.statement;
    const params = { id: s?.id ?? '', company: s?.company.name ?? '', from: s?.validFrom ?? '', until: s?.validUntil ?? '', key: result.keyId ?? '', reason: result.reason ?? '' };
    out.write(`${printable(t(lang, `certificates.cli.${result.outcome}`, params))}\n`);
  }
  return verifyExitCodes[result.outcome];
}

const isoDate = (value: string): string => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) throw new InvalidArgumentError('expected YYYY-MM-DD');
  return value;
};

export function register(program: Command): void {
  const certificate = program.command('certificate').description('the Cyberkeurmerk: verify a certificate offline, rotate the signing key');
  certificate
    .command('verify')
    .description('verify a certificate PDF or signed statement offline (exit 0 valid, 1 tampered, 2 usage, 3 unknown key, 4 expired)')
    .argument('<file>', 'the certificate PDF or its signed statement (JSON)')
    .option('--key <publickey>', 'the key document (/.well-known/cyberkeurmerk-keys.json), one JWK, or a PEM public key')
    .option('--json', 'print JSON')
    .option('--date <yyyy-mm-dd>', 'judge expiry on this date instead of today', isoDate)
    .addOption(new Option('--lang <lang>', 'language of the output').choices(['nl', 'en']))
    .action((file: string, options: { key?: string; json?: boolean; date?: string; lang?: Language }) => {
      const lang = isLanguage(options.lang) ? options.lang : environmentLanguage();
      const code = runVerify({ file, json: options.json === true, lang, ...(options.key ? { key: options.key } : {}), ...(options.date ? { date: options.date } : {}) }, process.stdout, process.stderr);
      if (code !== 0) process.exitCode = code;
    });
  certificate
    .command('rotate-key')
    .description('make a new signing key active; older keys stay published so their certificates still verify')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      await withOperator(async ({ config, database }) => {
        const key = rotateSigningKey(keySettings(config.dataDir));
        await publishSigningKey(database.db, key);
        process.stdout.write(options.json ? `${JSON.stringify({ keyId: key.keyId })}\n` : `${t(environmentLanguage(), 'certificates.cli.rotated', { key: key.keyId })}\n`);
      });
    });
}
