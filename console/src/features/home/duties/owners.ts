/** The owners' committee and the property company: meeting duties, their action items, their compound's contracts. */
// @parties owners_committee
import { graphql } from '../../../gql';
import type { OwnersHomeQuery } from '../../../gql/graphql';
import { byDeadline, type Section } from '../board';
import { ownItems } from './actionItems';
import { contractDuties } from './contracts';
import { meetingSections } from './meetings';

export const OwnersHome = graphql(`
  query OwnersHome($now: DateTime!) {
    ...MeetingDuties
    ...ActionItemDuties
    contracts(first: 20, filter: { status: "active" }) {
      edges {
        node {
          id
          title
          milestones {
            id
            title
            dueOn
            status
          }
        }
      }
    }
  }
`);

export function ownersSections(data: OwnersHomeQuery, partyId: string, now: Date): Section[] {
  const contracts = contractDuties(data.contracts, now, (id) => `/contracts/${encodeURIComponent(id)}`);
  return [
    ...meetingSections(data, partyId, now),
    { key: 'actionItems', title: 'home.sections.actionItems', duties: ownItems(data, partyId).sort(byDeadline) },
    { key: 'milestones', title: 'home.sections.compoundMilestones', duties: [...contracts.delivered, ...contracts.due] },
  ];
}
