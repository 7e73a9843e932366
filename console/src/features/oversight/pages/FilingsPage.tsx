/**
 * Social organisations' filings (备案) before the sub-district office: reviewed (approved, changes
 * asked, rejected), and an approved organisation suspended or reinstated, always with the reason.
 */
import { Button, Form, Input, Modal, Segmented, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../../gql';
import type { OfficeFilingsQuery } from '../../../gql/graphql';
import { formatDate } from '../../../lib/format';
import { FormAlert, Pager, nodes, useAct, useCursors, useLanguage, StatusTag } from '../../meetings/common';

const FilingsDocument = graphql(`
  query OfficeFilings($filter: FilingFilter, $first: Int, $after: String) {
    organisationFilings(filter: $filter, first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          name
          creditCode
          legalForm
          categories
          staffCount
          status
          reviewNote
          qualifications {
            name
            number
            expiresOn
          }
        }
      }
    }
  }
`);

const ReviewDocument = graphql(`
  mutation ReviewFiling($input: ReviewFilingInput!) {
    reviewFiling(input: $input) {
      filing {
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

const SuspendDocument = graphql(`
  mutation SuspendOrganisation($input: SuspensionInput!) {
    suspendOrganisation(input: $input) {
      filing {
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

const ReinstateDocument = graphql(`
  mutation ReinstateOrganisation($input: SuspensionInput!) {
    reinstateOrganisation(input: $input) {
      filing {
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

type Filing = NonNullable<NonNullable<NonNullable<OfficeFilingsQuery['organisationFilings']>['edges'][number]>['node']>;
type Action = 'APPROVE' | 'REQUEST_CHANGES' | 'REJECT' | 'suspend' | 'reinstate';
const FILTERS = ['pending', 'approved', 'changes_requested', 'rejected', 'suspended', 'all'] as const;
const COLOURS: Record<string, string> = { pending: 'gold', approved: 'green', changes_requested: 'orange', rejected: 'red', suspended: 'red' };

export default function FilingsPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const cursors = useCursors();
  const [status, setStatus] = useState<(typeof FILTERS)[number]>('pending');
  const [acting, setActing] = useState<{ filing: Filing; action: Action } | null>(null);
  const [{ data, fetching }, refetch] = useQuery({
    query: FilingsDocument,
    variables: { first: 20, after: cursors.after, filter: status === 'all' ? undefined : { status } },
  });
  const category = (c: string) => t(`projects.category.${c}`, { defaultValue: c });
  return (
    <section aria-labelledby="filings-title">
      <Typography.Title level={1} id="filings-title">
        {t('oversight.filings.title')}
      </Typography.Title>
      <Segmented
        aria-label={t('oversight.filter')}
        style={{ marginBottom: 16 }}
        value={status}
        onChange={(v) => {
          setStatus(v as (typeof FILTERS)[number]);
          cursors.reset();
        }}
        options={FILTERS.map((f) => ({ value: f, label: t(`oversight.filingStatus.${f}`) }))}
      />
      <Table
        rowKey="id"
        loading={fetching}
        pagination={false}
        scroll={{ x: true }}
        dataSource={nodes(data?.organisationFilings)}
        locale={{ emptyText: t('oversight.filings.empty') }}
        columns={[
          { title: t('oversight.filings.name'), dataIndex: 'name' },
          { title: t('oversight.filings.creditCode'), dataIndex: 'creditCode' },
          { title: t('oversight.filings.legalForm'), render: (_, f) => t(`oversight.legalForm.${f.legalForm}`, { defaultValue: f.legalForm }) },
          { title: t('oversight.filings.categories'), render: (_, f) => f.categories.map(category).join('、') },
          { title: t('oversight.filings.staff'), align: 'right', dataIndex: 'staffCount' },
          {
            title: t('oversight.filings.qualifications'),
            render: (_, f) =>
              f.qualifications.length ? (
                <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                  {f.qualifications.map((q) => (
                    <li key={q.number}>{t('oversight.filings.qualification', { name: q.name, number: q.number, expires: formatDate(q.expiresOn, language) })}</li>
                  ))}
                </ul>
              ) : (
                t('oversight.filings.noQualifications')
              ),
          },
          {
            title: t('oversight.filings.status'),
            render: (_, f) => (
              <Space direction="vertical" size={0}>
                <StatusTag tone={COLOURS[f.status]}>{t(`oversight.filingStatus.${f.status}`)}</StatusTag>
                {f.reviewNote && <Typography.Text style={{ color: 'rgba(0, 0, 0, 0.65)' }}>{f.reviewNote}</Typography.Text>}
              </Space>
            ),
          },
          {
            title: t('oversight.actions'),
            render: (_, f) => (
              <Space wrap>
                {f.status === 'pending' && (
                  <>
                    <Button size="small" type="primary" onClick={() => setActing({ filing: f, action: 'APPROVE' })}>
                      {t('oversight.filings.action.APPROVE')}
                    </Button>
                    <Button size="small" onClick={() => setActing({ filing: f, action: 'REQUEST_CHANGES' })}>
                      {t('oversight.filings.action.REQUEST_CHANGES')}
                    </Button>
                    <Button size="small" danger onClick={() => setActing({ filing: f, action: 'REJECT' })}>
                      {t('oversight.filings.action.REJECT')}
                    </Button>
                  </>
                )}
                {f.status === 'approved' && (
                  <Button size="small" danger onClick={() => setActing({ filing: f, action: 'suspend' })}>
                    {t('oversight.filings.action.suspend')}
                  </Button>
                )}
                {f.status === 'suspended' && (
                  <Button size="small" onClick={() => setActing({ filing: f, action: 'reinstate' })}>
                    {t('oversight.filings.action.reinstate')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Pager
        cursors={cursors}
        hasNextPage={data?.organisationFilings?.pageInfo.hasNextPage ?? false}
        endCursor={data?.organisationFilings?.pageInfo.endCursor}
      />
      {acting && (
        <ActionModal
          {...acting}
          onClose={(done) => {
            setActing(null);
            if (done) refetch({ requestPolicy: 'network-only' });
          }}
        />
      )}
    </section>
  );
}

function ActionModal({ filing, action, onClose }: { filing: Filing; action: Action; onClose: (done: boolean) => void }) {
  const { t } = useTranslation();
  const act = useAct();
  const [form] = Form.useForm<{ reason?: string }>();
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const [, review] = useMutation(ReviewDocument);
  const [, suspend] = useMutation(SuspendDocument);
  const [, reinstate] = useMutation(ReinstateDocument);
  const reasonNeeded = action !== 'APPROVE';

  async function onFinish(values: { reason?: string }) {
    const reason = values.reason?.trim() || undefined;
    const { ok, unplaced: rest } = await act(
      async () => {
        if (action === 'suspend' || action === 'reinstate') {
          const input = { organisationId: filing.id, reason: reason ?? '' };
          if (action === 'suspend') {
            const r = await suspend({ input });
            return { errors: r.data?.suspendOrganisation?.errors, failure: r.error?.message };
          }
          const r = await reinstate({ input });
          return { errors: r.data?.reinstateOrganisation?.errors, failure: r.error?.message };
        }
        const r = await review({ input: { organisationId: filing.id, decision: action, reason } });
        return { errors: r.data?.reviewFiling?.errors, failure: r.error?.message };
      },
      { form, fields: { organisationId: 'reason', decision: 'reason' }, done: t(`oversight.filings.done.${action}`) },
    );
    setUnplaced(rest);
    if (ok) onClose(true);
  }

  return (
    <Modal
      open
      title={`${t(`oversight.filings.action.${action}`)}: ${filing.name}`}
      okText={t(`oversight.filings.action.${action}`)}
      okButtonProps={{ danger: action === 'REJECT' || action === 'suspend' }}
      cancelText={t('meetings.common.cancel')}
      onOk={() => form.submit()}
      onCancel={() => onClose(false)}
      destroyOnClose
    >
      <FormAlert errors={unplaced} />
      <Form form={form} name="action-modal" layout="vertical" onFinish={(v) => void onFinish(v)}>
        <Form.Item
          name="reason"
          label={t('oversight.filings.reason')}
          rules={reasonNeeded ? [{ required: true, whitespace: true, message: t('oversight.filings.reasonNeeded') }] : []}
        >
          <Input.TextArea rows={3} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
