// Opens the product's database: embedded PGlite in DATA_DIR by default, or any PostgreSQL
// through DATABASE_URL. Both give the same Kysely API, run the same migrations, and parse
// values the same way (int8 and numeric as strings, date as 'YYYY-MM-DD', timestamptz as Date).
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { lockDataDir } from './data-dir-lock.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import type { DB } from './schema.ts';

export type DatabaseKind = 'pglite' | 'postgres';

export interface Database {
  kind: DatabaseKind;
  db: Kysely<DB>;
  /** Present on the embedded database: the job queue shares the same instance. */
  pglite?: PGlite;
  /** Present on PostgreSQL: the job queue connects with the same URL. */
  connectionString?: string;
  close(): Promise<void>;
}

const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;
const asText = (value: string): string => value;
pg.types.setTypeParser(INT8, asText);
pg.types.setTypeParser(NUMERIC, asText);
pg.types.setTypeParser(DATE, asText);

export interface OpenOptions {
  databaseUrl?: string | undefined;
  /** Directory for the embedded database; `memory://` keeps it in memory (tests). */
  dataDir?: string;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10 });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { kind: 'postgres', db, connectionString: options.databaseUrl, close: () => db.destroy() };
  }
  const dataDir = options.dataDir ?? './data';
  let location = 'memory://';
  let unlock = () => {};
  if (dataDir !== 'memory://') {
    location = resolve(dataDir, 'pglite');
    mkdirSync(location, { recursive: true });
    unlock = lockDataDir(resolve(dataDir));
  }
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(location, {
      parsers: { [INT8]: asText, [NUMERIC]: asText, [DATE]: asText },
    });
  } catch (error) {
    unlock();
    throw error;
  }
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
  return {
    kind: 'pglite',
    db,
    pglite,
    close: async () => {
      await db.destroy();
      await pglite.close();
      unlock();
    },
  };
}
