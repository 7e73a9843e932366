/** The joint meetings' operations: every core party (committee, owners' committee, property company) uses them. */
import { graphql } from '../../gql';

export const MeetingsDocument = graphql(`
  query Meetings($filter: MeetingFilter, $orderBy: MeetingOrder, $first: Int, $after: String) {
    meetings(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          title
          kind
          status
          startsAt
          endsAt
          location
          convener {
            id
            name
            type
          }
          minutes {
            status
          }
        }
      }
    }
  }
`);

export const MeetingDocument = graphql(`
  query Meeting($id: ID!) {
    node(id: $id) {
      __typename
      ... on Meeting {
        id
        title
        kind
        status
        startsAt
        endsAt
        location
        reason
        decisionRule
        cancelledReason
        agendaDeadline
        convener {
          id
          name
          type
        }
        members {
          id
          name
          type
        }
        agenda(first: 100) {
          edges {
            node {
              id
              position
              title
              description
              status
              source
              submittedBy {
                id
                name
                type
              }
            }
          }
        }
        attendance(first: 100) {
          edges {
            node {
              delegate
              signedInAt
              party {
                id
                name
                type
              }
            }
          }
        }
        resolutions(first: 50) {
          edges {
            node {
              id
              title
              text
              decisionType
              budget
              category
              status
              adoptedAt
              positions(first: 20) {
                edges {
                  node {
                    stance
                    reason
                    takenAt
                    party {
                      id
                      name
                      type
                    }
                  }
                }
              }
            }
          }
        }
        minutes {
          notes
          summary
          status
          correctionsAsked
          publishedAt
          itemNotes {
            agendaItemId
            notes
          }
          signedBy {
            id
            name
            type
          }
        }
      }
    }
  }
`);

export const ScheduleMeetingDocument = graphql(`
  mutation ScheduleMeeting($input: ScheduleMeetingInput!) {
    scheduleMeeting(input: $input) {
      meeting {
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

export const MeetingSeriesDocument = graphql(`
  query MeetingSeriesList($first: Int, $after: String) {
    meetingSeries(first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          title
          location
          recurrence
          firstStartsAt
          durationMinutes
          decisionRule
        }
      }
    }
  }
`);

export const SubmitAgendaItemDocument = graphql(`
  mutation SubmitAgendaItem($input: SubmitAgendaItemInput!) {
    submitAgendaItem(input: $input) {
      agendaItem {
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

export const SignInToMeetingDocument = graphql(`
  mutation SignInToMeeting($input: SignInToMeetingInput!) {
    signInToMeeting(input: $input) {
      errors {
        field
        code
        message
      }
    }
  }
`);

export const TakePositionDocument = graphql(`
  mutation TakePosition($input: TakePositionInput!) {
    takePosition(input: $input) {
      resolution {
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

export const SignMinutesOffDocument = graphql(`
  mutation SignMinutesOff($input: SignMinutesInput!) {
    signMinutesOff(input: $input) {
      errors {
        field
        code
        message
      }
    }
  }
`);

export const AskMinutesCorrectionDocument = graphql(`
  mutation AskMinutesCorrection($input: SignMinutesInput!) {
    askMinutesCorrection(input: $input) {
      errors {
        field
        code
        message
      }
    }
  }
`);

export const ActionItemsDocument = graphql(`
  query ActionItems($filter: ActionItemFilter, $first: Int, $after: String) {
    actionItems(filter: $filter, first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          title
          dueAt
          status
          overdueSince
          evidence
          progress
          owner {
            id
            name
            type
          }
        }
      }
    }
  }
`);

export const ReportActionItemProgressDocument = graphql(`
  mutation ReportActionItemProgress($input: ActionItemProgressInput!) {
    reportActionItemProgress(input: $input) {
      errors {
        field
        code
        message
      }
    }
  }
`);

export const CompleteActionItemDocument = graphql(`
  mutation CompleteActionItem($input: ActionItemProgressInput!) {
    completeActionItem(input: $input) {
      errors {
        field
        code
        message
      }
    }
  }
`);
