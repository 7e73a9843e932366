/** A joint-building unit: the open entries of the demand and resource lists, and polls it is invited to. */
// @parties joint_building_unit
import { graphql } from '../../../gql';
import type { JointUnitHomeQuery } from '../../../gql/graphql';
import { nodes, type Section } from '../board';

export const JointUnitHome = graphql(`
  query JointUnitHome {
    listEntries(first: 30, filter: { status: "open" }) {
      edges {
        node {
          id
          title
          kind
          category
          owner {
            id
          }
        }
      }
    }
    schedulingPolls(first: 10) {
      edges {
        node {
          id
          title
          status
          windowStartsAt
          answered {
            id
          }
          invited {
            id
          }
        }
      }
    }
  }
`);

export function jointUnitSections(data: JointUnitHomeQuery, partyId: string): Section[] {
  const entries = nodes(data.listEntries);
  return [
    {
      key: 'demands',
      title: 'home.sections.demands',
      duties: entries.filter((e) => e.kind === 'demand' && e.owner.id !== partyId).map((e) => ({ key: e.id, title: e.title, detail: e.category, href: `/lists/${encodeURIComponent(e.id)}` })),
    },
    {
      key: 'ownEntries',
      title: 'home.sections.ownEntries',
      duties: entries.filter((e) => e.owner.id === partyId).map((e) => ({ key: e.id, title: e.title, detail: e.category, href: `/lists/${encodeURIComponent(e.id)}` })),
    },
    {
      key: 'polls',
      title: 'home.sections.polls',
      duties: nodes(data.schedulingPolls)
        .filter((p) => p.status === 'open' && p.invited.some((i) => i.id === partyId) && !p.answered.some((a) => a.id === partyId))
        .map((p) => ({ key: p.id, title: p.title, due: p.windowStartsAt, href: '/polls' })),
    },
  ];
}
