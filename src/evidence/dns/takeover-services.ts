// The subdomain-takeover fingerprints (takeover-fingerprints.json), validated when loaded, and
// matching of CNAME targets and response bodies against them.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const serviceSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string(),
  suffixes: z.array(z.string()),
  patterns: z.array(z.string()),
  nxdomain: z.boolean(),
  fingerprints: z.array(z.string().min(4)),
});
export type TakeoverService = z.infer<typeof serviceSchema> & { regexes: RegExp[] };

function load(): TakeoverService[] {
  const raw = JSON.parse(readFileSync(new URL('./takeover-fingerprints.json', import.meta.url), 'utf8')) as unknown;
  const parsed = z.object({ services: z.array(serviceSchema) }).parse(raw);
  return parsed.services.map((service) => ({ ...service, regexes: service.patterns.map((pattern) => new RegExp(pattern, 'i')) }));
}

export const takeoverServices: TakeoverService[] = load();

/** The service a CNAME target belongs to, if any. */
export function serviceFor(target: string, services: TakeoverService[] = takeoverServices): TakeoverService | undefined {
  const name = target.toLowerCase().replace(/\.$/, '');
  return services.find(
    (service) => service.suffixes.some((suffix) => name === suffix || name.endsWith(`.${suffix}`)) || service.regexes.some((regex) => regex.test(name)),
  );
}

const decodeApostrophes = (text: string) => text.replace(/&#0*39;|&apos;|&#x0*27;|&rsquo;|\u2019/gi, "'");

/** The fingerprint the body shows, if it shows one. */
export function matchingFingerprint(service: TakeoverService, body: string): string | undefined {
  const text = decodeApostrophes(body).toLowerCase();
  return service.fingerprints.find((fingerprint) => text.includes(decodeApostrophes(fingerprint).toLowerCase()));
}
