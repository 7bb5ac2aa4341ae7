// What the HTTP layer needs from issue 5, built once per app from its configuration: the norm
// versions, the certificate issuer (signing key in DATA_DIR or from the environment) and today.
import type { Kysely } from 'kysely';
import { createIssuer, type CertificateIssuer } from '../certificates/issuer.ts';
import { keySettings } from '../certificates/keys.ts';
import type { Config } from '../config.ts';
import type { DB } from '../db/schema.ts';
import { localDate } from './calendar.ts';
import { programmeNorms, type NormSet } from './load.ts';

export interface NormServices {
  norms: NormSet;
  issuer: CertificateIssuer;
  /** Today in the programme's time zone. */
  today(now?: Date): string;
}

const cache = new WeakMap<object, NormServices>();

export function normServices(db: Kysely<DB>, config: Pick<Config, 'publicUrl' | 'dataDir'>): NormServices {
  let services = cache.get(db);
  if (!services) {
    const norms = programmeNorms();
    services = {
      norms,
      issuer: createIssuer(db, { publicUrl: config.publicUrl, keys: keySettings(config.dataDir) }),
      today: (now = new Date()) => localDate(now, norms.latest().compliance.timezone),
    };
    cache.set(db, services);
  }
  return services;
}
