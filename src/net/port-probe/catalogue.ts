// The curated list of risky TCP ports the exposure scan knocks on, and which client-first probes
// to try on each (server-first protocols — SSH, FTP, SMTP, Telnet, VNC, MySQL — are recognised
// from their banner on every port). The port only decides the order of the probes; the service
// is whatever answered in its own protocol.
export type RequestProbeId = 'rdp' | 'smb' | 'netbios' | 'redis' | 'postgresql' | 'mssql' | 'mongodb' | 'mongodb-legacy' | 'http' | 'https' | 'pjl';

export interface PortSpec {
  port: number;
  /** What usually listens here (IANA service name or the product that made the port known). */
  name: string;
  probes: RequestProbeId[];
}

export const riskyTcpPorts: readonly PortSpec[] = [
  { port: 21, name: 'ftp', probes: [] },
  { port: 22, name: 'ssh', probes: [] },
  { port: 23, name: 'telnet', probes: [] },
  { port: 25, name: 'smtp', probes: [] },
  { port: 139, name: 'netbios-ssn', probes: ['netbios'] },
  { port: 445, name: 'microsoft-ds', probes: ['smb'] },
  { port: 631, name: 'ipp', probes: ['http', 'https'] },
  { port: 1433, name: 'ms-sql-s', probes: ['mssql'] },
  { port: 3306, name: 'mysql', probes: [] },
  { port: 3389, name: 'ms-wbt-server', probes: ['rdp'] },
  { port: 4443, name: 'ssl-vpn', probes: ['https', 'http'] },
  { port: 5000, name: 'synology-dsm', probes: ['http', 'https'] },
  { port: 5001, name: 'synology-dsm-tls', probes: ['https', 'http'] },
  { port: 5432, name: 'postgresql', probes: ['postgresql'] },
  { port: 5900, name: 'vnc', probes: [] },
  { port: 6379, name: 'redis', probes: ['redis'] },
  { port: 8080, name: 'http-alt', probes: ['http', 'https'] },
  // MikroTik Winbox has no documented handshake we could verify; an open 8291 is reported as
  // open and unidentified unless it answers HTTP.
  { port: 8291, name: 'mikrotik-winbox', probes: ['http'] },
  { port: 8443, name: 'https-alt', probes: ['https', 'http'] },
  { port: 9100, name: 'jetdirect', probes: ['pjl'] },
  { port: 9200, name: 'elasticsearch', probes: ['http', 'https'] },
  { port: 10000, name: 'webmin', probes: ['https', 'http'] },
  { port: 27017, name: 'mongodb', probes: ['mongodb', 'mongodb-legacy'] },
];
