// Rows the job tests need: a programme, organisations and their domain assets.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../src/db/schema.ts';
import { scheduleMinuteFor } from '../../src/jobs/scheduler.ts';

export async function seedProgramme(db: Kysely<DB>): Promise<string> {
  const row = await db.insertInto('programmes').values({ name: 'Cyberveilig Testdorp', region: 'Testdorp' }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

let kvk = 10_000_000;

export async function seedOrganisation(
  db: Kysely<DB>,
  programmeId: string,
  options: { scheduleMinute?: number; domains?: string[]; otherAssets?: Array<{ kind: 'ip_address' | 'person'; value: string }> } = {},
) {
  const id = randomUUID();
  await db
    .insertInto('organisations')
    .values({
      id,
      programme_id: programmeId,
      name: `Bedrijf ${id.slice(0, 8)}`,
      kvk_number: String(kvk++),
      schedule_minute: options.scheduleMinute ?? scheduleMinuteFor(id),
    })
    .execute();
  const assetIds: string[] = [];
  for (const domain of options.domains ?? []) {
    const asset = await db
      .insertInto('assets')
      .values({ organisation_id: id, kind: 'domain', value: domain, verification_token: randomBytes(8).toString('hex') })
      .returning('id')
      .executeTakeFirstOrThrow();
    assetIds.push(asset.id);
  }
  for (const other of options.otherAssets ?? []) {
    await db
      .insertInto('assets')
      .values({ organisation_id: id, kind: other.kind, value: other.value, verification_token: randomBytes(8).toString('hex') })
      .execute();
  }
  return { organisationId: id, assetIds };
}
