/** The sub-district office: complaints to hear, filings to review, contracts to approve, items escalated. */
// @parties street_office
import { graphql } from '../../../gql';
import type { OfficeHomeQuery } from '../../../gql/graphql';
import { formatMoney } from '../../../lib/format';
import { byDeadline, nodes, type Section } from '../board';
import { overdueItems, ownItems } from './actionItems';
import { meetingSections } from './meetings';

export const OfficeHome = graphql(`
  query OfficeHome($now: DateTime!) {
    ...MeetingDuties
    ...ActionItemDuties
    complaints(first: 20, filter: { status: "open" }) {
      edges {
        node {
          id
          filedAt
          complainant {
            name
          }
          project {
            title
          }
        }
      }
    }
    organisationFilings(first: 20, filter: { status: "pending" }) {
      edges {
        node {
          id
          name
          legalForm
        }
      }
    }
    drafts: contracts(first: 20, filter: { status: "draft" }) {
      edges {
        node {
          id
          title
          value
          approvedByOfficeAt
          provider {
            name
          }
        }
      }
    }
  }
`);

/** Above this value (yuan) a contract needs the office's approval (the platform's approval_threshold). */
export const APPROVAL_THRESHOLD = 200_000;

export function officeSections(data: OfficeHomeQuery, partyId: string, now: Date): Section[] {
  return [
    {
      key: 'complaints',
      title: 'home.sections.complaints',
      duties: nodes(data.complaints).map((c) => ({
        key: c.id,
        title: c.project?.title ?? c.complainant.name,
        detail: c.complainant.name,
        due: c.filedAt,
        href: '/complaints',
      })),
    },
    {
      key: 'filings',
      title: 'home.sections.filings',
      duties: nodes(data.organisationFilings).map((f) => ({ key: f.id, title: f.name, detail: f.legalForm, href: '/filings' })),
    },
    {
      key: 'approvals',
      title: 'home.sections.approvals',
      duties: nodes(data.drafts)
        .filter((c) => !c.approvedByOfficeAt && Number(c.value) > APPROVAL_THRESHOLD)
        .map((c) => ({ key: c.id, title: c.title, detail: `${c.provider.name} · ${formatMoney(c.value)}`, href: '/approvals' })),
    },
    { key: 'escalated', title: 'home.sections.escalated', duties: overdueItems(data).sort(byDeadline) },
    ...meetingSections(data, partyId, now),
    { key: 'actionItems', title: 'home.sections.actionItems', duties: ownItems(data, partyId).sort(byDeadline) },
  ];
}
