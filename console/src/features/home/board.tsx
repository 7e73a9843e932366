/** The home page's building blocks: sections of things to act on, each linking to where it is done. */
import { Badge, Card, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, matchPath } from 'react-router-dom';
import { ROUTES } from '../../app/features';
import type { PartyType } from '../../app/parties';
import { routesFor } from '../../app/registry';
import { currentLanguage } from '../../app/i18n';
import { formatDate, formatDateTime, relativeDeadline } from '../../lib/format';

export interface Duty {
  key: string;
  title: string;
  /** A second line: where, who, what for. */
  detail?: string;
  /** When it must be done by: an instant, or a calendar date ('2027-03-31'). */
  due?: string;
  /** Where it is done: a console path; shown as a link only when a page of the party's serves it. */
  href?: string;
}

export interface Section {
  key: string;
  /** i18n key of the section's heading. */
  title: string;
  duties: Duty[];
}

/** The nodes of a connection, without the holes a Relay connection may have. */
export function nodes<T>(connection: { edges: ({ node?: T | null } | null)[] } | null | undefined): T[] {
  return (connection?.edges ?? []).flatMap((edge) => (edge?.node ? [edge.node] : []));
}

/** Sooner first; the ones without a deadline last. */
export function byDeadline(a: Duty, b: Duty): number {
  if (!a.due || !b.due) return a.due ? -1 : b.due ? 1 : 0;
  return Date.parse(a.due) - Date.parse(b.due);
}

/** Whether a page the party may open serves this path. */
export function served(path: string, party: PartyType): boolean {
  return routesFor(ROUTES, party).some((route) => matchPath(route.path, path) !== null);
}

function DueTag({ due }: { due: string }) {
  const language = currentLanguage();
  const deadline = relativeDeadline(due, language);
  const when = /^\d{4}-\d{2}-\d{2}$/.test(due) ? formatDate(due, language) : formatDateTime(due, language);
  return (
    <span className="gz-due">
      <Typography.Text type="secondary">{when}</Typography.Text>{' '}
      {/* Solid colours: Ant Design's light orange tag is below AA contrast. */}
      <Tag color={deadline.overdue ? '#a8071a' : deadline.urgent ? '#ad4e00' : 'default'}>{deadline.text}</Tag>
    </span>
  );
}

export function SectionCard({ section, party }: { section: Section; party: PartyType }) {
  const { t } = useTranslation();
  const headingId = `home-${section.key}`;
  return (
    <Card
      size="small"
      title={
        <h2 id={headingId} className="gz-card-heading">
          {t(section.title)} <Badge count={section.duties.length} showZero color={section.duties.length ? '#b7312c' : '#8c8c8c'} />
        </h2>
      }
    >
      {section.duties.length === 0 ? (
        <Typography.Text type="secondary">{t('home.nothing')}</Typography.Text>
      ) : (
        <ul className="gz-duties" aria-labelledby={headingId}>
          {section.duties.map((duty) => (
            <li key={duty.key} className="gz-duty">
              <div className="gz-duty-title">
                {duty.href && served(duty.href, party) ? <Link to={duty.href}>{duty.title}</Link> : duty.title}
              </div>
              {duty.detail && <Typography.Text type="secondary">{duty.detail}</Typography.Text>}
              {duty.due && <DueTag due={duty.due} />}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
