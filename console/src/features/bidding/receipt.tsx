/**
 * The bid receipt: the SHA-256 digest of the sealed bid, shown and downloaded as a file the
 * organisation keeps; at the opening, the kept file (or the digest) is checked against the digests
 * the committee published, so a bidder can see its bid was among those opened, unchanged.
 */
import { CheckCircleFilled, CloseCircleFilled, DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Input, List, Space, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatMoney, type Language } from '../../lib/format';
import { useLanguage } from './kit';
import type { Bid, Project } from './types';

const DIGEST = /\b[0-9a-f]{64}\b/i;

/** The digest in groups of eight, so a person can compare it by eye. */
export function groupedDigest(digest: string): string {
  return digest.match(/.{1,8}/g)?.join(' ') ?? digest;
}

/** The first digest written in a receipt file (or pasted text), lower-case; null when there is none. */
export function digestIn(text: string): string | null {
  return DIGEST.exec(text)?.[0].toLowerCase() ?? null;
}

/** The receipt file: readable by a person, with the digest on a line of its own for a machine. */
export function receiptText(project: Pick<Project, 'title' | 'ocid'>, bid: Pick<Bid, 'digest' | 'price' | 'submittedAt'>, t: TFunction, language: Language): string {
  return [
    t('bidding.receipt.fileHeading'),
    '',
    `${t('bidding.receipt.fileProject')}: ${project.title}`,
    `${t('bidding.receipt.fileTender')}: ${project.ocid}`,
    `${t('bidding.receipt.filePrice')}: ${formatMoney(bid.price, language)}`,
    `${t('bidding.receipt.fileSubmitted')}: ${formatDateTime(bid.submittedAt, language)}`,
    '',
    `SHA-256: ${bid.digest}`,
    '',
    t('bidding.receipt.fileHint'),
    '',
  ].join('\n');
}

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}

export function ReceiptCard({ project, bid }: { project: Project; bid: Bid }) {
  const { t } = useTranslation();
  const language = useLanguage();
  return (
    <Card title={<Typography.Title level={2} style={{ margin: 0 }}>{t('bidding.receipt.title')}</Typography.Title>} data-testid="bid-receipt">
      <Descriptions column={{ xs: 1, md: 2 }} size="small">
        <Descriptions.Item label={t('bidding.bid.price')}>{formatMoney(bid.price, language)}</Descriptions.Item>
        <Descriptions.Item label={t('bidding.receipt.submittedAt')}>{formatDateTime(bid.submittedAt, language)}</Descriptions.Item>
        <Descriptions.Item label={t('bidding.bid.status')}>{t(`bidding.bidStatus.${bid.status}`, { defaultValue: bid.status })}</Descriptions.Item>
        <Descriptions.Item label={t('bidding.bid.team')}>{bid.team}</Descriptions.Item>
      </Descriptions>
      <Typography.Paragraph style={{ marginTop: 12 }}>{t('bidding.receipt.explain')}</Typography.Paragraph>
      <Typography.Paragraph>
        <Typography.Text strong>{t('bidding.receipt.digest')}</Typography.Text>
        <br />
        <Typography.Text code copyable={{ text: bid.digest, tooltips: [t('bidding.receipt.copy'), t('bidding.receipt.copied')] }} style={{ wordBreak: 'break-all' }} data-testid="bid-digest">
          {groupedDigest(bid.digest)}
        </Typography.Text>
      </Typography.Paragraph>
      <Button icon={<DownloadOutlined />} onClick={() => download(`${t('bidding.receipt.fileName')}-${bid.digest.slice(0, 8)}.txt`, receiptText(project, bid, t, language))}>
        {t('bidding.receipt.download')}
      </Button>
    </Card>
  );
}

/** At the opening: the published digests, and the organisation's receipt checked against them. */
export function ReceiptCheck({ project, bid }: { project: Project; bid: Bid | null }) {
  const { t } = useTranslation();
  const inputId = useId();
  const [checked, setChecked] = useState<{ digest: string | null; from: 'file' | 'text' } | null>(null);
  const published = new Set(project.bidDigests);

  async function readFile(file: File) {
    setChecked({ digest: digestIn(await file.text()), from: 'file' });
  }

  const mine = bid ? published.has(bid.digest) : null;
  return (
    <Card title={<Typography.Title level={2} style={{ margin: 0 }}>{t('bidding.opening.title')}</Typography.Title>} data-testid="receipt-check">
      <Typography.Paragraph>{t('bidding.opening.explain', { n: project.bidDigests.length })}</Typography.Paragraph>
      {bid && bid.status !== 'withdrawn' && (
        <Alert
          type={mine ? 'success' : 'error'}
          showIcon
          style={{ marginBottom: 16 }}
          message={mine ? t('bidding.opening.mineFound') : t('bidding.opening.mineMissing')}
        />
      )}
      <Space direction="vertical" style={{ width: '100%' }}>
        <label htmlFor={inputId}>
          <Typography.Text strong>{t('bidding.opening.checkFile')}</Typography.Text>
        </label>
        <input
          id={inputId}
          type="file"
          accept=".txt,text/plain"
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (file) void readFile(file);
          }}
        />
        <Input.Search
          aria-label={t('bidding.opening.checkText')}
          placeholder={t('bidding.opening.checkText')}
          enterButton={t('bidding.opening.check')}
          onSearch={(value) => setChecked({ digest: digestIn(value), from: 'text' })}
          style={{ maxWidth: 640 }}
        />
        {checked && (
          <div role="status" aria-live="polite">
            {checked.digest === null ? (
              <Alert type="warning" showIcon message={t('bidding.opening.noDigest')} />
            ) : published.has(checked.digest) ? (
              <Alert type="success" showIcon icon={<CheckCircleFilled />} message={t('bidding.opening.found', { digest: groupedDigest(checked.digest) })} />
            ) : (
              <Alert type="error" showIcon icon={<CloseCircleFilled />} message={t('bidding.opening.notFound', { digest: groupedDigest(checked.digest) })} />
            )}
          </div>
        )}
      </Space>
      <Typography.Title level={4} style={{ marginTop: 24 }}>
        {t('bidding.opening.published')}
      </Typography.Title>
      <List
        size="small"
        bordered
        dataSource={project.bidDigests}
        locale={{ emptyText: t('bidding.opening.none') }}
        renderItem={(digest) => (
          <List.Item>
            <Typography.Text code style={{ wordBreak: 'break-all' }}>
              {groupedDigest(digest)}
            </Typography.Text>
            {bid?.digest === digest && <Typography.Text strong>{t('bidding.opening.yours')}</Typography.Text>}
          </List.Item>
        )}
      />
    </Card>
  );
}
