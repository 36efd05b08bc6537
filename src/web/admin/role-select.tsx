import { NativeSelect, type NativeSelectProps } from '@mantine/core';
import { ROLE_KEYS } from '../../shared/roles.js';
import { useRoleName, useWorkspaceRoles } from './role-name.js';

type SelectProps = Omit<NativeSelectProps, 'data' | 'value' | 'onChange'>;

/**
 * A native select of every role of the workspace, custom ones included. Until they are read
 * it offers the built-in ones; a key the list does not know (the user's own, say) stays offered.
 */
export function WorkspaceRoleSelect({ value, onChange, ...props }: SelectProps & { value: string; onChange: (role: string) => void }) {
  const roleName = useRoleName();
  const roles = useWorkspaceRoles();
  const keys: readonly string[] = roles.data?.map((role) => role.key) ?? ROLE_KEYS;
  return (
    <NativeSelect
      {...props}
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
      data={(keys.includes(value) ? keys : [...keys, value]).map((role) => ({ value: role, label: roleName(role) }))}
    />
  );
}
