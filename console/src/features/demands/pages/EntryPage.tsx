/**
 * One entry of the demand or a resource list: what it asks for or offers, and its claims. The other
 * side claims it with a note; the owner confirms one claim (a match; the others are declined) or
 * declines it; either side of a match records what was delivered, and the owner closes the entry as
 * delivered.
 */
import { Alert, Button, Card, Checkbox, Descriptions, Empty, Form, Input, List, Space, Spin, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { useMutation, useQuery } from 'urql';
import { useViewer } from '../../../app/viewer';
import { graphql } from '../../../gql';
import type { ListEntryDetailQuery } from '../../../gql/graphql';
import { formatDateTime } from '../../../lib/format';
import { FormAlert, Pager, nodes, useAct, useCursors, useLanguage, usePartyName } from '../../meetings/common';
import { CLAIM_STATUS_COLOURS, ENTRY_STATUS_COLOURS, categoryLabel, parseDelivery, partyRecord } from '../vocabulary';

const ListEntryDetailDocument = graphql(`
  query ListEntryDetail($id: ID!, $first: Int, $after: String) {
    node(id: $id) {
      __typename
      ... on ListEntry {
        id
        kind
        title
        description
        category
        origin
        status
        owner {
          id
          name
          type
        }
        claims(first: $first, after: $after) {
          pageInfo {
            hasNextPage
            endCursor
          }
          edges {
            node {
              id
              note
              status
              deliveries
              claimant {
                id
                name
                type
              }
            }
          }
        }
      }
    }
  }
`);

const ClaimEntryDocument = graphql(`
  mutation ClaimListEntry($input: ClaimEntryInput!) {
    claimEntry(input: $input) {
      claim {
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

const ConfirmClaimDocument = graphql(`
  mutation ConfirmListClaim($input: ClaimDecisionInput!) {
    confirmClaim(input: $input) {
      claim {
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

const DeclineClaimDocument = graphql(`
  mutation DeclineListClaim($input: ClaimDecisionInput!) {
    declineClaim(input: $input) {
      claim {
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

const RecordDeliveryDocument = graphql(`
  mutation RecordListDelivery($input: RecordDeliveryInput!) {
    recordDelivery(input: $input) {
      claim {
        id
        deliveries
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

type Entry = Extract<NonNullable<ListEntryDetailQuery['node']>, { __typename: 'ListEntry' }>;
type Claim = NonNullable<NonNullable<NonNullable<Entry['claims']>['edges'][number]>['node']>;

export default function EntryPage() {
  const { t } = useTranslation();
  const { entryId = '' } = useParams();
  const { party } = useViewer();
  const partyName = usePartyName();
  const cursors = useCursors();
  const [{ data, fetching, error }, refetch] = useQuery({ query: ListEntryDetailDocument, variables: { id: entryId, first: 20, after: cursors.after } });
  if (fetching && !data) return <Spin aria-label={t('app.loading')} />;
  const entry = data?.node?.__typename === 'ListEntry' ? data.node : null;
  if (!entry) {
    return (
      <section>
        <Typography.Title level={1}>{t('demands.menu.entry')}</Typography.Title>
        <Alert type={error ? 'error' : 'warning'} showIcon message={t(error ? 'demands.entry.failed' : 'demands.entry.missing')} />
        <Link to="/lists">{t('demands.entry.back')}</Link>
      </section>
    );
  }
  const owner = entry.owner.id === party.id;
  const claims = nodes(entry.claims);
  const mine = claims.find((c) => c.claimant.id === party.id);
  const reload = () => refetch({ requestPolicy: 'network-only' });
  return (
    <section aria-labelledby="entry-title">
      <Link to="/lists">{t('demands.entry.back')}</Link>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={1} id="entry-title" style={{ margin: 0 }}>
          {entry.title}
        </Typography.Title>
        <Space>
          <Tag>{t(`demands.kind.${entry.kind}`, { defaultValue: entry.kind })}</Tag>
          <Tag color={ENTRY_STATUS_COLOURS[entry.status] ?? 'default'}>{t(`demands.entryStatus.${entry.status}`, { defaultValue: entry.status })}</Tag>
        </Space>
      </Space>
      <Card style={{ margin: '16px 0' }}>
        <Descriptions column={{ xs: 1, md: 3 }} size="small">
          <Descriptions.Item label={t('demands.fields.owner')}>{partyName(entry.owner)}</Descriptions.Item>
          <Descriptions.Item label={t('demands.fields.category')}>{categoryLabel(t, entry.category)}</Descriptions.Item>
          <Descriptions.Item label={t('demands.fields.origin')}>{t(`demands.origin.${entry.origin}`, { defaultValue: entry.origin })}</Descriptions.Item>
        </Descriptions>
        {entry.description && <Typography.Paragraph style={{ marginTop: 12, marginBottom: 0 }}>{entry.description}</Typography.Paragraph>}
      </Card>
      {!owner && !mine && entry.status === 'open' && <ClaimForm entryId={entry.id} onDone={reload} />}
      <Card title={<h2 className="gz-card-title">{t('demands.claims.title')}</h2>}>
        {claims.length === 0 ? (
          <Empty description={t('demands.claims.none')} />
        ) : (
          <List
            dataSource={claims}
            renderItem={(claim) => (
              <List.Item key={claim.id} data-testid="claim">
                <ClaimItem claim={claim} owner={owner} ownerRecord={partyRecord(entry.owner.id)} entryOpen={entry.status === 'open'} onDone={reload} />
              </List.Item>
            )}
          />
        )}
        <Pager cursors={cursors} hasNextPage={entry.claims?.pageInfo.hasNextPage ?? false} endCursor={entry.claims?.pageInfo.endCursor} />
      </Card>
    </section>
  );
}

function ClaimForm({ entryId, onDone }: { entryId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const act = useAct();
  const [form] = Form.useForm<{ note?: string }>();
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const [, claim] = useMutation(ClaimEntryDocument);

  async function onFinish(values: { note?: string }) {
    const { ok, unplaced: rest } = await act(
      async () => {
        const r = await claim({ input: { entryId, note: values.note?.trim() || undefined } });
        return { errors: r.data?.claimEntry?.errors, failure: r.error?.message };
      },
      { form, done: t('demands.claim.done'), fields: { entryId: 'note' } },
    );
    setUnplaced(rest);
    if (ok) {
      form.resetFields();
      onDone();
    }
  }

  return (
    <Card title={<h2 className="gz-card-title">{t('demands.claim.title')}</h2>} style={{ marginBottom: 16 }}>
      <FormAlert errors={unplaced} />
      <Form form={form} layout="vertical" onFinish={(v) => void onFinish(v)}>
        <Form.Item name="note" label={t('demands.claim.note')} extra={t('demands.claim.help')}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t('demands.claim.submit')}
        </Button>
      </Form>
    </Card>
  );
}

function ClaimItem({ claim, owner, ownerRecord, entryOpen, onDone }: { claim: Claim; owner: boolean; ownerRecord: string; entryOpen: boolean; onDone: () => void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const partyName = usePartyName();
  const act = useAct();
  const [, confirm] = useMutation(ConfirmClaimDocument);
  const [, decline] = useMutation(DeclineClaimDocument);
  const deliveries = claim.deliveries.flatMap((d) => {
    const parsed = parseDelivery(d);
    return parsed ? [parsed] : [];
  });

  async function decide(yes: boolean) {
    const { ok } = await act(
      async () => {
        if (yes) {
          const r = await confirm({ input: { claimId: claim.id } });
          return { errors: r.data?.confirmClaim?.errors, failure: r.error?.message };
        }
        const r = await decline({ input: { claimId: claim.id } });
        return { errors: r.data?.declineClaim?.errors, failure: r.error?.message };
      },
      { done: t(yes ? 'demands.claims.confirmed' : 'demands.claims.declined') },
    );
    if (ok) onDone();
  }

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Typography.Text strong>{partyName(claim.claimant)}</Typography.Text>
        <Tag color={CLAIM_STATUS_COLOURS[claim.status] ?? 'default'}>{t(`demands.claimStatus.${claim.status}`, { defaultValue: claim.status })}</Tag>
      </Space>
      {claim.note && <Typography.Paragraph style={{ margin: 0 }}>{claim.note}</Typography.Paragraph>}
      {owner && claim.status === 'pending' && entryOpen && (
        <Space>
          <Button type="primary" onClick={() => void decide(true)}>
            {t('demands.claims.confirm')}
          </Button>
          <Button onClick={() => void decide(false)}>{t('demands.claims.decline')}</Button>
        </Space>
      )}
      {deliveries.length > 0 && (
        <div>
          <Typography.Text type="secondary">{t('demands.delivery.title')}</Typography.Text>
          <ul style={{ margin: '4px 0 0', paddingInlineStart: 18 }}>
            {deliveries.map((d, i) => (
              <li key={i}>
                {t('demands.delivery.line', {
                  when: formatDateTime(d.at, language),
                  who: d.by === ownerRecord ? t('demands.delivery.byOwner') : partyName(claim.claimant),
                  note: d.note,
                })}
              </li>
            ))}
          </ul>
        </div>
      )}
      {claim.status === 'confirmed' && <DeliveryForm claimId={claim.id} owner={owner} onDone={onDone} />}
    </Space>
  );
}

function DeliveryForm({ claimId, owner, onDone }: { claimId: string; owner: boolean; onDone: () => void }) {
  const { t } = useTranslation();
  const act = useAct();
  const [form] = Form.useForm<{ note: string; completed?: boolean }>();
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const [, record] = useMutation(RecordDeliveryDocument);

  async function onFinish(values: { note: string; completed?: boolean }) {
    const { ok, unplaced: rest } = await act(
      async () => {
        const r = await record({ input: { claimId, note: values.note.trim(), completed: owner ? (values.completed ?? false) : undefined } });
        return { errors: r.data?.recordDelivery?.errors, failure: r.error?.message };
      },
      { form, done: t('demands.delivery.done'), fields: { claimId: 'note' } },
    );
    setUnplaced(rest);
    if (ok) {
      form.resetFields();
      onDone();
    }
  }

  return (
    <>
      <FormAlert errors={unplaced} />
      <Form form={form} layout="inline" onFinish={(v) => void onFinish(v)}>
        <Form.Item name="note" label={t('demands.delivery.note')} rules={[{ required: true, whitespace: true, message: t('meetings.validation.required') }]}>
          <Input style={{ minWidth: 240 }} maxLength={1000} />
        </Form.Item>
        {owner && (
          <Form.Item name="completed" valuePropName="checked">
            <Checkbox>{t('demands.delivery.completed')}</Checkbox>
          </Form.Item>
        )}
        <Button htmlType="submit">{t('demands.delivery.submit')}</Button>
      </Form>
    </>
  );
}
