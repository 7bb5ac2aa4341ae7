// Limits for the endpoints that guess-work targets: per client address, per minute. Account
// lockout (src/auth/login.ts) covers attackers that rotate addresses.
export const loginRateLimit = { max: 10, timeWindow: '1 minute' };
export const tokenRateLimit = { max: 20, timeWindow: '1 minute' };
