import { computed, ref } from 'vue';
import { api } from '../api/client.js';
import { useAccessToken } from '../api/http.js';
import type { Member } from '../api/types.js';

interface Stored {
  accessToken: string;
  expiresAt: number;
  member?: Member;
}

const STORAGE_KEY = 'onsale.session';

function load(): Stored | undefined {
  try {
    const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Stored | null;
    return stored && stored.expiresAt > Date.now() ? stored : undefined;
  } catch {
    return undefined;
  }
}

const current = ref<Stored | undefined>(load());

function save(next: Stored | undefined): void {
  current.value = next;
  if (next) localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
  else localStorage.removeItem(STORAGE_KEY);
}

/** Called when the API says the token is no longer good; the router sends the buyer to log in. */
let onExpired: () => void = () => undefined;
export function whenSessionExpires(handler: () => void): void {
  onExpired = handler;
}

useAccessToken(
  () => (current.value && current.value.expiresAt > Date.now() ? current.value.accessToken : undefined),
  () => {
    save(undefined);
    onExpired();
  },
);

/** The roles in the access token (the server checks them again on every call). */
function rolesIn(token: string | undefined): string[] {
  try {
    const payload = JSON.parse(atob((token ?? '').split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { roles?: unknown };
    return Array.isArray(payload.roles) ? payload.roles.map(String) : [];
  } catch {
    return [];
  }
}

export const session = {
  loggedIn: computed(() => Boolean(current.value && current.value.expiresAt > Date.now())),
  /** Door staff of some show, staff of every show, or an admin: who sees the door scanner. */
  isStaff: computed(() => rolesIn(current.value?.accessToken).some((r) => r === 'admin' || r === 'staff' || r.startsWith('staff:'))),
  member: computed(() => current.value?.member),

  async logIn(email: string, password: string): Promise<void> {
    const result = await api.logIn({ email, password });
    const expiresIn = result.expiresIn && result.expiresIn > 0 ? result.expiresIn : 3600;
    save({ accessToken: result.accessToken, expiresAt: Date.now() + expiresIn * 1000 });
    try {
      const member = await api.me();
      if (current.value) save({ ...current.value, member });
    } catch {
      // the name in the header is a nicety; the session works without it
    }
  },

  logOut(): void {
    save(undefined);
    sessionStorage.clear();
  },
};

// A session stored without the member (a token put there by hand, or an older version): fetch them
// once, for the name in the header and the roles that show the console's link.
if (current.value && !current.value.member) {
  void api.me().then(
    (member) => current.value && save({ ...current.value, member }),
    () => undefined,
  );
}
