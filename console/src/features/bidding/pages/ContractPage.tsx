/**
 * One contract as its provider sees it: the terms, signing its side, each milestone with what the
 * purchaser will accept, delivering it with evidence (documents by reference, attendance, notes), and
 * the payments made on acceptance.
 */
import { ArrowLeftOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Result,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { useMutation, useQuery } from 'urql';
import { formatDate, formatDateTime, formatMoney, relativeDeadline } from '../../../lib/format';
import { Loading, useAct, useLanguage } from '../kit';
import { ContractStatusTag, MilestoneStatusTag } from '../labels';
import { ProviderContractDocument, ProviderDeliverMilestoneDocument, ProviderSignContractDocument } from '../operations';
import type { Contract, Milestone } from '../types';

interface EvidenceRow {
  kind: 'document' | 'attendance' | 'note';
  reference?: string;
  count?: number;
  note?: string;
}

/** A milestone the provider may deliver now: the contract running and the milestone still owed. */
function deliverable(contract: Contract, milestone: Milestone): boolean {
  return contract.status === 'active' && ['pending', 'rejected', 'overdue'].includes(milestone.status);
}

function DeliverDialog({ contract, milestone, onClose }: { contract: Contract; milestone: Milestone; onClose: (delivered: boolean) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ evidence: EvidenceRow[] }>();
  const [{ fetching }, deliver] = useMutation(ProviderDeliverMilestoneDocument);
  const act = useAct();

  async function onFinish(values: { evidence: EvidenceRow[] }) {
    const evidence = values.evidence.map((row) => ({
      kind: row.kind,
      reference: row.kind === 'document' ? row.reference?.trim() : undefined,
      count: row.kind === 'attendance' ? row.count : undefined,
      note: row.note?.trim() || undefined,
    }));
    const outcome = await act(
      async () => {
        const answer = await deliver({ input: { contractId: contract.id, milestoneId: milestone.id, evidence } });
        return { errors: answer.data?.deliverMilestone?.errors, failed: Boolean(answer.error) };
      },
      { form, done: t('bidding.delivery.done') },
    );
    if (outcome.ok) onClose(true);
  }

  return (
    <Modal
      open
      title={t('bidding.delivery.title', { milestone: milestone.title })}
      okText={t('bidding.delivery.submit')}
      cancelText={t('bidding.kit.cancel')}
      confirmLoading={fetching}
      onOk={() => form.submit()}
      onCancel={() => onClose(false)}
      width={680}
      destroyOnHidden
    >
      <Typography.Paragraph>
        <Typography.Text strong>{t('bidding.milestone.criteria')}: </Typography.Text>
        {milestone.criteria}
      </Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={(values) => void onFinish(values)} initialValues={{ evidence: [{ kind: 'document' }] }}>
        <Form.List
          name="evidence"
          rules={[
            {
              validator: async (_, rows: EvidenceRow[] | undefined) => {
                if (!rows || rows.length === 0) throw new Error(t('bidding.delivery.evidenceRequired'));
              },
            },
          ]}
        >
          {(items, { add, remove }, { errors }) => (
            <>
              {items.map((item, index) => (
                <Card key={item.key} size="small" style={{ marginBottom: 12 }} title={t('bidding.delivery.item', { number: index + 1 })}
                  extra={
                    items.length > 1 && (
                      <Button type="text" icon={<MinusCircleOutlined />} onClick={() => remove(item.name)} aria-label={t('bidding.delivery.remove', { number: index + 1 })} />
                    )
                  }
                >
                  <Form.Item name={[item.name, 'kind']} label={t('bidding.delivery.kind')} rules={[{ required: true }]}>
                    <Select
                      options={(['document', 'attendance', 'note'] as const).map((kind) => ({ value: kind, label: t(`bidding.evidenceKind.${kind}`) }))}
                    />
                  </Form.Item>
                  <Form.Item noStyle shouldUpdate>
                    {() => {
                      const kind = form.getFieldValue(['evidence', item.name, 'kind']) as EvidenceRow['kind'];
                      return (
                        <>
                          {kind === 'document' && (
                            <Form.Item
                              name={[item.name, 'reference']}
                              label={t('bidding.delivery.reference')}
                              extra={t('bidding.delivery.referenceHint')}
                              rules={[{ required: true, whitespace: true, message: t('bidding.delivery.referenceRequired') }]}
                            >
                              <Input />
                            </Form.Item>
                          )}
                          {kind === 'attendance' && (
                            <Form.Item
                              name={[item.name, 'count']}
                              label={t('bidding.delivery.count')}
                              rules={[{ required: true, message: t('bidding.delivery.countRequired') }]}
                            >
                              <InputNumber min={1} precision={0} style={{ width: 160 }} />
                            </Form.Item>
                          )}
                          <Form.Item
                            name={[item.name, 'note']}
                            label={t('bidding.delivery.note')}
                            rules={kind === 'note' ? [{ required: true, whitespace: true, message: t('bidding.delivery.noteRequired') }] : []}
                          >
                            <Input.TextArea rows={2} />
                          </Form.Item>
                        </>
                      );
                    }}
                  </Form.Item>
                </Card>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ kind: 'document' })} block>
                {t('bidding.delivery.add')}
              </Button>
              <Form.ErrorList errors={errors} />
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}

function Evidence({ milestone }: { milestone: Milestone }) {
  const { t } = useTranslation();
  const language = useLanguage();
  if (milestone.evidence.length === 0) return null;
  return (
    <List
      size="small"
      header={<Typography.Text strong>{t('bidding.milestone.evidence')}</Typography.Text>}
      dataSource={milestone.evidence}
      renderItem={(item) => (
        <List.Item>
          <Space wrap>
            <Tag>{t(`bidding.evidenceKind.${item.kind}`, { defaultValue: item.kind })}</Tag>
            {item.kind === 'document' && item.reference && <Typography.Text code>{item.reference}</Typography.Text>}
            {item.count != null && <span>{t('bidding.milestone.people', { n: item.count })}</span>}
            {item.hours != null && <span>{t('bidding.milestone.hours', { hours: item.hours })}</span>}
            {item.note && <span>{item.note}</span>}
            {item.at && <Typography.Text type="secondary">{formatDateTime(item.at, language)}</Typography.Text>}
          </Space>
        </List.Item>
      )}
    />
  );
}

export default function ContractPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const { contractId = '' } = useParams();
  const [{ data, fetching, error }, refetch] = useQuery({ query: ProviderContractDocument, variables: { id: contractId } });
  const [{ fetching: signing }, sign] = useMutation(ProviderSignContractDocument);
  const act = useAct();
  const [delivering, setDelivering] = useState<Milestone | null>(null);

  if (fetching && !data) return <Loading />;
  const contract = data?.node?.__typename === 'Contract' ? (data.node as Contract) : null;
  if (!contract) {
    return (
      <Result
        status={error ? 'error' : '404'}
        title={error ? t('bidding.kit.loadFailed') : t('bidding.contract.notFound')}
        extra={<Link to="/service-contracts">{t('bidding.contract.back')}</Link>}
      />
    );
  }
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const canSign = contract.status === 'draft' && !contract.signedBy.includes('provider');
  const paid = new Map(contract.payments.map((p) => [p.milestoneId, p]));

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Link to="/service-contracts">
        <ArrowLeftOutlined /> {t('bidding.contract.back')}
      </Link>
      <Space wrap align="center">
        <Typography.Title level={1} style={{ margin: 0 }}>
          {contract.title}
        </Typography.Title>
        <ContractStatusTag status={contract.status} />
      </Space>
      {contract.endedReason && <Alert type="warning" showIcon message={contract.endedReason} />}
      <Card>
        <Descriptions column={{ xs: 1, md: 2 }} bordered size="small">
          <Descriptions.Item label={t('bidding.contract.value')}>{formatMoney(contract.value, language)}</Descriptions.Item>
          <Descriptions.Item label={t('bidding.contract.awardedAt')}>{formatDateTime(contract.awardedAt, language)}</Descriptions.Item>
          <Descriptions.Item label={t('bidding.contract.period')}>
            {contract.periodStart && contract.periodEnd
              ? t('bidding.project.periodRange', { from: formatDate(contract.periodStart, language), to: formatDate(contract.periodEnd, language) })
              : t('bidding.contract.noTerms')}
          </Descriptions.Item>
          <Descriptions.Item label={t('bidding.contract.purchaser')}>{t(`bidding.purchaser.${contract.purchaserType}`, { defaultValue: contract.purchaserType })}</Descriptions.Item>
          <Descriptions.Item label={t('bidding.contract.signedBy')} span={2}>
            {contract.signedBy.length ? contract.signedBy.map((side) => t(`bidding.side.${side}`, { defaultValue: side })).join('、') : t('bidding.contract.unsigned')}
          </Descriptions.Item>
          <Descriptions.Item label={t('bidding.contract.deliverables')} span={2}>
            {contract.deliverables.length ? (
              <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                {contract.deliverables.map((d) => (
                  <li key={d}>{d}</li>
                ))}
              </ul>
            ) : (
              '—'
            )}
          </Descriptions.Item>
        </Descriptions>
        {canSign && (
          <Space style={{ marginTop: 16 }}>
            <Button
              type="primary"
              loading={signing}
              onClick={() =>
                void act(
                  async () => {
                    const answer = await sign({ input: { contractId: contract.id } });
                    return { errors: answer.data?.signContract?.errors, failed: Boolean(answer.error) };
                  },
                  { done: t('bidding.contract.signed') },
                ).then((outcome) => outcome.ok && reload())
              }
            >
              {t('bidding.contract.sign')}
            </Button>
            <Typography.Text type="secondary">{t('bidding.contract.signHint')}</Typography.Text>
          </Space>
        )}
      </Card>

      <Card title={<Typography.Title level={2} style={{ margin: 0 }}>{t('bidding.milestone.title')}</Typography.Title>}>
        <List
          dataSource={contract.milestones}
          locale={{ emptyText: t('bidding.contract.noTerms') }}
          renderItem={(milestone) => {
            const due = relativeDeadline(`${milestone.dueOn}T23:59:59+08:00`, language);
            const payment = paid.get(milestone.id);
            return (
              <List.Item
                actions={
                  deliverable(contract, milestone)
                    ? [
                        <Button key="deliver" type="primary" onClick={() => setDelivering(milestone)}>
                          {t('bidding.delivery.open')}
                        </Button>,
                      ]
                    : []
                }
              >
                <Space direction="vertical" style={{ width: '100%' }}>
                  <Space wrap>
                    <Typography.Text strong>{milestone.title}</Typography.Text>
                    <MilestoneStatusTag status={milestone.status} />
                    <Typography.Text type="secondary">{t('bidding.milestone.share', { share: milestone.share })}</Typography.Text>
                  </Space>
                  <span>
                    {t('bidding.milestone.due', { date: formatDate(milestone.dueOn, language) })}
                    {['pending', 'rejected', 'overdue'].includes(milestone.status) && (
                      <Typography.Text type={due.overdue || due.urgent ? 'danger' : 'secondary'}> · {due.text}</Typography.Text>
                    )}
                  </span>
                  <span>
                    {t('bidding.milestone.criteria')}: {milestone.criteria}
                  </span>
                  {milestone.deliveredOn && <span>{t('bidding.milestone.deliveredOn', { date: formatDate(milestone.deliveredOn, language) })}</span>}
                  {milestone.status === 'rejected' && milestone.decisionNote && (
                    <Alert type="error" showIcon message={t('bidding.milestone.rejected')} description={milestone.decisionNote} />
                  )}
                  {payment && (
                    <Typography.Text type="success">
                      {t('bidding.milestone.paid', { amount: formatMoney(payment.amount, language), date: formatDateTime(payment.paidAt, language) })}
                    </Typography.Text>
                  )}
                  <Evidence milestone={milestone} />
                </Space>
              </List.Item>
            );
          }}
        />
      </Card>

      {contract.payments.length > 0 && (
        <Card title={<Typography.Title level={2} style={{ margin: 0 }}>{t('bidding.payments.title')}</Typography.Title>}>
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={contract.payments}
            columns={[
              {
                title: t('bidding.payments.milestone'),
                key: 'milestone',
                render: (_, p) => contract.milestones.find((m) => m.id === p.milestoneId)?.title ?? '—',
              },
              { title: t('bidding.payments.amount'), dataIndex: 'amount', align: 'right', render: (v: string) => formatMoney(v, language) },
              { title: t('bidding.payments.paidAt'), dataIndex: 'paidAt', render: (v: string) => formatDateTime(v, language) },
            ]}
          />
        </Card>
      )}
      {delivering && (
        <DeliverDialog
          contract={contract}
          milestone={delivering}
          onClose={(delivered) => {
            setDelivering(null);
            if (delivered) reload();
          }}
        />
      )}
    </Space>
  );
}
