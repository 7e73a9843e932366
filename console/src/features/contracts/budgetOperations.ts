// @parties residents_committee street_office
/** The purchasers' budget lines: what the contracts commit and what has been paid, by year. */
import { graphql } from '../../gql';

export const ContractsBudgetDocument = graphql(`
  query ContractsBudget {
    budget {
      year
      purchaserType
      committed
      paid
      remaining
      community {
        id
        name
      }
    }
  }
`);
