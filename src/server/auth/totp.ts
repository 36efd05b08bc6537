import { authenticator } from 'otplib';
import QRCode from 'qrcode';

const STEP_SECONDS = 30;

export function newTotpSecret(): string {
  return authenticator.generateSecret(20);
}

export function totpUri(secret: string, accountName: string, issuer: string): string {
  return authenticator.keyuri(accountName, issuer, secret);
}

export function totpQrCode(uri: string): Promise<string> {
  return QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 1, width: 220 });
}

/** The code an authenticator app shows at `at` (tests and the CLI use it). */
export function totpCode(secret: string, at: Date): string {
  return authenticator.clone({ epoch: at.getTime() }).generate(secret);
}

/**
 * Checks a 6-digit code against the previous, current and next 30-second step. Returns the
 * matching step number, so the caller can refuse a code whose step was already used (replay).
 */
export function matchTotpStep(secret: string, code: string, at: Date): number | null {
  const trimmed = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(trimmed)) return null;
  const delta = authenticator.clone({ epoch: at.getTime(), window: 1 }).checkDelta(trimmed, secret);
  if (delta === null) return null;
  return Math.floor(at.getTime() / 1000 / STEP_SECONDS) + delta;
}
