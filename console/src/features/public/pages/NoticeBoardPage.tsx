/**
 * The community's notice board as a page anyone can read: adopted resolutions and published minutes'
 * summaries, latest first. The same notices stay at /notices/<community> as JSON for machines.
 */
import { Alert, Card, Empty, List, Segmented, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { formatDateTime } from '../../../lib/format';
import { Loading, TONE, useLanguage } from '../../bidding/kit';
import { useFeed, type BoardNotice } from '../feed';
import { PublicLayout } from '../layout';

function when(notice: BoardNotice): string {
  return notice.kind === 'minutes' ? notice.published_at : notice.adopted_at;
}

export default function NoticeBoardPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const { communityId = '' } = useParams();
  const url = `/notices/${encodeURIComponent(communityId)}`;
  const feed = useFeed<{ notices: BoardNotice[] }>(communityId ? url : null);
  const [show, setShow] = useState<'all' | 'resolution' | 'minutes'>('all');

  const notices =
    feed.state === 'loaded'
      ? feed.body.notices.filter((n) => show === 'all' || n.kind === show).sort((a, b) => when(b).localeCompare(when(a)))
      : [];

  return (
    <PublicLayout title={t('public.board.title')}>
      <Typography.Paragraph type="secondary">{t('public.board.explain')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 16, justifyContent: 'space-between', width: '100%' }}>
        <Segmented
          aria-label={t('public.board.filter')}
          value={show}
          onChange={(value) => setShow(value as typeof show)}
          options={[
            { value: 'all', label: t('public.board.all') },
            { value: 'resolution', label: t('public.board.resolutions') },
            { value: 'minutes', label: t('public.board.minutes') },
          ]}
        />
        <a href={url} type="application/json">
          {t('public.board.json')}
        </a>
      </Space>
      {feed.state === 'loading' && <Loading />}
      {feed.state === 'failed' && <Alert type="error" showIcon message={t('public.failed')} />}
      {(feed.state === 'empty' || (feed.state === 'loaded' && notices.length === 0)) && <Empty description={t('public.board.none')} />}
      {notices.length > 0 && (
        <List
          dataSource={notices}
          split={false}
          renderItem={(notice) => (
            <List.Item style={{ display: 'block', padding: '0 0 16px' }}>
              <Card data-testid="board-notice">
                <article>
                  <Space wrap style={{ marginBottom: 8 }}>
                    <Tag color={notice.kind === 'resolution' ? TONE.red : TONE.blue}>
                      {notice.kind === 'resolution' ? t('public.board.resolution') : t('public.board.minutesOf')}
                    </Tag>
                    {notice.kind === 'resolution' && (
                      <Tag>{t(`public.decisionType.${notice.decision_type}`, { defaultValue: notice.decision_type })}</Tag>
                    )}
                  </Space>
                  <Typography.Title level={2} style={{ fontSize: 20, marginTop: 0 }}>
                    {notice.title}
                  </Typography.Title>
                  <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{notice.text || t('public.board.noText')}</Typography.Paragraph>
                  <Typography.Text type="secondary">
                    {notice.kind === 'resolution'
                      ? t('public.board.adopted', { when: formatDateTime(notice.adopted_at, language) })
                      : t('public.board.published', { when: formatDateTime(notice.published_at, language) })}
                  </Typography.Text>
                  <br />
                  <Typography.Text type="secondary">
                    {t('public.board.meeting', {
                      title: notice.meeting.title,
                      when: formatDateTime(notice.meeting.starts_at, language),
                      place: notice.meeting.location,
                    })}
                  </Typography.Text>
                </article>
              </Card>
            </List.Item>
          )}
        />
      )}
    </PublicLayout>
  );
}
