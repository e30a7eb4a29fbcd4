/** The form an address is compared in: trimmed and lower-cased (also the local part, by choice). */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
