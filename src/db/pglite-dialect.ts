// A Kysely dialect over an embedded PGlite. PGlite is one connection: a transaction must hold
// PGlite's own transaction lock from BEGIN to COMMIT, or statements from other callers (the job
// queue, a web request) would run inside it. So transactions go through `pglite.transaction()`
// and every other statement through `pglite.query()`, which waits for that lock.
import type { PGlite, Transaction } from '@electric-sql/pglite';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely';

interface Queryable {
  query<R>(sql: string, params?: unknown[]): Promise<{ rows: R[]; affectedRows?: number }>;
  exec(sql: string): Promise<Array<{ rows: unknown[]; affectedRows?: number }>>;
}

function lastResult<R>(results: Array<{ rows: unknown[]; affectedRows?: number }>): { rows: R[]; affectedRows?: number } {
  const last = results.at(-1);
  return { rows: (last?.rows ?? []) as R[], affectedRows: results.reduce((sum, r) => sum + (r.affectedRows ?? 0), 0) };
}

class PGliteConnection implements DatabaseConnection {
  readonly #pglite: PGlite;
  #transaction: Transaction | undefined;
  #finishTransaction: ((outcome: 'commit' | 'rollback') => void) | undefined;
  #transactionDone: Promise<unknown> | undefined;

  constructor(pglite: PGlite) {
    this.#pglite = pglite;
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const target: Queryable = this.#transaction ?? this.#pglite;
    // Without parameters the simple protocol is used, as node-postgres does: it allows the
    // multi-statement SQL of a migration file.
    const result =
      compiled.parameters.length > 0
        ? await target.query<R>(compiled.sql, [...compiled.parameters])
        : lastResult<R>(await target.exec(compiled.sql));
    const kind = compiled.query.kind;
    const changes = kind === 'InsertQueryNode' || kind === 'UpdateQueryNode' || kind === 'DeleteQueryNode' || kind === 'MergeQueryNode';
    return changes && result.affectedRows !== undefined
      ? { rows: result.rows, numAffectedRows: BigInt(result.affectedRows) }
      : { rows: result.rows };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming queries are not supported on the embedded database');
  }

  async begin(): Promise<void> {
    if (this.#transaction) throw new Error('Nested transactions are not supported');
    let started!: () => void;
    const ready = new Promise<void>((resolve) => (started = resolve));
    this.#transactionDone = this.#pglite.transaction(async (tx) => {
      this.#transaction = tx;
      const outcome = await new Promise<'commit' | 'rollback'>((resolve) => {
        this.#finishTransaction = resolve;
        started();
      });
      if (outcome === 'rollback') await tx.rollback();
    });
    // A failure to even begin (closed database) must surface here, not hang.
    await Promise.race([ready, this.#transactionDone.then(() => undefined)]);
  }

  async finish(outcome: 'commit' | 'rollback'): Promise<void> {
    const finish = this.#finishTransaction;
    const done = this.#transactionDone;
    this.#finishTransaction = undefined;
    this.#transactionDone = undefined;
    this.#transaction = undefined;
    if (!finish || !done) throw new Error('No transaction is open');
    finish(outcome);
    await done;
  }
}

class PGliteDriver implements Driver {
  readonly #pglite: PGlite;
  constructor(pglite: PGlite) {
    this.#pglite = pglite;
  }
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return new PGliteConnection(this.#pglite);
  }
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as PGliteConnection).begin();
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as PGliteConnection).finish('commit');
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as PGliteConnection).finish('rollback');
  }
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {}
}

export class PGliteDialect implements Dialect {
  readonly #pglite: PGlite;
  constructor(pglite: PGlite) {
    this.#pglite = pglite;
  }
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PGliteDriver(this.#pglite);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
  createIntrospector(db: Kysely<any>) {
    return new PostgresIntrospector(db);
  }
}

export { CompiledQuery };
