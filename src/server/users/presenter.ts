import { isoFromDb } from '../db/mapping.js';
import type { UserRow } from './store.js';

export interface UserView {
  id: string;
  email: string;
  displayName: string;
  role: string;
  status: 'active' | 'deactivated';
  locale: string | null;
  mfaEnabled: boolean;
  createdAt: string;
  lastSignInAt: string | null;
  teamId: string | null;
}

type UserFields = Pick<UserRow, 'id' | 'email' | 'display_name' | 'role' | 'status' | 'locale' | 'totp_secret' | 'created_at' | 'last_sign_in_at' | 'team_id'>;

/** What leaves the server about a user: never the password hash or the second-factor secret. */
export function presentUser(row: UserFields): UserView {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    status: row.status === 'active' ? 'active' : 'deactivated',
    locale: row.locale,
    mfaEnabled: row.totp_secret !== null,
    createdAt: isoFromDb(row.created_at)!,
    lastSignInAt: isoFromDb(row.last_sign_in_at),
    teamId: row.team_id,
  };
}
