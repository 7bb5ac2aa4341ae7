// Where an SMTP probe stopped: stable codes shared by the prober (I/O) and the mail-server
// evidence schema (no I/O).
export const smtpProbeFailures = [
  'target_refused',
  'connection_refused',
  'connection_failed',
  'timeout',
  'connection_closed',
  'line_too_long',
  'reply_too_large',
  'protocol_error',
  'greeting_rejected',
  'ehlo_rejected',
  'starttls_not_offered',
  'starttls_rejected',
  'handshake_failed',
  'aborted',
] as const;
export type SmtpProbeFailure = (typeof smtpProbeFailures)[number];
