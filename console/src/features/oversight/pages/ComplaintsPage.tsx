/**
 * Complaints against a pending award, heard by the sub-district office during the standstill:
 * upheld, the award is annulled and the bids go back to evaluation; dismissed, the award stands.
 */
import { Button, Card, Descriptions, Empty, Form, Input, Modal, Segmented, Space, Spin, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../../gql';
import type { OfficeComplaintsQuery } from '../../../gql/graphql';
import { formatDateTime, formatMoney, relativeDeadline } from '../../../lib/format';
import { FormAlert, Pager, nodes, useAct, useCursors, useLanguage, StatusTag } from '../../meetings/common';

const ComplaintsDocument = graphql(`
  query OfficeComplaints($filter: ComplaintFilter, $first: Int, $after: String) {
    complaints(filter: $filter, first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          grounds
          status
          resolution
          filedAt
          resolvedAt
          complainant {
            id
            name
          }
          project {
            id
            title
            status
            budget
            award {
              id
              value
              status
              standstillEndsAt
              reason
              organisation {
                id
                name
              }
            }
            results {
              rank
              total
              organisation {
                id
                name
              }
            }
          }
        }
      }
    }
  }
`);

const UpholdDocument = graphql(`
  mutation UpholdComplaint($input: ResolveComplaintInput!) {
    upholdComplaint(input: $input) {
      complaint {
        id
        status
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

const DismissDocument = graphql(`
  mutation DismissComplaint($input: ResolveComplaintInput!) {
    dismissComplaint(input: $input) {
      complaint {
        id
        status
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

type Complaint = NonNullable<NonNullable<NonNullable<OfficeComplaintsQuery['complaints']>['edges'][number]>['node']>;
type Decision = 'uphold' | 'dismiss';
const FILTERS = ['open', 'upheld', 'dismissed', 'moot', 'all'] as const;

export default function ComplaintsPage() {
  const { t } = useTranslation();
  const cursors = useCursors();
  const [status, setStatus] = useState<(typeof FILTERS)[number]>('open');
  const [hearing, setHearing] = useState<{ complaint: Complaint; decision: Decision } | null>(null);
  const [{ data, fetching }, refetch] = useQuery({
    query: ComplaintsDocument,
    variables: { first: 20, after: cursors.after, filter: status === 'all' ? undefined : { status } },
  });
  const complaints = nodes(data?.complaints);
  return (
    <section aria-labelledby="complaints-title">
      <Typography.Title level={1} id="complaints-title">
        {t('oversight.complaints.title')}
      </Typography.Title>
      <Typography.Paragraph style={{ color: 'rgba(0, 0, 0, 0.65)' }}>{t('oversight.complaints.hint')}</Typography.Paragraph>
      <Segmented
        aria-label={t('oversight.filter')}
        style={{ marginBottom: 16 }}
        value={status}
        onChange={(v) => {
          setStatus(v as (typeof FILTERS)[number]);
          cursors.reset();
        }}
        options={FILTERS.map((f) => ({ value: f, label: t(`oversight.complaintStatus.${f}`) }))}
      />
      {fetching && !data ? (
        <Spin />
      ) : complaints.length === 0 ? (
        <Empty description={t('oversight.complaints.empty')} />
      ) : (
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          {complaints.map((c) => (
            <ComplaintCard key={c.id} complaint={c} onHear={(decision) => setHearing({ complaint: c, decision })} />
          ))}
        </Space>
      )}
      <Pager cursors={cursors} hasNextPage={data?.complaints?.pageInfo.hasNextPage ?? false} endCursor={data?.complaints?.pageInfo.endCursor} />
      {hearing && (
        <DecisionModal
          complaint={hearing.complaint}
          decision={hearing.decision}
          onClose={(done) => {
            setHearing(null);
            if (done) refetch({ requestPolicy: 'network-only' });
          }}
        />
      )}
    </section>
  );
}

function ComplaintCard({ complaint, onHear }: { complaint: Complaint; onHear: (decision: Decision) => void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const project = complaint.project;
  const award = project?.award;
  const complainantRank = project?.results.find((r) => r.organisation.id === complaint.complainant.id);
  const awardedRank = award ? project?.results.find((r) => r.organisation.id === award.organisation.id) : undefined;
  const colour = { open: 'gold', upheld: 'green', dismissed: 'default', moot: 'default' }[complaint.status] ?? 'default';
  return (
    <Card
      title={
        <Space wrap>
          <h2 className="gz-card-title" style={{ margin: 0 }}>
            {project?.title ?? t('oversight.complaints.noProject')}
          </h2>
          <StatusTag tone={colour}>{t(`oversight.complaintStatus.${complaint.status}`)}</StatusTag>
        </Space>
      }
    >
      <Descriptions column={{ xs: 1, md: 2 }} size="small">
        <Descriptions.Item label={t('oversight.complaints.complainant')}>
          {complaint.complainant.name}
          {complainantRank ? t('oversight.complaints.ranked', { rank: complainantRank.rank, total: complainantRank.total.toFixed(2) }) : ''}
        </Descriptions.Item>
        <Descriptions.Item label={t('oversight.complaints.filedAt')}>{formatDateTime(complaint.filedAt, language)}</Descriptions.Item>
        <Descriptions.Item label={t('oversight.complaints.grounds')} span={2}>
          {complaint.grounds}
        </Descriptions.Item>
        {award && (
          <>
            <Descriptions.Item label={t('oversight.complaints.awardedTo')}>
              {award.organisation.name}
              {awardedRank ? t('oversight.complaints.ranked', { rank: awardedRank.rank, total: awardedRank.total.toFixed(2) }) : ''}
            </Descriptions.Item>
            <Descriptions.Item label={t('oversight.complaints.value')}>{formatMoney(award.value, language)}</Descriptions.Item>
            {award.standstillEndsAt && (
              <Descriptions.Item label={t('oversight.complaints.standstillEndsAt')}>
                {formatDateTime(award.standstillEndsAt, language)}
                {complaint.status === 'open' && ` (${relativeDeadline(award.standstillEndsAt, language).text})`}
              </Descriptions.Item>
            )}
            {award.reason && <Descriptions.Item label={t('oversight.complaints.awardReason')}>{award.reason}</Descriptions.Item>}
          </>
        )}
        {complaint.resolution && (
          <Descriptions.Item label={t('oversight.complaints.resolution')} span={2}>
            {complaint.resolution}
            {complaint.resolvedAt ? ` (${formatDateTime(complaint.resolvedAt, language)})` : ''}
          </Descriptions.Item>
        )}
      </Descriptions>
      {complaint.status === 'open' && (
        <Space style={{ marginTop: 12 }} wrap>
          <Button type="primary" onClick={() => onHear('uphold')}>
            {t('oversight.complaints.uphold')}
          </Button>
          <Button onClick={() => onHear('dismiss')}>{t('oversight.complaints.dismiss')}</Button>
        </Space>
      )}
    </Card>
  );
}

function DecisionModal({ complaint, decision, onClose }: { complaint: Complaint; decision: Decision; onClose: (done: boolean) => void }) {
  const { t } = useTranslation();
  const act = useAct();
  const [form] = Form.useForm<{ resolution: string }>();
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const [, uphold] = useMutation(UpholdDocument);
  const [, dismiss] = useMutation(DismissDocument);

  async function onFinish(values: { resolution: string }) {
    const input = { complaintId: complaint.id, resolution: values.resolution };
    const { ok, unplaced: rest } = await act(
      async () => {
        if (decision === 'uphold') {
          const r = await uphold({ input });
          return { errors: r.data?.upholdComplaint?.errors, failure: r.error?.message };
        }
        const r = await dismiss({ input });
        return { errors: r.data?.dismissComplaint?.errors, failure: r.error?.message };
      },
      { form, fields: { complaintId: 'resolution' }, done: t(`oversight.complaints.${decision}Done`) },
    );
    setUnplaced(rest);
    if (ok) onClose(true);
  }

  return (
    <Modal
      open
      title={t(`oversight.complaints.${decision}Title`, { project: complaint.project?.title ?? '' })}
      okText={t(`oversight.complaints.${decision}`)}
      cancelText={t('meetings.common.cancel')}
      onOk={() => form.submit()}
      onCancel={() => onClose(false)}
      destroyOnClose
    >
      <Typography.Paragraph>{t(`oversight.complaints.${decision}Effect`)}</Typography.Paragraph>
      <FormAlert errors={unplaced} />
      <Form form={form} name="decision-modal" layout="vertical" onFinish={(v) => void onFinish(v)}>
        <Form.Item name="resolution" label={t('oversight.complaints.reasons')} rules={[{ required: true, whitespace: true, message: t('meetings.validation.required') }]}>
          <Input.TextArea rows={4} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
