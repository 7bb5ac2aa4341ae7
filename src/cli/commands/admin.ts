// Operator commands: set up programmes, companies, domains and people from the shell.
import type { Command } from 'commander';
import { addDomain } from '../../db/repositories/assets.ts';
import { inviteMember } from '../../db/repositories/members.ts';
import { createOrganisation, listOrganisations } from '../../db/repositories/organisations.ts';
import { createPartner, createProgramme, listProgrammes } from '../../db/repositories/programmes.ts';
import { invitationInput, organisationInput, parseInput, partnerInput, programmeInput } from '../../domain/inputs.ts';
import { createMailer } from '../../mail/mailer.ts';
import { organisationDto, rowDto, assetDto } from '../../api/v1/dto.ts';
import { withOperator } from '../operator.ts';
import { printResult } from '../output.ts';

const compact = (values: Record<string, unknown>) => Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));

export function register(program: Command): void {
  const programme = program.command('programme').description('programmes (region, goals)');
  programme
    .command('add')
    .description('add a programme')
    .requiredOption('--name <name>')
    .requiredOption('--region <region>')
    .option('--goal-companies <n>')
    .option('--goal-certificates <n>')
    .option('--goal-months <n>')
    .option('--starts-on <yyyy-mm-dd>')
    .option('--json', 'print JSON')
    .action(async (options) => {
      await withOperator(async ({ database, operator }) => {
        const input = parseInput(
          programmeInput,
          compact({ name: options.name, region: options.region, goalCompanies: options.goalCompanies, goalCertificates: options.goalCertificates, goalMonths: options.goalMonths, startsOn: options.startsOn }),
        );
        printResult(options.json, rowDto(await createProgramme(database.db, operator, input)), (p) => `programme ${p.id} ${p.name}`);
      });
    });
  programme
    .command('list')
    .option('--json', 'print JSON')
    .action(async (options) => {
      await withOperator(async ({ database, operator }) => {
        const items = (await listProgrammes(database.db, operator)).map(rowDto);
        printResult(options.json, items, (list) => list.map((p) => `${p.id}  ${p.name} (${p.region})`).join('\n'));
      });
    });

  program
    .command('partner')
    .description('IT partners')
    .command('add')
    .requiredOption('--programme <id>')
    .requiredOption('--name <name>')
    .option('--kvk <number>')
    .option('--json', 'print JSON')
    .action(async (options) => {
      await withOperator(async ({ database, operator }) => {
        const input = parseInput(partnerInput, compact({ programmeId: options.programme, name: options.name, kvkNumber: options.kvk }));
        printResult(options.json, rowDto(await createPartner(database.db, operator, input)), (p) => `partner ${p.id} ${p.name}`);
      });
    });

  const org = program.command('org').description('organisations (the companies)');
  org
    .command('add')
    .description('add an organisation')
    .requiredOption('--name <name>')
    .requiredOption('--kvk <number>', 'KvK number, 8 digits')
    .option('--programme <id>', 'programme (needed when there are several)')
    .option('--partner <id>', 'IT partner')
    .option('--sector <sector>')
    .option('--size <class>', '1-9 | 10-49 | 50-249 | 250+')
    .option('--street <street>')
    .option('--postal-code <code>')
    .option('--city <city>')
    .option('--json', 'print JSON')
    .action(async (options) => {
      await withOperator(async ({ database, operator }) => {
        const input = parseInput(
          organisationInput,
          compact({
            name: options.name,
            kvkNumber: options.kvk,
            programmeId: options.programme,
            itPartnerId: options.partner,
            sector: options.sector,
            sizeClass: options.size,
            street: options.street,
            postalCode: options.postalCode,
            city: options.city,
          }),
        );
        const organisation = organisationDto(await createOrganisation(database.db, operator, input));
        printResult(options.json, organisation, (o) => `organisation ${o.id} ${o.name}`);
      });
    });
  org
    .command('list')
    .description('list organisations')
    .option('--json', 'print JSON')
    .action(async (options) => {
      await withOperator(async ({ database, operator }) => {
        const items = (await listOrganisations(database.db, operator)).map(organisationDto);
        printResult(options.json, items, (list) => list.map((o) => `${o.id}  ${o.kvkNumber}  ${o.status.padEnd(14)} ${o.name}`).join('\n'));
      });
    });

  program
    .command('domain')
    .description('domains of organisations')
    .command('add')
    .argument('<organisation-id>')
    .argument('<domain>')
    .option('--json', 'print JSON')
    .action(async (organisationId: string, domain: string, options) => {
      await withOperator(async ({ database, operator, config }) => {
        const asset = assetDto(await addDomain(database.db, operator, organisationId, domain, { allowPrivate: config.allowPrivateTargets }));
        printResult(options.json, asset, (a) => `domain ${a.id} ${a.value} (verification TXT: ${a.verificationToken})`);
      });
    });

  program
    .command('user')
    .description('people and their roles')
    .command('invite')
    .description('invite a person; prints the invitation link and mails it (or logs it without SMTP_URL)')
    .requiredOption('--email <email>')
    .requiredOption('--name <name>')
    .requiredOption('--role <role>', 'platform_admin | coordinator | it_partner | student | director | contact_it | contact_hr | contact_web | insurer')
    .option('--programme <id>')
    .option('--partner <id>')
    .option('--organisation <id>')
    .option('--insurer <id>')
    .option('--language <nl|en>', 'language of the mail and the account', 'nl')
    .option('--json', 'print JSON')
    .action(async (options) => {
      await withOperator(async ({ database, operator, config, logger }) => {
        const input = parseInput(
          invitationInput,
          compact({
            email: options.email,
            name: options.name,
            role: options.role,
            language: options.language,
            programmeId: options.programme,
            partnerId: options.partner,
            organisationId: options.organisation,
            insurerId: options.insurer,
          }),
        );
        const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, logger });
        try {
          const invited = await inviteMember(database.db, operator, input, { mailer, publicUrl: config.publicUrl });
          printResult(options.json, invited, (i) => `invited ${input.email} as ${input.role}\n${i.link}`);
        } finally {
          mailer.close();
        }
      });
    });
}
