import { App as AntApp, ConfigProvider, type ThemeConfig } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { RouterProvider } from 'react-router-dom';
import { Provider as UrqlProvider } from 'urql';
import { makeClient, session } from './api';
import { router } from './router';
import { useSignedIn } from './useSession';

/**
 * Ant Design's default greys (#8c8c8c), link blue (#1677ff), error red (#ff4d4f), green and amber fall short
 * of WCAG AA contrast as text on white (2:1 to 4.1:1); these reach 4.5:1 or more, so text in any of them
 * (a danger button, a secondary line, Typography type="success") passes axe-core's colour-contrast rule.
 */
const THEME: ThemeConfig = {
  token: {
    colorPrimary: '#b7312c',
    // Hovered and pressed, a button or link darkens instead of Ant Design's lighter shade (#c4564f is
    // 4.4:1 under white text): the pointer rests on what it just pressed when axe-core looks.
    colorPrimaryHover: '#9f2a26',
    colorPrimaryActive: '#8f2622',
    colorLink: '#0958d9',
    colorLinkHover: '#003eb3',
    colorLinkActive: '#002c8c',
    colorError: '#cf1322',
    colorErrorHover: '#a8071a',
    colorErrorActive: '#820014',
    colorSuccess: '#237804',
    colorWarning: '#ad6800',
    colorTextSecondary: '#595959',
    colorTextTertiary: '#595959',
    colorTextDescription: '#595959',
    borderRadius: 6,
  },
};

export default function App() {
  const { i18n } = useTranslation();
  const english = i18n.language === 'en';
  const signedIn = useSignedIn();
  // A new client per sign-in, so no answer cached for one account is shown to the next.
  const client = useMemo(() => makeClient(session), [signedIn]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    dayjs.locale(english ? 'en' : 'zh-cn');
    document.documentElement.lang = english ? 'en' : 'zh-CN';
  }, [english]);

  return (
    <ConfigProvider locale={english ? enUS : zhCN} theme={THEME}>
      <AntApp>
        <UrqlProvider value={client}>
          <RouterProvider router={router} />
        </UrqlProvider>
      </AntApp>
    </ConfigProvider>
  );
}
