// Product and version from an SNMP sysDescr, for the few formats that name both plainly, so the
// known-exploited matching (src/data/kev) can compare them like any other banner. Anything else
// keeps the sysDescr as its banner only: a guess is worse than no version.

export interface SysDescrProduct {
  product: string | null;
  version: string | null;
}

const formats: ReadonlyArray<{ pattern: RegExp; product: string; version: (match: RegExpExecArray) => string | null }> = [
  // net-snmp's default on Linux is uname: "Linux host 6.1.0-18-amd64 #1 SMP … x86_64".
  { pattern: /^Linux \S{1,64} (\d{1,3}\.\d{1,3}(?:\.\d{1,4})?)/, product: 'linux-kernel', version: (match) => match[1] ?? null },
  // "Cisco IOS Software, C2960 Software (C2960-LANBASEK9-M), Version 15.0(2)SE11, RELEASE SOFTWARE (fc3)"
  { pattern: /Cisco IOS XE Software.{0,120}?Version:? (\d{1,3}\.\d{1,3}(?:\.\d{1,3}[a-z]?)?)/, product: 'cisco-ios-xe', version: (match) => match[1] ?? null },
  { pattern: /Cisco IOS Software.{0,120}?Version (\d{1,3}\.\d{1,3}(?:\(\w{1,8}\)\w{0,8})?)/, product: 'cisco-ios', version: (match) => match[1] ?? null },
  // "Hardware: Intel64 … - Software: Windows Version 6.3 (Build 17763 Multiprocessor Free)"
  { pattern: /Software: Windows(?: \S{1,32})? Version (\d{1,2}\.\d{1,2}) \(Build (\d{1,6})/, product: 'microsoft-windows', version: (match) => `${match[1]}.${match[2]}` },
  // MikroTik says "RouterOS RB951Ui-2HnD" (model, no version).
  { pattern: /^RouterOS\b/, product: 'mikrotik-routeros', version: () => null },
];

export function productFromSysDescr(sysDescr: string): SysDescrProduct {
  for (const format of formats) {
    const match = format.pattern.exec(sysDescr);
    if (match) return { product: format.product, version: format.version(match) };
  }
  return { product: null, version: null };
}
