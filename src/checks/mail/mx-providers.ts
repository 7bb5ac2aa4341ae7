// Hosted mail recognised by its MX names. Their customers cannot change how the provider's MX
// servers do TLS or whether TLSA records exist for them, so checks adapt their verdicts
// (and remediation) instead of blaming the customer.

export type MailProvider = 'microsoft365' | 'google';

const providerPatterns: Array<[MailProvider, RegExp]> = [
  // Exchange Online: classic MX, the DNSSEC/DANE-capable MX (mx.microsoft), and sovereign clouds.
  ['microsoft365', /\.mail\.protection\.outlook\.com$/],
  ['microsoft365', /\.mx\.microsoft$/],
  ['microsoft365', /\.mail\.protection\.outlook\.(de|cn)$/],
  ['microsoft365', /\.mail\.protection\.partner\.outlook\.cn$/],
  ['microsoft365', /\.protection\.office365\.us$/],
  // Google Workspace: the classic five and the single MX introduced in 2023.
  ['google', /^(alt[1-4]\.)?aspmx\.l\.google\.com$/],
  ['google', /^aspmx[2-5]\.googlemail\.com$/],
  ['google', /^smtp\.google\.com$/],
];

const canonical = (name: string) => name.toLowerCase().replace(/\.$/, '');

export function mailProviderOf(mxHost: string): MailProvider | null {
  const host = canonical(mxHost);
  return providerPatterns.find(([, pattern]) => pattern.test(host))?.[0] ?? null;
}

/** The provider when every MX host belongs to it; null for self-hosted or mixed set-ups. */
export function hostedProviderOf(mxHosts: string[]): MailProvider | null {
  const providers = new Set(mxHosts.map(mailProviderOf));
  const [only] = providers;
  return providers.size === 1 && only !== undefined ? only : null;
}

/** Microsoft's DANE-capable MX names end in mx.microsoft; the classic ones can be migrated. */
export function isMicrosoftDaneMx(mxHost: string): boolean {
  return /\.mx\.microsoft$/.test(canonical(mxHost));
}
