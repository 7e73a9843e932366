/** Before sign-in: the anonymous schema's mutations. */
// @parties anonymous
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
