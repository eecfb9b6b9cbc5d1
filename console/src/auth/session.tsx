import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import type { components } from '../api/schema';
import { api, onSessionExpired } from './client';

export type Me = components['schemas']['MeView'];
export type SignedOutReason = 'sessionExpired' | 'signedOut' | 'passwordChanged' | null;

interface Session {
  me: Me | null;
  reason: SignedOutReason;
  /** After a successful sign-in: read who signed in. */
  refresh(): Promise<void>;
  /** The session has ended (sign-out, password change): forget every cached answer. */
  end(reason: SignedOutReason): void;
}

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The only app-wide state: who is signed in, read from GET /auth/me with the session cookie. */
export function SessionProvider({ children, fallback }: { children: ReactNode; fallback: ReactNode }) {
  const queryClient = useQueryClient();
  const [reason, setReason] = useState<SignedOutReason>(null);
  const me = useQuery({
    queryKey: ['me'],
    queryFn: async () => {
      const { data, response } = await api.GET('/auth/me');
      if (response.status === 401) return null;
      if (!data) throw new Error(`GET /auth/me answered ${response.status}`);
      return data;
    },
    staleTime: Infinity,
    retry: false,
  });

  const end = useCallback(
    (why: SignedOutReason) => {
      setReason(why);
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'me' });
      queryClient.setQueryData(['me'], null);
    },
    [queryClient],
  );

  // Only a session that was on can expire; a 401 while signed out is just the sign-in form.
  useEffect(
    () =>
      onSessionExpired(() => {
        if (queryClient.getQueryData(['me'])) end('sessionExpired');
      }),
    [queryClient, end],
  );

  if (me.isPending) return fallback;
  const session: Session = {
    me: me.data ?? null,
    reason,
    refresh: async () => {
      setReason(null);
      await queryClient.invalidateQueries({ queryKey: ['me'] });
      await queryClient.refetchQueries({ queryKey: ['me'] });
    },
    end,
  };
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}
