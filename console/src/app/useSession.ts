import { useSyncExternalStore } from 'react';
import { session } from './api';

/** Re-renders when the tab signs in or out; true while signed in. */
export function useSignedIn(): boolean {
  useSyncExternalStore(session.subscribe, session.snapshot);
  return session.signedIn;
}
