/**
 * The demand list (the committee's) and the resource lists (the joint-building units'), side by side
 * as two tabs: each entry with its owner, where it came from, its status and the claims on it. A
 * party adds to its own list; it claims entries of the other list on the entry's page.
 */
import { PlusOutlined } from '@ant-design/icons';
import { Button, Form, Input, Modal, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { useMutation, useQuery } from 'urql';
import { useViewer } from '../../../app/viewer';
import { graphql } from '../../../gql';
import { FormAlert, Pager, nodes, useAct, useCursors, usePartyName } from '../../meetings/common';
import { CATEGORIES } from '../../projects/vocabulary';
import { CLAIM_STATUS_COLOURS, ENTRY_STATUSES, ENTRY_STATUS_COLOURS, KINDS, ORIGINS, categoryLabel, ownKind, type Kind } from '../vocabulary';

const ListEntriesDocument = graphql(`
  query ListEntries($filter: ListEntryFilter, $first: Int, $after: String) {
    listEntries(filter: $filter, first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          kind
          title
          category
          origin
          status
          owner {
            id
            name
            type
          }
          claims(first: 10) {
            edges {
              node {
                id
                status
              }
            }
          }
        }
      }
    }
  }
`);

const AddListEntryDocument = graphql(`
  mutation AddListEntry($input: ListEntryInput!) {
    addListEntry(input: $input) {
      entry {
        id
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export default function ListsPage() {
  const { t } = useTranslation();
  const { partyType } = useViewer();
  const mine = ownKind(partyType);
  const [kind, setKind] = useState<Kind>('demand');
  const [adding, setAdding] = useState(false);
  return (
    <section aria-labelledby="lists-title">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }} wrap>
        <Typography.Title level={1} id="lists-title" style={{ margin: 0 }}>
          {t('demands.menu.lists')}
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
          {t(`demands.add.button.${mine}`)}
        </Button>
      </Space>
      <Typography.Paragraph type="secondary">{t(`demands.list.intro.${mine}`)}</Typography.Paragraph>
      <Tabs
        activeKey={kind}
        onChange={(k) => setKind(k as Kind)}
        items={KINDS.map((k) => ({ key: k, label: t(`demands.kind.${k}`), children: <EntryTable kind={k} /> }))}
      />
      {adding && <AddModal kind={mine} onClose={() => setAdding(false)} />}
    </section>
  );
}

function EntryTable({ kind }: { kind: Kind }) {
  const { t } = useTranslation();
  const partyName = usePartyName();
  const cursors = useCursors();
  const [status, setStatus] = useState<string | undefined>(undefined);
  const [category, setCategory] = useState<string | undefined>(undefined);
  const [{ data, fetching }] = useQuery({
    query: ListEntriesDocument,
    variables: { first: 20, after: cursors.after, filter: { kind, status, category } },
  });
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          aria-label={t('demands.list.filterStatus')}
          placeholder={t('demands.list.filterStatus')}
          style={{ minWidth: 150 }}
          value={status}
          onChange={(v: string | undefined) => {
            setStatus(v);
            cursors.reset();
          }}
          options={ENTRY_STATUSES.map((s) => ({ value: s, label: t(`demands.entryStatus.${s}`) }))}
        />
        <Select
          allowClear
          aria-label={t('demands.list.filterCategory')}
          placeholder={t('demands.list.filterCategory')}
          style={{ minWidth: 150 }}
          value={category}
          onChange={(v: string | undefined) => {
            setCategory(v);
            cursors.reset();
          }}
          options={CATEGORIES.map((c) => ({ value: c, label: categoryLabel(t, c) }))}
        />
      </Space>
      <Table
        rowKey="id"
        loading={fetching}
        dataSource={nodes(data?.listEntries)}
        pagination={false}
        scroll={{ x: true }}
        locale={{ emptyText: t(`demands.list.empty.${kind}`) }}
        columns={[
          { title: t('demands.fields.title'), render: (_, e) => <Link to={`/lists/${encodeURIComponent(e.id)}`}>{e.title}</Link> },
          { title: t('demands.fields.category'), render: (_, e) => categoryLabel(t, e.category) },
          { title: t('demands.fields.owner'), render: (_, e) => partyName(e.owner) },
          { title: t('demands.fields.origin'), render: (_, e) => t(`demands.origin.${e.origin}`, { defaultValue: e.origin }) },
          {
            title: t('demands.fields.status'),
            render: (_, e) => <Tag color={ENTRY_STATUS_COLOURS[e.status] ?? 'default'}>{t(`demands.entryStatus.${e.status}`, { defaultValue: e.status })}</Tag>,
          },
          {
            title: t('demands.fields.claims'),
            render: (_, e) => {
              const claims = nodes(e.claims);
              if (claims.length === 0) return '—';
              const pending = claims.filter((c) => c.status === 'pending').length;
              const confirmed = claims.some((c) => c.status === 'confirmed');
              return (
                <Space size={4} wrap>
                  {pending > 0 && <Tag color={CLAIM_STATUS_COLOURS.pending}>{t('demands.list.pending', { n: pending })}</Tag>}
                  {confirmed && <Tag color={CLAIM_STATUS_COLOURS.confirmed}>{t('demands.claimStatus.confirmed')}</Tag>}
                  {pending === 0 && !confirmed && t('demands.list.claimCount', { n: claims.length })}
                </Space>
              );
            },
          },
        ]}
      />
      <Pager cursors={cursors} hasNextPage={data?.listEntries?.pageInfo.hasNextPage ?? false} endCursor={data?.listEntries?.pageInfo.endCursor} />
    </>
  );
}

interface AddValues {
  title: string;
  category: string;
  description?: string;
  origin: string;
}

function AddModal({ kind, onClose }: { kind: Kind; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const act = useAct();
  const [form] = Form.useForm<AddValues>();
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const [, add] = useMutation(AddListEntryDocument);
  const required = { required: true, whitespace: true, message: t('meetings.validation.required') };

  async function onFinish(values: AddValues) {
    setSaving(true);
    let created: string | undefined;
    const { ok, unplaced: rest } = await act(
      async () => {
        const r = await add({
          input: { kind, title: values.title.trim(), category: values.category.trim(), description: values.description?.trim() || undefined, origin: values.origin },
        });
        created = r.data?.addListEntry?.entry?.id;
        return { errors: r.data?.addListEntry?.errors, failure: r.error?.message };
      },
      { form, done: t('demands.add.done') },
    );
    setSaving(false);
    setUnplaced(rest);
    if (ok && created) navigate(`/lists/${encodeURIComponent(created)}`);
  }

  return (
    <Modal
      open
      title={t(`demands.add.button.${kind}`)}
      okText={t('demands.add.submit')}
      cancelText={t('meetings.common.cancel')}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnClose
    >
      <FormAlert errors={unplaced} />
      <Form form={form} layout="vertical" initialValues={{ origin: kind === 'resource' ? 'unit' : 'residents' }} onFinish={(v) => void onFinish(v)}>
        <Form.Item name="title" label={t('demands.fields.title')} rules={[required]}>
          <Input maxLength={200} />
        </Form.Item>
        {/* Checked by a validator: `required` would put aria-required on the Select's wrapper. */}
        <Form.Item
          name="category"
          label={t('demands.fields.category')}
          rules={[{ validator: (_, v: unknown) => (v ? Promise.resolve() : Promise.reject(new Error(t('meetings.validation.required')))) }]}
        >
          <Select showSearch optionFilterProp="label" options={CATEGORIES.map((c) => ({ value: c, label: categoryLabel(t, c) }))} />
        </Form.Item>
        <Form.Item name="description" label={t('demands.fields.description')}>
          <Input.TextArea rows={3} />
        </Form.Item>
        <Form.Item name="origin" label={t('demands.fields.origin')}>
          <Select options={ORIGINS.map((o) => ({ value: o, label: t(`demands.origin.${o}`) }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
