// Time-based one-time passwords (RFC 6238: SHA-1, 6 digits, 30 s) with otplib 13. A code is
// accepted one step early or late (clock drift), and never twice: the caller stores the step
// of the last accepted code and passes it back, so a code seen over someone's shoulder is dead.
import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';

export const TOTP_ISSUER = 'Cybermonitor';
export const TOTP_PERIOD_SECONDS = 30;

/** A new base32 secret of 20 random bytes (160 bits, what authenticator apps expect). */
export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

export function totpUri(email: string, secret: string): string {
  return generateURI({ issuer: TOTP_ISSUER, label: email, secret });
}

export async function totpQrSvg(uri: string): Promise<string> {
  return QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

/** What a person types: "123 456" and "123456" are the same code. */
export function normaliseTotpCode(code: string): string | null {
  const digits = code.replace(/[\s-]/g, '');
  return /^\d{6}$/.test(digits) ? digits : null;
}

/**
 * The time step of the matching code, or null when the code is wrong, outside ±1 step, or from
 * a step at or before `lastUsedStep` (replay). `nowMs` exists for tests.
 */
export async function verifyTotp(
  secret: string,
  code: string,
  lastUsedStep?: number | null,
  nowMs: number = Date.now(),
): Promise<number | null> {
  const token = normaliseTotpCode(code);
  if (token === null) return null;
  try {
    const result = await verify({
      secret,
      token,
      epoch: Math.floor(nowMs / 1000),
      period: TOTP_PERIOD_SECONDS,
      epochTolerance: TOTP_PERIOD_SECONDS,
      ...(lastUsedStep !== null && lastUsedStep !== undefined ? { afterTimeStep: lastUsedStep } : {}),
    });
    if (!result.valid || !('timeStep' in result)) return null;
    return result.timeStep;
  } catch {
    // otplib throws for a malformed secret or a last step in the future (clock went back):
    // both mean "not accepted".
    return null;
  }
}
