/**
 * The committee's books of volunteering: the points ledger (issued, redeemed, held, and whether
 * the double entry balances), approved hours by month, kind of service, team or volunteer, and the
 * rewards catalogue it keeps (a new reward, stock added).
 */
import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, InputNumber, Modal, Segmented, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../../gql';
import type { HoursGrouping, RewardKind } from '../../../gql/graphql';
import { FormAlert, Pager, nodes, useAct, useCursors, useLanguage } from '../../meetings/common';
import { TONE } from '../vocabulary';

const VolunteerLedgerDocument = graphql(`
  query VolunteerLedger($groupBy: HoursGrouping!) {
    pointsLedger {
      issued
      redeemed
      outstanding
      balanced
    }
    volunteerHours(groupBy: $groupBy) {
      key
      label
      hours
      shifts
    }
  }
`);

const RewardCatalogueDocument = graphql(`
  query RewardCatalogue($first: Int, $after: String) {
    rewards(first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          name
          kind
          points
          stock
        }
      }
    }
  }
`);

const AddRewardDocument = graphql(`
  mutation AddReward($input: AddRewardInput!) {
    addReward(input: $input) {
      reward {
        id
        name
        kind
        points
        stock
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

const RestockRewardDocument = graphql(`
  mutation RestockReward($input: RestockRewardInput!) {
    restockReward(input: $input) {
      reward {
        id
        stock
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

const GROUPINGS = ['MONTH', 'CATEGORY', 'TEAM', 'VOLUNTEER'] as const satisfies readonly HoursGrouping[];
const KINDS = ['eggs', 'daily_goods', 'service'] as const;

export default function VolunteerRecordsPage() {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="records-title">
      <Typography.Title level={1} id="records-title">
        {t('dispatch.menu.records')}
      </Typography.Title>
      <Ledger />
      <Rewards />
    </section>
  );
}

function Ledger() {
  const { t } = useTranslation();
  const language = useLanguage();
  const [groupBy, setGroupBy] = useState<HoursGrouping>('MONTH');
  const [{ data, fetching, error }] = useQuery({ query: VolunteerLedgerDocument, variables: { groupBy } });
  const number = (v: number) => v.toLocaleString(language, { maximumFractionDigits: 2 });
  const label = (row: { key: string; label: string }) => {
    if (groupBy === 'MONTH' && /^\d{4}-\d{2}$/.test(row.key)) {
      const [year, month] = row.key.split('-');
      return t('dispatch.records.month', { year, month: Number(month) });
    }
    if (groupBy === 'CATEGORY') return t(`dispatch.category.${row.key}`, { defaultValue: row.label });
    return row.label;
  };
  const ledger = data?.pointsLedger;
  return (
    <>
      {error && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={t('dispatch.detail.failed')} />}
      <Card title={<h2 className="gz-card-title">{t('dispatch.records.points')}</h2>} style={{ marginBottom: 16 }} loading={fetching && !data}>
        {ledger && (
          <Space size="large" wrap>
            <Statistic title={t('dispatch.records.issued')} value={number(ledger.issued)} />
            <Statistic title={t('dispatch.records.redeemed')} value={number(ledger.redeemed)} />
            <Statistic title={t('dispatch.records.outstanding')} value={number(ledger.outstanding)} />
            <Tag color={ledger.balanced ? TONE.green : TONE.red}>{t(ledger.balanced ? 'dispatch.records.balanced' : 'dispatch.records.unbalanced')}</Tag>
          </Space>
        )}
      </Card>
      <Card
        title={<h2 className="gz-card-title">{t('dispatch.records.hours')}</h2>}
        extra={
          <Segmented
            aria-label={t('dispatch.records.groupBy')}
            value={groupBy}
            onChange={(v) => setGroupBy(v as HoursGrouping)}
            options={GROUPINGS.map((g) => ({ value: g, label: t(`dispatch.records.by.${g}`) }))}
          />
        }
        style={{ marginBottom: 16 }}
      >
        <Table
          rowKey="key"
          size="small"
          loading={fetching}
          pagination={false}
          dataSource={[...(data?.volunteerHours ?? [])].sort((a, b) => (groupBy === 'MONTH' ? b.key.localeCompare(a.key) : b.hours - a.hours))}
          locale={{ emptyText: t('dispatch.records.noHours') }}
          columns={[
            { title: t(`dispatch.records.by.${groupBy}`), render: (_, row) => label(row) },
            { title: t('dispatch.records.approvedHours'), align: 'right', render: (_, row) => number(row.hours) },
            { title: t('dispatch.records.shifts'), align: 'right', render: (_, row) => row.shifts },
          ]}
        />
      </Card>
    </>
  );
}

interface RewardValues {
  name: string;
  kind: string;
  points: number;
  stock: number;
}

function Rewards() {
  const { t } = useTranslation();
  const language = useLanguage();
  const cursors = useCursors();
  const act = useAct();
  const [adding, setAdding] = useState(false);
  const [restocking, setRestocking] = useState<{ id: string; name: string } | null>(null);
  const [{ data, fetching }] = useQuery({ query: RewardCatalogueDocument, variables: { first: 20, after: cursors.after } });
  const [form] = Form.useForm<RewardValues>();
  const [stockForm] = Form.useForm<{ quantity: number }>();
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const [, add] = useMutation(AddRewardDocument);
  const [, restock] = useMutation(RestockRewardDocument);

  async function onAdd(values: RewardValues) {
    const { ok, unplaced: rest } = await act(
      async () => {
        const r = await add({ input: { name: values.name.trim(), kind: values.kind.toUpperCase() as RewardKind, points: values.points, stock: values.stock } });
        return { errors: r.data?.addReward?.errors, failure: r.error?.message };
      },
      { form, done: t('dispatch.rewards.added') },
    );
    setUnplaced(rest);
    if (ok) {
      setAdding(false);
      form.resetFields();
    }
  }

  async function onRestock(values: { quantity: number }) {
    if (!restocking) return;
    const { ok, unplaced: rest } = await act(
      async () => {
        const r = await restock({ input: { rewardId: restocking.id, quantity: values.quantity } });
        return { errors: r.data?.restockReward?.errors, failure: r.error?.message };
      },
      { form: stockForm, done: t('dispatch.rewards.restocked'), fields: { rewardId: 'quantity' } },
    );
    setUnplaced(rest);
    if (ok) {
      setRestocking(null);
      stockForm.resetFields();
    }
  }

  return (
    <Card
      title={<h2 className="gz-card-title">{t('dispatch.rewards.title')}</h2>}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
          {t('dispatch.rewards.add')}
        </Button>
      }
    >
      <Table
        rowKey="id"
        size="small"
        loading={fetching}
        pagination={false}
        scroll={{ x: true }}
        dataSource={nodes(data?.rewards)}
        locale={{ emptyText: t('dispatch.rewards.none') }}
        columns={[
          { title: t('dispatch.rewards.name'), render: (_, r) => r.name },
          { title: t('dispatch.rewards.kind'), render: (_, r) => t(`dispatch.rewardKind.${r.kind}`, { defaultValue: r.kind }) },
          { title: t('dispatch.rewards.points'), align: 'right', render: (_, r) => r.points.toLocaleString(language) },
          { title: t('dispatch.rewards.stock'), align: 'right', render: (_, r) => (r.stock > 0 ? r.stock.toLocaleString(language) : <Tag color={TONE.red}>{t('dispatch.rewards.outOfStock')}</Tag>) },
          {
            title: t('dispatch.rewards.actions'),
            render: (_, r) => (
              <Button size="small" onClick={() => setRestocking({ id: r.id, name: r.name })}>
                {t('dispatch.rewards.restock')}
              </Button>
            ),
          },
        ]}
      />
      <Pager cursors={cursors} hasNextPage={data?.rewards?.pageInfo.hasNextPage ?? false} endCursor={data?.rewards?.pageInfo.endCursor} />
      <Modal open={adding} title={t('dispatch.rewards.add')} okText={t('dispatch.rewards.save')} cancelText={t('meetings.common.cancel')} onOk={() => form.submit()} onCancel={() => setAdding(false)}>
        <FormAlert errors={unplaced} />
        <Form form={form} layout="vertical" initialValues={{ kind: 'eggs', points: 10, stock: 10 }} onFinish={(v) => void onAdd(v)}>
          <Form.Item name="name" label={t('dispatch.rewards.name')} rules={[{ required: true, whitespace: true, message: t('meetings.validation.required') }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="kind" label={t('dispatch.rewards.kind')}>
            <Select options={KINDS.map((k) => ({ value: k, label: t(`dispatch.rewardKind.${k}`) }))} />
          </Form.Item>
          <Form.Item name="points" label={t('dispatch.rewards.points')} rules={[{ required: true, message: t('meetings.validation.required') }]}>
            <InputNumber min={1} precision={0} />
          </Form.Item>
          <Form.Item name="stock" label={t('dispatch.rewards.stock')} rules={[{ required: true, message: t('meetings.validation.required') }]}>
            <InputNumber min={0} precision={0} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={restocking !== null}
        title={t('dispatch.rewards.restockTitle', { name: restocking?.name ?? '' })}
        okText={t('dispatch.rewards.save')}
        cancelText={t('meetings.common.cancel')}
        onOk={() => stockForm.submit()}
        onCancel={() => setRestocking(null)}
      >
        <FormAlert errors={unplaced} />
        <Form form={stockForm} layout="vertical" onFinish={(v) => void onRestock(v)}>
          <Form.Item name="quantity" label={t('dispatch.rewards.quantity')} rules={[{ required: true, message: t('meetings.validation.required') }]}>
            <InputNumber min={1} precision={0} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
