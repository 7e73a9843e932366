/** A social organisation's own filing with the office: what the profile shows of it. */
// @parties social_organisation
import { graphql } from '../../gql';

export const OwnFiling = graphql(`
  query OwnFiling {
    organisationFilings(first: 1) {
      edges {
        node {
          id
          name
          creditCode
          legalForm
          categories
          staffCount
          status
          reviewNote
          qualifications {
            name
            number
            expiresOn
          }
        }
      }
    }
  }
`);
