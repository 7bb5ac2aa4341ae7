// A small valid norm document for unit tests, to copy and break.
export function normDocument(): Record<string, any> {
  const texts = (nl: string, en: string) => ({ nl, en });
  const control = (id: string, area: string, level: 'mandatory' | 'advisory', checks: string[], weight: number, extra: Record<string, unknown> = {}) => ({
    id,
    area,
    source: 'scanner',
    level,
    checks,
    threshold: { kind: 'every' },
    graceDays: 14,
    weight,
    title: texts(`${id} nl`, `${id} en`),
    why: texts('waarom', 'why'),
    references: [{ scheme: 'cis-v8', id: '3.10' }],
    ...extra,
  });
  return {
    id: 'cyberkeurmerk',
    version: '2030.1',
    effectiveFrom: '2030-01',
    title: texts('Testnorm', 'Test norm'),
    certificate: { level: 'basis', streakMonths: 6, validityMonths: 12, warnAfterNonCompliantMonths: 1, lapseAfterNonCompliantMonths: 2 },
    compliance: { coverageShare: 0.8, timezone: 'Europe/Amsterdam' },
    sources: [
      { id: 'scanner', live: true, title: texts('Scan', 'Scan') },
      { id: 'agent', live: false, title: texts('Agent', 'Agent') },
    ],
    areas: [
      { id: 'website', pillar: 'it', weight: 60, title: texts('Website', 'Website') },
      { id: 'mail', pillar: 'it', weight: 20, title: texts('Mail', 'Mail') },
      { id: 'computers', pillar: 'it', weight: 20, title: texts('Computers', 'Computers') },
    ],
    controls: [
      control('WEB-01', 'website', 'mandatory', ['t.cert'], 70),
      control('WEB-02', 'website', 'advisory', ['t.headers'], 30),
      control('MAIL-01', 'mail', 'mandatory', ['t.mail'], 100, { graceDays: 30 }),
      { ...control('DEV-01', 'computers', 'mandatory', [], 100, { threshold: { kind: 'share', min: 0.9 }, plannedChecks: ['devices.patches'] }), source: 'agent' },
    ],
  };
}

export const knownChecks = new Set(['t.cert', 't.headers', 't.mail', 't.devices']);
