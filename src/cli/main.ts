// The `cybermonitor` command. Each command lives in src/cli/commands/ and registers itself.
import { Command, CommanderError } from 'commander';
import { isAppError } from '../errors.ts';
import { t, type Language } from '../i18n/index.ts';
import { register as registerAdmin } from './commands/admin.ts';
import { register as registerCertificate } from './commands/certificate.ts';
import { register as registerChecks } from './commands/checks.ts';
import { register as registerData } from './commands/data.ts';
import { register as registerMigrate } from './commands/migrate.ts';
import { register as registerScan } from './commands/scan.ts';
import { register as registerServe } from './commands/serve.ts';
import { register as registerSpf } from './commands/spf.ts';
import { register as registerWorker } from './commands/worker.ts';

const cliLanguage: Language = (process.env.LC_ALL ?? process.env.LANG ?? '').startsWith('nl') ? 'nl' : 'en';

export function buildProgram(): Command {
  const program = new Command('cybermonitor')
    .description('Sees a small business the way criminals see it, every day.')
    .showHelpAfterError()
    .exitOverride();
  for (const register of [registerServe, registerWorker, registerMigrate, registerAdmin, registerScan, registerChecks, registerData, registerSpf, registerCertificate]) register(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (isAppError(error)) {
      process.stderr.write(`error: ${t(cliLanguage, error.messageKey, error.params)}\n`);
      for (const field of error.fields) process.stderr.write(`  ${field.path}: ${t(cliLanguage, field.messageKey, field.params)}\n`);
      return error.code === 'validation' || error.code === 'target_refused' ? 2 : 1;
    }
    process.stderr.write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

if (import.meta.main) {
  const code = await main(process.argv);
  // `serve` and `worker` keep running; every other command ends here.
  if (code !== 0) process.exit(code);
}
