/** A social organisation: tenders open to it, its contracts' milestones, its complaints and filing. */
// @parties social_organisation
import { graphql } from '../../../gql';
import type { OrganisationHomeQuery } from '../../../gql/graphql';
import { formatMoney } from '../../../lib/format';
import { byDeadline, nodes, type Section } from '../board';
import { contractDuties } from './contracts';

export const OrganisationHome = graphql(`
  query OrganisationHome($now: DateTime!) {
    projects(first: 20, filter: { status: "published", deadlineAfter: $now }, orderBy: BID_DEADLINE_ASC) {
      edges {
        node {
          id
          title
          budget
          bidDeadline
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
    complaints(first: 10, filter: { status: "open" }) {
      edges {
        node {
          id
          filedAt
          project {
            title
          }
        }
      }
    }
    organisationFilings(first: 5) {
      edges {
        node {
          id
          name
          status
          reviewNote
        }
      }
    }
  }
`);

export function organisationSections(data: OrganisationHomeQuery, now: Date): Section[] {
  const contracts = contractDuties(data.contracts, now, (id) => `/service-contracts/${encodeURIComponent(id)}`);
  return [
    {
      key: 'tenders',
      title: 'home.sections.tenders',
      duties: nodes(data.projects).map((p) => ({
        key: p.id,
        title: p.title,
        detail: formatMoney(p.budget),
        due: p.bidDeadline ?? undefined,
        href: `/tenders/${encodeURIComponent(p.id)}`,
      })),
    },
    { key: 'milestones', title: 'home.sections.toDeliver', duties: contracts.due.sort(byDeadline) },
    {
      key: 'complaints',
      title: 'home.sections.ownComplaints',
      duties: nodes(data.complaints).map((c) => ({ key: c.id, title: c.project?.title ?? '', href: '/bid-complaints' })),
    },
    {
      key: 'filing',
      title: 'home.sections.filing',
      duties: nodes(data.organisationFilings)
        .filter((f) => f.status === 'changes_requested' || f.status === 'rejected')
        .map((f) => ({ key: f.id, title: f.name, detail: f.reviewNote ?? undefined, href: '/profile' })),
    },
  ];
}
