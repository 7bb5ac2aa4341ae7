// How bad it is that each kind of service answers from the internet. Data, not prose: the
// texts live in the catalogues. Remote desktops, file sharing, Telnet and databases without a
// password are an open door (ransomware crews scan for them within minutes); databases,
// printers and admin pages are high; FTP sends passwords unencrypted; a VPN portal is meant to
// be reachable but is a favourite target; SSH, SMTP, web pages and a hosting provider's control
// panel (which the customer cannot switch off) are only reported.
import type { PortResultEvidence } from '../../evidence/exposure/exposure-evidence.ts';
import type { ServiceId } from '../../net/port-probe/types.ts';
import type { Severity } from '../types.ts';

export type ExposureLevel = Extract<Severity, 'critical' | 'high' | 'medium' | 'low' | 'info'>;

const levels: Record<ServiceId, ExposureLevel> = {
  telnet: 'critical',
  rdp: 'critical',
  smb: 'critical',
  vnc: 'critical',
  netbios: 'high',
  redis: 'high',
  mysql: 'high',
  postgresql: 'high',
  mongodb: 'high',
  mssql: 'high',
  elasticsearch: 'high',
  'printer-raw': 'high',
  ipp: 'high',
  snmp: 'high',
  'router-admin': 'high',
  'nas-admin': 'high',
  'admin-panel': 'high',
  'database-admin': 'high',
  ftp: 'medium',
  'vpn-portal': 'low',
  ssh: 'info',
  smtp: 'info',
  http: 'info',
  'hosting-panel': 'info',
};

/** The level of one open port; an open port nothing recognised is `low` (worth a look). */
export function exposureLevel(port: PortResultEvidence): ExposureLevel {
  if (port.service === null) return 'low';
  // Readable without a password: anyone can take or wipe the data.
  if (port.service === 'redis' && port.detail.authentication === 'none') return 'critical';
  if (port.service === 'postgresql' && port.detail.authentication === 'none') return 'critical';
  if (port.service === 'elasticsearch' && port.detail.status === 200) return 'critical';
  if (port.service === 'ftp' && port.detail.anonymousWithoutPassword === true) return 'high';
  return levels[port.service];
}

export const levelRank: Record<ExposureLevel, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

/** Short technical names for the summary line (protocol names, not prose). */
export const serviceLabels: Record<ServiceId, string> = {
  ssh: 'SSH',
  ftp: 'FTP',
  smtp: 'SMTP',
  telnet: 'Telnet',
  vnc: 'VNC',
  rdp: 'RDP',
  smb: 'SMB',
  netbios: 'NetBIOS',
  redis: 'Redis',
  mysql: 'MySQL',
  postgresql: 'PostgreSQL',
  mssql: 'MS SQL',
  mongodb: 'MongoDB',
  elasticsearch: 'Elasticsearch',
  'printer-raw': 'JetDirect',
  ipp: 'IPP',
  snmp: 'SNMP',
  'router-admin': 'router admin',
  'nas-admin': 'NAS admin',
  'admin-panel': 'admin panel',
  'database-admin': 'phpMyAdmin',
  'vpn-portal': 'VPN portal',
  'hosting-panel': 'hosting panel',
  http: 'HTTP',
};
