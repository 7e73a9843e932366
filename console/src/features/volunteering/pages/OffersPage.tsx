/**
 * The places a dispatch offered this volunteer, to accept or decline before their deadline; built for
 * a phone first: one card per offer, the buttons full width and large enough for a thumb.
 */
import { Alert, App as AntApp, Button, Card, Empty, Form, Input, List, Modal, Segmented, Space, Tag, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useMutation, useQuery } from 'urql';
import type { VolunteerOffersQuery } from '../../../gql/graphql';
import { formatDateTime, relativeDeadline, type Language } from '../../../lib/format';
import { explainParts } from '../../dispatch/explain';
import { Loading, nodesOf, Pager, TONE, useAct, useCursors, useLanguage, useNow } from '../../bidding/kit';
import { VolunteerAcceptOfferDocument, VolunteerDeclineOfferDocument, VolunteerOffersDocument } from '../operations';
import { timeSpan } from '../when';

// The committee's dispatch pages say the dispatch's reasons in the reader's language; the language
// is passed for the times they name (a reader of an older explainParts ignores it).
const explain = explainParts as (text: string, t: TFunction, language: Language) => string[];

type Offer = NonNullable<NonNullable<VolunteerOffersQuery['offers']>['edges'][number]>['node'] & {};

const STATUS_COLOURS: Record<string, string> = { offered: TONE.blue, accepted: TONE.green, declined: TONE.default, expired: TONE.default, withdrawn: TONE.default };

