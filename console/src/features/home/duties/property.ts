// @parties property_company
import { graphql } from '../../../gql';
import type { PropertyHomeQuery } from '../../../gql/graphql';
import { byDeadline, type Section } from '../board';
import { ownItems } from './actionItems';
import { meetingSections } from './meetings';

export const PropertyHome = graphql(`
  query PropertyHome($now: DateTime!) {
    ...MeetingDuties
    ...ActionItemDuties
  }
`);

export function propertySections(data: PropertyHomeQuery, partyId: string, now: Date): Section[] {
  return [
    ...meetingSections(data, partyId, now),
    { key: 'actionItems', title: 'home.sections.actionItems', duties: ownItems(data, partyId).sort(byDeadline) },
  ];
}
