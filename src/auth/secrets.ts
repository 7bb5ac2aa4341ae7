// Random bearer secrets and the hash under which they are stored: a database leak must not
// hand out working sessions or links.
import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes, base64url: 256 bits, safe in URLs and cookies. */
export const randomSecret = (): string => randomBytes(32).toString('base64url');

export const sha256Hex = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');
