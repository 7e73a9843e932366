/** The volunteer's own operations: offers, shifts, hours, points and the rewards shop. */
import { graphql } from '../../gql';

export const VolunteerOffersDocument = graphql(`
  query VolunteerOffers($first: Int!, $after: String, $status: String) {
    offers(first: $first, after: $after, filter: { status: $status }) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          status
          startsAt
          endsAt
          respondBy
          respondedAt
          explanation
          declineReason
          request {
            id
            title
            description
            location
            category
            source
          }
        }
      }
    }
  }
`);

export const VolunteerAcceptOfferDocument = graphql(`
  mutation VolunteerAcceptOffer($input: OfferInput!) {
    acceptOffer(input: $input) {
      errors {
        field
        code
        message
      }
      shift {
        id
        status
        startsAt
      }
    }
  }
`);

export const VolunteerDeclineOfferDocument = graphql(`
  mutation VolunteerDeclineOffer($input: DeclineOfferInput!) {
    declineOffer(input: $input) {
      errors {
        field
        code
        message
      }
      offer {
        id
        status
      }
    }
  }
`);

export const VolunteerShiftsDocument = graphql(`
  query VolunteerShifts($first: Int!, $after: String, $status: String) {
    shifts(first: $first, after: $after, filter: { status: $status }) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          status
          startsAt
          endsAt
          checkedInAt
          checkedOutAt
          autoCheckedOut
          approvedHours
          points
          request {
            id
            title
            location
          }
        }
      }
    }
  }
`);

export const VolunteerCheckInDocument = graphql(`
  mutation VolunteerCheckIn($input: ShiftInput!) {
    checkIn(input: $input) {
      errors {
        field
        code
        message
      }
      shift {
        id
        status
        checkedInAt
      }
    }
  }
`);

export const VolunteerCheckOutDocument = graphql(`
  mutation VolunteerCheckOut($input: ShiftInput!) {
    checkOut(input: $input) {
      errors {
        field
        code
        message
      }
      shift {
        id
        status
        checkedOutAt
      }
    }
  }
`);

export const VolunteerHoursDocument = graphql(`
  query VolunteerHours {
    byMonth: volunteerHours(groupBy: MONTH) {
      key
      label
      hours
      shifts
    }
    byCategory: volunteerHours(groupBy: CATEGORY) {
      key
      label
      hours
      shifts
    }
  }
`);

export const VolunteerPointsDocument = graphql(`
  query VolunteerPoints($first: Int!, $after: String) {
    pointsAccount {
      balance
      entries(first: $first, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            amount
            kind
            memo
            postedAt
          }
        }
      }
    }
  }
`);

export const VolunteerRewardsDocument = graphql(`
  query VolunteerRewards($first: Int!, $after: String) {
    pointsAccount {
      balance
    }
    rewards(first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          name
          kind
          points
          stock
        }
      }
    }
    redemptions(first: 10) {
      edges {
        node {
          id
          rewardName
          quantity
          points
          redeemedAt
        }
      }
    }
  }
`);

export const VolunteerRedeemRewardDocument = graphql(`
  mutation VolunteerRedeemReward($input: RedeemRewardInput!) {
    redeemReward(input: $input) {
      errors {
        field
        code
        message
      }
      redemption {
        id
        points
        quantity
      }
    }
  }
`);
