// The signed-in session: the API token (sessionStorage, so it dies with the tab) and the role it carries, asked of
// the service with GET /auth/me. The server stays the authority: navigation only hides what a role cannot use, and
// every call is checked there.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { getToken, request, setToken, setUnauthorizedListener } from './api';

import type { Role } from './api-types';

export type { Role };

const ROLE_KEY = 'rucert-export.role';

export async function probeRole(token: string): Promise<Role> {
  const me = await request<{ role: Role }>('GET', '/auth/me', { token });
  return me.role;
}

interface Session {
  token: string | null;
  role: Role | null;
  signIn(token: string): Promise<void>;
  signOut(): void;
}

const SessionContext = createContext<Session>({ token: null, role: null, signIn: async () => {}, signOut: () => {} });

export function SessionProvider({ children }: { children: ReactNode }) {
  const [token, setTokenState] = useState<string | null>(getToken);
  const [role, setRole] = useState<Role | null>(() => (getToken() ? (sessionStorage.getItem(ROLE_KEY) as Role | null) : null));

  const signOut = useCallback(() => {
    setToken(null);
    sessionStorage.removeItem(ROLE_KEY);
    setTokenState(null);
    setRole(null);
  }, []);

  const signIn = useCallback(async (candidate: string) => {
    const found = await probeRole(candidate);
    setToken(candidate);
    sessionStorage.setItem(ROLE_KEY, found);
    setTokenState(candidate);
    setRole(found);
  }, []);

  useEffect(() => setUnauthorizedListener(signOut), [signOut]);

  // a reload with a stored token but no stored role (older tab) probes again
  useEffect(() => {
    if (token && !role)
      probeRole(token).then((r) => {
        sessionStorage.setItem(ROLE_KEY, r);
        setRole(r);
      }, signOut);
  }, [token, role, signOut]);

  const value = useMemo(() => ({ token, role, signIn, signOut }), [token, role, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  return useContext(SessionContext);
}

export function hasRole(role: Role | null, needed: Role): boolean {
  if (!role) return false;
  if (role === 'admin') return true;
  if (needed === 'analyst') return role === 'analyst' || role === 'compliance';
  return role === needed;
}
