/** Action items from adopted resolutions: the ones a party owns and has still to finish. */
// @parties residents_committee owners_committee property_company street_office
import { graphql } from '../../../gql';
import type { ActionItemDutiesFragment } from '../../../gql/graphql';
import { nodes, type Duty } from '../board';

export const ActionItemDuties = graphql(`
  fragment ActionItemDuties on Query {
    openItems: actionItems(first: 20, filter: { status: "open" }) {
      edges {
        node {
          id
          title
          dueAt
          overdueSince
          owner {
            id
            name
          }
        }
      }
    }
    startedItems: actionItems(first: 20, filter: { status: "in_progress" }) {
      edges {
        node {
          id
          title
          dueAt
          overdueSince
          owner {
            id
            name
          }
        }
      }
    }
  }
`);

type Item = NonNullable<NonNullable<NonNullable<ActionItemDutiesFragment['openItems']>['edges'][number]>['node']>;

const duty = (item: Item): Duty => ({
  key: item.id,
  title: item.title,
  detail: item.owner.name ?? undefined,
  due: item.dueAt,
  href: '/action-items',
});

function unfinished(data: ActionItemDutiesFragment): Item[] {
  return [...nodes(data.openItems), ...nodes(data.startedItems)];
}

/** The items this party owns. */
export function ownItems(data: ActionItemDutiesFragment, partyId: string): Duty[] {
  return unfinished(data)
    .filter((item) => item.owner.id === partyId)
    .map(duty);
}

/** Items past their due date, whoever owns them: escalated to the office, followed up by the committee. */
export function overdueItems(data: ActionItemDutiesFragment): Duty[] {
  return unfinished(data)
    .filter((item) => item.overdueSince)
    .map(duty);
}
