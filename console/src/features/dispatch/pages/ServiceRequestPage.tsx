/**
 * One service request: what it asks for, the offers the dispatch made with why each volunteer, the
 * shifts of those who accepted with their check-in and check-out, the hours to approve, and calling
 * the request off with the reason.
 */
import { Alert, Button, Card, Descriptions, Empty, Form, Input, InputNumber, Modal, Space, Spin, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../../gql';
import type { ServiceRequestDetailQuery } from '../../../gql/graphql';
import { formatDateTime } from '../../../lib/format';
import { FormAlert, Pager, nodes, useAct, useCursors, useLanguage } from '../../meetings/common';
import { Explanation, StatusTag } from '../components';
import { OFFER_STATUS_COLOURS, REQUEST_STATUS_COLOURS, SHIFT_STATUS_COLOURS, TONE } from '../vocabulary';

const ServiceRequestDetailDocument = graphql(`
  query ServiceRequestDetail($id: ID!, $offersAfter: String, $shiftsAfter: String, $first: Int) {
    node(id: $id) {
      __typename
      ... on ServiceRequest {
        id
        title
        description
        category
        priority
        status
        source
        startsAt
        endsAt
        durationMinutes
        places
        filled
        location
        homeVisit
        certificates
        openedAt
        dispatchedAt
        cancelledReason
        unfilledReason
        unfilledReportedAt
        building {
          id
          name
        }
        skills {
          skill
          level
        }
        offers(first: $first, after: $offersAfter) {
          pageInfo {
            hasNextPage
            endCursor
          }
          edges {
            node {
              id
              place
              volunteerName
              status
              offeredAt
              respondBy
              respondedAt
              declineReason
              explanation
            }
          }
        }
        shifts(first: $first, after: $shiftsAfter) {
          pageInfo {
            hasNextPage
            endCursor
          }
          edges {
            node {
              id
              volunteerName
              status
              startsAt
              endsAt
              checkedInAt
              checkedOutAt
              autoCheckedOut
              approvedHours
              points
            }
          }
        }
      }
    }
  }
`);

const ApproveHoursDocument = graphql(`
  mutation ApproveHours($input: ApproveHoursInput!) {
    approveHours(input: $input) {
      shift {
        id
        status
        approvedHours
        points
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

const CancelServiceRequestDocument = graphql(`
  mutation CancelServiceRequest($input: CancelServiceRequestInput!) {
    cancelServiceRequest(input: $input) {
      serviceRequest {
        id
        status
        cancelledReason
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

type Request = Extract<NonNullable<ServiceRequestDetailQuery['node']>, { __typename: 'ServiceRequest' }>;
type ShiftRow = NonNullable<NonNullable<NonNullable<Request['shifts']>['edges'][number]>['node']>;

export default function ServiceRequestPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const { requestId = '' } = useParams();
  const offerCursors = useCursors();
  const shiftCursors = useCursors();
  const [approving, setApproving] = useState<ShiftRow | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const [{ data, fetching, error }] = useQuery({
    query: ServiceRequestDetailDocument,
    variables: { id: requestId, first: 20, offersAfter: offerCursors.after, shiftsAfter: shiftCursors.after },
  });
  if (fetching && !data) return <Spin aria-label={t('app.loading')} />;
  const request = data?.node?.__typename === 'ServiceRequest' ? data.node : null;
  if (!request) {
    return (
      <section>
        <Typography.Title level={1}>{t('dispatch.menu.request')}</Typography.Title>
        <Alert type={error ? 'error' : 'warning'} showIcon message={t(error ? 'dispatch.detail.failed' : 'dispatch.detail.missing')} />
        <Link to="/service-requests">{t('dispatch.detail.back')}</Link>
      </section>
    );
  }
  const when = (iso: string | null | undefined) => (iso ? formatDateTime(iso, language) : '—');
  const live = request.status === 'open' || request.status === 'filled';
  return (
    <section aria-labelledby="request-title">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }} wrap>
        <Space direction="vertical" size={0}>
          <Link to="/service-requests">{t('dispatch.detail.back')}</Link>
          <Typography.Title level={1} id="request-title" style={{ margin: 0 }}>
            {request.title}
          </Typography.Title>
        </Space>
        <Space>
          <StatusTag kind="request" status={request.status} colours={REQUEST_STATUS_COLOURS} />
          {live && (
            <Button danger onClick={() => setCancelling(true)}>
              {t('dispatch.cancel.open')}
            </Button>
          )}
        </Space>
      </Space>
      {request.cancelledReason && <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={t('dispatch.detail.cancelled', { reason: request.cancelledReason })} />}
      {request.unfilledReason && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="unfilled-reason"
          message={request.unfilledReportedAt ? t('dispatch.detail.unfilledReported', { when: when(request.unfilledReportedAt) }) : t('dispatch.detail.unfilled')}
          description={<Explanation text={request.unfilledReason} />}
        />
      )}
      <Card style={{ marginBottom: 16 }}>
        <Descriptions column={{ xs: 1, md: 2 }} size="small">
          <Descriptions.Item label={t('dispatch.fields.category')}>{t(`dispatch.category.${request.category}`, { defaultValue: request.category })}</Descriptions.Item>
          <Descriptions.Item label={t('dispatch.fields.priority')}>{t(`dispatch.priority.${request.priority}`, { defaultValue: request.priority })}</Descriptions.Item>
          <Descriptions.Item label={t('dispatch.fields.window')}>
            {when(request.startsAt)} – {when(request.endsAt)}
            {request.durationMinutes ? ` · ${t('dispatch.detail.flexible', { minutes: request.durationMinutes })}` : ''}
          </Descriptions.Item>
          <Descriptions.Item label={t('dispatch.fields.places')}>{t('dispatch.list.filled', { filled: request.filled, places: request.places })}</Descriptions.Item>
          <Descriptions.Item label={t('dispatch.fields.location')}>
            {request.location}
            {request.building ? ` · ${request.building.name}` : ''}
          </Descriptions.Item>
          <Descriptions.Item label={t('dispatch.fields.skills')}>
            <Space size={4} wrap>
              {request.skills.map((s) => (
                <Tag key={s.skill}>{t('dispatch.detail.skillLevel', { skill: t(`dispatch.skill.${s.skill}`, { defaultValue: s.skill }), level: s.level })}</Tag>
              ))}
              {request.certificates.map((c) => (
                <Tag key={c} color={TONE.cyan}>
                  {c}
                </Tag>
              ))}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t('dispatch.fields.source')}>{t(`dispatch.source.${request.source}`, { defaultValue: request.source })}</Descriptions.Item>
          <Descriptions.Item label={t('dispatch.fields.homeVisit')}>{t(request.homeVisit ? 'dispatch.detail.yes' : 'dispatch.detail.no')}</Descriptions.Item>
          <Descriptions.Item label={t('dispatch.fields.openedAt')}>{when(request.openedAt)}</Descriptions.Item>
          <Descriptions.Item label={t('dispatch.fields.dispatchedAt')}>{request.dispatchedAt ? when(request.dispatchedAt) : t('dispatch.detail.notDispatched')}</Descriptions.Item>
        </Descriptions>
        {request.description && <Typography.Paragraph style={{ marginTop: 12, marginBottom: 0 }}>{request.description}</Typography.Paragraph>}
      </Card>

      <Card title={<h2 className="gz-card-title">{t('dispatch.offers.title')}</h2>} style={{ marginBottom: 16 }}>
        {nodes(request.offers).length === 0 ? (
          <Empty description={t('dispatch.offers.none')} />
        ) : (
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            scroll={{ x: true }}
            dataSource={nodes(request.offers)}
            columns={[
              { title: t('dispatch.fields.place'), align: 'right', render: (_, o) => o.place + 1 },
              { title: t('dispatch.fields.volunteer'), render: (_, o) => o.volunteerName },
              { title: t('dispatch.fields.status'), render: (_, o) => <StatusTag kind="offer" status={o.status} colours={OFFER_STATUS_COLOURS} /> },
              {
                title: t('dispatch.offers.answer'),
                render: (_, o) =>
                  o.respondedAt ? (
                    <Space direction="vertical" size={0}>
                      {when(o.respondedAt)}
                      {o.declineReason && <Typography.Text type="secondary">{t('dispatch.offers.declineReason', { reason: o.declineReason })}</Typography.Text>}
                    </Space>
                  ) : (
                    t('dispatch.offers.respondBy', { when: when(o.respondBy) })
                  ),
              },
              { title: t('dispatch.fields.why'), render: (_, o) => <Explanation text={o.explanation} testId="offer-explanation" /> },
            ]}
          />
        )}
        <Pager cursors={offerCursors} hasNextPage={request.offers?.pageInfo.hasNextPage ?? false} endCursor={request.offers?.pageInfo.endCursor} />
      </Card>

      <Card title={<h2 className="gz-card-title">{t('dispatch.shifts.title')}</h2>}>
        {nodes(request.shifts).length === 0 ? (
          <Empty description={t('dispatch.shifts.none')} />
        ) : (
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            scroll={{ x: true }}
            dataSource={nodes(request.shifts)}
            columns={[
              { title: t('dispatch.fields.volunteer'), render: (_, s) => s.volunteerName },
              { title: t('dispatch.fields.status'), render: (_, s) => <StatusTag kind="shift" status={s.status} colours={SHIFT_STATUS_COLOURS} /> },
              { title: t('dispatch.shifts.checkIn'), render: (_, s) => when(s.checkedInAt) },
              {
                title: t('dispatch.shifts.checkOut'),
                render: (_, s) => (
                  <Space direction="vertical" size={0}>
                    {when(s.checkedOutAt)}
                    {s.autoCheckedOut && <Typography.Text type="secondary">{t('dispatch.shifts.autoCheckedOut')}</Typography.Text>}
                  </Space>
                ),
              },
              {
                title: t('dispatch.shifts.hours'),
                render: (_, s) =>
                  s.approvedHours != null
                    ? t('dispatch.shifts.approved', { hours: s.approvedHours.toLocaleString(language, { maximumFractionDigits: 2 }), points: s.points ?? 0 })
                    : s.status === 'checked_out'
                      ? (
                        <Button type="primary" size="small" onClick={() => setApproving(s)}>
                          {t('dispatch.approve.open')}
                        </Button>
                      )
                      : '—',
              },
            ]}
          />
        )}
        <Pager cursors={shiftCursors} hasNextPage={request.shifts?.pageInfo.hasNextPage ?? false} endCursor={request.shifts?.pageInfo.endCursor} />
      </Card>
      {approving && <ApproveModal shift={approving} onClose={() => setApproving(null)} />}
      {cancelling && <CancelModal requestId={request.id} onClose={() => setCancelling(false)} />}
    </section>
  );
}

