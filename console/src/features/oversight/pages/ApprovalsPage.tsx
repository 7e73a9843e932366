/**
 * What waits for the sub-district office's approval: contracts above the threshold before they are
 * signed, and amendments to contracts in force (shown beside the terms they would change).
 */
import { Button, Card, Descriptions, Empty, Form, Input, Modal, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../../gql';
import type { OfficeApprovalsQuery } from '../../../gql/graphql';
import { formatDate, formatDateTime, formatMoney } from '../../../lib/format';
import { FormAlert, nodes, useAct, useLanguage, StatusTag } from '../../meetings/common';

const ApprovalsDocument = graphql(`
  query OfficeApprovals {
    drafts: contracts(filter: { status: "draft" }, first: 50) {
      edges {
        node {
          id
          title
          value
          purchaserType
          awardedAt
          periodStart
          periodEnd
          approvedByOfficeAt
          provider {
            id
            name
          }
        }
      }
    }
    signed: contracts(filter: { status: "signed" }, first: 20) {
      ...ContractsWithAmendments
    }
    active: contracts(filter: { status: "active" }, first: 20) {
      ...ContractsWithAmendments
    }
  }

  fragment ContractsWithAmendments on ContractConnection {
    edges {
      node {
        id
        title
        value
        periodStart
        periodEnd
        deliverables
        provider {
          id
          name
        }
        amendments {
          id
          number
          status
          rationale
          changes
          approvedByOfficeAt
        }
      }
    }
  }
`);

const ApproveContractDocument = graphql(`
  mutation ApproveContract($input: ContractInput!) {
    approveContract(input: $input) {
      contract {
        id
        approvedByOfficeAt
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

const ApproveAmendmentDocument = graphql(`
  mutation OfficeApproveAmendment($input: AmendmentInput!) {
    approveAmendment(input: $input) {
      amendment {
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

const RejectAmendmentDocument = graphql(`
  mutation OfficeRejectAmendment($input: RejectAmendmentInput!) {
    rejectAmendment(input: $input) {
      amendment {
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

type Draft = NonNullable<NonNullable<NonNullable<OfficeApprovalsQuery['drafts']>['edges'][number]>['node']>;
type InForce = NonNullable<NonNullable<NonNullable<OfficeApprovalsQuery['active']>['edges'][number]>['node']>;
type Amendment = InForce['amendments'][number];

export default function ApprovalsPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const act = useAct();
  const [{ data, fetching }, refetch] = useQuery({ query: ApprovalsDocument });
  const [, approveContract] = useMutation(ApproveContractDocument);
  const [rejecting, setRejecting] = useState<{ contract: InForce; amendment: Amendment } | null>(null);
  const [, approveAmendment] = useMutation(ApproveAmendmentDocument);
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const drafts = nodes(data?.drafts).filter((c) => !c.approvedByOfficeAt);
  const pending = [...nodes(data?.signed), ...nodes(data?.active)].flatMap((contract) =>
    contract.amendments.filter((a) => a.status === 'pending' && !a.approvedByOfficeAt).map((amendment) => ({ contract, amendment })),
  );

  async function onApproveContract(contract: Draft) {
    await act(async () => {
      const r = await approveContract({ input: { contractId: contract.id } });
      return { errors: r.data?.approveContract?.errors, failure: r.error?.message };
    }, { done: t('oversight.approvals.contractApproved') });
    reload();
  }

  async function onApproveAmendment(contract: InForce, amendment: Amendment) {
    await act(async () => {
      const r = await approveAmendment({ input: { contractId: contract.id, amendmentId: amendment.id } });
      return { errors: r.data?.approveAmendment?.errors, failure: r.error?.message };
    }, { done: t('oversight.approvals.amendmentApproved') });
    reload();
  }

  return (
    <section aria-labelledby="approvals-title">
      <Typography.Title level={1} id="approvals-title">
        {t('oversight.approvals.title')}
      </Typography.Title>
      <Card title={<h2 className="gz-card-title">{t('oversight.approvals.contracts')}</h2>} style={{ marginBottom: 16 }}>
        <Typography.Paragraph style={{ color: 'rgba(0, 0, 0, 0.65)' }}>{t('oversight.approvals.contractsHint')}</Typography.Paragraph>
        <Table
          rowKey="id"
          loading={fetching}
          pagination={false}
          scroll={{ x: true }}
          dataSource={drafts}
          locale={{ emptyText: t('oversight.approvals.noContracts') }}
          columns={[
            { title: t('oversight.approvals.contract'), dataIndex: 'title' },
            { title: t('oversight.approvals.provider'), render: (_, c) => c.provider.name },
            { title: t('oversight.approvals.value'), align: 'right', render: (_, c) => formatMoney(c.value, language) },
            { title: t('oversight.approvals.purchaser'), render: (_, c) => t(`projects.purchaser.${c.purchaserType}`) },
            {
              title: t('oversight.approvals.period'),
              render: (_, c) => (c.periodStart && c.periodEnd ? `${formatDate(c.periodStart, language)} – ${formatDate(c.periodEnd, language)}` : t('oversight.approvals.noTerms')),
            },
            { title: t('oversight.approvals.awardedAt'), render: (_, c) => formatDateTime(c.awardedAt, language) },
            {
              title: t('oversight.actions'),
              render: (_, c) => (
                <Button size="small" type="primary" onClick={() => void onApproveContract(c)}>
                  {t('oversight.approvals.approve')}
                </Button>
              ),
            },
          ]}
        />
      </Card>
      <Card title={<h2 className="gz-card-title">{t('oversight.approvals.amendments')}</h2>}>
        {pending.length === 0 ? (
          <Empty description={t('oversight.approvals.noAmendments')} />
        ) : (
          <Space direction="vertical" style={{ width: '100%' }} size="large">
            {pending.map(({ contract, amendment }) => (
              <section key={amendment.id} aria-label={`${contract.title} · ${t('oversight.approvals.amendmentNo', { number: amendment.number })}`}>
                <Space wrap>
                  <Typography.Title level={3} style={{ fontSize: 16, margin: 0 }}>
                    {contract.title} · {t('oversight.approvals.amendmentNo', { number: amendment.number })}
                  </Typography.Title>
                  <StatusTag>{contract.provider.name}</StatusTag>
                </Space>
                <Typography.Paragraph style={{ marginTop: 8 }}>{t('oversight.approvals.rationale', { text: amendment.rationale })}</Typography.Paragraph>
                <Changes contract={contract} amendment={amendment} />
                <Space style={{ marginTop: 12 }}>
                  <Button type="primary" onClick={() => void onApproveAmendment(contract, amendment)}>
                    {t('oversight.approvals.approve')}
                  </Button>
                  <Button danger onClick={() => setRejecting({ contract, amendment })}>
                    {t('oversight.approvals.reject')}
                  </Button>
                </Space>
              </section>
            ))}
          </Space>
        )}
      </Card>
      {rejecting && (
        <RejectModal
          {...rejecting}
          onClose={(done) => {
            setRejecting(null);
            if (done) reload();
          }}
        />
      )}
    </section>
  );
}

interface Milestone {
  title?: string;
  share?: string;
  due_on?: string;
  dueOn?: string;
}

/** The amendment's changes beside the terms in force. */
function Changes({ contract, amendment }: { contract: InForce; amendment: Amendment }) {
  const { t } = useTranslation();
  const language = useLanguage();
  let changes: Record<string, unknown> = {};
  try {
    changes = JSON.parse(amendment.changes) as Record<string, unknown>;
  } catch {
    changes = {};
  }
  const get = (...names: string[]) => names.map((n) => changes[n]).find((v) => v !== undefined);
  const rows: { term: string; now: string; proposed: string }[] = [];
  const value = get('value');
  if (typeof value === 'string') rows.push({ term: t('oversight.approvals.value'), now: formatMoney(contract.value, language), proposed: formatMoney(value, language) });
  const start = get('period_start', 'periodStart');
  const end = get('period_end', 'periodEnd');
  if (typeof start === 'string' || typeof end === 'string') {
    const period = (a?: string | null, b?: string | null) => (a && b ? `${formatDate(a, language)} – ${formatDate(b, language)}` : '—');
    rows.push({
      term: t('oversight.approvals.period'),
      now: period(contract.periodStart, contract.periodEnd),
      proposed: period((start as string | undefined) ?? contract.periodStart, (end as string | undefined) ?? contract.periodEnd),
    });
  }
  const deliverables = get('deliverables');
  if (Array.isArray(deliverables)) rows.push({ term: t('oversight.approvals.deliverables'), now: contract.deliverables.join('、'), proposed: deliverables.join('、') });
  const milestones = get('milestones');
  if (Array.isArray(milestones)) {
    rows.push({
      term: t('oversight.approvals.milestones'),
      now: '',
      proposed: (milestones as Milestone[])
        .map((m) => t('oversight.approvals.milestone', { title: m.title ?? '', share: m.share ?? '', due: formatDate(m.due_on ?? m.dueOn ?? '', language) }))
        .join('；'),
    });
  }
  return (
    <Descriptions bordered size="small" column={1}>
      {rows.map((r) => (
        <Descriptions.Item key={r.term} label={r.term}>
          {r.now ? t('oversight.approvals.fromTo', { now: r.now, proposed: r.proposed }) : r.proposed}
        </Descriptions.Item>
      ))}
    </Descriptions>
  );
}

function RejectModal({ contract, amendment, onClose }: { contract: InForce; amendment: Amendment; onClose: (done: boolean) => void }) {
  const { t } = useTranslation();
  const act = useAct();
  const [form] = Form.useForm<{ reason: string }>();
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const [, reject] = useMutation(RejectAmendmentDocument);

  async function onFinish(values: { reason: string }) {
    const { ok, unplaced: rest } = await act(
      async () => {
        const r = await reject({ input: { contractId: contract.id, amendmentId: amendment.id, reason: values.reason } });
        return { errors: r.data?.rejectAmendment?.errors, failure: r.error?.message };
      },
      { form, fields: { amendmentId: 'reason', contractId: 'reason' }, done: t('oversight.approvals.amendmentRejected') },
    );
    setUnplaced(rest);
    if (ok) onClose(true);
  }

  return (
    <Modal
      open
      title={`${t('oversight.approvals.reject')}: ${contract.title}`}
      okText={t('oversight.approvals.reject')}
      okButtonProps={{ danger: true }}
      cancelText={t('meetings.common.cancel')}
      onOk={() => form.submit()}
      onCancel={() => onClose(false)}
      destroyOnClose
    >
      <FormAlert errors={unplaced} />
      <Form form={form} name="reject-modal" layout="vertical" onFinish={(v) => void onFinish(v)}>
        <Form.Item name="reason" label={t('oversight.filings.reason')} rules={[{ required: true, whitespace: true, message: t('meetings.validation.required') }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
