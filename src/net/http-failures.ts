// Why an HTTP fetch produced no response: stable codes shared by the HTTP client (I/O) and the
// evidence schemas (no I/O), translated by the checks that report them.
export const fetchFailures = [
  'invalid_url',
  'no_address',
  'dns_timeout',
  'dns_failure',
  'target_refused',
  'connection_refused',
  'connection_failed',
  'timeout',
  'tls_failed',
  'headers_too_large',
  'protocol_error',
  'no_response',
  'too_many_redirects',
  'redirect_loop',
  'redirect_invalid',
  'aborted',
] as const;
export type FetchFailure = (typeof fetchFailures)[number];
