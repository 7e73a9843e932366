import { Alert, Button, Result, Spin } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router-dom';
import { useQuery } from 'urql';
import { session } from './api';
import { ViewerDocument } from './operations';
import { isPartyType } from './parties';
import { useSignedIn } from './useSession';
import { ViewerContext, type Viewer } from './viewer';
import Shell from './Shell';

/** The signed-in part of the console: back to sign-in without a session, then the viewer, then the layout. */
export default function RequireSession() {
  const signedIn = useSignedIn();
  const location = useLocation();
  if (!signedIn) {
    // Back to where the person was after an expired session or a deep link, not after signing out.
    const here = location.pathname + location.search;
    const next = location.pathname === '/' || session.endReason === 'signed_out' ? '' : `?next=${encodeURIComponent(here)}`;
    return <Navigate to={`/sign-in${next}`} replace />;
  }
  return <WithViewer />;
}

function WithViewer() {
  const { t } = useTranslation();
  const [{ data, error, fetching }, refetch] = useQuery({ query: ViewerDocument, requestPolicy: 'cache-first' });
  const viewer = useMemo<Viewer | null>(() => {
    if (!data) return null;
    const partyType = data.viewer.party.type.toLowerCase();
    return isPartyType(partyType) ? { ...data.viewer, partyType } : null;
  }, [data]);
  if (viewer) {
    return (
      <ViewerContext.Provider value={viewer}>
        <Shell />
      </ViewerContext.Provider>
    );
  }
  if (fetching) {
    return (
      <div className="gz-centred" role="status">
        <Spin size="large" tip={t('app.loading')}>
          <div style={{ padding: 48 }} />
        </Spin>
      </div>
    );
  }
  return (
    <main className="gz-centred">
      <Result
        status="error"
        title={t('app.viewerFailed')}
        subTitle={error ? <Alert type="error" message={error.message} /> : null}
        extra={
          <Button type="primary" onClick={() => refetch({ requestPolicy: 'network-only' })}>
            {t('app.retry')}
          </Button>
        }
      />
    </main>
  );
}