function DeclineDialog({ offer, onClose }: { offer: Offer; onClose: (declined: boolean) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason?: string }>();
  const [{ fetching }, decline] = useMutation(VolunteerDeclineOfferDocument);
  const act = useAct();
  return (
    <Modal
      open
      title={t('volunteering.offers.declineTitle', { title: offer.request?.title ?? '' })}
      okText={t('volunteering.offers.declineConfirm')}
      okButtonProps={{ danger: true, size: 'large' }}
      cancelButtonProps={{ size: 'large' }}
      cancelText={t('bidding.kit.cancel')}
      confirmLoading={fetching}
      onOk={() => form.submit()}
      onCancel={() => onClose(false)}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={(values) =>
          void act(
            async () => {
              const answer = await decline({ input: { offerId: offer.id, reason: values.reason?.trim() || null } });
              return { errors: answer.data?.declineOffer?.errors, failed: Boolean(answer.error) };
            },
            { form, done: t('volunteering.offers.declined') },
          ).then((outcome) => outcome.ok && onClose(true))
        }
      >
        <Typography.Paragraph type="secondary">{t('volunteering.offers.declineHint')}</Typography.Paragraph>
        <Form.Item name="reason" label={t('volunteering.offers.reason')}>
          <Input.TextArea rows={3} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function OfferCard({ offer, now, onAnswered }: { offer: Offer; now: Date; onAnswered: () => void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const { message } = AntApp.useApp();
  const [{ fetching }, accept] = useMutation(VolunteerAcceptOfferDocument);
  const act = useAct();
  const [declining, setDeclining] = useState(false);
  const open = offer.status === 'offered' && new Date(offer.respondBy).getTime() > now.getTime();
  const deadline = relativeDeadline(offer.respondBy, language, now);

  return (
    <Card
      data-testid="offer"
      title={<Typography.Title level={2} style={{ margin: 0, fontSize: 18, whiteSpace: 'normal' }}>{offer.request?.title ?? t('volunteering.offers.request')}</Typography.Title>}
      extra={<Tag color={STATUS_COLOURS[offer.status] ?? TONE.default}>{t(`volunteering.offerStatus.${offer.status}`, { defaultValue: offer.status })}</Tag>}
      styles={{ header: { flexWrap: 'wrap' } }}
    >
      <Space direction="vertical" size="small" style={{ width: '100%' }}>
        <Typography.Text strong>{timeSpan(offer.startsAt, offer.endsAt, language)}</Typography.Text>
        {offer.request?.location && <span>{t('volunteering.offers.where', { place: offer.request.location })}</span>}
        {/* A milestone's request is described by the contracts service for machines (it names the
            contract by its record): the volunteer is told what it is in words instead. */}
        {offer.request?.source === 'milestone' ? (
          <Typography.Paragraph style={{ margin: 0 }}>{t('volunteering.offers.forMilestone')}</Typography.Paragraph>
        ) : (
          offer.request?.description && <Typography.Paragraph style={{ margin: 0 }}>{offer.request.description}</Typography.Paragraph>
        )}
        {offer.status === 'offered' && (
          <Typography.Text type={deadline.urgent || deadline.overdue ? 'danger' : undefined}>
            {t('volunteering.offers.respondBy', { when: formatDateTime(offer.respondBy, language), left: deadline.text })}
          </Typography.Text>
        )}
        {offer.respondedAt && <Typography.Text type="secondary">{t('volunteering.offers.answered', { when: formatDateTime(offer.respondedAt, language) })}</Typography.Text>}
        {offer.declineReason && <Typography.Text type="secondary">{t('volunteering.offers.yourReason', { reason: offer.declineReason })}</Typography.Text>}
        <details>
          <summary>{t('volunteering.offers.why')}</summary>
          <ul style={{ margin: '8px 0 0', paddingInlineStart: 20 }}>
            {/* The dispatch explains itself in English: each part it says is said again in the reader's language. */}
            {explain(offer.explanation.replace(/^chosen by hand; /, ''), t, language).map((part, index) => (
              <li key={index}>
                <Typography.Text type="secondary">{part}</Typography.Text>
              </li>
            ))}
          </ul>
        </details>
        {open && (
          <Space direction="vertical" style={{ width: '100%', marginTop: 8 }}>
            <Button
              type="primary"
              size="large"
              block
              loading={fetching}
              onClick={() =>
                void act(
                  async () => {
                    const answer = await accept({ input: { offerId: offer.id } });
                    return { errors: answer.data?.acceptOffer?.errors, failed: Boolean(answer.error) };
                  },
                ).then((outcome) => {
                  if (outcome.ok) {
                    void message.success(t('volunteering.offers.accepted'));
                    onAnswered();
                  }
                })
              }
            >
              {t('volunteering.offers.accept')}
            </Button>
            <Button size="large" block onClick={() => setDeclining(true)}>
              {t('volunteering.offers.decline')}
            </Button>
          </Space>
        )}
        {offer.status === 'accepted' && <Link to="/volunteer/shifts">{t('volunteering.offers.toShifts')}</Link>}
      </Space>
      {declining && (
        <DeclineDialog
          offer={offer}
          onClose={(declined) => {
            setDeclining(false);
            if (declined) onAnswered();
          }}
        />
      )}
    </Card>
  );
}

export default function OffersPage() {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<'offered' | 'all'>('offered');
  const cursors = useCursors();
  const now = useNow();
  const [{ data, fetching, error }, refetch] = useQuery({
    query: VolunteerOffersDocument,
    variables: { first: 10, after: cursors.after, status: filter === 'all' ? null : filter },
  });
  const offers = nodesOf(data?.offers);

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%', maxWidth: 640 }}>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('volunteering.menu.offers')}
      </Typography.Title>
      <Segmented
        block
        size="large"
        aria-label={t('volunteering.offers.filter')}
        value={filter}
        onChange={(value) => {
          setFilter(value as 'offered' | 'all');
          cursors.reset();
        }}
        options={[
          { value: 'offered', label: t('volunteering.offers.toAnswer') },
          { value: 'all', label: t('volunteering.offers.all') },
        ]}
      />
      {error && <Alert type="error" showIcon message={t('bidding.kit.loadFailed')} />}
      {fetching && !data ? (
        <Loading />
      ) : offers.length === 0 ? (
        <Empty description={filter === 'offered' ? t('volunteering.offers.noneToAnswer') : t('volunteering.offers.none')} />
      ) : (
        <List
          dataSource={offers}
          split={false}
          renderItem={(offer) => (
            <List.Item style={{ display: 'block', padding: '0 0 12px' }}>
              <OfferCard offer={offer} now={now} onAnswered={() => refetch({ requestPolicy: 'network-only' })} />
            </List.Item>
          )}
        />
      )}
      <Pager cursors={cursors} pageInfo={data?.offers?.pageInfo} />
    </Space>
  );
}
