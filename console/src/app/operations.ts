/** The signed-in session's own operations, the same for every party. */
// @parties all
import { graphql } from '../gql';

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
