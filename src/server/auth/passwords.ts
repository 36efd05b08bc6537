import { hash, verify } from '@node-rs/argon2';
import { zxcvbn, zxcvbnOptions } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as english from '@zxcvbn-ts/language-en';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, type PasswordProblem } from '../../shared/password-problems.js';

/**
 * argon2id with the OWASP Password Storage Cheat Sheet's first recommended configuration:
 * 19 MiB of memory, 2 iterations, 1 degree of parallelism. (`2` is Algorithm.Argon2id; the
 * library exports it as a const enum, which isolated modules cannot inline.)
 */
const ARGON2ID = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2ID);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A hash of a random password: verified against when the account does not exist, so timing does not tell. */
let decoyHash: Promise<string> | null = null;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword(`decoy-${Math.random()}-${Date.now()}`);
  return decoyHash;
}

zxcvbnOptions.setOptions({
  translations: english.translations,
  graphs: common.adjacencyGraphs,
  dictionary: { ...common.dictionary, ...english.dictionary },
});

export interface PasswordAssessment {
  ok: boolean;
  score: number;
  problems: PasswordProblem[];
  warning: string | null;
  suggestions: string[];
}

/** The local part of an address, split on the separators people use in them. */
function emailNames(email: string | undefined): string[] {
  if (!email) return [];
  const local = email.trim().toLowerCase().split('@')[0] ?? '';
  return [local, ...local.split(/[._+-]+/)].filter((part) => part.length >= 3);
}

/**
 * The password policy: at least 12 characters, not one of the common or breached passwords
 * in zxcvbn's dictionaries, zxcvbn score ≥ 3, and not containing the user's email name.
 * Works offline: no password ever leaves the server.
 */
export function assessPassword(password: string, email?: string): PasswordAssessment {
  const problems: PasswordProblem[] = [];
  if (password.length < PASSWORD_MIN_LENGTH) problems.push('too_short');
  if (password.length > PASSWORD_MAX_LENGTH) problems.push('too_long');
  const names = emailNames(email);
  const lowered = password.toLowerCase();
  if (names.some((name) => lowered.includes(name))) problems.push('contains_email');

  const result = zxcvbn(password.slice(0, 100), names);
  const whole = result.sequence.length === 1 ? result.sequence[0] : undefined;
  if (whole && whole.pattern === 'dictionary' && (whole as { dictionaryName?: string }).dictionaryName === 'passwords') {
    problems.push('common_password');
  }
  if (result.score < 3) problems.push('too_guessable');
  return {
    ok: problems.length === 0,
    score: result.score,
    problems,
    warning: result.feedback.warning || null,
    suggestions: result.feedback.suggestions,
  };
}
