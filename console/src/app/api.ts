/**
 * The GraphQL client. One endpoint, /graphql: before sign-in the gateway answers with its anonymous
 * schema, after it with the party's own. Every request carries the tab's access token (refreshed
 * first when due); a 401 means the sign-in has ended, and the person is sent back to sign in.
 */
import { Client, cacheExchange, fetchExchange, stringifyDocument } from '@urql/core';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { RefreshSessionDocument } from './anonymousOperations';
import { Session, type Tokens } from './session';

export const ENDPOINT = '/graphql';

export interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; retryAfter?: number } }[];
}

/** One operation over plain fetch, for the session's own requests (they must not wait on the session). */
export async function post<T, V>(
  document: TypedDocumentNode<T, V>,
  variables: V,
  accessToken?: string,
): Promise<{ status: number; body: GraphQLResponse<T> }> {
  const response = await fetch(ENDPOINT, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json',
      ...(accessToken ? { Authorization: `Bearer ${accessToken}` } : {}),
    },
    body: JSON.stringify({ query: stringifyDocument(document), variables }),
  });
  const body = (await response.json().catch(() => ({}))) as GraphQLResponse<T>;
  return { status: response.status, body };
}

export async function refreshTokens(refreshToken: string): Promise<Tokens | null> {
  const { body } = await post(RefreshSessionDocument, { input: { refreshToken } });
  return body.data?.refreshSession?.session ?? null;
}

export const session = new Session(refreshTokens);

/** fetch for urql: the access token added, a 401 ends the session. */
export function authorisedFetch(current: Session): typeof fetch {
  return async (input, init) => {
    const token = await current.accessToken();
    const headers = new Headers(init?.headers);
    if (token) headers.set('Authorization', `Bearer ${token}`);
    const response = await fetch(input, { ...init, headers });
    if (response.status === 401 && current.signedIn) current.end('expired');
    return response;
  };
}

export function makeClient(current: Session = session): Client {
  return new Client({
    url: ENDPOINT,
    exchanges: [cacheExchange, fetchExchange],
    fetch: authorisedFetch(current),
    preferGetMethod: false,
    requestPolicy: 'cache-and-network',
  });
}
