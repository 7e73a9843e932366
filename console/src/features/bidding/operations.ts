/** The social organisation's operations: tenders it may bid for, its bids, complaints and contracts. */
import { graphql } from '../../gql';

export const EligibleProjectsDocument = graphql(`
  query EligibleProjects($first: Int!, $after: String, $status: String) {
    projects(first: $first, after: $after, filter: { status: $status }, orderBy: BID_DEADLINE_ASC) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          title
          category
          budget
          bidDeadline
          status
          purchaser
          bids(first: 1) {
            edges {
              node {
                id
                status
              }
            }
          }
        }
      }
    }
  }
`);

export const OrganisationNoticesDocument = graphql(`
  query OrganisationNotices($first: Int!, $after: String) {
    notices(first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          kind
          message
          createdAt
          project {
            id
            title
          }
        }
      }
    }
  }
`);

export const BiddingProjectDocument = graphql(`
  query BiddingProject($id: ID!) {
    node(id: $id) {
      __typename
      ... on Project {
        id
        ocid
        title
        description
        category
        budget
        bidDeadline
        status
        requiredQualifications
        periodStart
        periodEnd
        standstillDays
        minValidBids
        purchaser
        scoringRules
        openedAt
        endedReason
        weights {
          price
          planQuality
          experience
          reputation
        }
        bidDigests
        bids(first: 1) {
          edges {
            node {
              id
              price
              plan
              team
              timeline
              digest
              status
              submittedAt
            }
          }
        }
        award {
          id
          value
          status
          reason
          awardedAt
          standstillEndsAt
          finalisedAt
          organisation {
            id
            name
          }
        }
        results {
          rank
          price
          total
          organisation {
            id
            name
          }
          scores {
            price
            planQuality
            experience
            reputation
          }
        }
      }
    }
  }
`);

export const BidderSubmitBidDocument = graphql(`
  mutation BidderSubmitBid($input: SubmitBidInput!) {
    submitBid(input: $input) {
      errors {
        field
        code
        message
      }
      bid {
        id
        price
        plan
        team
        timeline
        digest
        status
        submittedAt
      }
    }
  }
`);

export const BidderWithdrawBidDocument = graphql(`
  mutation BidderWithdrawBid($input: WithdrawBidInput!) {
    withdrawBid(input: $input) {
      errors {
        field
        code
        message
      }
      bid {
        id
        status
      }
    }
  }
`);

export const BidderFileComplaintDocument = graphql(`
  mutation BidderFileComplaint($input: FileComplaintInput!) {
    fileComplaint(input: $input) {
      errors {
        field
        code
        message
      }
      complaint {
        id
        status
      }
    }
  }
`);

export const BidderComplaintsDocument = graphql(`
  query BidderComplaints($first: Int!, $after: String) {
    complaints(first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          grounds
          status
          resolution
          filedAt
          resolvedAt
          project {
            id
            title
          }
        }
      }
    }
  }
`);

export const ProviderContractsDocument = graphql(`
  query ProviderContracts($first: Int!, $after: String) {
    contracts(first: $first, after: $after, orderBy: AWARDED_AT_DESC) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          title
          value
          status
          awardedAt
          periodStart
          periodEnd
          milestones {
            id
            status
            dueOn
          }
        }
      }
    }
  }
`);

export const ProviderContractDocument = graphql(`
  query ProviderContract($id: ID!) {
    node(id: $id) {
      __typename
      ... on Contract {
        id
        ocid
        title
        value
        status
        awardedAt
        periodStart
        periodEnd
        deliverables
        signedBy
        purchaserType
        endedReason
        milestones {
          id
          title
          dueOn
          criteria
          share
          status
          deliveredOn
          decisionNote
          decidedAt
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
          paidAt
          milestoneId
        }
      }
    }
  }
`);

export const ProviderSignContractDocument = graphql(`
  mutation ProviderSignContract($input: ContractInput!) {
    signContract(input: $input) {
      errors {
        field
        code
        message
      }
      contract {
        id
        status
        signedBy
      }
    }
  }
`);

export const ProviderDeliverMilestoneDocument = graphql(`
  mutation ProviderDeliverMilestone($input: DeliverMilestoneInput!) {
    deliverMilestone(input: $input) {
      errors {
        field
        code
        message
      }
      milestone {
        id
        status
        deliveredOn
      }
    }
  }
`);
