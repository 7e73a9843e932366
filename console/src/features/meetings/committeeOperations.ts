// @parties residents_committee
/**
 * What only the committee does in a joint meeting (it convenes and chairs): the pages shared with the
 * owners' committee and the property company call these only when the committee is signed in.
 */
import { graphql } from '../../gql';

export const CreateMeetingSeriesDocument = graphql(`
  mutation CreateMeetingSeries($input: CreateMeetingSeriesInput!) {
    createMeetingSeries(input: $input) {
      series {
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

export const OrderAgendaDocument = graphql(`
  mutation OrderAgenda($input: OrderAgendaInput!) {
    orderAgenda(input: $input) {
      errors {
        field
        code
        message
      }
    }
  }
`);

export const AcceptAgendaItemDocument = graphql(`
  mutation AcceptAgendaItem($input: AgendaItemDecisionInput!) {
    acceptAgendaItem(input: $input) {
      errors {
        field
        code
        message
      }
    }
  }
`);

export const DeferAgendaItemDocument = graphql(`
  mutation DeferAgendaItem($input: AgendaItemDecisionInput!) {
    deferAgendaItem(input: $input) {
      errors {
        field
        code
        message
      }
    }
  }
`);

export const RecordResolutionDocument = graphql(`
  mutation RecordResolution($input: RecordResolutionInput!) {
    recordResolution(input: $input) {
      resolution {
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

export const WriteMinutesDocument = graphql(`
  mutation WriteMinutes($input: WriteMinutesInput!) {
    writeMinutes(input: $input) {
      errors {
        field
        code
        message
      }
    }
  }
`);

export const AssignActionItemDocument = graphql(`
  mutation AssignActionItem($input: AssignActionItemInput!) {
    assignActionItem(input: $input) {
      actionItem {
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

export const ConfirmActionItemDocument = graphql(`
  mutation ConfirmActionItem($input: ActionItemProgressInput!) {
    confirmActionItem(input: $input) {
      errors {
        field
        code
        message
      }
    }
  }
`);

export const ReopenActionItemDocument = graphql(`
  mutation ReopenActionItem($input: ActionItemProgressInput!) {
    reopenActionItem(input: $input) {
      errors {
        field
        code
        message
      }
    }
  }
`);
