/** The residents' committee: it convenes the meetings, buys the services, follows the contracts. */
// @parties residents_committee
import { graphql } from '../../../gql';
import type { CommitteeHomeQuery } from '../../../gql/graphql';
import { byDeadline, nodes, type Section } from '../board';
import { ownItems, overdueItems } from './actionItems';
import { contractDuties } from './contracts';
import { meetingSections } from './meetings';

export const CommitteeHome = graphql(`
  query CommitteeHome($now: DateTime!) {
    ...MeetingDuties
    ...ActionItemDuties
    doneItems: actionItems(first: 20, filter: { status: "completed" }) {
      edges {
        node {
          id
          title
          dueAt
          owner {
            name
          }
        }
      }
    }
    evaluating: projects(first: 10, filter: { status: "evaluating" }) {
      edges {
        node {
          id
          title
          openedAt
        }
      }
    }
    complaints(first: 10, filter: { status: "open" }) {
      edges {
        node {
          id
          filedAt
          complainant {
            name
          }
          project {
            id
            title
          }
        }
      }
    }
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

export function committeeSections(data: CommitteeHomeQuery, partyId: string, now: Date): Section[] {
  const projectPath = (id: string) => `/projects/${encodeURIComponent(id)}`;
  const contracts = contractDuties(data.contracts, now, (id) => `/contracts/${encodeURIComponent(id)}`);
  return [
    ...meetingSections(data, partyId, now),
    {
      key: 'actionItems',
      title: 'home.sections.followUp',
      duties: [
        ...nodes(data.doneItems).map((item) => ({
          key: item.id,
          title: item.title,
          detail: item.owner.name ?? undefined,
          href: '/action-items',
        })),
        ...overdueItems(data),
        ...ownItems(data, partyId).filter((d) => !overdueItems(data).some((o) => o.key === d.key)),
      ],
    },
    {
      key: 'scoring',
      title: 'home.sections.scoring',
      duties: nodes(data.evaluating).map((p) => ({ key: p.id, title: p.title, href: projectPath(p.id) })),
    },
    {
      key: 'complaints',
      title: 'home.sections.projectComplaints',
      duties: nodes(data.complaints).map((c) => ({
        key: c.id,
        title: c.project?.title ?? c.complainant.name,
        detail: c.complainant.name,
        href: c.project ? projectPath(c.project.id) : undefined,
      })),
    },
    { key: 'deliveries', title: 'home.sections.deliveries', duties: contracts.delivered },
    { key: 'milestones', title: 'home.sections.milestones', duties: contracts.due.sort(byDeadline) },
  ];
}