function ApproveModal({ shift, onClose }: { shift: ShiftRow; onClose: () => void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const act = useAct();
  const [form] = Form.useForm<{ approvedMinutes?: number }>();
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const [, approve] = useMutation(ApproveHoursDocument);
  const worked =
    shift.checkedInAt && shift.checkedOutAt ? Math.round((Date.parse(shift.checkedOutAt) - Date.parse(shift.checkedInAt)) / 60000) : undefined;

  async function onFinish(values: { approvedMinutes?: number }) {
    const { ok, unplaced: rest } = await act(
      async () => {
        const r = await approve({ input: { shiftId: shift.id, approvedMinutes: values.approvedMinutes ?? undefined } });
        return { errors: r.data?.approveHours?.errors, failure: r.error?.message };
      },
      { form, done: t('dispatch.approve.done'), fields: { shiftId: 'approvedMinutes' } },
    );
    setUnplaced(rest);
    if (ok) onClose();
  }

  return (
    <Modal open title={t('dispatch.approve.title', { name: shift.volunteerName })} okText={t('dispatch.approve.submit')} cancelText={t('meetings.common.cancel')} onOk={() => form.submit()} onCancel={onClose}>
      <Typography.Paragraph>
        {t('dispatch.approve.worked', {
          from: shift.checkedInAt ? formatDateTime(shift.checkedInAt, language) : '—',
          to: shift.checkedOutAt ? formatDateTime(shift.checkedOutAt, language) : '—',
          minutes: worked ?? '—',
        })}
      </Typography.Paragraph>
      <FormAlert errors={unplaced} />
      <Form form={form} layout="vertical" onFinish={(v) => void onFinish(v)}>
        <Form.Item name="approvedMinutes" label={t('dispatch.approve.minutes')} extra={t('dispatch.approve.help')}>
          <InputNumber min={0} precision={0} addonAfter={t('dispatch.open.minutes')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function CancelModal({ requestId, onClose }: { requestId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const act = useAct();
  const [form] = Form.useForm<{ reason: string }>();
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const [, cancel] = useMutation(CancelServiceRequestDocument);

  async function onFinish(values: { reason: string }) {
    const { ok, unplaced: rest } = await act(
      async () => {
        const r = await cancel({ input: { requestId, reason: values.reason.trim() } });
        return { errors: r.data?.cancelServiceRequest?.errors, failure: r.error?.message };
      },
      { form, done: t('dispatch.cancel.done'), fields: { requestId: 'reason' } },
    );
    setUnplaced(rest);
    if (ok) onClose();
  }

  return (
    <Modal
      open
      title={t('dispatch.cancel.title')}
      okText={t('dispatch.cancel.submit')}
      okButtonProps={{ danger: true }}
      cancelText={t('meetings.common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
    >
      <FormAlert errors={unplaced} />
      <Form form={form} layout="vertical" onFinish={(v) => void onFinish(v)}>
        <Form.Item name="reason" label={t('dispatch.cancel.reason')} rules={[{ required: true, whitespace: true, message: t('meetings.validation.required') }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
