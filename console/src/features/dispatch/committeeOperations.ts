// @parties residents_committee
/** What only the committee may do with volunteers: run a dispatch over every open request. */
import { graphql } from '../../gql';

export const DispatchVolunteersDocument = graphql(`
  mutation DispatchVolunteers($input: DispatchVolunteersInput!) {
    dispatchVolunteers(input: $input) {
      dispatchRound {
        id
        runAt
        offers {
          id
          place
          volunteerName
          startsAt
          endsAt
          explanation
          request {
            id
            title
          }
        }
        unfilledPlaces {
          place
          reason
          request {
            id
            title
          }
        }
      }
      errors {
        field
        code
        message
      }
    }
  }
`);
