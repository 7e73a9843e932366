/** The committee's projects by status, and a new draft (terms and publication follow on its page). */
import { PlusOutlined } from '@ant-design/icons';
import { Button, Form, Input, Modal, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../../gql';
import { formatDateTime, formatMoney, isMoney, relativeDeadline } from '../../../lib/format';
import { FormAlert, Pager, nodes, useAct, useCursors, useLanguage, StatusTag } from '../../meetings/common';
import { CATEGORIES, STATUSES, STATUS_COLOURS } from '../vocabulary';

const ProjectsDocument = graphql(`
  query CommitteeProjects($filter: ProjectFilter, $first: Int, $after: String) {
    projects(filter: $filter, first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          title
          category
          budget
          status
          bidDeadline
          purchaser
        }
      }
    }
  }
`);

const CreateProjectDocument = graphql(`
  mutation CreateProject($input: CreateProjectInput!) {
    createProject(input: $input) {
      project {
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

export default function ProjectsPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const cursors = useCursors();
  const [status, setStatus] = useState<string | undefined>(undefined);
  const [creating, setCreating] = useState(false);
  const [{ data, fetching }] = useQuery({
    query: ProjectsDocument,
    variables: { first: 20, after: cursors.after, filter: status ? { status } : undefined },
  });
  const category = (c: string) => t(`projects.category.${c}`, { defaultValue: c });
  return (
    <section aria-labelledby="projects-title">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }} wrap>
        <Typography.Title level={1} id="projects-title" style={{ margin: 0 }}>
          {t('projects.list.title')}
        </Typography.Title>
        <Space wrap>
          <Select
            allowClear
            aria-label={t('projects.list.filter')}
            placeholder={t('projects.list.filter')}
            style={{ minWidth: 160 }}
            value={status}
            onChange={(v: string | undefined) => {
              setStatus(v);
              cursors.reset();
            }}
            options={STATUSES.map((s) => ({ value: s, label: t(`projects.status.${s}`) }))}
          />
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t('projects.create.open')}
          </Button>
        </Space>
      </Space>
      <Table
        rowKey="id"
        loading={fetching}
        dataSource={nodes(data?.projects)}
        pagination={false}
        scroll={{ x: true }}
        locale={{ emptyText: t('projects.list.empty') }}
        columns={[
          {
            title: t('projects.fields.title'),
            render: (_, p) => <Link to={`/projects/${encodeURIComponent(p.id)}`}>{p.title}</Link>,
          },
          { title: t('projects.fields.category'), render: (_, p) => category(p.category) },
          { title: t('projects.fields.budget'), align: 'right', render: (_, p) => formatMoney(p.budget, language) },
          {
            title: t('projects.fields.status'),
            render: (_, p) => <StatusTag tone={STATUS_COLOURS[p.status]}>{t(`projects.status.${p.status}`)}</StatusTag>,
          },
          {
            title: t('projects.fields.bidDeadline'),
            render: (_, p) =>
              p.bidDeadline ? (
                <Space size={4} wrap>
                  {formatDateTime(p.bidDeadline, language)}
                  {p.status === 'published' && <StatusTag>{relativeDeadline(p.bidDeadline, language).text}</StatusTag>}
                </Space>
              ) : (
                '—'
              ),
          },
          { title: t('projects.fields.purchaser'), render: (_, p) => t(`projects.purchaser.${p.purchaser}`) },
        ]}
      />
      <Pager cursors={cursors} hasNextPage={data?.projects?.pageInfo.hasNextPage ?? false} endCursor={data?.projects?.pageInfo.endCursor} />
      {creating && <CreateModal onClose={() => setCreating(false)} />}
    </section>
  );
}

interface CreateValues {
  title: string;
  description?: string;
  category: string;
  budget: string;
  purchaser: 'residents_committee' | 'street_office';
}

function CreateModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const act = useAct();
  const [form] = Form.useForm<CreateValues>();
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const [, create] = useMutation(CreateProjectDocument);

  async function onFinish(values: CreateValues) {
    setSaving(true);
    let created: string | undefined;
    const { ok, unplaced: rest } = await act(
      async () => {
        const r = await create({
          input: {
            title: values.title,
            description: values.description,
            category: values.category.trim(),
            budget: values.budget.trim(),
            purchaser: values.purchaser,
          },
        });
        created = r.data?.createProject?.project?.id;
        return { errors: r.data?.createProject?.errors, failure: r.error?.message };
      },
      { form, done: t('projects.create.done') },
    );
    setSaving(false);
    setUnplaced(rest);
    if (ok && created) navigate(`/projects/${encodeURIComponent(created)}`);
  }

  return (
    <Modal
      open
      title={t('projects.create.title')}
      okText={t('projects.create.submit')}
      cancelText={t('meetings.common.cancel')}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnClose
    >
      <FormAlert errors={unplaced} />
      <Form form={form} name="create-modal" layout="vertical" initialValues={{ purchaser: 'residents_committee' }} onFinish={(v) => void onFinish(v)}>
        <Form.Item name="title" label={t('projects.fields.title')} rules={[{ required: true, whitespace: true, message: t('meetings.validation.required') }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="description" label={t('projects.fields.description')}>
          <Input.TextArea rows={3} />
        </Form.Item>
        <Form.Item name="category" label={t('projects.fields.category')} rules={[{ required: true, whitespace: true, message: t('meetings.validation.required') }]}>
          <Select showSearch optionFilterProp="label" options={CATEGORIES.map((c) => ({ value: c, label: t(`projects.category.${c}`) }))} />
        </Form.Item>
        <Form.Item
          name="budget"
          label={t('projects.fields.budget')}
          rules={[
            { required: true, message: t('meetings.validation.required') },
            { validator: (_, v: string | undefined) => (!v || isMoney(v) ? Promise.resolve() : Promise.reject(new Error(t('meetings.validation.money')))) },
          ]}
        >
          <Input prefix="¥" inputMode="decimal" placeholder="50000.00" />
        </Form.Item>
        <Form.Item name="purchaser" label={t('projects.fields.purchaser')}>
          <Select
            options={[
              { value: 'residents_committee', label: t('projects.purchaser.residents_committee') },
              { value: 'street_office', label: t('projects.purchaser.street_office') },
            ]}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
