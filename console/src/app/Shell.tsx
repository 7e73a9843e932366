/**
 * The signed-in layout: the party's side menu (a drawer on phones: volunteers use 375 px screens),
 * a header with the community, the party, the language and sign-out, and the page.
 */
import { LogoutOutlined, MenuOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Drawer, Grid, Layout, Menu, Segmented, Space, Spin, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigation } from 'react-router-dom';
import { useMutation } from 'urql';
import { session } from './api';
import { ROUTES } from './features';
import { currentLanguage, LANGUAGES, rememberLanguage } from './i18n';
import { SignOutDocument } from './operations';
import { menuFor } from './registry';
import { useViewer } from './viewer';
import type { Language } from '../lib/format';

const { Header, Sider, Content } = Layout;

export default function Shell() {
  const { t } = useTranslation();
  const viewer = useViewer();
  const screens = Grid.useBreakpoint();
  const phone = screens.md === false;
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [collapsed, setCollapsed] = useState(false);
  const location = useLocation();
  const navigation = useNavigation();
  const { message } = AntApp.useApp();
  const [, signOut] = useMutation(SignOutDocument);

  // After moving to another page, keyboard and screen-reader users start at its content, not the menu.
  const firstPage = useRef(true);
  useEffect(() => {
    if (firstPage.current) {
      firstPage.current = false;
      return;
    }
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [location.pathname]);

  const entries = menuFor(ROUTES, viewer.partyType);
  const selected = entries
    .filter((r) => r.path === location.pathname || (r.path !== '/' && location.pathname.startsWith(`${r.path}/`)))
    .map((r) => r.path);
  const menu = (
    <Menu
      mode="inline"
      selectedKeys={selected}
      onClick={() => setDrawerOpen(false)}
      items={entries.map((r) => ({ key: r.path, icon: r.menu?.icon, label: <Link to={r.path}>{t(r.title)}</Link> }))}
    />
  );

  async function onSignOut() {
    const result = await signOut({});
    if (result.error) void message.warning(t('app.signOutOffline'));
    session.end('signed_out');
  }

  const place = viewer.community?.name ?? viewer.district?.name ?? '';
  return (
    <Layout className="gz-shell">
      <a className="gz-skip" href="#main">
        {t('app.skipToContent')}
      </a>
      {!phone && (
        <Sider
          width={232}
          theme="light"
          className="gz-sider"
          breakpoint="lg"
          collapsedWidth={72}
          collapsed={collapsed}
          onBreakpoint={setCollapsed}
          trigger={null}
        >
          <div className="gz-brand" aria-hidden="true">
            {collapsed ? t('app.brandShort') : t('app.brand')}
          </div>
          <nav aria-label={t('app.menu')}>{menu}</nav>
        </Sider>
      )}
      <Layout>
        <Header className="gz-header">
          <Space size="middle" align="center">
            {phone && (
              <Button
                type="text"
                icon={<MenuOutlined />}
                aria-label={t('app.openMenu')}
                aria-expanded={drawerOpen}
                onClick={() => setDrawerOpen(true)}
              />
            )}
            <div className="gz-who">
              <Typography.Text strong className="gz-place">
                {place || t('app.brand')}
              </Typography.Text>
              <Typography.Text type="secondary" className="gz-party">
                {viewer.party.name ?? t(`parties.${viewer.partyType}`)} · {t(`parties.${viewer.partyType}`)}
              </Typography.Text>
            </div>
          </Space>
          <Space size="small" align="center">
            <Segmented<Language>
              size="small"
              aria-label={t('app.language')}
              value={currentLanguage()}
              onChange={(value) => rememberLanguage(value)}
              options={LANGUAGES.map((l) => ({ value: l, label: l === 'zh-CN' ? '中文' : 'EN' }))}
            />
            <Button icon={<LogoutOutlined />} onClick={() => void onSignOut()}>
              {phone ? null : t('app.signOut')}
              {phone && <span className="gz-visually-hidden">{t('app.signOut')}</span>}
            </Button>
          </Space>
        </Header>
        <Content id="main" tabIndex={-1} className="gz-content">
          {navigation.state === 'loading' ? (
              <div className="gz-centred" role="status">
                <Spin tip={t('app.loading')}>
                  <div style={{ padding: 48 }} />
                </Spin>
              </div>
            ) : (
              <Outlet />
            )}
        </Content>
      </Layout>
      {phone && (
        <Drawer
          placement="left"
          width={260}
          title={t('app.brand')}
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          styles={{ body: { padding: 0 } }}
        >
          <nav aria-label={t('app.menu')}>{menu}</nav>
        </Drawer>
      )}
    </Layout>
  );
}
