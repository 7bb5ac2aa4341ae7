// `cybermonitor spf <domain> --ip <ip>`: RFC 7208 check_host() for one connection. Prints the
// result word, and for fail the explanation (the domain's own exp= text, else ours). Exit code 0
// whatever the result; 2 when the command is used wrongly.
import { type Command, InvalidArgumentError, Option } from 'commander';
import { AppError } from '../../errors.ts';
import { isLanguage, type Language, t } from '../../i18n/index.ts';
import { checkHost, type SpfEvaluation } from '../../mail/spf/check-host.ts';
import { parseClientIp, readableIp } from '../../mail/spf/ip.ts';
import { createDnsClient } from '../../net/dns-client.ts';
import { parseDomainName } from '../../net/domain-name.ts';
import { parseResolverAddress } from '../../net/resolver.ts';
import { environmentLanguage, maxTimeoutMs, minTimeoutMs, printable, safeJson } from './scan.ts';

export interface SpfCommandArgs {
  domain: string;
  ip: string;
  sender?: string;
  helo?: string;
  resolver?: string;
  json: boolean;
  lang: Language;
  timeoutMs?: number;
}

export interface SpfReport {
  domain: string;
  ip: string;
  sender: string;
  helo: string;
  result: SpfEvaluation['result'];
  /** For fail: the explanation shown to the sender. */
  explanation: string | null;
  /** The explanation came from the domain's exp= record (else it is the product's default). */
  explanationFromDomain: boolean;
  problem: SpfEvaluation['problem'];
  matched: SpfEvaluation['matched'];
  dnsLookups: number;
  voidLookups: number;
  records: SpfEvaluation['records'];
}

export async function runSpfCommand(args: SpfCommandArgs, out: NodeJS.WritableStream): Promise<number> {
  const language = isLanguage(args.lang) ? args.lang : environmentLanguage();
  // Only DNS is asked, never the domain's servers: reserved names are harmless here.
  const domain = parseDomainName(args.domain, { allowReservedNames: true });
  const ip = parseClientIp(args.ip);
  if (!ip) throw new AppError('validation', 'checks.mail.cli.ip_invalid', { params: { ip: args.ip.slice(0, 100) } });
  const sender = args.sender ?? `postmaster@${domain}`;
  if (sender.length > 320 || /[\s\u0000-\u001f\u007f]/.test(sender)) {
    throw new AppError('validation', 'checks.mail.cli.sender_invalid', { params: { sender: sender.slice(0, 100) } });
  }
  const helo = args.helo ?? domain;
  const dns = createDnsClient({ server: args.resolver === undefined ? undefined : parseResolverAddress(args.resolver), timeoutMs: args.timeoutMs });

  const evaluation = await checkHost({ ip: args.ip, domain, sender, helo }, { dns });
  const explanation =
    evaluation.result !== 'fail'
      ? null
      : (evaluation.explanation ?? t(language, 'checks.mail.cli.default_explanation', { domain, ip: readableIp(ip), sender }));
  const report: SpfReport = {
    domain,
    ip: readableIp(ip),
    sender,
    helo,
    result: evaluation.result,
    explanation,
    explanationFromDomain: evaluation.explanation !== null,
    problem: evaluation.problem,
    matched: evaluation.matched,
    dnsLookups: evaluation.dnsLookups,
    voidLookups: evaluation.voidLookups,
    records: evaluation.records,
  };
  if (args.json) {
    out.write(`${safeJson(report)}\n`);
    return 0;
  }
  const lines: string[] = [report.result];
  if (explanation !== null) lines.push(printable(explanation));
  if (report.problem) lines.push(printable(`${report.problem.code}: ${report.problem.domain}: ${report.problem.detail}`));
  out.write(`${lines.join('\n')}\n`);
  return 0;
}

function parseTimeout(value: string): number {
  const timeout = Number(value);
  if (!/^\d+$/.test(value) || timeout < minTimeoutMs || timeout > maxTimeoutMs) {
    throw new InvalidArgumentError(`expected milliseconds between ${minTimeoutMs} and ${maxTimeoutMs}`);
  }
  return timeout;
}

export function register(program: Command): void {
  program
    .command('spf')
    .description('evaluate SPF (RFC 7208 check_host) for one connection and print the result word')
    .argument('<domain>', 'the domain whose SPF policy is checked, e.g. bakkerij-jansen.nl')
    .requiredOption('--ip <ip>', 'IP address of the sending server')
    .option('--sender <address>', 'MAIL FROM address (default postmaster@<domain>)')
    .option('--helo <host>', 'HELO/EHLO name (default <domain>)')
    .option('--resolver <host:port>', 'DNS server to ask (an IP address), instead of the system resolver')
    .option('--json', 'print JSON with the facts behind the result')
    .addOption(new Option('--lang <lang>', 'language of the output').choices(['nl', 'en']))
    .option('--timeout <ms>', 'deadline for each DNS question (default 5000)', parseTimeout)
    .action(async (domain: string, options: { ip: string; sender?: string; helo?: string; resolver?: string; json?: boolean; lang?: Language; timeout?: number }) => {
      const code = await runSpfCommand(
        {
          domain,
          ip: options.ip,
          sender: options.sender,
          helo: options.helo,
          resolver: options.resolver,
          json: options.json === true,
          lang: options.lang ?? environmentLanguage(),
          timeoutMs: options.timeout,
        },
        process.stdout,
      );
      if (code !== 0) process.exitCode = code;
    });
}
