/**
 * What needs my action now: for the signed-in party, in one GraphQL request, each thing to do with
 * its deadline and a link to the page where it is done; beside it, the calendar and the profile.
 */
import { CalendarOutlined, IdcardOutlined, ReloadOutlined } from '@ant-design/icons';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { Alert, Button, Card, Col, Row, Skeleton, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useQuery } from 'urql';
import { currentLanguage } from '../../../app/i18n';
import type { PartyType } from '../../../app/parties';
import { useViewer } from '../../../app/viewer';
import { describeError } from '../../../lib/errors';
import type { Language } from '../../../lib/format';
import { SectionCard, type Section } from '../board';
import { CommitteeHome, committeeSections } from '../duties/committee';
import { JointUnitHome, jointUnitSections } from '../duties/jointUnit';
import { OfficeHome, officeSections } from '../duties/office';
import { OrganisationHome, organisationSections } from '../duties/organisation';
import { OwnersHome, ownersSections } from '../duties/owners';
import { PropertyHome, propertySections } from '../duties/property';
import { VolunteerHome, volunteerSections } from '../duties/volunteer';

interface Context {
  partyId: string;
  now: Date;
  language: Language;
  untitled: string;
}

interface Board<D> {
  document: TypedDocumentNode<D, { now: string }> | TypedDocumentNode<D, Record<string, never>>;
  sections: (data: D, context: Context) => Section[];
}

const board = <D,>(b: Board<D>) => b as Board<unknown>;

/** Each party's one query and what it makes of the answer. */
export const BOARDS: Record<PartyType, Board<unknown>> = {
  residents_committee: board({ document: CommitteeHome, sections: (d, c) => committeeSections(d, c.partyId, c.now) }),
  owners_committee: board({ document: OwnersHome, sections: (d, c) => ownersSections(d, c.partyId, c.now) }),
  property_company: board({ document: PropertyHome, sections: (d, c) => propertySections(d, c.partyId, c.now) }),
  street_office: board({ document: OfficeHome, sections: (d, c) => officeSections(d, c.partyId, c.now) }),
  social_organisation: board({ document: OrganisationHome, sections: (d, c) => organisationSections(d, c.now) }),
  joint_building_unit: board({ document: JointUnitHome, sections: (d, c) => jointUnitSections(d, c.partyId) }),
  volunteer: board({ document: VolunteerHome, sections: (d, c) => volunteerSections(d, c.language, c.untitled) }),
};

export default function Home() {
  const { t } = useTranslation();
  const viewer = useViewer();
  const language = currentLanguage();
  // One instant per visit, to the minute, so the query (and its cache entry) stays the same while it is shown.
  const [now] = useState(() => new Date(Math.floor(Date.now() / 60_000) * 60_000));
  const { document, sections } = BOARDS[viewer.partyType];
  const [{ data, error, fetching }, refetch] = useQuery({
    query: document as TypedDocumentNode<unknown, { now?: string }>,
    variables: document === VolunteerHome || document === JointUnitHome ? {} : { now: now.toISOString() },
  });
  const context: Context = { partyId: viewer.party.id, now, language, untitled: t('home.untitled') };
  // The sections with something to do first, each keeping its place among its kind.
  const all = data ? sections(data, context) : [];
  const shown = [...all.filter((s) => s.duties.length > 0), ...all.filter((s) => s.duties.length === 0)];
  const count = shown.reduce((n, s) => n + s.duties.length, 0);

  return (
    <div className="gz-home">
      <Space className="gz-page-head" align="baseline" wrap>
        <Typography.Title level={1} style={{ margin: 0 }}>
          {t('home.heading')}
        </Typography.Title>
        {data ? <Typography.Text type="secondary">{t('home.count', { count })}</Typography.Text> : null}
        <Button icon={<ReloadOutlined />} onClick={() => refetch({ requestPolicy: 'network-only' })} loading={fetching && !!data}>
          {t('home.refresh')}
        </Button>
      </Space>
      {error && (
        <Alert
          type="error"
          showIcon
          role="alert"
          message={t('home.failed')}
          description={describeError(error, language)}
          style={{ marginBottom: 16 }}
        />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={18}>
          {!data && fetching ? (
            <Skeleton active paragraph={{ rows: 8 }} />
          ) : (
            <Row gutter={[16, 16]}>
              {shown.map((section) => (
                <Col key={section.key} xs={24} lg={12}>
                  <SectionCard section={section} party={viewer.partyType} />
                </Col>
              ))}
            </Row>
          )}
        </Col>
        <Col xs={24} xl={6}>
          <Space direction="vertical" size={16} style={{ width: '100%' }}>
            <Card size="small" title={<h2 className="gz-card-heading">{t('home.calendar')}</h2>}>
              <Typography.Paragraph type="secondary">{t('home.calendarIntro')}</Typography.Paragraph>
              <Link to="/calendar">
                <CalendarOutlined aria-hidden /> {t('home.calendarLink')}
              </Link>
            </Card>
            <Card size="small" title={<h2 className="gz-card-heading">{t('home.profile')}</h2>}>
              <Typography.Paragraph>
                {viewer.party.name ?? t(`parties.${viewer.partyType}`)}
                <br />
                <Typography.Text type="secondary">
                  {[t(`parties.${viewer.partyType}`), viewer.community?.name, viewer.compound?.name].filter(Boolean).join(' · ')}
                </Typography.Text>
              </Typography.Paragraph>
              <Link to="/profile">
                <IdcardOutlined aria-hidden /> {t('home.profileLink')}
              </Link>
            </Card>
          </Space>
        </Col>
      </Row>
    </div>
  );
}
