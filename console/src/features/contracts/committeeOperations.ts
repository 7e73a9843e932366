// @parties residents_committee
/** What only the purchasing committee does to a contract: its terms, signing, acceptance, ending. */
import { graphql } from '../../gql';

export const SetTermsDocument = graphql(`
  mutation ContractSetTerms($input: SetContractTermsInput!) {
    setContractTerms(input: $input) {
      contract {
        id
        status
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const CommitteeSignDocument = graphql(`
  mutation ContractCommitteeSign($input: ContractInput!) {
    signContract(input: $input) {
      contract {
        id
        status
        signedBy
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const ActivateDocument = graphql(`
  mutation ContractActivate($input: ContractInput!) {
    activateContract(input: $input) {
      contract {
        id
        status
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const CompleteDocument = graphql(`
  mutation ContractComplete($input: ContractInput!) {
    completeContract(input: $input) {
      contract {
        id
        status
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const TerminateDocument = graphql(`
  mutation ContractTerminate($input: TerminateContractInput!) {
    terminateContract(input: $input) {
      contract {
        id
        status
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const AcceptMilestoneDocument = graphql(`
  mutation ContractAcceptMilestone($input: MilestoneDecisionInput!) {
    acceptMilestone(input: $input) {
      milestone {
        id
        status
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const RejectMilestoneDocument = graphql(`
  mutation ContractRejectMilestone($input: MilestoneDecisionInput!) {
    rejectMilestone(input: $input) {
      milestone {
        id
        status
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const SignAmendmentDocument = graphql(`
  mutation ContractSignAmendment($input: AmendmentInput!) {
    signAmendment(input: $input) {
      amendment {
        id
        status
        signedBy
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const RejectAmendmentDocument = graphql(`
  mutation ContractRejectAmendment($input: RejectAmendmentInput!) {
    rejectAmendment(input: $input) {
      amendment {
        id
        status
      }
      errors {
        field
        code
        message
      }
    }
  }
`);
