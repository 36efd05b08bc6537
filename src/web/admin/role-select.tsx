import { NativeSelect, type NativeSelectProps } from '@mantine/core';
import { ROLE_KEYS, type RoleKey } from '../../shared/roles.js';
import { useRoleName } from './role-name.js';

/** A native select of the role keys with their translated names (easy on phones and in tests). */
export function RoleSelect({ value, onChange, ...props }: Omit<NativeSelectProps, 'data' | 'value' | 'onChange'> & { value: RoleKey; onChange: (role: RoleKey) => void }) {
  const roleName = useRoleName();
  return (
    <NativeSelect
      {...props}
      value={value}
      onChange={(event) => onChange(event.currentTarget.value as RoleKey)}
      data={ROLE_KEYS.map((role) => ({ value: role, label: roleName(role) }))}
    />
  );
}
