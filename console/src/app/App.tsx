import { App as AntApp, ConfigProvider } from 'antd';
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
    <ConfigProvider locale={english ? enUS : zhCN} theme={{ token: { colorPrimary: '#b7312c', borderRadius: 6 } }}>
      <AntApp>
        <UrqlProvider value={client}>
          <RouterProvider router={router} />
        </UrqlProvider>
      </AntApp>
    </ConfigProvider>
  );
}
