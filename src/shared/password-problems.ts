/** Why a password was refused; the web app translates each code. */
export const PASSWORD_PROBLEMS = ['too_short', 'too_long', 'too_guessable', 'common_password', 'contains_email'] as const;
export type PasswordProblem = (typeof PASSWORD_PROBLEMS)[number];
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;
