/** Username and password; the API's refusals (wrong password, throttling, disabled) said in words. */
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Segmented, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useSearchParams } from 'react-router-dom';
import { post, session } from '../../../app/api';
import { ROUTES } from '../../../app/features';
import { currentLanguage, LANGUAGES, rememberLanguage } from '../../../app/i18n';
import { SignInDocument } from '../../../app/anonymousOperations';
import { useSignedIn } from '../../../app/useSession';
import { errorText, showApiErrors } from '../../../lib/errors';
import type { Language } from '../../../lib/format';

interface Values {
  username: string;
  password: string;
}

/** The public open-contracting page, when a feature serves it. */
const OPEN_DATA = ROUTES.find((r) => r.public && r.path === '/open-contracting')?.path;

/** Only a path inside the console, never another site, is followed after sign-in. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export default function SignIn() {
  const { t } = useTranslation();
  const language = currentLanguage();
  const [form] = Form.useForm<Values>();
  const [params] = useSearchParams();
  const signedIn = useSignedIn();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [endReason] = useState(() => session.endReason);

  if (signedIn) return <Navigate to={safeNext(params.get('next'))} replace />;

  async function onFinish(values: Values) {
    setBusy(true);
    setProblem(null);
    try {
      const { status, body } = await post(SignInDocument, { input: values });
      const answer = body.data?.signIn;
      if (answer?.session) {
        session.start(answer.session);
        return;
      }
      if (answer && answer.errors.length > 0) {
        const general = showApiErrors(form, answer.errors, language);
        setProblem(general.join(' ') || null);
      } else if (status === 429) {
        const seconds = body.errors?.[0]?.extensions?.retryAfter ?? 1;
        setProblem(t('app.rateLimited', { seconds: Math.ceil(seconds) }));
      } else {
        const error = body.errors?.[0];
        setProblem(error ? errorText({ code: error.extensions?.code, message: error.message }, language) : t('app.networkError'));
      }
    } catch {
      setProblem(t('app.networkError'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="gz-sign-in">
      <Card className="gz-sign-in-card">
        <div className="gz-sign-in-top">
          <Typography.Text strong className="gz-brand-text">
            {t('app.brand')}
          </Typography.Text>
          <Segmented<Language>
            size="small"
            aria-label={t('app.language')}
            value={language}
            onChange={(value) => rememberLanguage(value)}
            options={LANGUAGES.map((l) => ({ value: l, label: l === 'zh-CN' ? '中文' : 'EN' }))}
          />
        </div>
        <Typography.Title level={1} className="gz-sign-in-title">
          {t('sign-in.heading')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('sign-in.intro')}</Typography.Paragraph>
        {endReason && !problem && (
          <Alert
            type={endReason === 'expired' ? 'warning' : 'info'}
            showIcon
            message={t(endReason === 'expired' ? 'sign-in.expired' : 'sign-in.signedOut')}
            style={{ marginBottom: 16 }}
          />
        )}
        {problem && <Alert type="error" showIcon message={problem} role="alert" style={{ marginBottom: 16 }} />}
        <Form<Values> form={form} layout="vertical" requiredMark={false} onFinish={(v) => void onFinish(v)}>
          <Form.Item
            name="username"
            label={t('sign-in.username')}
            rules={[{ required: true, whitespace: true, message: t('sign-in.usernameRequired') }]}
          >
            <Input prefix={<UserOutlined aria-hidden />} autoComplete="username" autoFocus size="large" />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('sign-in.password')}
            rules={[{ required: true, message: t('sign-in.passwordRequired') }]}
          >
            <Input.Password prefix={<LockOutlined aria-hidden />} autoComplete="current-password" size="large" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={busy}>
            {t('sign-in.submit')}
          </Button>
        </Form>
        {OPEN_DATA && (
          <Typography.Paragraph style={{ marginTop: 16, marginBottom: 0, textAlign: 'center' }}>
            <Link to={OPEN_DATA}>{t('sign-in.openData')}</Link>
          </Typography.Paragraph>
        )}
      </Card>
    </main>
  );
}
