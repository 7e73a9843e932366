/**
 * The joint-meeting duties every core party shares: agenda items to submit before the deadline,
 * minutes to sign off, resolutions still to decide, availability to give, action items it owns.
 */
// @parties residents_committee owners_committee property_company street_office
import { graphql } from '../../../gql';
import type { MeetingDutiesFragment } from '../../../gql/graphql';
import { nodes, type Section } from '../board';

export const MeetingDuties = graphql(`
  fragment MeetingDuties on Query {
    upcoming: meetings(first: 10, filter: { startsAfter: $now, status: "scheduled" }, orderBy: STARTS_AT_ASC) {
      edges {
        node {
          id
          title
          startsAt
          agendaDeadline
          resolutions(first: 10) {
            edges {
              node {
                id
                title
                status
              }
            }
          }
        }
      }
    }
    past: meetings(first: 10, filter: { startsBefore: $now, status: "scheduled" }, orderBy: STARTS_AT_DESC) {
      edges {
        node {
          id
          title
          startsAt
          minutes {
            status
            signedBy {
              id
            }
          }
          resolutions(first: 10) {
            edges {
              node {
                id
                title
                status
              }
            }
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

export const meetingPath = (id: string) => `/meetings/${encodeURIComponent(id)}`;

export function meetingSections(data: MeetingDutiesFragment, partyId: string, now: Date): Section[] {
  const upcoming = nodes(data.upcoming);
  const past = nodes(data.past);
  const agenda = upcoming
    .filter((m) => m.agendaDeadline && Date.parse(m.agendaDeadline) > now.getTime())
    .map((m) => ({ key: m.id, title: m.title, due: m.agendaDeadline ?? undefined, href: meetingPath(m.id) }));
  const minutes = past
    .filter((m) => m.minutes?.status === 'circulating' && !m.minutes.signedBy.some((p) => p.id === partyId))
    .map((m) => ({ key: m.id, title: m.title, href: meetingPath(m.id) }));
  const resolutions = [...past, ...upcoming].flatMap((m) =>
    nodes(m.resolutions)
      .filter((r) => r.status === 'proposed')
      // Decided at the meeting: a meeting still to come is the deadline, a past one has none left.
      .map((r) => ({
        key: r.id,
        title: r.title,
        detail: m.title,
        due: Date.parse(m.startsAt) > now.getTime() ? m.startsAt : undefined,
        href: meetingPath(m.id),
      })),
  );
  const polls = nodes(data.schedulingPolls)
    .filter((p) => p.status === 'open' && p.invited.some((i) => i.id === partyId) && !p.answered.some((a) => a.id === partyId))
    .map((p) => ({ key: p.id, title: p.title, due: p.windowStartsAt, href: '/meetings' }));
  return [
    { key: 'agenda', title: 'home.sections.agenda', duties: agenda },
    { key: 'minutes', title: 'home.sections.minutes', duties: minutes },
    { key: 'resolutions', title: 'home.sections.resolutions', duties: resolutions },
    { key: 'polls', title: 'home.sections.polls', duties: polls },
  ];
}
