/** A volunteer: offers to answer before their deadline, and the next shifts. */
// @parties volunteer
import { graphql } from '../../../gql';
import type { VolunteerHomeQuery } from '../../../gql/graphql';
import { formatDateTime, formatTime, type Language } from '../../../lib/format';
import { byDeadline, nodes, type Section } from '../board';

export const VolunteerHome = graphql(`
  query VolunteerHome {
    offers(first: 20, filter: { status: "offered" }) {
      edges {
        node {
          id
          respondBy
          startsAt
          endsAt
          request {
            title
            location
          }
        }
      }
    }
    booked: shifts(first: 10, filter: { status: "booked" }) {
      edges {
        node {
          id
          startsAt
          endsAt
          request {
            title
            location
          }
        }
      }
    }
    working: shifts(first: 5, filter: { status: "checked_in" }) {
      edges {
        node {
          id
          startsAt
          endsAt
          request {
            title
            location
          }
        }
      }
    }
  }
`);

export function volunteerSections(data: VolunteerHomeQuery, language: Language, untitled: string): Section[] {
  const when = (s: { startsAt: string; endsAt: string; request?: { location: string } | null }) =>
    [`${formatDateTime(s.startsAt, language)}–${formatTime(s.endsAt)}`, s.request?.location].filter(Boolean).join(' · ');
  return [
    {
      key: 'offers',
      title: 'home.sections.offers',
      duties: nodes(data.offers)
        .map((o) => ({ key: o.id, title: o.request?.title ?? untitled, detail: when(o), due: o.respondBy, href: '/volunteer/offers' }))
        .sort(byDeadline),
    },
    {
      key: 'shifts',
      title: 'home.sections.shifts',
      duties: [...nodes(data.working), ...nodes(data.booked)].map((s) => ({
        key: s.id,
        title: s.request?.title ?? untitled,
        detail: when(s),
        href: '/volunteer/shifts',
      })),
    },
  ];
}
