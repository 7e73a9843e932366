/** What every party of these pages reads: the contracts list and one contract with all it holds. */
import { graphql } from '../../gql';

export const ContractsListDocument = graphql(`
  query ContractsList($first: Int!, $after: String, $status: String, $order: ContractOrder) {
    contracts(first: $first, after: $after, filter: { status: $status }, orderBy: $order) {
      edges {
        node {
          id
          title
          status
          value
          awardedAt
          periodStart
          periodEnd
          provider {
            id
            name
          }
          milestones {
            id
            status
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const ContractDetailDocument = graphql(`
  query ContractDetail($id: ID!) {
    node(id: $id) {
      __typename
      id
      ... on Contract {
        title
        status
        value
        awardedAt
        periodStart
        periodEnd
        purchaserType
        servedCompounds
        signedBy
        deliverables
        endedReason
        approvedByOfficeAt
        provider {
          id
          name
        }
        milestones {
          id
          title
          dueOn
          criteria
          share
          status
          deliveredOn
          decidedAt
          decisionNote
          volunteerSkill
          volunteerPlaces
          evidence {
            kind
            reference
            count
            hours
            note
            at
          }
        }
        payments {
          id
          amount
          milestoneId
          paidAt
        }
        amendments {
          id
          number
          status
          rationale
          reason
          changes
          signedBy
          approvedByOfficeAt
          decidedAt
        }
        evaluations {
          id
          evaluatorType
          period
          comment
          createdAt
          scores {
            quality
            timeliness
            attitude
            effect
          }
        }
        evaluationSummary {
          count
          overall
          means {
            quality
            timeliness
            attitude
            effect
          }
        }
        assessment {
          grade
          score
        }
        history {
          action
          at
          partyType
          toStatus
          note
        }
      }
    }
  }
`);
