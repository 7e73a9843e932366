/**
 * The frame of the public pages, read without signing in (a notice board's QR code, a journalist's
 * link): the brand, the language switch and the sign-in link above, the page in its own <main>.
 */
import { Layout, Segmented, Space, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { currentLanguage, LANGUAGES, rememberLanguage } from '../../app/i18n';
import type { Language } from '../../lib/format';

export function PublicLayout({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ background: '#fff', borderBottom: '1px solid #f0f0f0', paddingInline: 16, height: 'auto', lineHeight: 'normal', paddingBlock: 12 }}>
        <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
          <Typography.Text strong style={{ fontSize: 16 }}>
            {t('app.brand')}
          </Typography.Text>
          <Space wrap>
            <Segmented
              aria-label={t('app.language')}
              value={currentLanguage()}
              onChange={(value) => rememberLanguage(value as Language)}
              options={LANGUAGES.map((language) => ({ value: language, label: language === 'zh-CN' ? '中文' : 'English' }))}
            />
            <Link to="/sign-in">{t('public.signIn')}</Link>
          </Space>
        </Space>
      </Layout.Header>
      <Layout.Content>
        <main id="main" style={{ maxWidth: 960, margin: '0 auto', padding: '24px 16px' }}>
          <Typography.Title level={1} style={{ fontSize: 26 }}>
            {title}
          </Typography.Title>
          {children}
        </main>
      </Layout.Content>
    </Layout>
  );
}
