// When the daily monitoring of an organisation runs. Each organisation gets a fixed minute of the
// day (in the programme's time zone), derived from its id, so that the scans of thousands of
// companies spread evenly over the day instead of all starting at midnight.
import { createHash } from 'node:crypto';

export const MINUTES_PER_DAY = 1440;

/** A stable minute of the day (0..1439) for an organisation: the same id always gives the same minute. */
export function scheduleMinuteFor(organisationId: string): number {
  const digest = createHash('sha256').update(organisationId.toLowerCase()).digest();
  return digest.readUInt32BE(0) % MINUTES_PER_DAY;
}
