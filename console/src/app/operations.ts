/** The session's own operations, used by every party (sign-in and refresh before, the rest after). */
import { graphql } from '../gql';

export const SignInDocument = graphql(`
  mutation SignIn($input: SignInInput!) {
    signIn(input: $input) {
      session {
        accessToken
        refreshToken
        accessExpiresAt
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const RefreshSessionDocument = graphql(`
  mutation RefreshSession($input: RefreshSessionInput!) {
    refreshSession(input: $input) {
      session {
        accessToken
        refreshToken
        accessExpiresAt
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const SignOutDocument = graphql(`
  mutation SignOut {
    signOut {
      signedOut
      errors {
        field
        code
        message
      }
    }
  }
`);

export const ViewerDocument = graphql(`
  query Viewer {
    viewer {
      accountId
      party {
        id
        name
        type
      }
      community {
        id
        name
      }
      compound {
        id
        name
      }
      district {
        id
        name
      }
    }
  }
`);
