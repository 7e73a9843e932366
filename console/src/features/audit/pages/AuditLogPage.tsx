/**
 * The audit log: every mutation asked on the platform within the party's view, newest first, with
 * who asked it, what was submitted and how it ended (the refusal's reasons in words), filtered by
 * action and outcome, paged with the API's cursors.
 */
import { DownOutlined, RightOutlined } from '@ant-design/icons';
import { Alert, Button, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { graphql } from '../../../gql';
import { errorText } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { TONE } from '../../dispatch/vocabulary';
import { Pager, nodes, useCursors, useLanguage } from '../../meetings/common';
import { argumentLines } from '../arguments';
import zhCN from '../locales/zh-CN.json';

const AuditLogDocument = graphql(`
  query AuditLog($filter: AuditFilter, $first: Int, $after: String) {
    auditLog(filter: $filter, first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          at
          action
          outcome
          username
          partyType
          arguments
          errorCodes
        }
      }
    }
  }
`);

/** Every mutation the catalogue names, for the action filter. */
const ACTIONS = Object.keys(zhCN.action);
const OUTCOMES = ['ok', 'refused', 'failed'] as const;
const OUTCOME_COLOURS: Record<string, string> = { ok: TONE.green, refused: TONE.orange, failed: TONE.red };

export default function AuditLogPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const cursors = useCursors();
  const [action, setAction] = useState<string | undefined>(undefined);
  const [outcome, setOutcome] = useState<string | undefined>(undefined);
  const [{ data, fetching, error }] = useQuery({
    query: AuditLogDocument,
    variables: { first: 20, after: cursors.after, filter: action || outcome ? { action, outcome } : undefined },
  });
  const actionName = (name: string) => t(`audit.action.${name}`, { defaultValue: name });
  return (
    <section aria-labelledby="audit-title">
      <Typography.Title level={1} id="audit-title">
        {t('audit.menu.log')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('audit.intro')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          aria-label={t('audit.filters.action')}
          placeholder={t('audit.filters.action')}
          style={{ minWidth: 220 }}
          value={action}
          onChange={(v: string | undefined) => {
            setAction(v);
            cursors.reset();
          }}
          options={ACTIONS.map((a) => ({ value: a, label: actionName(a) }))}
        />
        <Select
          allowClear
          aria-label={t('audit.filters.outcome')}
          placeholder={t('audit.filters.outcome')}
          style={{ minWidth: 140 }}
          value={outcome}
          onChange={(v: string | undefined) => {
            setOutcome(v);
            cursors.reset();
          }}
          options={OUTCOMES.map((o) => ({ value: o, label: t(`audit.outcome.${o}`) }))}
        />
        {(action || outcome) && (
          <Button
            onClick={() => {
              setAction(undefined);
              setOutcome(undefined);
              cursors.reset();
            }}
          >
            {t('audit.filters.clear')}
          </Button>
        )}
      </Space>
      {error && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={t('audit.failed')} />}
      <Table
        rowKey="id"
        loading={fetching}
        dataSource={nodes(data?.auditLog)}
        pagination={false}
        scroll={{ x: true }}
        locale={{ emptyText: t('audit.empty') }}
        expandable={{
          // AntD's own expand icon is a button without a name: this one says what it opens.
          expandIcon: ({ expanded, onExpand, record }) => (
            <Button
              type="text"
              size="small"
              aria-expanded={expanded}
              aria-label={t(expanded ? 'audit.hide' : 'audit.show', { action: actionName(record.action) })}
              icon={expanded ? <DownOutlined /> : <RightOutlined />}
              onClick={(e) => onExpand(record, e)}
            />
          ),
          expandedRowRender: (entry) => {
            const lines = argumentLines(entry.arguments, t, language);
            return lines.length === 0 ? (
              <Typography.Text type="secondary">{t('audit.noArguments')}</Typography.Text>
            ) : (
              <dl className="gz-audit-arguments" style={{ margin: 0, display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: 16, rowGap: 4 }}>
                {lines.map((line, i) => (
                  <div key={i} style={{ display: 'contents' }}>
                    <dt>
                      <code>{line.key}</code>
                    </dt>
                    <dd style={{ margin: 0, overflowWrap: 'anywhere' }}>{line.value}</dd>
                  </div>
                ))}
              </dl>
            );
          },
        }}
        columns={[
          { title: t('audit.fields.at'), render: (_, e) => formatDateTime(e.at, language) },
          { title: t('audit.fields.who'), render: (_, e) => e.username ?? t('audit.nobody') },
          { title: t('audit.fields.party'), render: (_, e) => (e.partyType ? t(`parties.${e.partyType.toLowerCase()}`, { defaultValue: e.partyType }) : '—') },
          { title: t('audit.fields.action'), render: (_, e) => actionName(e.action) },
          { title: t('audit.fields.outcome'), render: (_, e) => <Tag color={OUTCOME_COLOURS[e.outcome] ?? 'default'}>{t(`audit.outcome.${e.outcome}`, { defaultValue: e.outcome })}</Tag> },
          {
            title: t('audit.fields.errors'),
            render: (_, e) => (e.errorCodes.length === 0 ? '—' : e.errorCodes.map((code) => errorText({ code, message: code }, language)).join(language === 'en' ? '; ' : '；')),
          },
        ]}
      />
      <Pager cursors={cursors} hasNextPage={data?.auditLog?.pageInfo.hasNextPage ?? false} endCursor={data?.auditLog?.pageInfo.endCursor} />
    </section>
  );
}
