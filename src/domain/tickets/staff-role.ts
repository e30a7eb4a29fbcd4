/** The staff role for every show; `staff:<showId>` is the role for one show. */
export const STAFF_ROLE = 'staff';

export const staffRoleFor = (showId?: string) => (showId ? `${STAFF_ROLE}:${showId}` : STAFF_ROLE);

/** Who may check in a show's tickets: its staff, staff of every show, and admins. */
export function mayCheckIn(roles: readonly string[], showId: string): boolean {
  return roles.includes('admin') || roles.includes(STAFF_ROLE) || roles.includes(staffRoleFor(showId));
}

/** Staff of some show (or an admin): anyone else is refused before a code is even read. */
export function isStaff(roles: readonly string[]): boolean {
  return roles.some((role) => role === 'admin' || role === STAFF_ROLE || role.startsWith(`${STAFF_ROLE}:`));
}
