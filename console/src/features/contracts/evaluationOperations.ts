// @parties residents_committee owners_committee
/** Residents' and owners' evaluation of the service, once a month each. */
import { graphql } from '../../gql';

export const EvaluateDocument = graphql(`
  mutation ContractEvaluate($input: EvaluateContractInput!) {
    evaluateContract(input: $input) {
      evaluation {
        id
      }
      errors {
        field
        code
        message
      }
    }
  }
`);
